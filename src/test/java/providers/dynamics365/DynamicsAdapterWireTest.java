package providers.dynamics365;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import providers.ChangeMarkerRefusedException;
import providers.ConflictProviderException;
import providers.ConnectionContext;
import providers.FetchPage;
import providers.FetchRequest;
import providers.PermanentProviderException;
import providers.RateLimitedProviderException;
import providers.microsoft.EntraClientCredentials;
import security.OutboundGuard;
import security.TokenExchange;

/**
 * The adapter's wire, against a stub Web API and token endpoint: what it sends (URLs as Dataverse links them, Prefer,
 * If-Match, binds) and how it reads what comes back, including answers a sandbox would not give.
 */
class DynamicsAdapterWireTest {

    private static final String ACCOUNT = "60c4e274-0d87-e711-80e5-00155db19e6d";
    private WireMockServer server;
    private CamelContext camel;
    private DynamicsAdapter adapter;
    private ConnectionContext connection;
    private final List<Integer> reported = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new WireMockServer(options().dynamicPort());
        server.start();
        camel = new DefaultCamelContext();
        camel.start();
        OutboundGuard guard = new OutboundGuard("localhost:" + server.port());
        ObjectMapper json = new ObjectMapper();
        DataverseHttp http = new DataverseHttp(camel, camel.createProducerTemplate(), (provider, integration, status, header) -> reported.add(status),
                guard, 10_000, 10);
        adapter = new DynamicsAdapter(http, new EntraClientCredentials(new TokenExchange(Duration.ofSeconds(5), json, guard)), null,
                "9.2", json, guard);
        String base = "http://localhost:" + server.port();
        connection = new ConnectionContext("t", "i-" + System.nanoTime(), DynamicsAdapter.PROVIDER_ID, Map.of(
                "orgUrl", base + "/org", "authority", base + "/entra/tenant", "clientId", "client", "clientSecret", "secret"));
        server.stubFor(post("/entra/tenant/oauth2/v2.0/token").withRequestBody(containing("scope=" + java.net.URLEncoder.encode(
                        base + "/org/.default", java.nio.charset.StandardCharsets.UTF_8)))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"tok\"}")));
    }

    @AfterEach
    void stop() throws Exception {
        camel.stop();
        server.stop();
    }

    private String api() {
        return "http://localhost:" + server.port() + "/org/api/data/v9.2/";
    }

    private FetchRequest request(String since, String cursor) {
        return new FetchRequest("accounts", List.of("accountid", "@odata", "name"), "@odata.etag", List.of(), since, cursor, 2);
    }

    @Test
    void aFullPassPagesWithNextLinksAndEndsWithTheDeltaLink() {
        String next = api() + "accounts?$select=accountid,name&$skiptoken=%3Ccookie%20pagenumber=%222%22%20/%3E";
        String delta = api() + "accounts?$select=accountid,name&$deltatoken=919042%2108%2f22%2f2017%2008%3a10%3a44";
        server.stubFor(get(urlEqualTo("/org/api/data/v9.2/accounts?$select=accountid,name"))
                .withHeader("Authorization", equalTo("Bearer tok"))
                .withHeader("Prefer", containing("odata.maxpagesize=2,odata.track-changes"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json; odata.metadata=minimal").withBody("""
                        {"value":[{"@odata.etag":"W/\\"2\\"","accountid":"%s","name":"A"}],"@odata.nextLink":"%s"}""".formatted(ACCOUNT, next))));
        server.stubFor(get(urlEqualTo("/org/api/data/v9.2/accounts?$select=accountid,name&$skiptoken=%3Ccookie%20pagenumber=%222%22%20/%3E"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("""
                        {"value":[],"@odata.deltaLink":"%s"}""".formatted(delta))));

        FetchPage first = adapter.fetchRecords(connection, request(null, null));
        assertThat(first.records()).singleElement().satisfies(r -> assertThat(r).containsEntry("@odata.etag", "W/\"2\"").containsEntry("name", "A"));
        assertThat(first.nextPageCursor()).isEqualTo(next);
        assertThat(first.resumeMarker()).isNull();
        FetchPage last = adapter.fetchRecords(connection, request(null, first.nextPageCursor()));
        assertThat(last.hasMore()).isFalse();
        assertThat(last.resumeMarker()).isEqualTo(delta);
        assertThat(reported).containsExactly(200, 200);
    }

    @Test
    void aDeltaPageCarriesDeletionsAndAnExpiredTokenIsARefusedMarker() {
        String delta = api() + "accounts?$select=accountid,name&$deltatoken=1%2101";
        server.stubFor(get(urlEqualTo("/org/api/data/v9.2/accounts?$select=accountid,name&$deltatoken=1%2101"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("""
                        {"value":[{"@odata.context":"x/$metadata#accounts/$deletedEntity","id":"%s","reason":"deleted"}],
                         "@odata.deltaLink":"%s"}""".formatted(ACCOUNT, api() + "accounts?$select=accountid,name&$deltatoken=2%2102"))));
        FetchPage page = adapter.fetchRecords(connection, request(delta, null));
        assertThat(page.records()).isEmpty();
        assertThat(page.deleted()).singleElement().satisfies(d -> assertThat(d.externalId()).isEqualTo(ACCOUNT));
        assertThat(page.resumeMarker()).endsWith("$deltatoken=2%2102");

        server.stubFor(get(urlEqualTo("/org/api/data/v9.2/accounts?$select=accountid,name&$deltatoken=0%2100"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"code\":\"0x80044352\",\"message\":\"Version stamp associated with the client has expired.\"}}")));
        assertThatThrownBy(() -> adapter.fetchRecords(connection, request(api() + "accounts?$select=accountid,name&$deltatoken=0%2100", null)))
                .isInstanceOf(ChangeMarkerRefusedException.class).hasMessageContaining("0x80044352");
        // a link of other columns, or of another org, is refused without a call
        assertThatThrownBy(() -> adapter.fetchRecords(connection, request(api() + "accounts?$select=accountid&$deltatoken=1%2101", null)))
                .isInstanceOf(ChangeMarkerRefusedException.class).hasMessageContaining("columns");
        assertThatThrownBy(() -> adapter.fetchRecords(connection, request("https://other.crm.dynamics.com/api/data/v9.2/accounts?$deltatoken=1", null)))
                .isInstanceOf(ChangeMarkerRefusedException.class);
    }

    @Test
    void aMalformedPageAndAForeignNextLinkFailWithoutRecords() {
        server.stubFor(get(urlPathEqualTo("/org/api/data/v9.2/accounts")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"value\":{\"not\":\"a list\"}}")));
        assertThatThrownBy(() -> adapter.fetchRecords(connection, request(null, null))).isInstanceOf(PermanentProviderException.class)
                .hasMessageContaining("no list of rows");
        server.stubFor(get(urlPathEqualTo("/org/api/data/v9.2/accounts")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"value\":[],\"@odata.nextLink\":\"http://169.254.169.254/latest/meta-data\"}")));
        assertThatThrownBy(() -> adapter.fetchRecords(connection, request(null, null))).isInstanceOf(PermanentProviderException.class)
                .hasMessageContaining("outside the environment");
    }

    @Test
    void writesAreConditionalOnTheEtagAndA412IsAConflict() {
        server.stubFor(post("/org/api/data/v9.2/contacts").willReturn(aResponse().withStatus(204)
                .withHeader("OData-EntityId", api() + "contacts(2e451703-c686-e711-80e5-00155db19e6d)")));
        assertThat(adapter.createRecord(connection, "contacts", Map.of("lastname", "Lee", "parentcustomerid_account", ACCOUNT)))
                .isEqualTo("2e451703-c686-e711-80e5-00155db19e6d");
        server.verify(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlEqualTo("/org/api/data/v9.2/contacts"))
                .withRequestBody(containing("\"parentcustomerid_account@odata.bind\":\"/accounts(" + ACCOUNT + ")\"")));

        server.stubFor(patch(urlEqualTo("/org/api/data/v9.2/accounts(" + ACCOUNT + ")")).withHeader("If-Match", equalTo("W/\"5\""))
                .willReturn(aResponse().withStatus(412).withHeader("Content-Type", "application/json").withBody(
                        "{\"error\":{\"code\":\"0x80060882\",\"message\":\"The version of the existing record doesn't match the RowVersion property provided.\"}}")));
        assertThatThrownBy(() -> adapter.updateRecord(connection, "accounts", ACCOUNT, Map.of("name", "B"), "W/\"5\""))
                .isInstanceOf(ConflictProviderException.class).hasMessageContaining("0x80060882");
        server.stubFor(patch(urlEqualTo("/org/api/data/v9.2/accounts(" + ACCOUNT + ")")).withHeader("If-Match", equalTo("*"))
                .willReturn(aResponse().withStatus(204)));
        adapter.updateRecord(connection, "accounts", ACCOUNT, Map.of("name", "B"), null);
        server.verify(patchRequestedFor(urlEqualTo("/org/api/data/v9.2/accounts(" + ACCOUNT + ")")).withHeader("If-Match", equalTo("*")));
    }

    @Test
    void aRefusedTokenIsTakenAgainOnceAnd429CarriesRetryAfter() {
        server.stubFor(get(urlEqualTo("/org/api/data/v9.2/WhoAmI")).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")
                .withHeader("Content-Type", "application/json").withBody("{\"error\":{\"code\":\"0x80072322\",\"message\":\"Number of requests exceeded the limit of 6000 over time window of 300 seconds.\"}}")));
        assertThat(adapter.testConnection(connection).message()).contains("HTTP 429").contains("0x80072322");
        assertThatThrownBy(() -> adapter.fetchRecord(connection, "accounts", "not-a-guid", java.util.Set.of()))
                .isInstanceOf(PermanentProviderException.class);
        server.stubFor(get(urlPathEqualTo("/org/api/data/v9.2/accounts(" + ACCOUNT + ")")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "7")));
        assertThatThrownBy(() -> adapter.fetchRecord(connection, "accounts", ACCOUNT, java.util.Set.of("name")))
                .isInstanceOfSatisfying(RateLimitedProviderException.class, e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7)));

        server.verify(1, getRequestedFor(urlEqualTo("/org/api/data/v9.2/WhoAmI")));
        server.resetRequests();
        server.stubFor(get(urlEqualTo("/org/api/data/v9.2/WhoAmI")).willReturn(aResponse().withStatus(401)));
        assertThat(adapter.testConnection(connection).ok()).isFalse();
        // the refused token was given up and a new one taken before the second try
        assertThat(server.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlEqualTo("/entra/tenant/oauth2/v2.0/token"))))
                .hasSizeGreaterThanOrEqualTo(2);
        server.verify(2, getRequestedFor(urlEqualTo("/org/api/data/v9.2/WhoAmI")).withHeader("Authorization", equalTo("Bearer tok")));
    }
}
