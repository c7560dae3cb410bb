package processors.outgoing;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import hub.Traces;
import processors.events.LockUnrelayedEvents;

/**
 * Outgoing webhook messages used to be written by a consumer of the events topic through the shared durable
 * subscription {@code hub.webhooks-out.retired-subscription}; the events relay writes them now ({@link EndpointIntake}). A broker
 * that still holds that subscription would keep every event for it and nobody would take them: once the hub is ready,
 * on a thread of its own, this takes what the subscription still holds into messages (each event in a database
 * transaction, acknowledged after it commits; message ids are unique, so an event the relay also wrote adds nothing)
 * and then removes the subscription. While an instance of an earlier version still consumes it, the removal is refused
 * and tried again at the next start.
 */
@Component
public class RetiredIntakeSubscription {

    private static final Logger LOG = LoggerFactory.getLogger(RetiredIntakeSubscription.class);

    private final ConnectionFactory connections;
    private final EndpointIntake intake;
    private final TransactionTemplate transaction;
    private final String topic;
    private final String subscription;

    public RetiredIntakeSubscription(ConnectionFactory connections, EndpointIntake intake, TransactionTemplate transaction,
                                     @Value("${hub.events.topic}") String topic,
                                     @Value("${hub.webhooks-out.retired-subscription}") String subscription) {
        this.connections = connections;
        this.intake = intake;
        this.transaction = transaction;
        this.topic = topic;
        this.subscription = subscription;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void onReady() {
        Thread drain = new Thread(() -> {
            try {
                int taken = drainAndRemove();
                if (taken > 0) {
                    LOG.info("Took {} events left on the retired subscription {} into outgoing webhook messages; it is removed", taken,
                            subscription);
                }
            } catch (JMSException | RuntimeException e) {
                LOG.warn("The retired subscription {} on {} could not be drained and removed (an earlier version may still consume it);"
                        + " tried again at the next start: {}", subscription, topic, e.getMessage());
            }
        }, "webhooks-out-retired-subscription");
        drain.setDaemon(true);
        drain.start();
    }

    /** Takes every event the subscription holds into messages, then removes it; returns how many events it held. */
    public int drainAndRemove() throws JMSException {
        int taken = 0;
        try (JMSContext context = connections.createContext(JMSContext.CLIENT_ACKNOWLEDGE)) {
            try (JMSConsumer consumer = context.createSharedDurableConsumer(context.createTopic(topic), subscription)) {
                for (Message event = consumer.receive(500); event != null; event = consumer.receive(500)) {
                    Message held = event;
                    transaction.executeWithoutResult(status -> {
                        try {
                            if (intake.take(held.getBody(String.class), held.getStringProperty(LockUnrelayedEvents.TENANT_HEADER),
                                    held.getStringProperty(LockUnrelayedEvents.TYPE_HEADER), held.getStringProperty(Traces.TRACEPARENT))) {
                                intake.nudgeAfterCommit();
                            }
                        } catch (JMSException | com.fasterxml.jackson.core.JsonProcessingException e) {
                            throw new IllegalStateException("event " + safeId(held) + " on " + subscription + " could not be read: " + e.getMessage(), e);
                        }
                    });
                    event.acknowledge();
                    taken++;
                }
            }
            context.unsubscribe(subscription);
        }
        return taken;
    }

    private static String safeId(Message message) {
        try {
            return message.getJMSMessageID();
        } catch (JMSException e) {
            return "?";
        }
    }
}
