package sandbox.dynamics365;

import static org.assertj.core.api.Assertions.assertThat;
import static sandbox.dynamics365.DynamicsFixture.api;
import static sandbox.dynamics365.DynamicsFixture.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockHttpServletResponse;

/** Prefer: odata.track-changes, delta links with changed rows and $deletedEntity stubs, and delta tokens that expire. */
class DataverseChangeTrackingTest {

    private static final String ORG = "tracking";

    private final DynamicsFixture sandbox = new DynamicsFixture(
            DynamicsSandboxProperties.defaults().withAccounts(12).withDeltaTokenTtl(Duration.ofDays(7)));
    private String token;

    @BeforeEach
    void token() throws Exception {
        token = sandbox.token(ORG);
    }

    @Test
    void theInitialLoadIsPagedAndOnlyItsLastPageHasTheDeltaLink() throws Exception {
        Set<String> ids = new HashSet<>();
        String link = "accounts?$select=name,telephone1";
        String deltaLink = null;
        int pages = 0;
        while (link != null) {
            MockHttpServletResponse response = track(link, "odata.track-changes,odata.maxpagesize=5");
            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getHeader("Preference-Applied")).isEqualTo("odata.maxpagesize=5,odata.track-changes");
            JsonNode body = json(response);
            assertThat(body.get("@odata.context").asText()).isEqualTo(api(ORG) + "$metadata#accounts(name,telephone1)");
            body.get("value").forEach(r -> ids.add(r.get("accountid").asText()));
            pages++;
            link = body.has("@odata.nextLink") ? body.get("@odata.nextLink").asText() : null;
            if (link != null) {
                assertThat(body.has("@odata.deltaLink")).isFalse();
            } else {
                deltaLink = body.get("@odata.deltaLink").asText();
            }
        }
        assertThat(pages).isEqualTo(3);
        assertThat(ids).hasSize(12);
        assertThat(deltaLink).matches(java.util.regex.Pattern.quote(api(ORG) + "accounts?$select=name,telephone1&$deltatoken=")
                + "\\d+%21\\d\\d%2f\\d\\d%2f\\d{4}%20\\d\\d%3a\\d\\d%3a\\d\\d");

