package providers.hubspot;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import providers.ConnectionContext;
import providers.ConnectionTestResult;
import providers.DeletedRecords;
import providers.FetchPage;
import providers.FetchRequest;
import providers.FieldInfo;
import providers.PermanentProviderException;
import providers.ProviderException;
import providers.ProviderResponses;
import providers.PullFilter;
import security.InvalidCredentialsException;
import security.OutboundGuard;
import security.TokenLifecycle;

/** The adapter's requests and its reading of HubSpot's answers, against a stand-in of HubSpot's API (WireMock). */
class HubSpotAdapterTest {

    private static final String TOKEN = "pat-na1-11111111-2222-3333-4444-555555555555";
    private static final ObjectMapper JSON = new ObjectMapper();

    private WireMockServer hubspot;
    private CamelContext camel;
    private HubSpotAdapter adapter;
    private HubSpotClient client;
    private TokenLifecycle tokens;
    private final List<Integer> reported = new ArrayList<>();
    private final List<String> reportedRemaining = new ArrayList<>();
    private ConnectionContext connection;

    @BeforeEach
    void start() throws Exception {
        hubspot = new WireMockServer(options().dynamicPort());
        hubspot.start();
        camel = new DefaultCamelContext();
        camel.start();
        OutboundGuard guard = new OutboundGuard("localhost:" + hubspot.port());
        ProviderResponses responses = (provider, integration, status, header) -> {
            assertThat(provider).isEqualTo("hubspot");
            reported.add(status);
            reportedRemaining.add(header.apply("X-HubSpot-RateLimit-Remaining"));
        };
        tokens = mock(TokenLifecycle.class);
        client = new HubSpotClient(camel, camel.createProducerTemplate(), JSON, responses, guard, tokens, 5_000, 2_000);
        adapter = new HubSpotAdapter(client, JSON, guard);
        connection = new ConnectionContext("t1", "int-1", "hubspot", adapter.normalizeCredentials(Map.of("accessToken", TOKEN,
                "baseUrl", "http://localhost:" + hubspot.port() + "/")));
    }

    @AfterEach
    void stop() {
        client.close();
        camel.stop();
        hubspot.stop();
    }

    private static String record(String id, String modified, String... properties) {
        StringBuilder props = new StringBuilder("\"hs_object_id\":\"" + id + "\",\"hs_lastmodifieddate\":\"" + modified + "\"");
        for (int i = 0; i < properties.length; i += 2) {
            props.append(",\"").append(properties[i]).append("\":").append(properties[i + 1] == null ? "null" : "\"" + properties[i + 1] + "\"");
        }
        return "{\"id\":\"" + id + "\",\"properties\":{" + props + "},\"createdAt\":\"2024-01-01T00:00:00.000Z\",\"updatedAt\":\"" + modified
                + "\",\"archived\":false}";
    }

    private FetchRequest request(String entity, List<String> fields, String since, String cursor) {
        return new FetchRequest(entity, fields, entity.equals("contacts") ? "lastmodifieddate" : "hs_lastmodifieddate", List.of(), since, cursor, 2000);
    }

    @Test
    void theCatalogEntryOffersPrivateAppAndOAuthWithABaseUrl() {
        assertThat(adapter.descriptor().id()).isEqualTo("hubspot");
        assertThat(adapter.descriptor().category()).isEqualTo("crm");
        assertThat(adapter.descriptor().authTypes()).containsExactly("private_app_token", "oauth2_authorization_code");
        assertThat(adapter.descriptor().entities()).containsExactly("companies", "contacts", "deals");
        assertThat(adapter.descriptor().defaultRateLimitPerMinute()).isEqualTo(250);
        assertThat(adapter.descriptor().credentialFields()).extracting(f -> f.name() + ":" + f.required() + ":" + f.secret())
                .containsExactly("accessToken:true:true", "baseUrl:false:false");
        assertThat(adapter.normalizeCredentials(Map.of("accessToken", TOKEN))).containsEntry("baseUrl", "https://api.hubapi.com");
        assertThat(connection.credential("baseUrl")).isEqualTo("http://localhost:" + hubspot.port());
    }

