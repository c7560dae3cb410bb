package sandbox.kit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Opaque credentials a sandbox hands out (access tokens, refresh tokens, authorization codes), each standing for a
 * grant until it expires on the kit's clock. Expired ones are remembered for {@code rememberExpired}, so a sandbox can
 * tell an expired token from one it never issued, as HubSpot does. The store is bounded: when it is full, what may be
 * forgotten goes first, then the oldest entries.
 *
 * @param <G> what a token grants
 */
public final class IssuedTokens<G> {

    /** A token's grant and when it expires ({@link Instant#MAX}: never). */
    public record Issued<G>(G grant, Instant expiresAt) {

        public boolean liveAt(Instant now) {
            return now.isBefore(expiresAt);
        }
    }

    private final Clock clock;
    private final int max;
    private final Duration rememberExpired;
    private final Map<String, Issued<G>> tokens = new LinkedHashMap<>();

    public IssuedTokens(Clock clock, int max, Duration rememberExpired) {
        this.clock = clock;
        this.max = Math.max(1, max);
        this.rememberExpired = rememberExpired;
    }

    public Instant now() {
        return clock.instant();
    }

    /** Stores a token for a grant, living {@code ttl} from now (null: until it is taken or revoked); answers the token. */
    public synchronized String put(String token, G grant, Duration ttl) {
        purge();
        Instant now = clock.instant();
        tokens.put(token, new Issued<>(grant, ttl == null ? Instant.MAX : now.plus(ttl)));
        return token;
    }

    /** The token's grant and expiry, expired or not; null for one never issued, revoked or forgotten. */
    public synchronized Issued<G> find(String token) {
        return token == null ? null : tokens.get(token);
    }

    /** The grant of a live token; null when unknown or expired. */
    public synchronized G live(String token) {
        Issued<G> issued = find(token);
        return issued == null || !issued.liveAt(clock.instant()) ? null : issued.grant();
    }

    /** Takes a token out (single use: codes, rotated refresh tokens); answers its grant, null when unknown or expired. */
    public synchronized G take(String token) {
        Issued<G> issued = token == null ? null : tokens.remove(token);
        return issued == null || !issued.liveAt(clock.instant()) ? null : issued.grant();
    }

    /** Forgets a token; false when there was none. */
    public synchronized boolean revoke(String token) {
        return token != null && tokens.remove(token) != null;
    }

    /** Forgets every token whose grant matches. */
    public synchronized void revokeWhere(Predicate<G> which) {
        tokens.values().removeIf(issued -> which.test(issued.grant()));
    }

    /** Ends every live token whose grant matches now (they are remembered as expired); answers how many it ended. */
    public synchronized int expireWhere(Predicate<G> which) {
        Instant now = clock.instant();
        int ended = 0;
        for (Map.Entry<String, Issued<G>> entry : tokens.entrySet()) {
            Issued<G> issued = entry.getValue();
            if (issued.liveAt(now) && which.test(issued.grant())) {
                entry.setValue(new Issued<>(issued.grant(), now));
                ended++;
            }
        }
        return ended;
    }

    public synchronized int size() {
        return tokens.size();
    }

    /** When full: drops tokens expired longer than rememberExpired ago, then the oldest while it is still full. */
    private void purge() {
        if (tokens.size() < max) {
            return;
        }
        Instant forgetBefore = clock.instant().minus(rememberExpired);
        tokens.values().removeIf(issued -> !issued.expiresAt().isAfter(forgetBefore));
        Iterator<String> oldest = tokens.keySet().iterator();
        while (tokens.size() >= max && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }
}
