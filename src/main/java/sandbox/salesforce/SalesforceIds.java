package sandbox.salesforce;

/**
 * Salesforce record ids: 3-char key prefix, 12 base-62 chars, and the 3-char case checksum that makes
 * the 18-char form safe for case-insensitive systems.
 */
public final class SalesforceIds {

    static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String CHECKSUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

    private SalesforceIds() {
    }

    /** The 18-char id for a 15-char one: one checksum char per 5-char chunk, bit i set when char i is uppercase. */
    public static String to18(String id15) {
        if (id15.length() != 15) {
            throw new IllegalArgumentException("not a 15-char id: " + id15);
        }
        StringBuilder out = new StringBuilder(18).append(id15);
        for (int chunk = 0; chunk < 3; chunk++) {
            int bits = 0;
            for (int i = 0; i < 5; i++) {
                char c = id15.charAt(chunk * 5 + i);
                if (c >= 'A' && c <= 'Z') {
                    bits |= 1 << i;
                }
            }
            out.append(CHECKSUM.charAt(bits));
        }
        return out.toString();
    }

    /** Builds an 18-char id from a key prefix, a 2-char org code (like a pod code) and a counter. */
    public static String of(String keyPrefix, String orgCode, long counter) {
        StringBuilder id = new StringBuilder(15).append(keyPrefix).append(orgCode);
        char[] digits = new char[10];
        long n = counter;
        for (int i = digits.length - 1; i >= 0; i--) {
            digits[i] = BASE62.charAt((int) (n % 62));
            n /= 62;
        }
        if (n != 0) {
            throw new IllegalArgumentException("counter too large: " + counter);
        }
        return to18(id.append(digits).toString());
    }

    /**
     * The canonical 18-char id for a 15-char id or an 18-char id in any letter case, or null when the
     * text is not a well-formed id. Salesforce accepts both forms and restores the case from the checksum.
     */
    public static String normalize(String id) {
        if (id == null || (id.length() != 15 && id.length() != 18)) {
            return null;
        }
        for (int i = 0; i < id.length(); i++) {
            if (BASE62.indexOf(id.charAt(i)) < 0) {
                return null;
            }
        }
        if (id.length() == 15) {
            return to18(id);
        }
        char[] body = id.substring(0, 15).toCharArray();
        for (int chunk = 0; chunk < 3; chunk++) {
            int bits = CHECKSUM.indexOf(Character.toUpperCase(id.charAt(15 + chunk)));
            if (bits < 0) {
                return null;
            }
            for (int i = 0; i < 5; i++) {
                int at = chunk * 5 + i;
                boolean upper = (bits & (1 << i)) != 0;
                char c = body[at];
                if (Character.isLetter(c)) {
                    body[at] = upper ? Character.toUpperCase(c) : Character.toLowerCase(c);
                } else if (upper) {
                    return null;
                }
            }
        }
        return to18(new String(body));
    }

    /** The 15-char form, as Salesforce uses in outbound-message URLs. */
    public static String to15(String id18) {
        return id18.substring(0, 15);
    }
}
