package aim.accounts;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * At most {@code limit} refused log-ins per remote address per {@link #WINDOW}, counted in a window
 * that opens at the address's first refusal; once the limit is reached the address waits until that
 * window closes. Kept in memory for at most {@value #MAX_ADDRESSES} recently active addresses (one
 * small entry each), so an attacker with many addresses cannot exhaust memory; forgetting an address
 * only forgives it early. Behind a reverse proxy every client shares the proxy's address: raise the
 * limit there.
 */
final class LoginThrottle {
    static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int MAX_ADDRESSES = 10_000;

    private record Window(Instant start, int failures) {
    }

    private final int limit;
    private final Clock clock;
    private final Cache<String, Window> windows = Caffeine.newBuilder().maximumSize(MAX_ADDRESSES).build();

    LoginThrottle(int limit, Clock clock) {
        this.limit = limit;
        this.clock = clock;
    }

    /** How long the address must wait before its next log-in attempt, or empty when it may try now. */
    synchronized Optional<Duration> waitFor(String address) {
        Window window = windows.getIfPresent(address);
        if (window == null) return Optional.empty();
        Duration left = Duration.between(clock.instant(), window.start().plus(WINDOW));
        if (left.isNegative() || left.isZero()) {
            windows.invalidate(address);
            return Optional.empty();
        }
        return window.failures() >= limit ? Optional.of(left) : Optional.empty();
    }

    /** Counts a refused log-in (wrong password, unknown name, locked name) from the address. */
    synchronized void failed(String address) {
        Instant now = clock.instant();
        Window window = windows.getIfPresent(address);
        boolean open = window != null && now.isBefore(window.start().plus(WINDOW));
        windows.put(address, open ? new Window(window.start(), window.failures() + 1) : new Window(now, 1));
    }

    /** How many addresses are remembered now (after any pending eviction). */
    long addressesKept() {
        windows.cleanUp();
        return windows.estimatedSize();
    }
}
