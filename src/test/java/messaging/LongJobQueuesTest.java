package messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A consumer busy with one sync run must not hold the queue's other runs in its buffer: the second consumer takes them
 * at once. Checked on an embedded broker with the hub's address settings, and, to show the test can tell, without the
 * long-job setting, where the first consumer's buffer keeps those dealt to it.
 */
class LongJobQueuesTest {

    private static final String RUNS = "sync-inbound-scheduled";
    private static final String OTHER = "webhook-deliveries";

    private EmbeddedActiveMQ broker;

    @AfterEach
    void stop() throws Exception {
        if (broker != null) {
            broker.stop();
        }
    }

    @Test
    void aBusyConsumerLeavesTheOtherRunsToTheNextConsumer() throws Exception {
        start(List.of(RUNS));
        assertThat(takenBySecondConsumer(RUNS)).containsExactly("run-2", "run-3", "run-4");
    }

    @Test
    void withoutTheSettingTheBusyConsumerBuffersSomeOfTheRest() throws Exception {
        start(List.of());
        // the broker deals the queue round the consumers: those dealt to the busy one wait in its buffer
        assertThat(takenBySecondConsumer(RUNS)).hasSizeLessThan(3).doesNotContain("run-3");
    }

    @Test
    void longJobQueuesKeepTheDeadLetterSettingsOfEveryAddress() throws Exception {
        start(List.of(RUNS));
        AddressSettings runs = broker.getActiveMQServer().getAddressSettingsRepository().getMatch(RUNS);
        AddressSettings other = broker.getActiveMQServer().getAddressSettingsRepository().getMatch(OTHER);
        assertThat(runs.getDefaultConsumerWindowSize()).isZero();
        assertThat(runs.getDeadLetterAddress().toString()).isEqualTo("sync-deadletter");
        assertThat(runs.getMaxDeliveryAttempts()).isEqualTo(10);
        assertThat(runs.getRedeliveryMultiplier()).isEqualTo(2);
        assertThat(other.getDefaultConsumerWindowSize()).isNotZero();
        assertThat(other.getDeadLetterAddress().toString()).isEqualTo("sync-deadletter");
    }

    private void start(List<String> longJobQueues) throws Exception {
        ConfigurationImpl configuration = new ConfigurationImpl();
        configuration.setPersistenceEnabled(false);
        configuration.setSecurityEnabled(false);
        configuration.addAcceptorConfiguration("in-vm", "vm://7");
        BrokerSettings.apply(configuration, "sync-deadletter", 10, longJobQueues);
        broker = new EmbeddedActiveMQ().setConfiguration(configuration);
        broker.start();
        broker.getActiveMQServer().createQueue(new org.apache.activemq.artemis.api.core.QueueConfiguration(RUNS)
                .setRoutingType(RoutingType.ANYCAST));
    }

    /** Four runs queued; the first consumer takes one and works on it; what can a second consumer take meanwhile? */
    private List<String> takenBySecondConsumer(String queueName) throws Exception {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("vm://7");
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session busySession = connection.createSession(true, Session.SESSION_TRANSACTED);
            Session idleSession = connection.createSession(true, Session.SESSION_TRANSACTED);
            Queue queue = busySession.createQueue(queueName);
            MessageConsumer busy = busySession.createConsumer(queue);
            MessageConsumer idle = idleSession.createConsumer(queue);
            Session producerSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = producerSession.createProducer(queue);
            for (int i = 1; i <= 4; i++) {
                producer.send(producerSession.createTextMessage("run-" + i));
            }
            Message first = busy.receive(5_000);
            assertThat(((TextMessage) first).getText()).isEqualTo("run-1");
            List<String> taken = new ArrayList<>();
            for (Message next = idle.receive(1_000); next != null; next = idle.receive(1_000)) {
                taken.add(((TextMessage) next).getText());
            }
            idleSession.commit();
            busySession.commit();
            return taken;
        }
    }
}
