package sandbox.dynamics365;

import static org.assertj.core.api.Assertions.assertThat;
import static sandbox.dynamics365.DynamicsFixture.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockHttpServletResponse;
import sandbox.entra.EntraTokens;

/** Bearer tokens from the Entra sandbox, their expiry, and orgs that share nothing. */
class DataverseAuthTest {

    private final DynamicsFixture sandbox = new DynamicsFixture(4);

    @Test
    void withoutAValidTokenA401ChallengesWithTheAuthorityAndTheOrg() throws Exception {
        for (String token : new String[] {null, "not-a-jwt"}) {
            MockHttpServletResponse response = sandbox.get("auth", "accounts", token);
            assertThat(response.getStatus()).isEqualTo(401);
            assertThat(response.getContentAsByteArray()).isEmpty();
            assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Bearer authorization_uri=http://localhost/sandbox/entra/"
                    + EntraTokens.TENANT_ID + "/oauth2/authorize, resource_id=http://localhost/sandbox/dynamics365/auth/");
        }
        // a token for another org (its audience is that org's URL) opens nothing here
        String other = sandbox.token("auth-other");
        assertThat(sandbox.get("auth", "accounts", other).getStatus()).isEqualTo(401);
        assertThat(sandbox.get("auth-other", "accounts", other).getStatus()).isEqualTo(200);
        assertThat(sandbox.orgs.find("auth")).as("no org is made for a caller it refused").isNull();
    }

    @Test
    void tokensExpireWithTheirLifetimeOrWhenSetupExpiresThem() throws Exception {
        String token = sandbox.token("auth");
        assertThat(sandbox.get("auth", "WhoAmI", token).getStatus()).isEqualTo(200);
        sandbox.clock.advance(Duration.ofSeconds(3599));
        assertThat(sandbox.get("auth", "WhoAmI", token).getStatus()).isEqualTo(401);

        String fresh = sandbox.token("auth");
        String unused = sandbox.token("auth");
        assertThat(sandbox.get("auth", "WhoAmI", fresh).getStatus()).isEqualTo(200);
        sandbox.clock.advance(Duration.ofSeconds(1));
        assertThat(sandbox.setup(HttpMethod.POST, "auth", "access-tokens/expire", fresh, null).getStatus()).isEqualTo(204);
        assertThat(sandbox.get("auth", "WhoAmI", fresh).getStatus()).isEqualTo(401);
        assertThat(sandbox.get("auth", "WhoAmI", unused).getStatus()).as("issued before the expiry").isEqualTo(401);
        assertThat(sandbox.get("auth", "WhoAmI", sandbox.token("auth")).getStatus()).isEqualTo(200);
    }

    @Test
    void orgsAreIsolatedAndSeededAlikeWithTheirOwnIds() throws Exception {
        String a = sandbox.token("iso-a");
        String b = sandbox.token("iso-b");
        String created = sandbox.send(HttpMethod.POST, "iso-a", "accounts", a, "{\"name\":\"Only in A\"}")
                .getHeader("OData-EntityId").replaceAll(".*\\((.*)\\)", "$1");
        assertThat(sandbox.get("iso-a", "accounts(" + created + ")", a).getStatus()).isEqualTo(200);
        assertThat(sandbox.get("iso-b", "accounts(" + created + ")", b).getStatus()).isEqualTo(404);
        assertThat(json(sandbox.get("iso-a", "accounts?$count=true&$select=name", a)).get("@odata.count").asInt()).isEqualTo(5);
        assertThat(json(sandbox.get("iso-b", "accounts?$count=true&$select=name", b)).get("@odata.count").asInt()).isEqualTo(4);

        // the same population, each org's own row ids; the ground truth maps them to the same entities
        JsonNode truthA = json(sandbox.setup(HttpMethod.GET, "iso-a", "ground-truth", a, null));
        JsonNode truthB = json(sandbox.setup(HttpMethod.GET, "iso-b", "ground-truth", b, null));
        assertThat(truthA.get("accounts")).hasSize(4);
        assertThat(truthA.get("contacts")).hasSize(8);
        assertThat(truthA.get("opportunities")).hasSize(4);
        Set<String> entitiesA = new HashSet<>();
        truthA.get("accounts").forEach(e -> entitiesA.add(e.asText()));
        Set<String> entitiesB = new HashSet<>();
        truthB.get("accounts").forEach(e -> entitiesB.add(e.asText()));
        assertThat(entitiesA).isEqualTo(entitiesB).allMatch(e -> e.startsWith("company-"));
        Set<String> rowsA = new HashSet<>();
        truthA.get("accounts").fieldNames().forEachRemaining(rowsA::add);
        truthB.get("accounts").fieldNames().forEachRemaining(id -> assertThat(rowsA).doesNotContain(id));
        // seeded in order: the first row is the population's first account
        String someRow = truthA.get("accounts").fieldNames().next();
        assertThat(json(sandbox.get("iso-a", "accounts(" + someRow + ")?$select=name", a)).get("name").asText())
                .isEqualTo(new sandbox.kit.Population().account("dynamics365", 0).company().name());

        // the default org is served at the sandbox's root
        String root = sandbox.token("");
        assertThat(json(sandbox.get("", "accounts?$count=true&$select=name", root)).get("@odata.count").asInt()).isEqualTo(4);
        assertThat(sandbox.get("", "accounts", a).getStatus()).isEqualTo(401);
    }

    @Test
    void orgNamesAreBoundedAndCheckedAndIdleOrgsMakeRoom() throws Exception {
        DynamicsFixture small = new DynamicsFixture(DynamicsSandboxProperties.defaults().withAccounts(1)
                .withOrgLimits(2, Duration.ofMinutes(15)));
        assertThat(small.get("one", "WhoAmI", small.token("one")).getStatus()).isEqualTo(200);
        assertThat(small.get("two", "WhoAmI", small.token("two")).getStatus()).isEqualTo(200);
        MockHttpServletResponse full = small.get("three", "WhoAmI", small.token("three"));
        assertThat(full.getStatus()).isEqualTo(503);
        assertThat(json(full).get("error").get("message").asText()).contains("hub.sandbox.dynamics365.max-orgs");
        small.clock.advance(Duration.ofMinutes(16));
        String two = small.token("two");
        assertThat(small.get("two", "WhoAmI", two).getStatus()).isEqualTo(200);
        assertThat(small.get("three", "WhoAmI", small.token("three")).getStatus()).as("'one' was idle").isEqualTo(200);
        assertThat(small.orgs.find("one")).isNull();
        assertThat(small.orgs.find("two")).isNotNull();

        assertThat(sandbox.get("Upper", "WhoAmI", sandbox.token("Upper")).getStatus()).isEqualTo(404);
    }
}
