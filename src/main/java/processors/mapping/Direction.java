package processors.mapping;

import java.util.Locale;

/** Which way a field syncs: read from the provider, written back to it, or both. */
public enum Direction {
    INBOUND, OUTBOUND, BOTH;

    public boolean reads() {
        return this != OUTBOUND;
    }

    public boolean writes() {
        return this != INBOUND;
    }

    /** The name as written in mapping files. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
