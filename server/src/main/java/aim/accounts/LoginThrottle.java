package aim.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * At most {@code limit} refused log-ins per remote address in any {@link #WINDOW}: beyond that the
 * address waits until its oldest counted failure is a minute old. Kept in memory for the
 * {@value #MAX_ADDRESSES} most recently active addresses (at most {@code limit} instants each), so an
 * attacker with many addresses cannot exhaust memory; forgetting an address only forgives it early.
 * Behind a reverse proxy every client shares the proxy's address: raise the limit there.
 */
final class LoginThrottle {
    static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int MAX_ADDRESSES = 10_000;

    private final int limit;
    private final Clock clock;
    private final Map<String, ArrayDeque<Instant>> failures = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Instant>> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    LoginThrottle(int limit, Clock clock) {
        this.limit = limit;
        this.clock = clock;
    }

    /** How long the address must wait before its next log-in attempt, or empty when it may try now. */
    synchronized Optional<Duration> waitFor(String address) {
        ArrayDeque<Instant> recent = failures.get(address);
        if (recent == null) return Optional.empty();
        Instant now = clock.instant();
        Instant windowStart = now.minus(WINDOW);
        while (!recent.isEmpty() && !recent.peekFirst().isAfter(windowStart)) recent.pollFirst();
        if (recent.isEmpty()) {
            failures.remove(address);
            return Optional.empty();
        }
        if (recent.size() < limit) return Optional.empty();
        return Optional.of(Duration.between(windowStart, recent.peekFirst()));
    }

    /** Counts a refused log-in (wrong password, unknown name, locked name) from the address. */
    synchronized void failed(String address) {
        ArrayDeque<Instant> recent = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
        recent.addLast(clock.instant());
        while (recent.size() > limit) recent.pollFirst();
    }
}
