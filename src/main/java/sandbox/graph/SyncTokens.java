package sandbox.graph;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque tokens of Graph's links ({@code $skiptoken}, {@code $deltatoken}, OneDrive's {@code token}): a kind, the
 * collection they belong to, and numbers (sequence bounds, page size, options), joined and base64url-encoded so they
 * stay URL-safe. A token of another collection or not made here is refused.
 */
record SyncTokens(String kind, String collection, long[] numbers) {

    /** A continued round: after, until, top, options. */
    static final String SKIP = "s";
    /** The end of a round: seq, top, options. */
    static final String DELTA = "d";
    /** A page of a plain list: offset, top, options. */
    static final String LIST = "l";

    static String encode(String kind, String collection, long... numbers) {
        StringBuilder text = new StringBuilder(kind).append('|').append(Integer.toHexString(collection.hashCode()));
        for (long n : numbers) {
            text.append('|').append(n);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The token when it is of that kind, for that collection, with that many numbers; else null. */
    static SyncTokens decode(String token, String kind, String collection, int count) {
        if (token == null || token.isEmpty() || token.length() > 400) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\\|");
            if (parts.length != count + 2 || !parts[0].equals(kind) || !parts[1].equals(Integer.toHexString(collection.hashCode()))) {
                return null;
            }
            long[] numbers = new long[count];
            for (int i = 0; i < count; i++) {
                numbers[i] = Long.parseLong(parts[i + 2]);
            }
            return new SyncTokens(kind, collection, numbers);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    long at(int i) {
        return numbers[i];
    }
}
