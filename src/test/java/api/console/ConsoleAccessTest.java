package api.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.TestProviderAdapter;
import processors.writeback.WriteBackSession;

/**
 * The console's door: sign-in with a tenant key or the admin key makes a session (HttpOnly, SameSite cookie, a new id);
 * every change needs the session's CSRF token (403 without); a tenant sees only its own objects (another tenant's by
 * URL is 404), the administrator switches tenants; sign-out ends the session; the REST API keeps its bearer keys.
 */
class ConsoleAccessTest extends EmbeddedHubTest {

    @Autowired
    TestProviderAdapter provider;

    @Autowired
    store.WebhookDeliveryStore deliveries;

    @Test
    void aPageWithoutASessionGoesToSignInAndBackAfterIt() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        ConsoleSession browser = new ConsoleSession(hub.baseUrl());
        HttpResponse<String> page = browser.get("/console/executions?status=failed");
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location").orElseThrow())
                .endsWith("/console/login?next=%2Fconsole%2Fexecutions%3Fstatus%3Dfailed");

        HttpResponse<String> login = browser.get("/console/login?next=%2Fconsole%2Fexecutions%3Fstatus%3Dfailed");
        assertThat(login.statusCode()).isEqualTo(200);
        String before = browser.sessionCookie().getValue();
        HttpResponse<String> signedIn = browser.post("/console/login", Map.of("key", key, "next", "/console/executions?status=failed"), true);
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(302);
        assertThat(signedIn.headers().firstValue("Location").orElseThrow()).endsWith("/console/executions?status=failed");
        assertThat(browser.sessionCookie().getValue()).as("a new session id after sign-in").isNotEqualTo(before);
        assertThat(browser.get("/console/executions?status=failed").statusCode()).isEqualTo(200);
    }

    @Test
    void theSessionCookieIsHttpOnlyAndSameSite() {
        ConsoleSession browser = new ConsoleSession(hub().baseUrl());
        HttpResponse<String> login = browser.get("/console/login");
        String cookie = login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID=")).findFirst().orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict");
        assertThat(login.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'");
        assertThat(login.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    }

    @Test
    void aWrongKeyIsRefusedOnTheFormAndAFormWithoutTheCsrfTokenIsRefused() {
        HubClient hub = hub();
        ConsoleSession browser = new ConsoleSession(hub.baseUrl());
        browser.get("/console/login");
        HttpResponse<String> wrong = browser.post("/console/login", Map.of("key", "not-a-key"), true);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("key: not a valid admin or tenant key");
        assertThat(browser.post("/console/login", Map.of("key", hub.newTenantKey(ADMIN_KEY)), false).statusCode()).isEqualTo(403);
    }

    @Test
    void changesWithoutTheSessionsCsrfTokenAreRefused() {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        String[] run = failedRun(hub, tenant, "csrf");
        ConsoleSession browser = new ConsoleSession(hub.baseUrl());
        assertThat(browser.signIn(tenant.key(), null).statusCode()).isEqualTo(302);
        browser.get("/console");
        String retry = "/console/integrations/" + run[0] + "/executions/" + run[1] + "/retry";

        assertThat(browser.post(retry, Map.of(), false).statusCode()).isEqualTo(403);
        assertThat(browser.htmxPost(retry, null).statusCode()).isEqualTo(403);
        assertThat(browser.htmxPost(retry, "forged").statusCode()).isEqualTo(403);
        assertThat(hub.ok("GET", "/api/tenant/integrations/" + run[0] + "/executions?limit=10", tenant.key(), null).get("items"))
                .as("nothing was retried").hasSize(1);

        HttpResponse<String> retried = browser.post(retry, Map.of(), true);
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(302);
        assertThat(retried.headers().firstValue("Location").orElseThrow()).contains("/console/integrations/" + run[0] + "/executions/");
    }

    @Test
    void aTenantCannotOpenOrActOnAnotherTenantsObjectsByUrl() {
        HubClient hub = hub();
        HubClient.Tenant owner = hub.newTenant(ADMIN_KEY);
        String[] run = failedRun(hub, owner, "isolated");
        String page = "/console/integrations/" + run[0] + "/executions/" + run[1];

        ConsoleSession ownerBrowser = new ConsoleSession(hub.baseUrl());
        ownerBrowser.signIn(owner.key(), null);
        HttpResponse<String> own = ownerBrowser.get(page);
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(own.body()).contains(run[1]).contains("failed");

        ConsoleSession other = new ConsoleSession(hub.baseUrl());
        other.signIn(hub.newTenantKey(ADMIN_KEY), null);
        assertThat(other.get(page).statusCode()).isEqualTo(404);
        assertThat(other.get("/console/executions").body()).doesNotContain(run[1]);
        assertThat(other.post(page + "/retry", Map.of(), true).statusCode()).isEqualTo(404);
        assertThat(other.post(page + "/cancel", Map.of(), true).statusCode()).isEqualTo(404);
        assertThat(other.get("/console/deadletters").statusCode()).as("dead letters are the administrator's").isEqualTo(403);
        assertThat(other.post("/console/tenant", Map.of("tenantId", owner.id()), true).statusCode()).isEqualTo(403);
        assertThat(other.get(page).statusCode()).isEqualTo(404);
    }

    @Test
    void theAdministratorSwitchesTenantsAndSeesTheirRuns() {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        String[] run = failedRun(hub, tenant, "admin-view");
        ConsoleSession admin = new ConsoleSession(hub.baseUrl());
        admin.signIn(ADMIN_KEY, null);
        HttpResponse<String> dashboard = admin.get("/console");
        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(dashboard.body()).contains("administrator").contains("tenant-switch");

        assertThat(admin.post("/console/tenant", Map.of("tenantId", tenant.id()), true).statusCode()).isEqualTo(302);
        assertThat(admin.get("/console").body()).contains("admin-view");
        assertThat(admin.get("/console/integrations/" + run[0] + "/executions/" + run[1]).statusCode()).isEqualTo(200);
        assertThat(admin.get("/console/deadletters").statusCode()).isEqualTo(200);
        assertThat(admin.post("/console/tenant", Map.of("tenantId", "no-such-tenant"), true).statusCode()).isEqualTo(404);
    }

    @Test
    void signOutEndsTheSessionAndTheApiKeepsItsBearerKeys() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        ConsoleSession browser = new ConsoleSession(hub.baseUrl());
        browser.signIn(key, null);
        assertThat(browser.get("/console").statusCode()).isEqualTo(200);
        assertThat(browser.post("/console/logout", Map.of(), true).statusCode()).isEqualTo(302);
        assertThat(browser.get("/console").statusCode()).isEqualTo(302);
        HttpResponse<String> htmx = browser.htmxPost("/console/integrations/x/executions/y/retry", "whatever");
        assertThat(htmx.statusCode()).as("no session, so no token either").isEqualTo(403);

        // the console's session is no key for the API, and the API's key filter does not guard the console
        assertThat(hub.call("GET", "/api/tenant/integrations", null, null).status()).isEqualTo(401);
        assertThat(hub.call("GET", "/api/tenant/integrations", key, null).status()).isEqualTo(200);
        assertThat(hub.call("GET", "/console/login", null, null).status()).isEqualTo(200);
        assertThat(hub.call("GET", "/actuator/health", null, null).status()).isEqualTo(200);
    }

    @Test
    void theConnectionsPageShowsEachConnectionAndTestsItWithTheProvidersAnswerForItsTenantOnly() {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        String integration = hub.connectedTestProvider(tenant.key(), "connections-page");
        ConsoleSession browser = new ConsoleSession(hub.baseUrl());
        browser.signIn(tenant.key(), null);
        HttpResponse<String> page = browser.get("/console/connections");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("connections-page").contains("connected").contains("Provider catalog");
        HttpResponse<String> tested = browser.post("/console/connections/" + integration + "/test", Map.of(), true);
        assertThat(tested.statusCode()).isEqualTo(200);
        assertThat(tested.body()).contains("id=\"test-result\"").contains("Test: ok");

        ConsoleSession other = new ConsoleSession(hub.baseUrl());
        other.signIn(hub.newTenantKey(ADMIN_KEY), null);
        assertThat(other.get("/console/connections").body()).doesNotContain("connections-page");
        assertThat(other.post("/console/connections/" + integration + "/test", Map.of(), true).statusCode()).isEqualTo(404);
        assertThat(other.post("/console/connections/" + integration + "/disconnect", Map.of(), true).statusCode()).isEqualTo(404);
        assertThat(hub.ok("GET", "/api/tenant/integrations/" + integration + "/connection", tenant.key(), null).get("status").asText())
                .isEqualTo("connected");
    }

    @Test
    void aConflictSomeoneElseResolvedMeanwhileShowsHowItStandsInsteadOfFailing() {
        WriteBackSession s = new WriteBackSession(hub(), Map.of("conflictResolution", "manual"));
        s.conflictOnPhone();
        String id = s.conflicts("open").get(0).get("id").asText();
        ConsoleSession browser = new ConsoleSession(hub().baseUrl());
        browser.signIn(s.key, null);
        assertThat(browser.get("/console/conflicts/" + id).body()).contains("keep-theirs");

        hub().ok("POST", "/api/tenant/conflicts/" + id + "/resolve", s.key, Map.of("keep", "ours"));
        HttpResponse<String> late = browser.post("/console/conflicts/" + id + "/resolve", Map.of("keep", "theirs"), true);
        assertThat(late.statusCode()).isEqualTo(302);
        assertThat(late.headers().firstValue("Location").orElseThrow()).endsWith("/console/conflicts/" + id + "?stale=1");
        HttpResponse<String> current = browser.get("/console/conflicts/" + id + "?stale=1");
        assertThat(current.body()).contains("Someone else resolved this conflict").contains(">resolved<").doesNotContain("keep-theirs");
        assertThat(hub().ok("GET", "/api/tenant/conflicts/" + id, s.key, null).at("/resolution/phone").asText()).isEqualTo("ours");
    }

    @Test
    void aConflictEditedPerFieldShowsTheApisRefusalByTheFieldThenResolvesWithTheTypedValue() {
        WriteBackSession s = new WriteBackSession(hub(), Map.of("conflictResolution", "manual"));
        s.conflictOnPhone();
        String id = s.conflicts("open").get(0).get("id").asText();
        String edit = "/console/conflicts/" + id + "/edit";
        ConsoleSession browser = new ConsoleSession(hub().baseUrl());
        browser.signIn(s.key, null);
        assertThat(browser.get("/console/conflicts/" + id).body()).contains("name=\"values.phone\" value=\"ours\"");
        assertThat(browser.get("/console/conflicts/" + id + "?edit=theirs").body()).contains("name=\"values.phone\" value=\"theirs\"");

        ConsoleSession other = new ConsoleSession(hub().baseUrl());
        other.signIn(hub().newTenantKey(ADMIN_KEY), null);
        assertThat(other.get("/console/conflicts/" + id).statusCode()).isEqualTo(404);
        assertThat(other.post(edit, Map.of("values.phone", "+1 555 0100"), true).statusCode()).isEqualTo(404);
        assertThat(other.post("/console/webhooks/no-such-delivery/replay", Map.of(), true).statusCode()).isEqualTo(404);

        // longer than Salesforce's Phone: the API's 400 by the field, the typed value kept, the conflict still open
        String tooLong = "+1 555 0100 extension 1234567890 1234567890";
        HttpResponse<String> refused = browser.post(edit, Map.of("values.phone", tooLong), true);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("id=\"values.phone-error\"").contains("longer than 40 characters")
                .contains("name=\"values.phone\" value=\"" + tooLong + "\"").contains("aria-invalid=\"true\"")
                .contains("aria-describedby=\"values.phone-error\"");
        assertThat(s.conflicts("open")).hasSize(1);

        HttpResponse<String> resolved = browser.post(edit, Map.of("values.phone", "+1 555 0100"), true);
        assertThat(resolved.statusCode()).isEqualTo(302);
        assertThat(resolved.headers().firstValue("Location").orElseThrow()).endsWith("/console/conflicts/" + id);
        assertThat(hub().ok("GET", "/api/tenant/conflicts/" + id, s.key, null).at("/resolution/phone").asText()).isEqualTo("+1 555 0100");
        // sent again, as by a second tab: the conflict is resolved, so the page shows how it stands
        HttpResponse<String> late = browser.post(edit, Map.of("values.phone", "+1 555 0199"), true);
        assertThat(late.headers().firstValue("Location").orElseThrow()).endsWith("/console/conflicts/" + id + "?stale=1");
        assertThat(hub().ok("GET", "/api/tenant/conflicts/" + id, s.key, null).at("/resolution/phone").asText()).isEqualTo("+1 555 0100");
    }

    @Test
    void aDeliveryWaitingToBeProcessedIsFollowedOnItsPageAndItsReplayRefusedWithWhy() {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        String integration = hub.connectedSalesforce(tenant.key(), "console-wh-" + java.util.UUID.randomUUID().toString().substring(0, 8),
                Map.of());
        String registration = hub.ok("POST", "/api/tenant/integrations/" + integration + "/webhooks", tenant.key(),
                Map.of("scheme", "standard_webhooks", "events", java.util.List.of("*"))).get("id").asText();
        String id = java.util.UUID.randomUUID().toString();
        deliveries.insert(java.util.List.of(new store.WebhookDelivery(id, registration, tenant.id(), null, store.Timestamps.now(),
                store.WebhookDelivery.Verification.VERIFIED, store.WebhookDelivery.Status.ACCEPTED, 202, java.util.List.of(), null, null,
                "{}", 1, null, null)));
        String page = "/console/webhooks/" + id + "/payload";

        ConsoleSession browser = new ConsoleSession(hub.baseUrl());
        browser.signIn(tenant.key(), null);
        HttpResponse<String> waiting = browser.get(page);
        assertThat(waiting.statusCode()).isEqualTo(200);
        assertThat(waiting.body()).contains("hx-get=\"" + page + "\"").contains("hx-trigger=\"every 1s\"").doesNotContain("id=\"replay\"");
        HttpResponse<String> refused = browser.post("/console/webhooks/" + id + "/replay", Map.of(), true);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("id=\"replay-refused\"").contains("waiting to be processed");

        ConsoleSession other = new ConsoleSession(hub.baseUrl());
        other.signIn(hub.newTenantKey(ADMIN_KEY), null);
        assertThat(other.get(page).statusCode()).isEqualTo(404);
        assertThat(other.post("/console/webhooks/" + id + "/replay", Map.of(), true).statusCode()).isEqualTo(404);
    }

    /** A test-provider integration of the tenant with one failed run: {integrationId, executionId}. */
    private String[] failedRun(HubClient hub, HubClient.Tenant tenant, String name) {
        String integration = hub.connectedTestProvider(tenant.key(), name);
        provider.seedItem(tenant.id(), name + " Ltd", "+1 555 0199");
        provider.refuseFetches(tenant.id(), 1);
        JsonNode failed = hub.runAndWait(tenant.key(), integration, hub.task(tenant.key(), integration, "Item", "full"), Duration.ofSeconds(60));
        assertThat(failed.get("status").asText()).as(failed.toString()).isEqualTo("failed");
        return new String[] {integration, failed.get("id").asText()};
    }
}
