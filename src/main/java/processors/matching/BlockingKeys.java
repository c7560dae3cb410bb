package processors.matching;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.codec.language.Soundex;

/**
 * A record's blocking keys under its rules: one per {@link BlockingKeyDefinition} whose parts all have a value, as
 * {@code definition=value|value} ({@code metaphone(lastName)+postalCode=SM0|4223}), so keys of different definitions
 * never meet. Two records are candidates for each other when they share a key. A key longer than
 * {@link #MAX_LENGTH} is the definition and a SHA-256 of its values. No keys: the record cannot be matched.
 */
public final class BlockingKeys {

    /** The longest key kept as written (the store's column holds 255 characters). */
    public static final int MAX_LENGTH = 255;

    private static final Soundex SOUNDEX = Soundex.US_ENGLISH;

    private final Normalizers normalizers;

    public BlockingKeys(Normalizers normalizers) {
        this.normalizers = normalizers;
    }

    /** The record's keys, in the order of the definitions. */
    public Set<String> keys(MatchRules rules, Map<String, ?> fields) {
        return keys(new RecordMatcher.PreparedRecord(rules, fields));
    }

    /**
     * The keys of a record prepared for scoring: a value its comparisons normalized is not normalized again, and a part
     * that several keys share (a contact's {@code metaphone(lastName)} is in three) is worked out once.
     */
    public Set<String> keys(RecordMatcher.PreparedRecord record) {
        Set<String> keys = new LinkedHashSet<>();
        Map<BlockingKeyDefinition.Part, String> values = new HashMap<>();
        for (BlockingKeyDefinition definition : record.rules().blockingKeys()) {
            String key = key(record, definition, values);
            if (key != null) {
                keys.add(key);
            }
        }
        return keys;
    }

    private String key(RecordMatcher.PreparedRecord record, BlockingKeyDefinition definition, Map<BlockingKeyDefinition.Part, String> known) {
        StringBuilder values = new StringBuilder();
        for (BlockingKeyDefinition.Part part : definition.parts()) {
            String value = known.containsKey(part) ? known.get(part) : value(record, part);
            known.put(part, value);
            if (value == null || value.isEmpty()) {
                return null;
            }
            if (!values.isEmpty()) {
                values.append('|');
            }
            values.append(value);
        }
        String key = definition.text() + "=" + values;
        return key.length() <= MAX_LENGTH ? key : definition.text().substring(0, Math.min(definition.text().length(), 180)) + "#" + sha256(key);
    }

    private String value(RecordMatcher.PreparedRecord record, BlockingKeyDefinition.Part part) {
        String function = part.function();
        if (function != null && Normalizers.NAMES.contains(function)) {
            return record.normalized(part.field(), function, normalizers);
        }
        String normalized = record.normalized(part.field(), fieldNormalizer(record.rules().fields(), part.field()), normalizers);
        if (normalized == null || function == null) {
            return normalized;
        }
        String compact = normalized.replace(" ", "");
        return switch (function) {
            case "metaphone" -> FieldComparator.metaphone(compact);
            case "soundex" -> soundex(compact);
            case "prefix" -> compact.length() <= part.length() ? compact : compact.substring(0, part.length());
            case "year" -> normalized.length() >= 4 && normalized.substring(0, 4).chars().allMatch(Character::isDigit) ? normalized.substring(0, 4) : null;
            default -> throw new IllegalStateException("unknown blocking function " + function);
        };
    }

    /** The normalizer the rules' first comparison of the field uses, else {@code text}. */
    private static String fieldNormalizer(List<MatchField> fields, String field) {
        for (MatchField f : fields) {
            if (f.field().equals(field)) {
                return f.normalizer();
            }
        }
        return "text";
    }

    private static String soundex(String value) {
        try {
            return SOUNDEX.encode(value);
        } catch (IllegalArgumentException unmapped) {
            return null;
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
