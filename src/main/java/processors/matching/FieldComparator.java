package processors.matching;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.apache.commons.codec.language.DoubleMetaphone;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * How two normalized values compare, as a similarity from 0 (nothing alike) to 1 (the same). Comparators see only
 * values present on both sides: a missing value is never compared (see {@link RecordMatcher}).
 */
public enum FieldComparator {

    /** 1 when the normalized values are equal, else 0. */
    EXACT("exact") {
        @Override
        public double similarity(String a, String b) {
            return a.equals(b) ? 1 : 0;
        }
    },
    /** Jaro-Winkler similarity (Commons Text): forgiving of typos, rewarding a shared beginning. */
    JARO_WINKLER("jaro_winkler") {
        @Override
        public double similarity(String a, String b) {
            return a.equals(b) ? 1 : JARO_WINKLER_SIMILARITY.apply(a, b);
        }
    },
    /** 1 - Levenshtein distance / length of the longer value (Commons Text). */
    LEVENSHTEIN("levenshtein") {
        @Override
        public double similarity(String a, String b) {
            if (a.equals(b)) {
                return 1;
            }
            int longer = Math.max(a.length(), b.length());
            return 1 - (double) LEVENSHTEIN_DISTANCE.apply(a, b) / longer;
        }
    },
    /**
     * Sounding alike by Double Metaphone (Commons Codec), word by word: 1 when every word's primary code equals the other
     * value's word's, 0.8 when they agree only through the alternate codes ({@code Schmidt} and {@code Smith}), else 0.
     * Values with a different number of words are compared as one word each.
     */
    DOUBLE_METAPHONE("double_metaphone") {
        @Override
        public double similarity(String a, String b) {
            if (a.equals(b)) {
                return 1;
            }
            String[] wordsA = a.split(" ");
            String[] wordsB = b.split(" ");
            if (wordsA.length != wordsB.length) {
                wordsA = new String[] {a.replace(" ", "")};
                wordsB = new String[] {b.replace(" ", "")};
            }
            double similarity = 1;
            for (int i = 0; i < wordsA.length; i++) {
                similarity = Math.min(similarity, soundsAlike(wordsA[i], wordsB[i]));
            }
            return similarity;
        }
    };

    private static final JaroWinklerSimilarity JARO_WINKLER_SIMILARITY = new JaroWinklerSimilarity();
    private static final LevenshteinDistance LEVENSHTEIN_DISTANCE = LevenshteinDistance.getDefaultInstance();
    /** Thread-safe once configured: encoding reads only the code length. */
    private static final DoubleMetaphone METAPHONE = new DoubleMetaphone();

    static {
        METAPHONE.setMaxCodeLen(6);
    }

    private final String id;

    FieldComparator(String id) {
        this.id = id;
    }

    /** The name rules use: {@code exact}, {@code jaro_winkler}, {@code levenshtein}, {@code double_metaphone}. */
    public String id() {
        return id;
    }

    /** The similarity of two normalized, non-null values, from 0 to 1. */
    public abstract double similarity(String a, String b);

    public static List<String> ids() {
        return Arrays.stream(values()).map(FieldComparator::id).toList();
    }

    /** @throws IllegalArgumentException for a name not in {@link #ids()} */
    public static FieldComparator of(String id) {
        for (FieldComparator comparator : values()) {
            if (comparator.id.equals(id)) {
                return comparator;
            }
        }
        throw new IllegalArgumentException("unknown comparator '" + id + "' (known: " + String.join(", ", ids()) + ")");
    }

    /** The primary Double Metaphone code of a value (blocking keys use it). */
    static String metaphone(String value) {
        return METAPHONE.doubleMetaphone(value.toUpperCase(Locale.ROOT).replace(" ", ""));
    }

    private static double soundsAlike(String a, String b) {
        String primaryA = METAPHONE.doubleMetaphone(a);
        String primaryB = METAPHONE.doubleMetaphone(b);
        if (primaryA == null || primaryB == null || primaryA.isEmpty() || primaryB.isEmpty()) {
            return 0;
        }
        if (primaryA.equals(primaryB)) {
            return 1;
        }
        String alternateA = METAPHONE.doubleMetaphone(a, true);
        String alternateB = METAPHONE.doubleMetaphone(b, true);
        return primaryA.equals(alternateB) || alternateA.equals(primaryB) || alternateA.equals(alternateB) ? 0.8 : 0;
    }
}
