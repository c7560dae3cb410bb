package processors.events;

import jakarta.jms.ConnectionFactory;
import org.apache.camel.CamelContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import hub.ChangeFeedTestAdapter;
import hub.HubClient;
import hub.PostgresHubTest;
import hub.TestProviderAdapter;
import security.CredentialMonitor;
import security.TokenLifecycle;
import store.EventStore;

/** The event stream on PostgreSQL (profile postgres). */
class EventStreamOnPostgresTest extends PostgresHubTest implements EventStreamScenario {

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
    @Autowired
    ChangeFeedTestAdapter feed;
    @Autowired
    CredentialMonitor credentials;
    @Autowired
    TokenLifecycle tokens;
    @Autowired
    JdbcClient jdbc;

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

    @Override
    public ChangeFeedTestAdapter feed() {
        return feed;
    }

    @Override
    public CredentialMonitor credentials() {
        return credentials;
    }

    @Override
    public TokenLifecycle tokens() {
        return tokens;
    }

    @Override
    public JdbcClient jdbc() {
        return jdbc;
    }
}
