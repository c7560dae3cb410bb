package processors.mapping;

import java.util.Optional;

/** {@code truncate: n}: cuts text to at most n characters. Lossy, so it cannot be written back. */
record TruncateTransform(int maxLength) implements Transform {

    TruncateTransform {
        if (maxLength < 0) {
            throw new IllegalArgumentException("truncate: length must be 0 or more, got " + maxLength);
        }
    }

    @Override
    public String id() {
        return "truncate";
    }

    @Override
    public Object apply(Object value) {
        if (!(value instanceof String s) || s.length() <= maxLength) {
            return value;
        }
        int end = maxLength;
        // never split a surrogate pair: half an emoji is not valid text
        if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    @Override
    public Optional<Transform> reverse() {
        return Optional.empty();
    }
}
