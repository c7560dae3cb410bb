package messaging;

import java.time.Duration;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import hub.TimeBoxedHealth;

/**
 * The broker's part of {@code /actuator/health} ({@code broker}), in place of Spring Boot's JMS indicator, which waits
 * as long as a connection attempt to a broker that is gone does: a connection started (as Spring Boot's check does),
 * waited for at most {@code hub.health.timeout}.
 */
@Component("brokerHealthIndicator")
public class BrokerHealth extends TimeBoxedHealth {

    private final ConnectionFactory connections;

    public BrokerHealth(ConnectionFactory connections, @Value("${hub.health.timeout:2s}") Duration timeout) {
        super("the broker", timeout);
        this.connections = connections;
    }

    @Override
    protected String check() throws Exception {
        try (Connection connection = connections.createConnection()) {
            connection.start();
            return connection.getMetaData().getJMSProviderName();
        }
    }

    @Override
    protected String detail() {
        return "provider";
    }
}
