package api.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.util.HtmlUtils;

import connections.oauth.AuthorizationCodeFlow;
import connections.oauth.OAuthConnectRequest;
import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.InvalidInputException;
import hub.TestProviderAdapter;
import security.Caller;
import store.Connection;
import store.ConnectionStore;
import store.Integration;
import store.IntegrationStore;

/**
 * The connections pages over HTTP: a new integration and its credentials through the form made from the type's fields
 * (the secret never comes back, not even after a 400), the settings form's 400 by its field with what was typed, an
 * OAuth flow started from the console coming back to the console (and only to a console path), and another tenant's
 * integration by URL answered 404.
 */
class ConnectionPagesTest extends EmbeddedHubTest {

    private static final Pattern META_REFRESH = Pattern.compile("http-equiv=\"refresh\" content=\"0;url=([^\"]+)\"");

    @Autowired
    ConnectionStore connections;
    @Autowired
    AuthorizationCodeFlow oauth;
    @Autowired
    IntegrationStore integrations;

    @Test
    void anIntegrationIsCreatedAndConnectedWithAnApiKeyThatNeverComesBack() {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        ConsoleSession browser = signedIn(hub, tenant.key());
        browser.get("/console/connections");

        HttpResponse<String> blank = browser.post("/console/connections", Map.of("providerId", TestProviderAdapter.PROVIDER_ID, "name", " "), true);
        assertThat(blank.statusCode()).isEqualTo(400);
        assertThat(blank.body()).contains("id=\"name-error\"").contains("name: required").contains("aria-describedby=\"name-error\"");

        HttpResponse<String> created = browser.post("/console/connections",
                Map.of("providerId", TestProviderAdapter.PROVIDER_ID, "name", "keyed"), true);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(302);
        String page = URI.create(created.headers().firstValue("Location").orElseThrow()).getPath();
        String integration = page.substring(page.lastIndexOf('/') + 1);

        HttpResponse<String> form = browser.get(page + "?type=api_key");
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("name=\"credentials.apiKey\"").contains("type=\"password\"").contains("name=\"credentials.headerName\"");
        // a PEM keeps its newlines: asked for in a text box, the private key's never filled back
        String certificate = browser.get(page + "?type=certificate").body();
        assertThat(certificate).containsPattern("<textarea[^>]*name=\"credentials.certificate\"")
                .containsPattern("<textarea[^>]*name=\"credentials.privateKey\"");

        String secret = "sk-" + UUID.randomUUID();
        HttpResponse<String> refused = browser.post(page + "/connect",
                Map.of("type", "api_key", "credentials.apiKey", secret, "credentials.headerName", "not a header"), true);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("id=\"credentials.headerName-error\"").contains("must be an HTTP header name")
                .contains("value=\"not a header\"").doesNotContain(secret);
        assertThat(connections.find(integration)).isEmpty();

        HttpResponse<String> connected = browser.post(page + "/connect",
                Map.of("type", "api_key", "credentials.apiKey", secret, "credentials.headerName", "X-Api-Key",
                        "rotation.maxAgeDays", "90", "rotation.warnBeforeDays", "14"), true);
        assertThat(connected.statusCode()).as(connected.body()).isEqualTo(200);
        assertThat(connected.body()).doesNotContain(secret).contains("id=\"connection-status\">connected<");
        Connection c = connections.find(integration).orElseThrow();
        assertThat(c.status()).isEqualTo(Connection.Status.CONNECTED);
        assertThat(c.authType()).isEqualTo("api_key");
        assertThat(c.rotationMaxAgeDays()).isEqualTo(90);
        assertThat(browser.get(page).body()).doesNotContain(secret).doesNotContain(c.secretName());
        assertThat(browser.get("/console/connections").body()).doesNotContain(secret);
    }

