package processors.mapping;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One shard field: where its value comes from (a provider path or a template), how it is transformed, and whether it is written back. */
public final class FieldRule {

    private final FieldPath target;
    private final FieldPath source;
    private final Template expression;
    private final Transform[] transforms;
    /** The reverse steps in the order they run on write-back, or null when a step is lossy. */
    private final Transform[] reverseTransforms;
    private final boolean required;
    private final Object defaultValue;
    private final Direction direction;
    private final FieldPath writeTo;
    private final FieldType type;
    private final int maxLength;

    /** Longest text a field takes when its mapping names no {@code maxLength}. */
    public static final int DEFAULT_MAX_LENGTH = 32_768;

    FieldRule(FieldPath target, FieldPath source, Template expression, List<Transform> transforms, boolean required,
              Object defaultValue, Direction direction, FieldPath writeTo, FieldType type, Integer maxLength) {
        this.target = target;
        this.source = source;
        this.expression = expression;
        this.transforms = transforms.toArray(new Transform[0]);
        this.reverseTransforms = source == null ? null : reverseOf(this.transforms);
        this.required = required;
        this.defaultValue = defaultValue;
        this.direction = direction;
        this.writeTo = writeTo != null ? writeTo : source;
        this.type = type != null ? type : FieldType.inferred(transforms);
        this.maxLength = maxLength != null ? maxLength : DEFAULT_MAX_LENGTH;
    }

    /** The same field read only: a derived shard's fields are never written back. */
    FieldRule inboundOnly() {
        return direction == Direction.INBOUND ? this
                : new FieldRule(target, source, expression, List.of(transforms), required, defaultValue, Direction.INBOUND, null,
                        type, maxLength);
    }

    /** The dotted path in the shard's structured data. */
    public String target() {
        return target.toString();
    }

    /** The provider path read, or empty for an expression field. */
    public Optional<String> source() {
        return Optional.ofNullable(source).map(FieldPath::toString);
    }

    public Optional<String> expression() {
        return Optional.ofNullable(expression).map(Template::toString);
    }

    /** Transform names, in the order they run. */
    public List<String> transforms() {
        return Arrays.stream(transforms).map(Transform::id).toList();
    }

    public boolean required() {
        return required;
    }

    public Optional<Object> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    public Direction direction() {
        return direction;
    }

    /** What the field holds: declared ({@code type:}) or known from its transforms. */
    public FieldType type() {
        return type;
    }

    /** Longest text the field takes ({@code maxLength:}, else {@link #DEFAULT_MAX_LENGTH}). */
    public int maxLength() {
        return maxLength;
    }

    /**
     * Why a value written to this field in Castiel cannot be taken, or empty when it can: a required field
     * cleared, the wrong type, text longer than {@link #maxLength()}, a number out of range, or (for a field that
     * is written back) a value its transforms cannot convert back, such as an unparsable date.
     */
    public Optional<String> refusal(Object value) {
        if (value == null) {
            return required ? Optional.of("required") : Optional.empty();
        }
        Optional<String> refusal = type.refusal(value, maxLength);
        if (refusal.isPresent() || !writable()) {
            return refusal;
        }
        try {
            unread(value);
            return Optional.empty();
        } catch (MappingException e) {
            return Optional.of("cannot be written back: " + e.getMessage());
        }
    }

    /** True when a shard change to this field can be written back: it syncs outbound and every transform reverses. */
    public boolean writable() {
        return direction.writes() && reverseTransforms != null;
    }

    /** The provider path written back (the source unless {@code writeTo} says otherwise), or empty when not writable. */
    public Optional<String> writeTo() {
        return writable() ? Optional.of(writeTo.toString()) : Optional.empty();
    }

    Template template() {
        return expression;
    }

    FieldPath targetPath() {
        return target;
    }

    FieldPath writePath() {
        return writeTo;
    }

    /**
     * The shard value for a record, or {@link FieldPath#MISSING} when the record does not carry the source at all
     * (a partial payload must not clear the field).
     */
    Object read(Map<String, ?> record) {
        Object value = value(record);
        if (required && (value == FieldPath.MISSING || Transforms.isBlank(value))) {
            throw new MappingException(describe() + ": required but missing or blank");
        }
        return value;
    }

    /** The value after transforms and default, required or not: {@link FieldPath#MISSING} when the record lacks it. */
    Object value(Map<String, ?> record) {
        Object raw = expression != null ? expression.render(record) : source.get(record);
        Object value = raw == FieldPath.MISSING ? null : raw;
        try {
            for (Transform transform : transforms) {
                value = transform.apply(value);
            }
        } catch (RuntimeException e) {
            throw new MappingException(describe() + ": " + reason(e));
        }
        if (defaultValue != null && Transforms.isBlank(value)) {
            return defaultValue;
        }
        return value == null && raw == FieldPath.MISSING ? FieldPath.MISSING : value;
    }

    /** The provider value for a shard value, undoing the transforms from last to first. */
    Object unread(Object value) {
        try {
            for (Transform transform : reverseTransforms) {
                value = transform.apply(value);
            }
            return value;
        } catch (RuntimeException e) {
            throw new MappingException("field '" + target + "' (writes '" + writeTo + "'): " + reason(e));
        }
    }

    private String describe() {
        return "field '" + target + "' " + (source != null ? "(source '" + source + "')" : "(expression)");
    }

    private static String reason(RuntimeException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static Transform[] reverseOf(Transform[] transforms) {
        List<Transform> reverse = new ArrayList<>();
        for (int i = transforms.length - 1; i >= 0; i--) {
            Optional<Transform> step = transforms[i].reverse();
            if (step.isEmpty()) {
                return null;
            }
            if (step.get() != Transforms.IDENTITY) {
                reverse.add(step.get());
            }
        }
        return reverse.toArray(new Transform[0]);
    }
}
