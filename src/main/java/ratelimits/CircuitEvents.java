package ratelimits;

import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import store.EventStore;
import store.Integration;
import store.IntegrationStore;

/**
 * Appends {@code circuit.opened} when an integration's circuit opens and {@code circuit.closed} when it closes again.
 *
 * <p>A circuit lives in this instance's memory, not in the database, so there is no transaction to share: the event is
 * appended in a transaction of its own (never a caller's that may roll back) right after the transition, on the thread that caused it. Guarantee: a transition
 * whose append committed is relayed like any event; a crash between the transition and the append (or a database that
 * refused the append, logged here) loses that event, and the breaker's state is then lost with the instance anyway. With
 * several instances each has its own breaker, so each reports its own transitions ({@code instanceLocal} in the data).
 */
final class CircuitEvents {

    private static final Logger LOG = LoggerFactory.getLogger(CircuitEvents.class);

    private final IntegrationStore integrations;
    private final EventStore events;
    private final TransactionTemplate ownTransaction;

    CircuitEvents(IntegrationStore integrations, EventStore events, PlatformTransactionManager transactions) {
        this.integrations = integrations;
        this.events = events;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** The circuit of the integration moved to {@code to} ({@code OPEN}, {@code CLOSED}; other states append nothing). */
    void transition(String integrationId, String from, String to, float failureRate, Instant at) {
        String type = switch (to) {
            case "OPEN" -> "circuit.opened";
            case "CLOSED" -> "circuit.closed";
            default -> null;
        };
        if (type == null) {
            return;
        }
        try {
            Integration integration = integrations.findById(integrationId).orElse(null);
            if (integration == null) {
                return;
            }
            ownTransaction.executeWithoutResult(status -> events.append(integration.tenantId(), type, integrationId, EventStore.data(
                    "integrationId", integrationId, "provider", integration.providerId(), "from", from, "to", to,
                    "failureRate", failureRate < 0 ? null : (double) failureRate, "at", at.toString(), "instanceLocal", true)));
        } catch (RuntimeException e) {
            LOG.warn("Could not record that the circuit of integration {} is now {}: {}", integrationId, to, e.getMessage());
        }
    }
}
