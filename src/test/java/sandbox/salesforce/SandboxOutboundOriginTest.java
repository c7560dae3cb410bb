package sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import hub.EmbeddedHubTest;
import hub.HubClient;

/** The hub's sandbox sends Outbound Messages to the hub's own receiver only, not to other ports on this machine. */
class SandboxOutboundOriginTest extends EmbeddedHubTest {

    @Test
    void anOutboundMessageToAnotherPortOnThisMachineIsRefused() {
        HubClient hub = hub();
        String token = hub.sandboxToken("origin-" + UUID.randomUUID().toString().substring(0, 8));
        for (String elsewhere : List.of("http://localhost:5432/", "http://127.0.0.1:" + (port + 1) + "/webhooks/x",
                "http://[::1]:61616/", "http://localhost/webhooks/x")) {
            HubClient.Response refused = hub.call("POST", hub.sandboxUrl() + "/setup/outbound-messages", token, Map.of(
                    "name", "elsewhere", "object", "Account", "endpointUrl", elsewhere, "fields", List.of("Id")));
            assertThat(refused.status()).as(elsewhere + " -> " + refused.raw()).isEqualTo(400);
            assertThat(refused.raw()).contains("FIELD_INTEGRITY_EXCEPTION").contains("the hub's own origin")
                    .contains("port " + port);
        }
        HubClient.Response own = hub.call("POST", hub.sandboxUrl() + "/setup/outbound-messages", token, Map.of(
                "name", "the hub", "object", "Account", "endpointUrl", "http://127.0.0.1:" + port + "/webhooks/" + UUID.randomUUID(),
                "fields", List.of("Id")));
        assertThat(own.status()).as(own.raw()).isEqualTo(201);
    }
}