        // nothing changed: an empty delta with a fresh link
        JsonNode empty = json(sandbox.get(ORG, deltaLink, token));
        assertThat(empty.get("@odata.context").asText()).isEqualTo(api(ORG) + "$metadata#accounts(name,telephone1)/$delta");
        assertThat(empty.get("value")).isEmpty();
        assertThat(empty.get("@odata.deltaLink").asText()).startsWith(api(ORG) + "accounts?$select=name,telephone1&$deltatoken=");
    }

    @Test
    void aDeltaLinkGivesRowsCreatedOrChangedSinceThenTheDeletedOnes() throws Exception {
        String deltaLink = json(track("contacts?$select=fullname", "odata.track-changes")).get("@odata.deltaLink").asText();
        List<String> contacts = new ArrayList<>();
        json(sandbox.get(ORG, "contacts?$select=fullname", token)).get("value").forEach(r -> contacts.add(r.get("contactid").asText()));

        sandbox.send(HttpMethod.PATCH, ORG, "contacts(" + contacts.get(0) + ")", token, "{\"firstname\":\"Changed\"}");
        String created = sandbox.send(HttpMethod.POST, ORG, "contacts", token, "{\"lastname\":\"New\"}")
                .getHeader("OData-EntityId").replaceAll(".*\\((.*)\\)", "$1");
        assertThat(sandbox.send(HttpMethod.DELETE, ORG, "contacts(" + contacts.get(1) + ")", token, null).getStatus()).isEqualTo(204);
        // created and deleted between two deltas: the delete is reported even though the client never had the row
        String ephemeral = sandbox.send(HttpMethod.POST, ORG, "contacts", token, "{\"lastname\":\"Gone\"}")
                .getHeader("OData-EntityId").replaceAll(".*\\((.*)\\)", "$1");
        sandbox.send(HttpMethod.DELETE, ORG, "contacts(" + ephemeral + ")", token, null);

        assertThat(sandbox.get(ORG, "contacts/$count?" + deltaLink.substring(deltaLink.indexOf('?') + 1), token)
                .getContentAsString()).isEqualTo("4");
        JsonNode delta = json(sandbox.get(ORG, deltaLink, token));
        JsonNode value = delta.get("value");
        assertThat(value).hasSize(4);
        assertThat(value.get(0).get("contactid").asText()).isEqualTo(contacts.get(0));
        assertThat(value.get(0).get("fullname").asText()).startsWith("Changed ");
        assertThat(value.get(0).get("@odata.etag").asText()).startsWith("W/\"");
        assertThat(value.get(1).get("contactid").asText()).isEqualTo(created);
        for (int i = 2; i < 4; i++) {
            JsonNode stub = value.get(i);
            List<String> fields = new ArrayList<>();
            stub.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).containsExactly("@odata.context", "id", "reason");
            assertThat(stub.get("@odata.context").asText()).isEqualTo(api(ORG) + "$metadata#contacts/$deletedEntity");
            assertThat(stub.get("reason").asText()).isEqualTo("deleted");
        }
        assertThat(value.get(2).get("id").asText()).isEqualTo(contacts.get(1));
        assertThat(value.get(3).get("id").asText()).isEqualTo(ephemeral);

        // the next link counts from here
        String next = delta.get("@odata.deltaLink").asText();
        assertThat(json(sandbox.get(ORG, next, token)).get("value")).isEmpty();
        sandbox.send(HttpMethod.PATCH, ORG, "contacts(" + created + ")", token, "{\"lastname\":\"Newer\"}");
        JsonNode again = json(sandbox.get(ORG, next, token)).get("value");
        assertThat(again).hasSize(1);
        assertThat(again.get(0).get("fullname").asText()).isEqualTo("Newer");
    }

    @Test
    void aLargeDeltaIsPagedWithItsOwnNextLinks() throws Exception {
        String deltaLink = json(track("accounts?$select=name", "odata.track-changes")).get("@odata.deltaLink").asText();
        List<String> accounts = new ArrayList<>();
        json(sandbox.get(ORG, "accounts?$select=name", token)).get("value").forEach(r -> accounts.add(r.get("accountid").asText()));
        for (int i = 0; i < 6; i++) {
            sandbox.send(HttpMethod.PATCH, ORG, "accounts(" + accounts.get(i) + ")", token, "{\"fax\":\"" + i + "\"}");
        }
        for (int i = 6; i < 9; i++) {
            sandbox.send(HttpMethod.DELETE, ORG, "accounts(" + accounts.get(i) + ")", token, null);
        }
        List<String> seen = new ArrayList<>();
        String link = deltaLink;
        String nextDelta = null;
        while (link != null) {
            JsonNode body = json(track(link, "odata.maxpagesize=4"));
            body.get("value").forEach(r -> seen.add(r.has("reason") ? "deleted:" + r.get("id").asText() : r.get("accountid").asText()));
            link = body.has("@odata.nextLink") ? body.get("@odata.nextLink").asText() : null;
            if (link != null) {
                assertThat(link).contains("$deltatoken=").contains("$skiptoken=");
            } else {
                nextDelta = body.get("@odata.deltaLink").asText();
            }
        }
        assertThat(seen).containsExactly(accounts.get(0), accounts.get(1), accounts.get(2), accounts.get(3), accounts.get(4),
                accounts.get(5), "deleted:" + accounts.get(6), "deleted:" + accounts.get(7), "deleted:" + accounts.get(8));
        assertThat(json(sandbox.get(ORG, nextDelta, token)).get("value")).isEmpty();
    }

    @Test
    void queryOptionsTrackingCannotHonourAreRefused() throws Exception {
        for (String option : List.of("$filter=statecode%20eq%200", "$orderby=name", "$top=3")) {
            MockHttpServletResponse refused = track("accounts?$select=name&" + option, "odata.track-changes");
            assertThat(refused.getStatus()).as(option).isEqualTo(400);
            String name = option.substring(0, option.indexOf('='));
            assertThat(json(refused).get("error").get("message").asText())
                    .isEqualTo("The \"" + name + "\" query parameter isn't supported when Change Tracking is enabled.");
        }
    }

    @Test
    void deltaTokensExpireWithAgeAndWhenSetupInvalidatesThem() throws Exception {
        String deltaLink = json(track("accounts?$select=name", "odata.track-changes")).get("@odata.deltaLink").asText();
        sandbox.clock.advance(Duration.ofDays(6));
        String renewed = json(sandbox.get(ORG, deltaLink, token = sandbox.token(ORG))).get("@odata.deltaLink").asText();
        sandbox.clock.advance(Duration.ofDays(2));
        token = sandbox.token(ORG);
        assertExpired(sandbox.get(ORG, deltaLink, token));
        assertThat(sandbox.get(ORG, renewed, token).getStatus()).isEqualTo(200);

        String current = json(track("accounts?$select=name", "odata.track-changes")).get("@odata.deltaLink").asText();
        MockHttpServletResponse invalidated = sandbox.setup(HttpMethod.POST, ORG, "delta-tokens/invalidate", token, null);
        assertThat(invalidated.getStatus()).isEqualTo(200);
        assertExpired(sandbox.get(ORG, current, token));
        assertExpired(sandbox.get(ORG, renewed, token));
        // a token issued after the invalidation works
        String after = json(track("accounts?$select=name", "odata.track-changes")).get("@odata.deltaLink").asText();
        assertThat(sandbox.get(ORG, after, token).getStatus()).isEqualTo(200);

        // a reset org is a new environment: old tokens are of no use in it
        sandbox.setup(HttpMethod.POST, ORG, "reset", token, "{\"accounts\":3}");
        assertExpired(sandbox.get(ORG, after, token));
        assertThat(sandbox.get(ORG, "accounts?$deltatoken=garbage", token).getStatus()).isEqualTo(400);
    }

    private MockHttpServletResponse track(String link, String prefer) throws Exception {
        return sandbox.perform(sandbox.request(HttpMethod.GET, ORG, link, token).header("Prefer", prefer));
    }

    private static void assertExpired(MockHttpServletResponse response) throws Exception {
        assertThat(response.getStatus()).isEqualTo(400);
        JsonNode error = json(response).get("error");
        assertThat(error.get("code").asText()).isEqualTo("0x80044352");
        assertThat(error.get("message").asText())
                .isEqualTo("Version stamp associated with the client has expired. Please perform a full sync.");
    }
}
