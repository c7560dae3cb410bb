package api.console;

import org.springframework.http.HttpStatus;

/** A console request refused with a status and a message for the person (shown on the page or in the htmx target). */
class ConsoleRefusal extends RuntimeException {

    private final HttpStatus status;

    ConsoleRefusal(HttpStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    HttpStatus status() {
        return status;
    }
}
