package processors.mapping;

import java.util.Optional;

/**
 * One step of a field's value pipeline, registered by name in {@link Transforms}.
 * Implementations are immutable and thread-safe; they run on every synced record.
 */
public interface Transform {

    /** The name the step is registered under, as written in mapping files. */
    String id();

    /**
     * Applies the step. Null passes through (only {@code default} turns it into a value).
     *
     * @throws IllegalArgumentException with a one-line reason when the value cannot be converted
     */
    Object apply(Object value);

    /** The step that undoes this one on write-back (identity when the value is written back as-is), or empty when lossy. */
    Optional<Transform> reverse();
}
