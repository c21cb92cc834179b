package org.medsync.server.auth;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing down, per account name and per client address, in this node's memory. Each key has
 * some free failures; every failure after those locks the key for a delay that doubles from one second up to
 * {@link #MAX_DELAY}. While either key of an attempt is locked the attempt is refused before the password is
 * looked at, so a right password during a lockout is refused too. Names that have no account are counted like
 * real ones: the answer never tells whether an account exists. A success clears the account's count only: an
 * attacker cannot clear their address's count by logging into an account of their own. A key forgets its
 * failures {@link #FORGET} after the last one.
 */
public final class LoginThrottle {
    /** Failures an account name may have before it is locked: a user's typos. */
    public static final int ACCOUNT_FREE = 5;
    /** Failures one address may have, over all names: a ward's shared workstation or NAT. */
    public static final int ADDRESS_FREE = 20;

    public static final Duration MAX_DELAY = Duration.ofMinutes(15);
    static final Duration FORGET = Duration.ofHours(1);
    /** Keys kept at most; beyond, the quietest are forgotten first, so memory stays bounded under a spray. */
    static final int MAX_KEYS = 100_000;

    private static final class Entry {
        int failures;
        Instant lockedUntil = Instant.MIN;
        Instant last = Instant.MIN;
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long the caller must wait before this attempt may even be checked; empty: go ahead. */
    public Optional<Duration> wait(String username, String address) {
        Instant now = clock.instant();
        Instant until = later(lockedUntil(accountKey(username), now), lockedUntil(addressKey(address), now));
        return until.isAfter(now) ? Optional.of(Duration.between(now, until)) : Optional.empty();
    }

    public void failed(String username, String address) {
        Instant now = clock.instant();
        fail(accountKey(username), ACCOUNT_FREE, now);
        fail(addressKey(address), ADDRESS_FREE, now);
        if (entries.size() > MAX_KEYS) {
            trim(now);
        }
    }

    public void succeeded(String username) {
        entries.remove(accountKey(username));
    }

    private Instant lockedUntil(String key, Instant now) {
        Entry e = entries.get(key);
        if (e == null) {
            return Instant.MIN;
        }
        synchronized (e) {
            return e.last.plus(FORGET).isBefore(now) ? Instant.MIN : e.lockedUntil;
        }
    }

    private void fail(String key, int free, Instant now) {
        Entry e = entries.computeIfAbsent(key, k -> new Entry());
        synchronized (e) {
            if (e.last.plus(FORGET).isBefore(now)) {
                e.failures = 0;
                e.lockedUntil = Instant.MIN;
            }
            e.failures++;
            e.last = now;
            int over = e.failures - free;
            if (over > 0) {
                Duration delay = over > 20 ? MAX_DELAY : Duration.ofSeconds(1L << (over - 1));
                e.lockedUntil = now.plus(delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay);
            }
        }
    }

    private void trim(Instant now) {
        entries.values().removeIf(e -> {
            synchronized (e) {
                return e.last.plus(FORGET).isBefore(now);
            }
        });
        int excess = entries.size() - MAX_KEYS * 9 / 10;
        if (excess > 0) {
            entries.entrySet().stream()
                    .sorted(Comparator.comparing(x -> x.getValue().last))
                    .limit(excess)
                    .map(Map.Entry::getKey)
                    .toList()
                    .forEach(entries::remove);
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static String accountKey(String username) {
        return "u:" + (username == null ? "" : username.trim().toLowerCase(Locale.ROOT));
    }

    /** IPv6 clients are counted by their /64: one host usually holds a whole /64 and could otherwise rotate through it. */
    static String addressKey(String address) {
        try {
            byte[] a = InetAddress.ofLiteral(address).getAddress();
            if (a.length == 16) {
                return "a:" + HexFormat.of().formatHex(a, 0, 8) + "::/64";
            }
            return "a:" + address;
        } catch (IllegalArgumentException e) {
            return "a:" + address;
        }
    }
}
