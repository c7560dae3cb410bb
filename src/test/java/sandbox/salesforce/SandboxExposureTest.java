package sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import com.fasterxml.jackson.databind.JsonNode;

import sandbox.kit.SandboxLoopbackFilter;
import sandbox.kit.WebhookDestinations;

/**
 * The sandbox's published credentials give a stranger no foothold: it answers this machine only, and a flood
 * of logins under new names neither pushes out an org in use nor locks its users out, and memory stays bounded.
 */
class SandboxExposureTest {

    @Test
    void theSandboxAnswersOnlyCallersOnThisMachineUnlessMadePublic() throws Exception {
        for (String address : List.of("203.0.113.7", "10.0.0.5", "192.168.1.20", "::ffff:198.51.100.1", "fe80::1")) {
            MockHttpServletResponse refused = filter(new SandboxLoopbackFilter(false), address, "/sandbox/salesforce/services/oauth2/token");
            assertThat(refused.getStatus()).as(address).isEqualTo(404);
        }
        for (String address : List.of("127.0.0.1", "127.0.0.2", "0:0:0:0:0:0:0:1")) {
            assertThat(filter(new SandboxLoopbackFilter(false), address, "/sandbox/salesforce/services/data").getStatus())
                    .as(address).isEqualTo(200);
        }
        assertThat(filter(new SandboxLoopbackFilter(true), "203.0.113.7", "/sandbox/salesforce/services/data").getStatus())
                .isEqualTo(200);
        // the rest of the hub is not the sandbox's business
        assertThat(filter(new SandboxLoopbackFilter(false), "203.0.113.7", "/webhooks/abc").getStatus()).isEqualTo(200);
    }

    @Test
    void outboundMessagesGoToTheHubsOwnOriginUnlessOtherHostsAreListed() {
        List<String> none = List.of();
        assertThat(WebhookDestinations.allows(none, java.net.URI.create("http://localhost:8080/webhooks/x"), 8080)).isTrue();
        assertThat(WebhookDestinations.allows(none, java.net.URI.create("http://127.0.0.1:8080/webhooks/x"), 8080)).isTrue();
        assertThat(WebhookDestinations.allows(none, java.net.URI.create("http://[::1]:8080/webhooks/x"), 8080)).isTrue();
        // another port on this machine: a database, a broker, an admin console
        assertThat(WebhookDestinations.allows(none, java.net.URI.create("http://localhost:5432/"), 8080)).isFalse();
        assertThat(WebhookDestinations.allows(none, java.net.URI.create("http://127.0.0.1/"), 8080)).isFalse();
        assertThat(WebhookDestinations.allows(none, java.net.URI.create("http://example.com:8080/"), 8080)).isFalse();
        assertThat(WebhookDestinations.allows(none, java.net.URI.create("http://169.254.169.254:8080/"), 8080)).isFalse();

        List<String> listed = List.of("hooks.example.com", "127.0.0.1:9000", "[::1]:9001");
        assertThat(WebhookDestinations.allows(listed, java.net.URI.create("https://hooks.example.com/in"), 8080)).isTrue();
        assertThat(WebhookDestinations.allows(listed, java.net.URI.create("http://127.0.0.1:9000/in"), 8080)).isTrue();
        assertThat(WebhookDestinations.allows(listed, java.net.URI.create("http://[::1]:9001/in"), 8080)).isTrue();
        assertThat(WebhookDestinations.allows(listed, java.net.URI.create("http://127.0.0.1:9002/in"), 8080)).isFalse();
        assertThat(WebhookDestinations.allows(listed, java.net.URI.create("http://localhost:8080/in"), 8080)).isFalse();
    }

