package processors.matching;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Whose values a merged shard keeps where its sources differ. */
public enum Survivorship {
    /** The incoming source's values win. */
    PREFER_EXTERNAL,
    /** The shard's values win. */
    PREFER_INTERNAL,
    /** Differences wait for a person. */
    MANUAL_REVIEW;

    /** The name rules use: {@code prefer_external}, {@code prefer_internal}, {@code manual_review}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(Survivorship::id).toList();
    }

    /** @throws IllegalArgumentException for a name not in {@link #ids()} */
    public static Survivorship of(String id) {
        for (Survivorship strategy : values()) {
            if (strategy.id().equals(id)) {
                return strategy;
            }
        }
        throw new IllegalArgumentException("unknown survivorship '" + id + "' (known: " + String.join(", ", ids()) + ")");
    }
}
