package processors.mapping;

import java.util.List;
import java.util.Optional;

/**
 * {@code stripPrefix: ["https://", "www."]}: removes each listed prefix in order, once each,
 * so {@code https://www.acme.com} becomes {@code acme.com}. Case-sensitive: put {@code lowercase} first.
 */
record StripPrefixTransform(List<String> prefixes) implements Transform {

    StripPrefixTransform {
        if (prefixes.isEmpty() || prefixes.stream().anyMatch(p -> p == null || p.isEmpty())) {
            throw new IllegalArgumentException("stripPrefix: expected non-empty text or a list of non-empty texts");
        }
        prefixes = List.copyOf(prefixes);
    }

    @Override
    public String id() {
        return "stripPrefix";
    }

    @Override
    public Object apply(Object value) {
        if (!(value instanceof String s)) {
            return value;
        }
        for (String prefix : prefixes) {
            if (s.startsWith(prefix)) {
                s = s.substring(prefix.length());
            }
        }
        return s;
    }

    @Override
    public Optional<Transform> reverse() {
        return Optional.of(Transforms.IDENTITY);
    }
}