    @Test
    void theSettingsFormShowsTheApisRefusalByItsFieldWithWhatWasTyped() {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        String integration = hub.connectedTestProvider(tenant.key(), "settings");
        ConsoleSession browser = signedIn(hub, tenant.key());
        String page = "/console/connections/" + integration;
        assertThat(browser.get(page).statusCode()).isEqualTo(200);

        HttpResponse<String> refused = browser.post(page + "/settings", Map.of("name", "renamed", "syncDirection", "inbound",
                "syncFrequency", "now and then", "conflictResolution", "manual", "entities", "Item"), true);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("id=\"syncFrequency-error\"").contains("syncFrequency:")
                .contains("value=\"now and then\"").contains("value=\"renamed\"")
                .contains("aria-describedby=\"syncFrequency-error\"");
        assertThat(hub.ok("GET", "/api/tenant/integrations/" + integration, tenant.key(), null).get("name").asText()).isEqualTo("settings");

        String filters = "{\"Item\": [{\"field\": \"name\", \"op\": \"resembles\", \"value\": \"x\"}]}";
        HttpResponse<String> badFilter = browser.post(page + "/settings", Map.of("name", "renamed", "syncDirection", "inbound",
                "syncFrequency", "", "conflictResolution", "manual", "entities", "Item", "pullFilters", filters), true);
        assertThat(badFilter.statusCode()).isEqualTo(400);
        assertThat(badFilter.body()).contains("id=\"pullFilters-error\"").contains("pullFilters.Item[0].op")
                .contains(HtmlUtils.htmlEscape(filters));

        HttpResponse<String> saved = browser.post(page + "/settings", Map.of("name", "renamed", "syncDirection", "bidirectional",
                "syncFrequency", "", "conflictResolution", "manual", "entities", "Item",
                "pullFilters", "{\"Item\": [{\"field\": \"name\", \"op\": \"=\", \"value\": \"x\"}]}"), true);
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(302);
        var view = hub.ok("GET", "/api/tenant/integrations/" + integration, tenant.key(), null);
        assertThat(view.get("name").asText()).isEqualTo("renamed");
        assertThat(view.get("syncDirection").asText()).isEqualTo("bidirectional");
        assertThat(view.get("conflictResolution").asText()).isEqualTo("manual");
        assertThat(view.get("pullFilters").get("Item").get(0).get("op").asText()).isEqualTo("=");
        assertThat(browser.get(page + "?saved=settings").body()).contains("Settings saved.");
    }

    @Test
    void anotherTenantsConnectionPageIsNotFound() {
        HubClient hub = hub();
        HubClient.Tenant owner = hub.newTenant(ADMIN_KEY);
        String integration = hub.connectedTestProvider(owner.key(), "theirs");
        ConsoleSession other = signedIn(hub, hub.newTenantKey(ADMIN_KEY));
        other.get("/console/connections");
        String page = "/console/connections/" + integration;
        assertThat(other.get(page).statusCode()).isEqualTo(404);
        assertThat(other.post(page + "/settings", Map.of("name", "mine"), true).statusCode()).isEqualTo(404);
        assertThat(other.post(page + "/connect", Map.of("type", "api_key", "credentials.apiKey", "k"), true).statusCode()).isEqualTo(404);
        assertThat(other.post(page + "/oauth", Map.of("clientId", "c", "clientSecret", "s"), true).statusCode()).isEqualTo(404);
        assertThat(hub.ok("GET", "/api/tenant/integrations/" + integration, owner.key(), null).get("name").asText()).isEqualTo("theirs");

        // the administrator sees it once the tenant is chosen with the tenant switch
        ConsoleSession admin = signedIn(hub, ADMIN_KEY);
        admin.get("/console");
        assertThat(admin.get(page).statusCode()).isEqualTo(409);
        admin.post("/console/tenant", Map.of("tenantId", owner.id()), true);
        assertThat(admin.get(page).statusCode()).isEqualTo(200);
    }

