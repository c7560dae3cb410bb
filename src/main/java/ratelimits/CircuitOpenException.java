package ratelimits;

import java.time.Duration;

import providers.ThrottledException;

/** A call the integration's open (or probing) circuit did not let through: the work waits until the circuit probes again. */
public class CircuitOpenException extends ThrottledException {

    public CircuitOpenException(String message, Duration wait) {
        super(message, wait);
    }
}
