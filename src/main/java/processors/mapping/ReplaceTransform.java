package processors.mapping;

import java.util.Optional;

/** {@code replace: {from: "x", to: "y"}}: literal text replacement, never a regex. Not reversible. */
record ReplaceTransform(String from, String to) implements Transform {

    ReplaceTransform {
        if (from == null || from.isEmpty()) {
            throw new IllegalArgumentException("replace: 'from' must be non-empty text");
        }
        if (to == null) {
            throw new IllegalArgumentException("replace: 'to' must be text (use \"\" to delete)");
        }
    }

    @Override
    public String id() {
        return "replace";
    }

    @Override
    public Object apply(Object value) {
        return value instanceof String s ? s.replace(from, to) : value;
    }

    @Override
    public Optional<Transform> reverse() {
        return Optional.empty();
    }
}
