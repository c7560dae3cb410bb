package processors.matching;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One way of putting records that may match in the same block, written as parts joined by {@code +}; a record gets
 * the key only when every part has a value. A part is a field (normalized as the rules' comparisons of that field
 * normalize it, else as {@code text}) or a function of one:
 * <ul>
 *   <li>a normalizer's name: {@code domain(email)} is the email's web domain, {@code phone(mobile)} the mobile's E.164;</li>
 *   <li>{@code metaphone(field)}: the Double Metaphone code; {@code soundex(field)}: the Soundex code;</li>
 *   <li>{@code prefix(field, n)}: the first {@code n} letters and digits (all of a shorter value); {@code year(field)}: a date's year.</li>
 * </ul>
 * Examples: {@code email}, {@code phone}, {@code metaphone(lastName)+postalCode}, {@code prefix(name, 3)+address.city}.
 */
public record BlockingKeyDefinition(String text, List<Part> parts) {

    /** Functions beside the normalizers' names. */
    public static final List<String> FUNCTIONS = List.of("metaphone", "soundex", "prefix", "year");

    private static final Pattern PART = Pattern.compile("\\s*(?:([a-z_]+)\\s*\\(\\s*([A-Za-z0-9_.]+)\\s*(?:,\\s*(\\d+)\\s*)?\\)|([A-Za-z0-9_.]+))\\s*");

    /** @param function null for the field's own normalization; else a normalizer's name or one of {@link #FUNCTIONS} */
    public record Part(String function, String field, int length) {

        @Override
        public String toString() {
            if (function == null) {
                return field;
            }
            return function + "(" + field + (function.equals("prefix") ? ", " + length : "") + ")";
        }
    }

    public BlockingKeyDefinition {
        parts = List.copyOf(parts);
    }

    /**
     * Reads a definition; {@code path} is where it sits in the rules document, for errors.
     *
     * @throws InvalidMatchRulesException naming {@code path} when it does not parse or names an unknown function
     */
    public static BlockingKeyDefinition parse(String path, String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidMatchRulesException(path, "a blocking key needs at least one field");
        }
        List<Part> parts = new ArrayList<>();
        for (String piece : text.split("\\+", -1)) {
            Matcher m = PART.matcher(piece);
            if (!m.matches()) {
                throw new InvalidMatchRulesException(path, "cannot read '" + piece.strip()
                        + "': write field, function(field) or prefix(field, n), joined by +");
            }
            if (m.group(4) != null) {
                parts.add(new Part(null, m.group(4), 0));
                continue;
            }
            String function = m.group(1);
            if (!FUNCTIONS.contains(function) && !Normalizers.NAMES.contains(function)) {
                throw new InvalidMatchRulesException(path, "unknown function '" + function + "' (known: "
                        + String.join(", ", FUNCTIONS) + ", " + String.join(", ", Normalizers.NAMES) + ")");
            }
            int length = 0;
            if (function.equals("prefix")) {
                if (m.group(3) == null || Integer.parseInt(m.group(3)) < 1 || Integer.parseInt(m.group(3)) > 20) {
                    throw new InvalidMatchRulesException(path, "prefix(" + m.group(2) + ", n) needs a length n from 1 to 20");
                }
                length = Integer.parseInt(m.group(3));
            } else if (m.group(3) != null) {
                throw new InvalidMatchRulesException(path, function + "(" + m.group(2) + ") takes no length");
            }
            parts.add(new Part(function, m.group(2), length));
        }
        return new BlockingKeyDefinition(String.join("+", parts.stream().map(Part::toString).toList()), parts);
    }
}
