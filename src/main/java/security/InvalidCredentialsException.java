package security;

/** A credential value the provider cannot accept, named so the API can say which. */
public class InvalidCredentialsException extends RuntimeException {

    private final String field;

    public InvalidCredentialsException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
