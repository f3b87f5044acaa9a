package io.netloom.rest.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Defends the logins of the REST API, the web console (which logs in through it) and the SSH console (through
 * {@link GuardedRealm}) against guessing: failed logins are logged to the security log {@value #SECURITY_LOG}
 * (user, source address, time; never the password) and counted three ways: per user and source address together,
 * per source address, and per user from every address. After {@code lockout.failures} failures of a user from one
 * address, that user is locked out at that address only; after {@code lockout.source.failures} from one address,
 * that address is locked out for every user; only after {@code lockout.user.failures} failures of a user from all
 * addresses together (a guess spread over many addresses) is the user locked out everywhere. So someone who knows a
 * user name cannot keep that user out from another address, short of the much higher global count. IPv6 addresses
 * count by their /64 network, which one client usually holds whole. A lockout lasts {@code lockout.initial}; each
 * further failure once that has passed doubles it, up to {@code lockout.max}. A locked-out login is refused at
 * once, without trying its password and without holding a server thread. A successful login ends the count of that
 * user at that address; every count is forgotten once {@code lockout.max} has passed since its last failure.
 */
@Component(service = LoginThrottle.class, configurationPid = LoginThrottle.PID)
@Designate(ocd = LoginThrottle.Config.class)
public class LoginThrottle {

    static final String PID = "io.netloom.security";
    static final String SECURITY_LOG = "io.netloom.security";
    /** Keys tracked at most, so that logins under random user names cannot exhaust the heap. */
    static final int MAX_TRACKED = 10_000;
    private static final Logger SECURITY = LoggerFactory.getLogger(SECURITY_LOG);

    /** The login defences, {@code etc/io.netloom.security.cfg}. */
    @ObjectClassDefinition(name = "Netloom login defences", description = "Throttling of failed logins")
    public @interface Config {
        /**
         * @return failures of one user from one address before that user is locked out at that address
         */
        @AttributeDefinition(name = "lockout.failures", description = "Failed logins of one user from one address "
                + "before that user is locked out at that address")
        int lockout_failures() default 5;

        /**
         * @return failures from one source address before it is locked out
         */
        @AttributeDefinition(name = "lockout.source.failures", description = "Failed logins from one source "
                + "address (any user) before it is locked out")
        int lockout_source_failures() default 20;

        /**
         * @return failures of one user from all addresses together before it is locked out everywhere
         */
        @AttributeDefinition(name = "lockout.user.failures", description = "Failed logins of one user from all "
                + "addresses together before that user is locked out everywhere")
        int lockout_user_failures() default 100;

        /**
         * @return the first lockout, an ISO-8601 duration
         */
        @AttributeDefinition(name = "lockout.initial", description = "The first lockout, an ISO-8601 duration; "
                + "each further failure doubles it")
        String lockout_initial() default "PT30S";

        /**
         * @return the longest lockout, an ISO-8601 duration
         */
        @AttributeDefinition(name = "lockout.max", description = "The longest lockout, an ISO-8601 duration")
        String lockout_max() default "PT15M";
    }

    /** The settings in force. */
    record Settings(int pairFailures, int sourceFailures, int userFailures, Duration initial, Duration max) {
        static final Settings DEFAULTS = new Settings(5, 20, 100, Duration.ofSeconds(30), Duration.ofMinutes(15));

        Settings {
            if (pairFailures < 1 || sourceFailures < 1 || userFailures < 1) {
                throw new IllegalArgumentException("lockout.failures, lockout.source.failures and "
                        + "lockout.user.failures must be at least 1");
            }
            if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("lockout.initial must be positive and at most lockout.max");
            }
        }
    }

    /** A login refused before its password is tried, and until when. */
    record Locked(String reason, Instant until) {
        /** Whole seconds to wait, at least 1, for {@code Retry-After}. */
        long retryAfterSeconds(Instant now) {
            long millis = Duration.between(now, until).toMillis();
            return Math.max(1, (millis + 999) / 1000);
        }
    }

    /** Failures counted for one user or one address. */
    private record Count(int failures, Instant last, Instant lockedUntil) {
    }

    private final Map<String, Count> counts = new ConcurrentHashMap<>();
    private final AtomicLong failuresSinceStart = new AtomicLong();
    private final AtomicLong lockoutsSinceStart = new AtomicLong();
    private final Clock clock;
    private volatile Settings settings = Settings.DEFAULTS;

    /** Used by the component runtime. */
    public LoginThrottle() {
        this(Clock.systemUTC(), Settings.DEFAULTS);
    }

    /** For tests: given settings and clock. */
    LoginThrottle(Clock clock, Settings settings) {
        this.clock = clock;
        this.settings = settings;
    }

    @Activate
    @Modified
    void configure(Config config) {
        try {
            settings = new Settings(config.lockout_failures(), config.lockout_source_failures(),
                    config.lockout_user_failures(), Duration.parse(config.lockout_initial()),
                    Duration.parse(config.lockout_max()));
            SECURITY.info("Login defences: lockout after {} failures of a user from one address, {} from an "
                    + "address, {} of a user from all addresses, for {} doubling up to {}", settings.pairFailures(),
                    settings.sourceFailures(), settings.userFailures(), settings.initial(), settings.max());
        } catch (RuntimeException e) {
            // A mistyped setting must not switch the defences off: the defaults apply.
            settings = Settings.DEFAULTS;
            SECURITY.warn("Invalid login defence settings in etc/{}.cfg ({}); the defaults apply", PID,
                    e.getMessage());
        }
    }

    /**
     * @return why and until when a login of this user from this address is refused without trying it, if it is
     */
    Optional<Locked> locked(String user, String source) {
        Instant now = clock.instant();
        String from = sourceOf(source);
        return Stream.of(lockedUntil(pairKey(user, from), now, "user at this address"),
                lockedUntil(sourceKey(from), now, "address"), lockedUntil(userKey(user), now, "user"))
                .flatMap(Optional::stream).max(Comparator.comparing(Locked::until));
    }

    private Optional<Locked> lockedUntil(String key, Instant now, String reason) {
        Count count = counts.get(key);
        return count == null || !count.lockedUntil().isAfter(now) ? Optional.empty()
                : Optional.of(new Locked(reason, count.lockedUntil()));
    }

    /**
     * Records and logs a failed login.
     *
     * @param user the user name tried
     * @param source the client's address
     * @param via the interface, such as {@code rest}
     */
    void failed(String user, String source, String via) {
        Instant now = clock.instant();
        long total = failuresSinceStart.incrementAndGet();
        Settings s = settings;
        String from = sourceOf(source);
        Count byPair = count(pairKey(user, from), s.pairFailures(), now, s);
        Count bySource = count(sourceKey(from), s.sourceFailures(), now, s);
        Count byUser = count(userKey(user), s.userFailures(), now, s);
        SECURITY.warn("Login failed: user '{}' from {} via {} at {} ({} failures of this user from this address, {} "
                + "from this address, {} of this user, {} since start)", printable(user), printable(source), via, now,
                byPair.failures(), bySource.failures(), byUser.failures(), total);
        for (Count c : new Count[] {byPair, bySource, byUser}) {
            if (c.lockedUntil().isAfter(now)) {
                lockoutsSinceStart.incrementAndGet();
            }
        }
        if (byPair.lockedUntil().isAfter(now)) {
            SECURITY.warn("Login of user '{}' from {} locked out until {}", printable(user), printable(from),
                    byPair.lockedUntil());
        }
        if (bySource.lockedUntil().isAfter(now)) {
            SECURITY.warn("Logins from {} locked out until {}", printable(from), bySource.lockedUntil());
        }
        if (byUser.lockedUntil().isAfter(now)) {
            SECURITY.warn("Login of user '{}' locked out from every address until {}", printable(user),
                    byUser.lockedUntil());
        }
    }

    private Count count(String key, int threshold, Instant now, Settings s) {
        if (counts.size() >= MAX_TRACKED && !counts.containsKey(key)) {
            forgetStale(now, s);
        }
        return counts.compute(key, (k, old) -> {
            int failures = old == null || old.last().plus(s.max()).isBefore(now) ? 1 : old.failures() + 1;
            Instant lockedUntil = old == null ? Instant.MIN : old.lockedUntil();
            if (failures >= threshold) {
                lockedUntil = now.plus(lockout(failures - threshold, s));
            }
            return new Count(failures, now, lockedUntil);
        });
    }

    /** The lockout after {@code beyond} failures past the threshold: the initial one doubled that often. */
    static Duration lockout(int beyond, Settings s) {
        Duration d = s.initial();
        for (int i = 0; i < beyond && d.compareTo(s.max()) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(s.max()) > 0 ? s.max() : d;
    }

    private void forgetStale(Instant now, Settings s) {
        counts.entrySet().removeIf(e -> e.getValue().last().plus(s.max()).isBefore(now)
                && !e.getValue().lockedUntil().isAfter(now));
        if (counts.size() >= MAX_TRACKED) {
            // Still full of fresh entries: forget those not locked out rather than grow.
            counts.entrySet().removeIf(e -> !e.getValue().lockedUntil().isAfter(now));
        }
    }

    /**
     * Ends the count of a user at an address after a successful login there. The address's count and the user's
     * count from every address stay: one valid account must not let a guesser at that address start afresh, nor
     * one success of the real user wipe out a guess spread over many addresses.
     */
    void succeeded(String user, String source) {
        counts.remove(pairKey(user, sourceOf(source)));
    }

    /** The throttle's time now. */
    Instant now() {
        return clock.instant();
    }

    /** Failed logins since start. */
    long failures() {
        return failuresSinceStart.get();
    }

    /** Lockouts imposed since start. */
    long lockouts() {
        return lockoutsSinceStart.get();
    }

    private static String userKey(String user) {
        return "user:" + user;
    }

    private static String sourceKey(String source) {
        return "source:" + source;
    }

    private static String pairKey(String user, String source) {
        return "pair:" + source + " " + user;
    }

    /**
     * The address a login is counted under: an IPv4 address as it is, an IPv6 address as its /64 network. Accepts
     * an address alone ({@code 192.0.2.1}, {@code 2001:db8::1}) or as a socket address prints it
     * ({@code /192.0.2.1:40522}, {@code host/2001:db8:0:0:0:0:0:1:40522}, {@code [2001:db8::1]:40522}).
     */
    static String sourceOf(String source) {
        if (source == null || source.isEmpty()) {
            return "unknown";
        }
        String address = source.substring(source.indexOf('/') + 1);
        boolean socketForm = source.indexOf('/') >= 0 || address.startsWith("[");
        if (address.startsWith("[")) {
            address = address.substring(1, Math.max(1, address.indexOf(']')));
        } else if (socketForm && address.lastIndexOf(':') > 0) {
            address = address.substring(0, address.lastIndexOf(':'));
        }
        if (!address.matches("[0-9A-Fa-f:.]+") || address.indexOf(':') < 0) {
            return address;
        }
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress();
            if (bytes.length != 16) {
                return InetAddress.getByAddress(bytes).getHostAddress();
            }
            Arrays.fill(bytes, 8, 16, (byte) 0);
            return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
        } catch (UnknownHostException e) {
            // Not an address literal after all (no name is ever looked up here): counted as written.
            return address;
        }
    }

    /** A user name as the log may show it: no line breaks or other control characters, at most 64 characters. */
    static String printable(String text) {
        StringBuilder b = new StringBuilder();
        text.codePoints().limit(64).forEach(c -> {
            if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return text.codePointCount(0, text.length()) > 64 ? b + "..." : b.toString();
    }
}
