package org.medsync.server.auth;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    /** A clock the test moves. */
    private static final class Manual extends Clock {
        Instant now = Instant.parse("2026-01-01T08:00:00Z");

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
    void lockoutDoublesFromOneSecondUpToFifteenMinutes_andIsForgottenAfterAnHour() {
        Manual clock = new Manual();
        LoginThrottle t = new LoginThrottle(clock);
        for (int i = 0; i < LoginThrottle.ACCOUNT_FREE; i++) {
            assertEquals(Optional.empty(), t.wait("anna", "10.0.0.1"));
            t.failed("anna", "10.0.0.1");
        }
        assertEquals(Optional.empty(), t.wait("anna", "10.0.0.1"));
        Duration expected = Duration.ofSeconds(1);
        for (int i = 0; i < 14; i++) {
            t.failed("anna", "10.0.0.2");
            assertEquals(Optional.of(expected), t.wait("Anna", "10.0.0.3"), "failure " + i);
            clock.now = clock.now.plus(expected);
            expected = expected.multipliedBy(2).compareTo(LoginThrottle.MAX_DELAY) > 0
                    ? LoginThrottle.MAX_DELAY
                    : expected.multipliedBy(2);
        }
        t.failed("anna", "10.0.0.2");
        assertEquals(Optional.of(LoginThrottle.MAX_DELAY), t.wait("anna", "10.0.0.3"));
        clock.now = clock.now.plus(LoginThrottle.FORGET).plusSeconds(1);
        assertEquals(Optional.empty(), t.wait("anna", "10.0.0.3"));
        t.failed("anna", "10.0.0.2");
        assertEquals(Optional.empty(), t.wait("anna", "10.0.0.3"), "forgotten: the count starts again");
    }

    @Test
    void successClearsTheAccountButNotTheAddress() {
        Manual clock = new Manual();
        LoginThrottle t = new LoginThrottle(clock);
        for (int i = 0; i <= LoginThrottle.ADDRESS_FREE; i++) {
            t.failed("victim" + (i % 3), "10.0.0.9");
        }
        t.succeeded("victim0");
        assertTrue(
                t.wait("attackers-own", "10.0.0.9").isPresent(),
                "logging into an own account does not clear the address");
        assertTrue(t.wait("victim0", "10.0.0.8").isEmpty());
    }

    @Test
    void ipv6ClientsAreCountedByTheirSlash64() {
        assertEquals(LoginThrottle.addressKey("2001:db8:1:2::1"), LoginThrottle.addressKey("2001:db8:1:2:ffff::7"));
        assertNotEquals(LoginThrottle.addressKey("2001:db8:1:2::1"), LoginThrottle.addressKey("2001:db8:1:3::1"));
        assertNotEquals(LoginThrottle.addressKey("10.0.0.1"), LoginThrottle.addressKey("10.0.0.2"));
    }
}
