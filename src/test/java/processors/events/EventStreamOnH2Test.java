package processors.events;

import jakarta.jms.ConnectionFactory;
import org.apache.camel.CamelContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.TestProviderAdapter;
import store.EventStore;

/** The event stream on the embedded default: H2 file database and embedded Artemis. */
class EventStreamOnH2Test extends EmbeddedHubTest implements EventStreamScenario {

    @Autowired
    TestProviderAdapter provider;
    @Autowired
    CamelContext camel;
    @Autowired
    EventStore events;
    @Autowired
    TransactionTemplate transaction;
    @Autowired
    ConnectionFactory connectionFactory;

    @Override
    public HubClient hub() {
        return super.hub();
    }

    @Override
    public TestProviderAdapter provider() {
        return provider;
    }

    @Override
    public CamelContext camel() {
        return camel;
    }

    @Override
    public EventStore events() {
        return events;
    }

    @Override
    public TransactionTemplate transaction() {
        return transaction;
    }

    @Override
    public ConnectionFactory connectionFactory() {
        return connectionFactory;
    }
}
