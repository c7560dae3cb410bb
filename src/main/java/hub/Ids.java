package hub;

import java.util.UUID;

/** Identifiers the hub assigns to its own records. */
public final class Ids {

    private Ids() {
    }

    public static String newId() {
        return UUID.randomUUID().toString();
    }
}
