package processors.matching;

/** Turns a field's text into the form it is compared in, or null when the value is unusable (then it counts as missing). */
@FunctionalInterface
public interface Normalizer {

    String normalize(String value);
}
