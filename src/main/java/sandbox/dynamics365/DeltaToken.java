package sandbox.dynamics365;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * A change-tracking position in Dataverse's shape, {@code <row version>!<MM/dd/yyyy HH:mm:ss>} (the version the
 * changes count from and when the token was issued, UTC), URL-encoded in delta links as Dataverse does
 * ({@code 919042%2108%2f22%2f2017%2008%3a10%3a44}).
 */
record DeltaToken(long version, Instant issued) {

    private static final DateTimeFormatter ISSUED = DateTimeFormatter.ofPattern("MM/dd/yyyy HH:mm:ss");

    static DeltaToken parse(String text) {
        int bang = text == null ? -1 : text.indexOf('!');
        try {
            if (bang < 1) {
                throw new IllegalArgumentException();
            }
            long version = Long.parseLong(text.substring(0, bang));
            Instant issued = LocalDateTime.parse(text.substring(bang + 1), ISSUED).toInstant(ZoneOffset.UTC);
            return new DeltaToken(version, issued);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw DataverseApiException.badQuery("The $deltatoken '" + text + "' is not a delta token this"
                    + " environment issued: use the @odata.deltaLink of a change-tracking response as it is.");
        }
    }

    @Override
    public String toString() {
        return version + "!" + ISSUED.format(LocalDateTime.ofInstant(issued, ZoneOffset.UTC));
    }

    /** The token as it appears in a delta link: everything but letters and digits percent-encoded, lower-case hex. */
    String encoded() {
        StringBuilder out = new StringBuilder();
        for (char c : toString().toCharArray()) {
            if (Character.isLetterOrDigit(c)) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02x", (int) c));
            }
        }
        return out.toString();
    }
}