    @Test
    void aBaseUrlAtAnInternalAddressOrNotHttpIsRefusedNamingTheField() {
        assertThatThrownBy(() -> adapter.normalizeCredentials(Map.of("accessToken", TOKEN, "baseUrl", "http://169.254.169.254/latest")))
                .isInstanceOf(InvalidCredentialsException.class).hasMessageContaining("internal address")
                .extracting(e -> ((InvalidCredentialsException) e).field()).isEqualTo("baseUrl");
        assertThatThrownBy(() -> adapter.normalizeCredentials(Map.of("accessToken", TOKEN, "baseUrl", "ftp://api.hubapi.com")))
                .isInstanceOf(InvalidCredentialsException.class).hasMessageContaining("http(s) URL");
        assertThatThrownBy(() -> adapter.normalizeCredentials(Map.of("accessToken", "pat na1", "baseUrl", "https://api.hubapi.com")))
                .isInstanceOf(InvalidCredentialsException.class).hasMessageContaining("whitespace");
    }

    @Test
    void aCallToAnAddressTheGuardDoesNotAllowIsNotMade() throws Exception {
        int other;
        try (ServerSocket socket = new ServerSocket(0)) {
            other = socket.getLocalPort();
        }
        ConnectionContext internal = new ConnectionContext("t1", "int-2", "hubspot", Map.of("accessToken", TOKEN,
                "baseUrl", "http://127.0.0.1:" + other));

        ConnectionTestResult result = adapter.testConnection(internal);

        assertThat(result.ok()).isFalse();
        assertThat(result.message()).isEqualTo("HubSpot connection test not attempted: its URL refers to an internal address");
    }

    @Test
    void aConnectionTestIsARealCallAndWrongCredentialsGiveHubSpotsReasonWithoutTheToken() {
        hubspot.stubFor(get(urlPathEqualTo("/account-info/v3/details")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"error\",\"message\":\"Authentication credentials not found.\",\"correlationId\":\"c1\","
                        + "\"category\":\"INVALID_AUTHENTICATION\"}")));

        ConnectionTestResult result = adapter.testConnection(connection);

        assertThat(result.ok()).isFalse();
        assertThat(result.message()).isEqualTo("HubSpot connection test failed (HTTP 401): INVALID_AUTHENTICATION: Authentication credentials "
                + "not found.").doesNotContain(TOKEN);
        hubspot.verify(getRequestedFor(urlEqualTo("/account-info/v3/details")).withHeader("Authorization", equalTo("Bearer " + TOKEN)));

