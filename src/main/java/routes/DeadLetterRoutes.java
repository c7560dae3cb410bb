package routes;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import messaging.DeadLetters;
import routes.config.QueuePolicy;

/**
 * Dead letters. dead-letter: a message a flow gives up on (its body, type, group and why, as headers) onto
 * sync-deadletter; in a transacted consumer's thread it commits with that consumer's session.
 * replay-dead-letter: an operator's replay back onto the queue the message came from (the queue is the
 * message's own, recorded when it was dead-lettered, so the endpoint is dynamic). dead-letter-recorder:
 * whatever reaches sync-deadletter (given up by a route, or parked by the broker) is recorded for the admin API.
 */
@Component
public class DeadLetterRoutes extends RouteBuilder {

    private static final String QOS = "?explicitQosEnabled=true&deliveryPersistent=true&preserveMessageQos=true";

    private final DeadLetters deadLetters;

    public DeadLetterRoutes(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @Override
    public void configure() {
        from(DeadLetters.SEND)
                .routeId("dead-letter")
                .routeConfigurationId(QueuePolicy.ID)
                .to("jms:queue:{{hub.queue.sync-deadletter}}" + QOS).id("queue-dead-letter");

        from(DeadLetters.REPLAY)
                .routeId("replay-dead-letter")
                .routeConfigurationId(QueuePolicy.ID)
                .toD("jms:queue:${header." + DeadLetters.REPLAY_QUEUE + "}" + QOS).id("send-to-source-queue");

        from("jms:queue:{{hub.queue.sync-deadletter}}?transacted=true")
                .routeId("dead-letter-recorder")
                .routeConfigurationId(QueuePolicy.ID)
                .process(e -> deadLetters.record(e.getMessage().getBody(String.class), e.getMessage().getHeaders()))
                .id("record-dead-letter");
    }
}
