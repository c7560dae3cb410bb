package sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * The primary client against the sandbox over real HTTP: camel-salesforce with rawPayload, logging in with
 * the password flow, paging with queryMore, writing rows and re-logging in after its session expires.
 */
class CamelSalesforceClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ACCOUNTS = 1100;
    private static ConfigurableApplicationContext server;
    private static CamelContext camel;
    private static ProducerTemplate template;

    /** Only the web layer and the sandbox: no component scan, no database or broker. Not a stereotype, so never scanned. */
    @ImportAutoConfiguration({ServletWebServerFactoryAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
            WebMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class})
    @Import({SalesforceSandboxConfiguration.class, SalesforceOAuthController.class, SalesforceRestController.class,
            SalesforceSObjectController.class})
    static class SandboxServer {
    }

    @BeforeAll
    static void start() throws Exception {
        server = new SpringApplicationBuilder(SandboxServer.class)
                .web(WebApplicationType.SERVLET)
                // arguments, not default properties: the hub's application.properties must not override them
                .run("--server.port=0", "--spring.main.banner-mode=off", "--hub.sandbox.enabled=true",
                        "--hub.sandbox.salesforce.accounts=" + ACCOUNTS, "--hub.sandbox.salesforce.page-size=500",
                        "--hub.sandbox.salesforce.latency-ms=0");
        int port = ((ServletWebServerApplicationContext) server).getWebServer().getPort();
        SalesforceComponent salesforce = new SalesforceComponent();
        salesforce.setLoginUrl("http://localhost:" + port + "/sandbox/salesforce");
        salesforce.setClientId(SalesforceOAuthController.CLIENT_ID);
        salesforce.setClientSecret(SalesforceOAuthController.CLIENT_SECRET);
        salesforce.setUserName("admin+camel@sandbox.example");
        salesforce.setPassword(SandboxOrgs.PASSWORD);
        camel = new DefaultCamelContext();
        camel.addComponent("salesforce", salesforce);
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterAll
    static void stop() {
        if (camel != null) {
            camel.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void queriesAndFollowsNextRecordsUrlToTheEnd() throws Exception {
        JsonNode page = call("salesforce:query?rawPayload=true", null, Map.of("sObjectQuery",
                "SELECT Id, Name, SystemModstamp FROM Account WHERE SystemModstamp >= 2024-01-01T00:00:00Z "
                        + "ORDER BY SystemModstamp ASC"));
        Set<String> ids = new HashSet<>();
        int pages = 1;
        page.get("records").forEach(r -> ids.add(r.get("Id").asText()));
        while (!page.get("done").asBoolean()) {
            page = call("salesforce:queryMore?rawPayload=true", null,
                    Map.of("sObjectQuery", page.get("nextRecordsUrl").asText()));
            page.get("records").forEach(r -> ids.add(r.get("Id").asText()));
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(ids).hasSize(ACCOUNTS);
    }

    @Test
    void writesRowsAndSeesThemInQueries() throws Exception {
        String accountId = call("salesforce:query?rawPayload=true", null,
                Map.of("sObjectQuery", "SELECT Id FROM Account LIMIT 1")).get("records").get(0).get("Id").asText();
        JsonNode created = call("salesforce:createSObject?rawPayload=true&sObjectName=Contact",
                "{\"LastName\":\"Camel\",\"AccountId\":\"" + accountId + "\"}", Map.of());
        String id = created.get("id").asText();
        assertThat(created.get("success").asBoolean()).isTrue();

        template.requestBodyAndHeaders("salesforce:updateSObject?rawPayload=true&sObjectName=Contact",
                "{\"FirstName\":\"Apache\"}", Map.of("sObjectId", id), String.class);
        JsonNode read = call("salesforce:getSObject?rawPayload=true&sObjectName=Contact&sObjectFields=Id,Name",
                null, Map.of("sObjectId", id));
        assertThat(read.get("Name").asText()).isEqualTo("Apache Camel");

        template.requestBodyAndHeaders("salesforce:deleteSObject?rawPayload=true&sObjectName=Contact", null,
                Map.of("sObjectId", id), String.class);
        assertThatThrownBy(() -> call("salesforce:getSObject?rawPayload=true&sObjectName=Contact", null,
                Map.of("sObjectId", id)))
                .isInstanceOf(CamelExecutionException.class)
                .hasCauseInstanceOf(SalesforceException.class);
        JsonNode deleted = call("salesforce:queryAll?rawPayload=true", null,
                Map.of("sObjectQuery", "SELECT Id, IsDeleted FROM Contact WHERE Id = '" + id + "'"));
        assertThat(deleted.get("records").get(0).get("IsDeleted").asBoolean()).isTrue();
    }

    @Test
    void logsInAgainWhenTheSessionExpires() throws Exception {
        call("salesforce:limits?rawPayload=true", null, Map.of());
        SandboxOrgs orgs = server.getBean(SandboxOrgs.class);
        server.getBean(SandboxTokens.class).expireAccessTokens(orgs.find("camel"));
        JsonNode limits = call("salesforce:limits?rawPayload=true", null, Map.of());
        assertThat(limits.get("DailyApiRequests").get("Max").asInt()).isEqualTo(15000);
    }

    /** camel-salesforce does not retry a 429: the route fails with a SalesforceException carrying the status. */
    @Test
    void surfacesTheSandboxRateLimitAsAnError() throws Exception {
        SandboxOrg org = server.getBean(SandboxOrgs.class).forUsername("admin+camel@sandbox.example").orElseThrow();
        long violations = org.rateLimitViolations();
        org.rateLimit().configure(1, java.time.Duration.ofHours(1));
        try {
            call("salesforce:limits?rawPayload=true", null, Map.of());
            assertThatThrownBy(() -> call("salesforce:limits?rawPayload=true", null, Map.of()))
                    .isInstanceOf(CamelExecutionException.class)
                    .cause()
                    .isInstanceOfSatisfying(SalesforceException.class, e -> {
                        assertThat(e.getStatusCode()).isEqualTo(429);
                        assertThat(e.getErrors()).extracting(err -> err.getErrorCode())
                                .containsExactly("REQUEST_LIMIT_EXCEEDED");
                    });
            assertThat(org.rateLimitViolations()).isEqualTo(violations + 1);
        } finally {
            org.rateLimit().configure(0, java.time.Duration.ofSeconds(60));
        }
    }

    private static JsonNode call(String uri, Object body, Map<String, Object> headers) throws Exception {
        String response = template.requestBodyAndHeaders(uri, body, headers, String.class);
        return JSON.readTree(response);
    }
}
