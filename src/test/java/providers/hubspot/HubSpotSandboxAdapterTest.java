package providers.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import hub.EmbeddedHubTest;
import hub.HubSpotPortal;
import providers.AdapterRegistry;
import providers.ConnectionContext;
import providers.FieldInfo;
import providers.IntegrationAdapter;

/** The adapter's discovery and single-record reads against the HubSpot sandbox, through the registry (and its gate). */
class HubSpotSandboxAdapterTest extends EmbeddedHubTest {

    @Autowired
    AdapterRegistry adapters;

    @Test
    void fieldsComeFromThePropertiesApiAndOneRecordIsReadWithItsCompany() {
        HubSpotPortal portal = new HubSpotPortal(hub(), "discover");
        IntegrationAdapter adapter = adapters.get("hubspot");
        ConnectionContext connection = new ConnectionContext("t-discover", "int-discover-" + portal.name(), "hubspot",
                adapter.normalizeCredentials(Map.of("accessToken", portal.token(), "baseUrl", portal.baseUrl())));

        assertThat(adapter.testConnection(connection).account()).startsWith("HubSpot portal ");
        List<FieldInfo> fields = adapter.discoverFields(connection, "companies");
        assertThat(fields).filteredOn(f -> f.name().equals("name")).singleElement().satisfies(f -> assertThat(f.updateable()).isTrue());
        assertThat(fields).filteredOn(f -> f.name().equals("hs_lastmodifieddate")).singleElement()
                .satisfies(f -> assertThat(f.updateable()).isFalse());
        assertThat(adapter.discoverEntities(connection)).extracting(e -> e.name()).containsExactly("companies", "contacts", "deals");

        JsonNode contact = portal.records("contacts", List.of("email"), 1).get(0);
        String companyId = portal.ok("GET", "/crm/v4/objects/contact/" + contact.get("id").asText() + "/associations/company", null)
                .at("/results/0/toObjectId").asText();
        Optional<Map<String, Object>> read = adapter.fetchRecord(connection, "contacts", contact.get("id").asText(),
                Set.of("id", "email", "lastmodifieddate", "associatedCompanyId"));
        assertThat(read).get().satisfies(r -> assertThat(r).containsEntry("id", contact.get("id").asText())
                .containsEntry("email", contact.at("/properties/email").asText()).containsEntry("associatedCompanyId", companyId)
                .containsKey("lastmodifieddate"));
        assertThat(adapter.fetchRecord(connection, "contacts", "1", Set.of("email"))).isEmpty();
        assertThat(adapter.health(connection).status()).isEqualTo("ok");
    }
}
