package hub;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Identifiers the hub assigns to its own records: UUID version 7, time-ordered, so new rows land at
 * the end of primary-key indexes instead of all over them (far fewer index pages written per batch).
 */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static String newId() {
        long millis = System.currentTimeMillis();
        long high = (millis << 16) | 0x7000L | (RANDOM.nextInt() & 0x0FFFL);
        long low = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