    @Test
    void aFloodOfNewLoginsCannotLockOutAnOrgInUseAndMemoryStaysBounded() throws Exception {
        SandboxFixture sandbox = new SandboxFixture(SalesforceSandboxProperties.defaults().withAccounts(1)
                .withOrgLimits(5, 2, Duration.ofMinutes(10)));
        // a tenant's org, made before the flood from another address, in use all along
        assertThat(login(sandbox, "admin+acme@sandbox.example", "198.51.100.10").getStatus()).isEqualTo(200);

        // one client: two orgs, then a clear OAuth error
        List<MockHttpServletResponse> flood = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            flood.add(login(sandbox, "admin+flood" + i + "@sandbox.example", "203.0.113.7"));
        }
        assertThat(flood.stream().filter(r -> r.getStatus() == 200)).hasSize(2);
        JsonNode error = SandboxFixture.json(flood.get(2));
        assertThat(flood.get(2).getStatus()).isEqualTo(400);
        assertThat(error.get("error").asText()).isEqualTo("invalid_grant");
        assertThat(error.get("error_description").asText()).contains("max-orgs-per-client");
        // many clients: the sandbox's cap, then refusals; none pushes out the tenant's org
        for (int client = 0; client < 30; client++) {
            login(sandbox, "admin+spread" + client + "@sandbox.example", "203.0.113." + (100 + client));
        }
        assertThat(sandbox.orgs.namedOrgs()).isLessThanOrEqualTo(5);
        MockHttpServletResponse full = login(sandbox, "admin+late@sandbox.example", "203.0.113.250");
        assertThat(SandboxFixture.json(full).get("error_description").asText()).contains("hub.sandbox.salesforce.max-orgs");
        assertThat(login(sandbox, "admin+acme@sandbox.example", "198.51.100.10").getStatus()).isEqualTo(200);
        assertThat(login(sandbox, "admin@sandbox.example", "203.0.113.7").getStatus()).isEqualTo(200);

        // ten minutes on, the tenant still working: the flood's idle orgs make room, the tenant's stays
        for (int minute = 0; minute < 11; minute++) {
            sandbox.clock.advance(Duration.ofMinutes(1));
            assertThat(sandbox.get(SandboxFixture.DATA + "/limits", token(sandbox, "admin+acme@sandbox.example")).getStatus())
                    .isEqualTo(200);
        }
        SandboxOrg acme = sandbox.orgs.find("acme");
        for (int i = 0; i < 20; i++) {
            login(sandbox, "admin+second" + i + "@sandbox.example", "203.0.113." + (10 + i));
        }
        assertThat(sandbox.orgs.namedOrgs()).isLessThanOrEqualTo(5);
        assertThat(sandbox.orgs.find("acme")).isSameAs(acme);
        assertThat(sandbox.orgs.find("flood0")).isNull();
        assertThat(login(sandbox, "admin+acme@sandbox.example", "198.51.100.10").getStatus()).isEqualTo(200);
    }

    @Test
    void aWrongPasswordCreatesNoOrg() throws Exception {
        SandboxFixture sandbox = new SandboxFixture(SalesforceSandboxProperties.defaults().withAccounts(1));
        MockHttpServletResponse refused = sandbox.perform(post("/sandbox/salesforce/services/oauth2/token")
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).param("grant_type", "password")
                .param("client_id", SalesforceOAuthController.CLIENT_ID).param("client_secret", SalesforceOAuthController.CLIENT_SECRET)
                .param("username", "admin+guess@sandbox.example").param("password", "wrong"));
        assertThat(refused.getStatus()).isEqualTo(400);
        assertThat(sandbox.orgs.namedOrgs()).isZero();
    }

    private static String token(SandboxFixture sandbox, String username) throws Exception {
        return SandboxFixture.json(login(sandbox, username, "198.51.100.10")).get("access_token").asText();
    }

    private static MockHttpServletResponse login(SandboxFixture sandbox, String username, String address) throws Exception {
        return sandbox.perform(post("/sandbox/salesforce/services/oauth2/token")
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .param("grant_type", "password")
                .param("client_id", SalesforceOAuthController.CLIENT_ID)
                .param("client_secret", SalesforceOAuthController.CLIENT_SECRET)
                .param("username", username)
                .param("password", SandboxOrgs.PASSWORD)
                .with(request -> {
                    request.setRemoteAddr(address);
                    return request;
                }));
    }

    private static MockHttpServletResponse filter(SandboxLoopbackFilter filter, String address, String path) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
        request.setServletPath(path);
        request.setRemoteAddr(address);
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicBoolean passed = new AtomicBoolean();
        filter.doFilter(request, response, new MockFilterChain() {
            @Override
            public void doFilter(jakarta.servlet.ServletRequest req, jakarta.servlet.ServletResponse res) {
                passed.set(true);
            }
        });
        if (passed.get()) {
            response.setStatus(200);
        }
        return response;
    }

}
