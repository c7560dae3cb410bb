package routes.integrator;

/** A route file that cannot be loaded as it stands; the running routes are left as they were. */
class RouteFileException extends Exception {

    private final Integer line;

    RouteFileException(Integer line, String reason) {
        super(reason);
        this.line = line;
    }

    Integer line() {
        return line;
    }
}
