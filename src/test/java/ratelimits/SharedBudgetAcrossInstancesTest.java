package ratelimits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.PostgresHubTest;
import hub.TestProviderAdapter;
import providers.ConnectionContext;
import providers.ThrottledException;

/**
 * Two hub instances (two application contexts) on one PostgreSQL draw from one budget: the
 * integration's bucket lives in the database, so what one instance takes the other cannot.
 */
class SharedBudgetAcrossInstancesTest extends PostgresHubTest {

    @Autowired
    ProviderGate first;

    @Test
    void twoInstancesOnOnePostgresShareOneBudget() throws Exception {
        try (ConfigurableApplicationContext second = secondInstance()) {
            HubClient hub = hub();
            HubClient.Tenant tenant = hub.newTenant(EmbeddedHubTest.ADMIN_KEY);
            String integration = hub.ok("POST", "/api/tenant/integrations", tenant.key(), Map.of("providerId", TestProviderAdapter.PROVIDER_ID,
                    "name", "shared-budget")).get("id").asText();
            // a burst of 2, then 18 more over the hour: one call per 200 s, so however slow the machine, the loop
            // below sees the burst and nothing else
            hub.ok("PUT", "/api/tenant/integrations/" + integration + "/rate-limits", tenant.key(),
                    Map.of("integration", Map.of("requests", 20, "windowSeconds", 3600)));
            ProviderGate other = second.getBean(ProviderGate.class);
            ConnectionContext connection = new ConnectionContext(tenant.id(), integration, TestProviderAdapter.PROVIDER_ID, Map.of());

            int[] allowed = new int[2];
            long start = System.nanoTime();
            for (int i = 0; i < 40; i++) {
                ProviderGate gate = i % 2 == 0 ? first : other;
                try {
                    gate.acquire(connection, Operation.FETCH, Limit.perMinute(100));
                    gate.completed(connection, 1, null);
                    allowed[i % 2]++;
                } catch (ThrottledException e) {
                    // the shared bucket is empty for both
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;

            int total = allowed[0] + allowed[1];
            // separate buckets would let 2 through on each instance
            assertThat(total).isGreaterThanOrEqualTo(2).isLessThanOrEqualTo(2 + (int) (seconds / 190)).isLessThan(4);
            assertThat(allowed[0]).as("the first instance had calls").isPositive();
            assertThat(allowed[1]).as("the second instance had calls").isPositive();
        }
    }
}
