package processors.mapping;

/** A mapping that does not compile, or a record that cannot be mapped; the message says where and why. */
public class MappingException extends RuntimeException {

    public MappingException(String message) {
        super(message);
    }

    public MappingException(String message, Throwable cause) {
        super(message, cause);
    }
}
