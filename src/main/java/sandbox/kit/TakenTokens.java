package sandbox.kit;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The self-contained bearer tokens (JWTs another sandbox signed, such as Entra's) a workspace has taken, so that setup
 * can expire them all at once, as if their time were up, and a client's refresh path can be tested without waiting:
 * the tokens it has seen are refused from then on, and so is any issued before that second.
 */
public final class TakenTokens {

    private static final int REMEMBERED = 10_000;

    private final Clock clock;
    private final Map<String, Boolean> seen = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };
    private final Set<String> expired = ConcurrentHashMap.newKeySet();
    private volatile Instant issuedBefore = Instant.EPOCH;

    public TakenTokens(Clock clock) {
        this.clock = clock;
    }

    /**
     * Whether the workspace takes a token (its id, {@code jti}, and when it was issued, either may be null): not once
     * setup expired the tokens seen before, nor one issued before that moment. A token taken is remembered.
     */
    public boolean accepts(String tokenId, Instant issuedAt) {
        if (tokenId != null && expired.contains(tokenId)) {
            return false;
        }
        if (issuedAt != null && issuedAt.isBefore(issuedBefore)) {
            return false;
        }
        if (tokenId != null) {
            synchronized (seen) {
                seen.put(tokenId, Boolean.TRUE);
            }
        }
        return true;
    }

    /**
     * Expires the tokens seen so far and any issued before this second (a token's issue time has whole seconds, so one
     * issued later in this second and not yet used stays valid).
     */
    public void expireAll() {
        synchronized (seen) {
            expired.addAll(seen.keySet());
            seen.clear();
        }
        issuedBefore = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }
}
