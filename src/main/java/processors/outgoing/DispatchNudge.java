package processors.outgoing;

import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

import messaging.RelayNudge;

/**
 * Has the dispatcher look for due messages soon: after the intake committed new messages and after each delivery freed
 * a sender. The {@code webhooks-out-timer} runs it too, for retries coming due and messages other instances wrote.
 */
@Component
public class DispatchNudge extends RelayNudge {

    /** The dispatch route's endpoint. */
    public static final String ENDPOINT = "direct:webhooks-out-dispatch";

    public DispatchNudge(ProducerTemplate producer) {
        super(producer, ENDPOINT, "webhooks-out-dispatch-nudge");
    }
}
