package aim.accounts;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoginThrottleTest {

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void anAddressWaitsUntilItsMinuteIsOverAndOthersAreUnaffected() {
        var clock = new ManualClock();
        var throttle = new LoginThrottle(3, clock);
        for (int i = 0; i < 3; i++) {
            assertTrue(throttle.waitFor("10.0.0.1").isEmpty());
            throttle.failed("10.0.0.1");
            clock.now = clock.now.plusSeconds(10);
        }
        assertEquals(Optional.of(Duration.ofSeconds(30)), throttle.waitFor("10.0.0.1"), "the minute opened 30 s ago");
        assertTrue(throttle.waitFor("10.0.0.2").isEmpty());
        clock.now = clock.now.plusSeconds(30);
        assertTrue(throttle.waitFor("10.0.0.1").isEmpty(), "a new minute");
        throttle.failed("10.0.0.1");
        assertTrue(throttle.waitFor("10.0.0.1").isEmpty(), "counting starts afresh");
    }

    @Test
    void manyAddressesCannotGrowTheThrottleBeyondItsBound() {
        var throttle = new LoginThrottle(3, new ManualClock());
        for (int k = 0; k < 25_000; k++) throttle.failed("10.0." + (k >> 8) + "." + (k & 255));
        assertTrue(throttle.addressesKept() <= 10_000, "addresses kept: " + throttle.addressesKept());
        throttle.failed("192.0.2.1");
        throttle.failed("192.0.2.1");
        throttle.failed("192.0.2.1");
        assertTrue(throttle.waitFor("192.0.2.1").isPresent(), "the address now failing is still throttled");
    }
}