        hubspot.stubFor(get(urlPathEqualTo("/account-info/v3/details")).willReturn(okJson("{\"portalId\":24250101,\"timeZone\":\"UTC\"}")));
        assertThat(adapter.testConnection(connection)).isEqualTo(ConnectionTestResult.success("HubSpot portal 24250101 (localhost)"));
        assertThat(adapter.health(connection).status()).isEqualTo("ok");
    }

    @Test
    void aPassSearchesSortedByModificationDateAndHandsOnFlatRecords() {
        hubspot.stubFor(post("/crm/v3/objects/companies/search").willReturn(okJson("{\"total\":2,\"results\":["
                + record("101", "2024-05-01T10:00:00.000Z", "name", "Acme", "domain", "acme.com", "phone", null) + ","
                + record("102", "2024-05-01T10:00:01.500Z", "name", "Globex") + "]}")
                .withHeader("X-HubSpot-RateLimit-Remaining", "97")));

        FetchPage page = adapter.fetchRecords(connection, request("companies", List.of("id", "hs_lastmodifieddate", "name", "domain", "phone"),
                null, null));

        assertThat(page.records()).hasSize(2);
        Map<String, Object> first = page.records().get(0);
        assertThat(first).containsEntry("id", "101").containsEntry("name", "Acme").containsEntry("domain", "acme.com")
                .containsEntry("phone", null).containsEntry("hs_lastmodifieddate", "2024-05-01T10:00:00.000Z")
                .containsEntry("createdAt", "2024-01-01T00:00:00.000Z").containsEntry("archived", false);
        assertThat(page.hasMore()).isFalse();
        hubspot.verify(postRequestedFor(urlEqualTo("/crm/v3/objects/companies/search"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"filterGroups\":[],\"sorts\":[{\"propertyName\":\"hs_lastmodifieddate\","
                        + "\"direction\":\"ASCENDING\"}],\"properties\":[\"hs_lastmodifieddate\",\"name\",\"domain\",\"phone\",\"hs_object_id\"],"
                        + "\"limit\":200}")));
        assertThat(reported).containsExactly(200);
        assertThat(reportedRemaining).containsExactly("97");
    }

    @Test
    void theNextPageIsANewQueryFromTheLastTimestampDroppingRecordsAlreadyTaken() {
        hubspot.stubFor(post("/crm/v3/objects/companies/search")
                .withRequestBody(matchingJsonPath("$.filterGroups[0].filters[0].value", equalTo("1714557602000")))
                .willReturn(okJson("{\"total\":3,\"results\":["
                        + record("102", "2024-05-01T10:00:02.000Z", "name", "B") + ","
                        + record("103", "2024-05-01T10:00:03.000Z", "name", "C") + "]}")));
        hubspot.stubFor(post("/crm/v3/objects/companies/search")
                .withRequestBody(matchingJsonPath("$.filterGroups[0].filters[0].value", equalTo("1714557600000")))
                .willReturn(okJson("{\"total\":5,\"results\":["
                + record("101", "2024-05-01T10:00:01.000Z", "name", "A") + ","
                + record("102", "2024-05-01T10:00:02.000Z", "name", "B") + "],\"paging\":{\"next\":{\"after\":\"2\"}}}")));

        FetchPage first = adapter.fetchRecords(connection, request("companies", List.of("name"), "2024-05-01T10:00:00Z", null));
        FetchPage second = adapter.fetchRecords(connection, request("companies", List.of("name"), "2024-05-01T10:00:00Z",
                first.nextPageCursor()));

        assertThat(first.records()).extracting(r -> r.get("id")).containsExactly("101", "102");
        assertThat(first.hasMore()).isTrue();
        // 102 came again at the same timestamp: dropped
        assertThat(second.records()).extracting(r -> r.get("id")).containsExactly("103");
        assertThat(second.hasMore()).isFalse();
        hubspot.verify(postRequestedFor(urlEqualTo("/crm/v3/objects/companies/search"))
                .withRequestBody(matchingJsonPath("$.filterGroups[0].filters[0].value", equalTo("1714557600000"))));
        hubspot.verify(postRequestedFor(urlEqualTo("/crm/v3/objects/companies/search"))
                .withRequestBody(matchingJsonPath("$.filterGroups[0].filters[0].value", equalTo("1714557602000"))));
    }

    @Test
    void contactsGetTheirCompanyFromOneBatchReadOfThePagesAssociationsPrimaryFirst() {
        hubspot.stubFor(post("/crm/v3/objects/contacts/search").willReturn(okJson("{\"results\":["
                + "{\"id\":\"201\",\"properties\":{\"lastmodifieddate\":\"2024-05-01T10:00:00.000Z\",\"email\":\"a@x.com\"}},"
                + "{\"id\":\"202\",\"properties\":{\"lastmodifieddate\":\"2024-05-01T10:00:01.000Z\",\"email\":\"b@x.com\"}},"
                + "{\"id\":\"203\",\"properties\":{\"lastmodifieddate\":\"2024-05-01T10:00:02.000Z\",\"email\":\"c@x.com\"}}]}")));
        hubspot.stubFor(post("/crm/v4/associations/contact/company/batch/read").willReturn(aResponse().withStatus(207)
                .withHeader("Content-Type", "application/json").withBody("{\"status\":\"COMPLETE\",\"results\":["
                        + "{\"from\":{\"id\":\"201\"},\"to\":[{\"toObjectId\":900,\"associationTypes\":[{\"category\":\"HUBSPOT_DEFINED\",\"typeId\":279}]},"
                        + "{\"toObjectId\":950,\"associationTypes\":[{\"category\":\"HUBSPOT_DEFINED\",\"typeId\":1,\"label\":\"Primary\"},"
                        + "{\"category\":\"HUBSPOT_DEFINED\",\"typeId\":279}]}]},"
                        + "{\"from\":{\"id\":\"202\"},\"to\":[{\"toObjectId\":960,\"associationTypes\":[{\"category\":\"HUBSPOT_DEFINED\",\"typeId\":279}]},"
                        + "{\"toObjectId\":930,\"associationTypes\":[{\"category\":\"HUBSPOT_DEFINED\",\"typeId\":279}]}]}],"
                        + "\"numErrors\":1,\"errors\":[{\"status\":\"error\",\"category\":\"OBJECT_NOT_FOUND\",\"message\":\"No associations found\"}]}")));

        FetchPage page = adapter.fetchRecords(connection, request("contacts", List.of("id", "lastmodifieddate", "email", "associatedCompanyId"),
                null, null));

        assertThat(page.records()).extracting(r -> r.get("associatedCompanyId")).containsExactly("950", "930", null);
        assertThat(page.records().get(2)).containsKey("associatedCompanyId");
        hubspot.verify(1, postRequestedFor(urlEqualTo("/crm/v4/associations/contact/company/batch/read"))
                .withRequestBody(equalToJson("{\"inputs\":[{\"id\":\"201\"},{\"id\":\"202\"},{\"id\":\"203\"}]}")));
        // the search asked for the contact's own marker, never for the association field
        hubspot.verify(postRequestedFor(urlEqualTo("/crm/v3/objects/contacts/search"))
                .withRequestBody(equalToJson("{\"filterGroups\":[],\"sorts\":[{\"propertyName\":\"lastmodifieddate\",\"direction\":\"ASCENDING\"}],"
                        + "\"properties\":[\"lastmodifieddate\",\"email\",\"hs_object_id\"],\"limit\":200}")));
        assertThat(adapter.requestsPerPage("contacts")).isEqualTo(2);
        assertThat(adapter.requestsPerPage("companies")).isEqualTo(1);
    }

    @Test
    void pullFiltersBecomeSearchFilters() {
        hubspot.stubFor(post("/crm/v3/objects/companies/search").willReturn(okJson("{\"results\":[]}")));
        FetchRequest filtered = new FetchRequest("companies", List.of("name"), "hs_lastmodifieddate",
                List.of(new PullFilter("industry", "=", "SOFTWARE"), new PullFilter("numberofemployees", ">=", new java.math.BigDecimal("50")),
                        new PullFilter("domain", "!=", null)), null, null, 100);

        adapter.fetchRecords(connection, filtered);

        hubspot.verify(postRequestedFor(urlEqualTo("/crm/v3/objects/companies/search")).withRequestBody(equalToJson(
                "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"industry\",\"operator\":\"EQ\",\"value\":\"SOFTWARE\"},"
                        + "{\"propertyName\":\"numberofemployees\",\"operator\":\"GTE\",\"value\":\"50\"},"
                        + "{\"propertyName\":\"domain\",\"operator\":\"HAS_PROPERTY\"}]}],"
                        + "\"sorts\":[{\"propertyName\":\"hs_lastmodifieddate\",\"direction\":\"ASCENDING\"}],"
                        + "\"properties\":[\"name\",\"hs_lastmodifieddate\",\"hs_object_id\"],\"limit\":100}")));
        List<PullFilter> tooMany = List.of(new PullFilter("a", "=", "1"), new PullFilter("b", "=", "1"), new PullFilter("c", "=", "1"),
                new PullFilter("d", "=", "1"), new PullFilter("e", "=", "1"));
        assertThatThrownBy(() -> adapter.fetchRecords(connection, new FetchRequest("companies", List.of("name"), "hs_lastmodifieddate", tooMany,
                null, null, 100))).isInstanceOf(PermanentProviderException.class).hasMessageContaining("at most 4 pull filters");
    }

    @Test
    void hubSpotsFailuresAreClassifiedAndKeepOnlyItsCategoryAndMessage() {
        hubspot.stubFor(post("/crm/v3/objects/companies/search").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")
                .withHeader("Content-Type", "application/json").withBody("{\"status\":\"error\",\"message\":\"You have reached your "
                        + "ten_secondly_rolling limit.\",\"errorType\":\"RATE_LIMIT\",\"policyName\":\"TEN_SECONDLY_ROLLING\"}")));
        ProviderException limited = fetchFails();
        assertThat(limited.kind()).isEqualTo(ProviderException.Kind.RATE_LIMITED);
        assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(limited.getMessage()).isEqualTo("HubSpot search companies failed (HTTP 429): RATE_LIMIT: You have reached your "
                + "ten_secondly_rolling limit.");

        hubspot.stubFor(post("/crm/v3/objects/companies/search").willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"error\",\"message\":\"You have reached your secondly limit.\",\"errorType\":\"RATE_LIMIT\","
                        + "\"policyName\":\"SECONDLY\"}")));
        assertThat(fetchFails().retryAfter()).as("the search API's limit is per second").isEqualTo(Duration.ofSeconds(1));

        hubspot.stubFor(post("/crm/v3/objects/companies/search").willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                .withHeader("X-HubSpot-RateLimit-Interval-Milliseconds", "10000")
                .withBody("{\"status\":\"error\",\"errorType\":\"RATE_LIMIT\",\"policyName\":\"TEN_SECONDLY_ROLLING\"}")));
        assertThat(fetchFails().retryAfter()).isEqualTo(Duration.ofSeconds(10));

        hubspot.stubFor(post("/crm/v3/objects/companies/search").willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"error\",\"message\":\"This app hasn't been granted all required scopes to make this call.\","
                        + "\"category\":\"MISSING_SCOPES\"}")));
        assertThat(fetchFails().kind()).isEqualTo(ProviderException.Kind.AUTH);

        hubspot.stubFor(post("/crm/v3/objects/companies/search").willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"error\",\"message\":\"Property values were not valid: [{\\\"isValid\\\":false}]\","
                        + "\"category\":\"VALIDATION_ERROR\"}")));
        ProviderException invalid = fetchFails();
        assertThat(invalid.kind()).isEqualTo(ProviderException.Kind.PERMANENT);
        // a message that is not one plain line is not repeated
        assertThat(invalid.getMessage()).isEqualTo("HubSpot search companies failed (HTTP 400): VALIDATION_ERROR");

        for (int status : new int[] {500, 502, 503, 423, 524}) {
            hubspot.stubFor(post("/crm/v3/objects/companies/search").willReturn(aResponse().withStatus(status).withBody("<html>down</html>")));
            ProviderException down = fetchFails();
            assertThat(down.kind()).as("HTTP %d", status).isEqualTo(ProviderException.Kind.TRANSIENT);
            assertThat(down.getMessage()).endsWith("the answer was not HubSpot's");
        }
        hubspot.stubFor(post("/crm/v3/objects/companies/search").willReturn(aResponse().withStatus(503).withHeader("Retry-After", "30")));
        hubspot.resetRequests();
        ProviderException unavailable = fetchFails();
        assertThat(unavailable.kind()).isEqualTo(ProviderException.Kind.RATE_LIMITED);
        assertThat(unavailable.retryAfter()).isEqualTo(Duration.ofSeconds(30));
        // the hub waits (on its queue), never the HTTP client: one request, no retry of its own
        hubspot.verify(1, postRequestedFor(urlEqualTo("/crm/v3/objects/companies/search")));
        assertThat(adapter.health(connection).status()).isEqualTo("failing");
    }

    @Test
    void anAnswerThatIsNotJsonOrAProviderThatIsGoneIsReportedAsSuch() throws Exception {
        hubspot.stubFor(post("/crm/v3/objects/companies/search").willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"results\":[{\"id\":\"1\",")));
        ProviderException malformed = fetchFails();
        assertThat(malformed.kind()).isEqualTo(ProviderException.Kind.PERMANENT);
        assertThat(malformed.getMessage()).isEqualTo("HubSpot returned an unreadable search result: the answer was not HubSpot's");

        hubspot.stubFor(post("/crm/v3/objects/companies/search").willReturn(okJson("{\"results\":{}}")));
        assertThat(fetchFails().getMessage()).contains("unreadable search result");

        hubspot.stop();
        ProviderException gone = fetchFails();
        assertThat(gone.kind()).isEqualTo(ProviderException.Kind.TRANSIENT);
        assertThat(gone.getMessage()).isEqualTo("HubSpot search companies failed: the provider could not be reached");
    }

    private ProviderException fetchFails() {
        try {
            adapter.fetchRecords(connection, request("companies", List.of("name"), null, null));
        } catch (ProviderException e) {
            assertThat(e.getMessage()).doesNotContain(TOKEN);
            return e;
        }
        throw new AssertionError("the fetch did not fail");
    }

    @Test
    void deletionsAreTheArchivedRecordsOfTheWindowAcrossPages() {
        hubspot.stubFor(get(urlEqualTo("/crm/v3/objects/deals?archived=true&limit=100&properties=hs_object_id")).willReturn(okJson(
                "{\"results\":[{\"id\":\"1\",\"archived\":true,\"archivedAt\":\"2024-05-01T09:00:00.000Z\"},"
                        + "{\"id\":\"2\",\"archived\":true,\"archivedAt\":\"2024-05-01T10:30:00.000Z\"}],"
                        + "\"paging\":{\"next\":{\"after\":\"3\",\"link\":\"x\"}}}")));
        hubspot.stubFor(get(urlEqualTo("/crm/v3/objects/deals?archived=true&limit=100&properties=hs_object_id&after=3")).willReturn(okJson(
                "{\"results\":[{\"id\":\"3\",\"archived\":true,\"archivedAt\":\"2024-05-01T11:00:00.000Z\"},"
                        + "{\"id\":\"4\",\"archived\":true,\"archivedAt\":\"2024-05-01T12:30:00.000Z\"}]}")));
        Instant to = Instant.parse("2024-05-01T12:00:00Z");

        DeletedRecords deleted = adapter.fetchDeleted(connection, "deals", Instant.parse("2024-05-01T10:00:00Z"), to);

        assertThat(deleted.records()).extracting(d -> d.externalId()).containsExactly("2", "3");
        assertThat(deleted.records().get(0).deletedAt()).isEqualTo(Instant.parse("2024-05-01T10:30:00Z"));
        assertThat(deleted.coveredUntil()).isEqualTo(to);
    }

    @Test
    void writesSendPropertiesAsTextAndReadsComeBackFlatWithTheirCompany() {
        hubspot.stubFor(post("/crm/v3/objects/deals").willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withBody(record("555", "2024-05-01T10:00:00.000Z", "dealname", "Big"))));
        hubspot.stubFor(patch(urlEqualTo("/crm/v3/objects/contacts/201")).willReturn(okJson(record("201", "2024-05-02T10:00:00.000Z"))));
        hubspot.stubFor(get(urlPathEqualTo("/crm/v3/objects/contacts/201")).willReturn(okJson("{\"id\":\"201\",\"properties\":{\"firstname\":\"Ann\","
                + "\"lastmodifieddate\":\"2024-05-02T10:00:00.000Z\"},\"associations\":{\"companies\":{\"results\":["
                + "{\"id\":\"77\",\"type\":\"contact_to_company_unlabeled\"},{\"id\":\"88\",\"type\":\"contact_to_company\"}]}}}")));
        hubspot.stubFor(get(urlPathEqualTo("/crm/v3/objects/contacts/404")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"status\":\"error\",\"message\":\"resource not found\","
                        + "\"category\":\"OBJECT_NOT_FOUND\"}")));
        hubspot.stubFor(delete(urlEqualTo("/crm/v3/objects/companies/9")).willReturn(aResponse().withStatus(204)));
        hubspot.stubFor(delete(urlEqualTo("/crm/v3/objects/companies/10")).willReturn(aResponse().withStatus(404)));

        Map<String, Object> deal = new LinkedHashMap<>();
        deal.put("dealname", "Big");
        deal.put("amount", new java.math.BigDecimal("1500.50"));
        deal.put("dealstage", "appointmentscheduled");
        deal.put("associatedCompanyId", "42");
        assertThat(adapter.createRecord(connection, "deals", deal)).isEqualTo("555");
        hubspot.verify(postRequestedFor(urlEqualTo("/crm/v3/objects/deals")).withRequestBody(equalToJson("{\"properties\":{\"dealname\":\"Big\","
                + "\"amount\":\"1500.50\",\"dealstage\":\"appointmentscheduled\",\"pipeline\":\"default\"},\"associations\":[{\"to\":{\"id\":\"42\"},"
                + "\"types\":[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":5}]}]}")));

        Map<String, Object> change = new LinkedHashMap<>();
        change.put("jobtitle", "Manager");
        change.put("phone", null);
        change.put("numberofemployees", 12);
        adapter.updateRecord(connection, "contacts", "201", change, "2024-05-01T10:00:00.000Z");
        hubspot.verify(patchRequestedFor(urlEqualTo("/crm/v3/objects/contacts/201")).withRequestBody(equalToJson(
                "{\"properties\":{\"jobtitle\":\"Manager\",\"phone\":\"\",\"numberofemployees\":\"12\"}}"))
                .withHeader("If-Match", com.github.tomakehurst.wiremock.client.WireMock.absent()));

        Optional<Map<String, Object>> read = adapter.fetchRecord(connection, "contacts", "201", Set.of("id", "firstname", "associatedCompanyId"));
        assertThat(read).get().satisfies(r -> assertThat(r).containsEntry("id", "201").containsEntry("firstname", "Ann")
                .containsEntry("associatedCompanyId", "88"));
        hubspot.verify(getRequestedFor(urlPathEqualTo("/crm/v3/objects/contacts/201"))
                .withQueryParam("associations", equalTo("companies")).withQueryParam("archived", equalTo("false")));
        assertThat(adapter.fetchRecord(connection, "contacts", "404", Set.of("firstname"))).isEmpty();

        adapter.deleteRecord(connection, "companies", "9");
        adapter.deleteRecord(connection, "companies", "10");
        hubspot.verify(deleteRequestedFor(urlEqualTo("/crm/v3/objects/companies/9")));
        assertThatThrownBy(() -> adapter.deleteRecord(connection, "companies", "../crm/v3/objects/contacts/1"))
                .isInstanceOf(PermanentProviderException.class).hasMessageContaining("not a HubSpot record id");
    }

    @Test
    void fieldsAreDiscoveredFromThePropertiesApi() {
        hubspot.stubFor(get(urlPathEqualTo("/crm/v3/properties/companies")).willReturn(okJson("{\"results\":["
                + "{\"name\":\"name\",\"label\":\"Name\",\"type\":\"string\",\"modificationMetadata\":{\"readOnlyValue\":false}},"
                + "{\"name\":\"hs_lastmodifieddate\",\"label\":\"Last Modified Date\",\"type\":\"datetime\","
                + "\"modificationMetadata\":{\"readOnlyValue\":true}}]}")));

        List<FieldInfo> fields = adapter.discoverFields(connection, "companies");

        assertThat(fields).containsExactly(new FieldInfo("name", "Name", "string", true, true, true),
                new FieldInfo("hs_lastmodifieddate", "Last Modified Date", "datetime", false, false, true));
        assertThat(adapter.discoverEntities(connection)).extracting(e -> e.name()).containsExactly("companies", "contacts", "deals");
        assertThatThrownBy(() -> adapter.discoverFields(connection, "tickets")).isInstanceOf(PermanentProviderException.class);
    }

    @Test
    void anOAuthTokenAboutToExpireIsRefreshedBeforeItIsUsedAndTheNewOneReplacesIt() {
        hubspot.stubFor(get(urlPathEqualTo("/account-info/v3/details")).willReturn(okJson("{\"portalId\":1}")));
        Map<String, String> credentials = new LinkedHashMap<>();
        credentials.put("clientId", "client");
        credentials.put("clientSecret", "client-secret");
        credentials.put("accessToken", "old-access-token");
        credentials.put("refreshToken", "refresh-token");
        credentials.put("tokenUrl", "http://localhost:" + hubspot.port() + "/oauth/v1/token");
        credentials.put("expiresAt", Instant.now().plusSeconds(60).toString());
        ConnectionContext oauth = new ConnectionContext("t1", "int-oauth", "hubspot", credentials);
        when(tokens.refreshForUse("int-oauth")).thenReturn(Optional.of(new TokenLifecycle.AccessToken("new-access-token",
                Instant.now().plusSeconds(1800))));

        assertThat(adapter.testConnection(oauth).ok()).isTrue();
        assertThat(adapter.testConnection(oauth).ok()).isTrue();

        // the base URL comes from the token URL; the refreshed token is sent, the stale one never again
        hubspot.verify(2, getRequestedFor(urlPathEqualTo("/account-info/v3/details")).withHeader("Authorization", equalTo("Bearer new-access-token")));
        hubspot.verify(0, getRequestedFor(urlPathEqualTo("/account-info/v3/details")).withHeader("Authorization", equalTo("Bearer old-access-token")));
        verify(tokens, org.mockito.Mockito.times(1)).refreshForUse("int-oauth");
    }

    @Test
    void aPrivateAppTokenIsNeverRefreshedAndAnExpiredOAuthTokenThatCannotBeIsAnAuthFailure() {
        hubspot.stubFor(get(urlPathEqualTo("/account-info/v3/details")).willReturn(okJson("{\"portalId\":1}")));
        assertThat(adapter.testConnection(connection).ok()).isTrue();
        verify(tokens, never()).refreshForUse(org.mockito.ArgumentMatchers.anyString());

        ConnectionContext expired = new ConnectionContext("t1", "int-expired", "hubspot", Map.of("clientId", "c", "clientSecret", "s",
                "accessToken", "expired-token", "expiresAt", Instant.now().minusSeconds(5).toString(),
                "instanceUrl", "http://localhost:" + hubspot.port()));
        when(tokens.refreshForUse("int-expired")).thenReturn(Optional.empty());

        ConnectionTestResult result = adapter.testConnection(expired);

        assertThat(result.ok()).isFalse();
        assertThat(result.message()).contains("expired and could not be refreshed");
        hubspot.verify(0, getRequestedFor(urlPathEqualTo("/account-info/v3/details")).withHeader("Authorization", equalTo("Bearer expired-token")));
    }

    @Test
    void webhooksAreTheAppsToSetUpNotTheConnections() {
        assertThatThrownBy(() -> adapter.registerWebhook(connection, List.of("company.*"), "https://hub.example/webhooks/1", "secret"))
                .isInstanceOf(PermanentProviderException.class).hasMessageContaining("app's Webhooks settings");
        hubspot.verify(0, com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.anyUrl()));
    }

    @Test
    void changeMarkersCompareToTheMillisecond() {
        assertThat(adapter.resumeGranule("2024-05-01T10:00:00.000Z")).isEqualTo(adapter.resumeGranule("2024-05-01T10:00:00Z"))
                .isEqualTo("1714557600000");
        assertThat(adapter.resumeGranule("2024-05-01T10:00:00.001Z")).isNotEqualTo(adapter.resumeGranule("2024-05-01T10:00:00Z"));
    }
}
