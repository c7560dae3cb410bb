package ratelimits;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a provider call does, for per-operation limits: reads count as fetch, writes as create, update or delete. */
public enum Operation {
    FETCH, CREATE, UPDATE, DELETE;

    /** The name used in the API and in settings: fetch, create, update, delete. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Operation> of(String key) {
        return Arrays.stream(values()).filter(o -> o.key().equals(key)).findFirst();
    }
}