    @Test
    void anOAuthFlowStartedFromTheConsoleComesBackToItsPage() {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        String integration = oauthRoundTrip(hub, tenant, connections);

        // a return target is only ever a path of the console
        Caller caller = Caller.tenant(tenant.id(), "test");
        Integration sf = integrations.find(tenant.id(), integration).orElseThrow();
        OAuthConnectRequest request = new OAuthConnectRequest("sandbox-client", "sandbox-secret", null, null, hub.sandboxUrl(), null);
        for (String target : new String[] {"https://elsewhere.example/console", "//elsewhere.example/console", "/console/../api/x",
                "/console/x?next=https://elsewhere.example", "/consolex", "/console\\\\elsewhere.example"}) {
            assertThatThrownBy(() -> oauth.start(caller, sf, request, hub.baseUrl() + AuthorizationCodeFlow.CALLBACK_PATH, target)).as(target)
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("returnTo");
        }
    }

    /**
     * A Salesforce integration of the tenant connected by OAuth from its console page: the flow's start refused by its field
     * without the client secret, then started, the sandbox's authorization, and the callback back to the page.
     */
    static String oauthRoundTrip(HubClient hub, HubClient.Tenant tenant, ConnectionStore connections) {
        String integration = hub.ok("POST", "/api/tenant/integrations", tenant.key(), Map.of("providerId", "salesforce", "name", "sf console"))
                .get("id").asText();
        ConsoleSession browser = signedIn(hub, tenant.key());
        String page = "/console/connections/" + integration;
        assertThat(browser.get(page + "?type=oauth2_authorization_code").body()).contains("id=\"oauth-form\"");

        HttpResponse<String> missing = browser.post(page + "/oauth", Map.of("clientId", "sandbox-client", "clientSecret", ""), true);
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("id=\"clientSecret-error\"").contains("value=\"sandbox-client\"");

        String org = "console-oauth-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> start = browser.post(page + "/oauth", Map.of("clientId", "sandbox-client", "clientSecret", "sandbox-secret",
                "loginUrl", hub.sandboxUrl(), "scope", "api refresh_token", "loginHint", HubClient.sandboxUser(org)), true);
        assertThat(start.statusCode()).as(start.body()).isEqualTo(200);
        assertThat(start.body()).doesNotContain("sandbox-secret");
        String authorize = refreshTarget(start.body());
        String callback = HubClient.authorizationRedirect(authorize);
        HubClient.Response back = hub.call("GET", callback, null, null);
        assertThat(back.status()).isEqualTo(200);
        assertThat(refreshTarget(back.raw())).isEqualTo(page + "?oauth=connected");
        assertThat(connections.find(integration).orElseThrow().status()).isEqualTo(Connection.Status.CONNECTED);
        assertThat(browser.get(page + "?oauth=connected").body()).contains("id=\"oauth-outcome\"")
                .contains("id=\"connection-status\">connected<");

        // the same callback again (the state is used up): back to the page, which says it failed
        assertThat(refreshTarget(hub.call("GET", callback, null, null).raw())).isEqualTo(page + "?oauth=failed");
        // the provider refuses (a user it does not know): back to the page, which says so; the connection stays as it was
        HttpResponse<String> refusedStart = browser.post(page + "/oauth", Map.of("clientId", "sandbox-client", "clientSecret",
                "sandbox-secret", "loginUrl", hub.sandboxUrl(), "loginHint", "someone@elsewhere.example"), true);
        String refusal = HubClient.authorizationRedirect(refreshTarget(refusedStart.body()));
        assertThat(refreshTarget(hub.call("GET", refusal, null, null).raw())).isEqualTo(page + "?oauth=denied");
        assertThat(browser.get(page + "?oauth=denied").body()).contains("The provider refused authorization");
        assertThat(connections.find(integration).orElseThrow().status()).isEqualTo(Connection.Status.CONNECTED);
        return integration;
    }

    static ConsoleSession signedIn(HubClient hub, String key) {
        ConsoleSession browser = new ConsoleSession(hub.baseUrl());
        assertThat(browser.signIn(key, null).statusCode()).isEqualTo(302);
        return browser;
    }

    private static String refreshTarget(String html) {
        Matcher m = META_REFRESH.matcher(html);
        assertThat(m.find()).as(html).isTrue();
        return HtmlUtils.htmlUnescape(m.group(1));
    }
}
