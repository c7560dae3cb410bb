package processors.mapping;

import java.util.Optional;

/** {@code default: value}: replaces null or blank text at this point of the pipeline. Written back as-is. */
record DefaultTransform(Object value) implements Transform {

    DefaultTransform {
        if (value == null) {
            throw new IllegalArgumentException("default: needs a value");
        }
    }

    @Override
    public String id() {
        return "default";
    }

    @Override
    public Object apply(Object input) {
        return Transforms.isBlank(input) ? value : input;
    }

    @Override
    public Optional<Transform> reverse() {
        return Optional.of(Transforms.IDENTITY);
    }
}
