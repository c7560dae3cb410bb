package messaging;

import java.util.List;
import java.util.Map;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.TextMessage;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;

/**
 * Puts messages on a broker queue durably, several in one transacted session: when
 * {@link #send} returns, all of them are on the broker's disk, or none is.
 */
@Component
public class QueueWriter {

    /** Message property of re-queued work: when (epoch ms) its current wait (throttled, or behind busy work) began. */
    public static final String WAITING_SINCE = "CastielWaitingSince";

    /**
     * One message: its CloudEvent body, JMS type, group (per-key ordering; null for none), priority,
     * delivery delay in milliseconds (0 for none) and extra string properties.
     */
    public record Outgoing(String body, String type, String group, int priority, long deliveryDelayMs, Map<String, String> properties) {

        public Outgoing(String body, String type, String group, int priority) {
            this(body, type, group, priority, 0, Map.of());
        }
    }

    private final JmsTemplate jms;

    public QueueWriter(ConnectionFactory connectionFactory) {
        this.jms = new JmsTemplate(connectionFactory);
        this.jms.setSessionTransacted(true);
    }

    public void send(String queue, List<Outgoing> messages) {
        if (messages.isEmpty()) {
            return;
        }
        jms.execute(session -> {
            Queue destination = session.createQueue(queue);
            try (MessageProducer producer = session.createProducer(destination)) {
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                for (Outgoing m : messages) {
                    producer.setPriority(m.priority());
                    producer.setDeliveryDelay(m.deliveryDelayMs());
                    TextMessage message = session.createTextMessage(m.body());
                    message.setJMSType(m.type());
                    if (m.group() != null) {
                        message.setStringProperty("JMSXGroupID", m.group());
                    }
                    for (Map.Entry<String, String> p : m.properties().entrySet()) {
                        message.setStringProperty(p.getKey(), p.getValue());
                    }
                    producer.send(message);
                }
            }
            // JmsTemplate commits only its own sends: these are ours to commit
            session.commit();
            return null;
        }, true);
    }
}
