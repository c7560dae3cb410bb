package api.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;

import hub.HubClient;
import hub.TestProviderAdapter;
import processors.writeback.WriteBackSession;

/**
 * The console in a real browser. Sign-in as a tenant and as the administrator, another tenant's object by
 * URL, a sync's progress arriving without a reload, cancel and retry, a conflict resolved, a form without its CSRF
 * token refused, an expired session back to sign-in and back; axe-core (npm, src/test/node/axe) on each page finds no
 * serious or critical violation.
 */
class ConsoleBrowserIT extends ConsoleBrowserTest {

    @Autowired
    TestProviderAdapter provider;

    @Test
    void aTenantRunsASyncAndWatchesItsProgressArriveWithoutAReload() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        String integration = hub.connectedSalesforce(key, "console-live", Map.of());
        String task = hub.task(key, integration, "Contact", "full");

        signIn(key);
        assertThat(browser.findElement(By.id("integrations-h")).getText()).isEqualTo("Integrations");
        assertAccessible("dashboard");
        click(By.id("run-" + task));
        wait(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("exec-status")));
        ((JavascriptExecutor) browser).executeScript("window.sameDocument = true;");
        long firstSeen = processed();
        wait(WAIT).until(d -> processed() > firstSeen && text("exec-status").equals("running"));
        wait(WAIT).until(d -> text("exec-status").equals("completed"));
        assertThat(processed()).isEqualTo(2000);
        assertThat(((JavascriptExecutor) browser).executeScript("return window.sameDocument === true;"))
                .as("updated in place, not reloaded").isEqualTo(true);
        assertAccessible("execution");
        browser.get(hub.baseUrl() + "/console/executions");
        assertThat(browser.findElement(By.id("executions")).getText()).contains("console-live").contains("completed");
        assertAccessible("executions");
        // at a phone's width the page does not scroll sideways (the table scrolls inside its own box)
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        for (String path : List.of("/console", "/console/executions")) {
            browser.get(hub.baseUrl() + path);
            assertThat(((JavascriptExecutor) browser).executeScript(
                    "return document.documentElement.scrollWidth <= document.documentElement.clientWidth;")).as(path).isEqualTo(true);
        }
        assertAccessible("executions-phone");
    }

    @Test
    void aRunningSyncIsCancelledAndAFailedOneRetriedFromTheirPages() {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        String integration = hub.connectedSalesforce(tenant.key(), "console-cancel", Map.of());
        String running = hub.runUntilProcessed(tenant.key(), integration, hub.task(tenant.key(), integration, "Contact", "full"), 1,
                WAIT);
        signIn(tenant.key());
        browser.get(hub.baseUrl() + "/console/integrations/" + integration + "/executions/" + running);
        click(By.id("cancel"));
        wait(WAIT).until(d -> text("exec-status").equals("cancelled"));
        long kept = processed();
        assertThat(kept).isBetween(1L, 1999L);

        // a failed run of another integration of the tenant, retried
        String failing = failingIntegration(hub, tenant, "console-retry");
        JsonNode failed = hub.runAndWait(tenant.key(), failing, hub.task(tenant.key(), failing, "Item", "full"), WAIT);
        browser.get(hub.baseUrl() + "/console/integrations/" + failing + "/executions/" + failed.get("id").asText());
        assertThat(text("exec-status")).isEqualTo("failed");
        click(By.id("retry"));
        wait(WAIT).until(d -> !d.getCurrentUrl().endsWith(failed.get("id").asText()));
        wait(WAIT).until(d -> text("exec-status").equals("completed"));
    }

    @Test
    void aTenantCannotOpenAnotherTenantsRunByUrlAndTheAdministratorSwitchesToIt() {
        HubClient hub = hub();
        HubClient.Tenant owner = hub.newTenant(ADMIN_KEY);
        String integration = hub.connectedSalesforce(owner.key(), "console-owner", Map.of());
        JsonNode run = hub.runAndWait(owner.key(), integration, hub.task(owner.key(), integration, "Opportunity", "full"), WAIT);
        String page = hub.baseUrl() + "/console/integrations/" + integration + "/executions/" + run.get("id").asText();

        signIn(hub.newTenantKey(ADMIN_KEY));
        browser.get(page);
        assertThat(browser.findElement(By.tagName("h1")).getText()).startsWith("404");
        assertAccessible("refusal");

        browser.findElement(By.id("sign-out")).click();
        signIn(ADMIN_KEY);
        new Select(browser.findElement(By.id("tenant-switch"))).selectByValue(owner.id());
        browser.findElement(By.cssSelector("form[action='/console/tenant'] button")).click();
        wait(WAIT).until(d -> d.findElements(By.id("integration-" + integration)).size() == 1);
        browser.get(page);
        assertThat(text("exec-status")).isEqualTo("completed");
        for (String queue : List.of("matches", "webhooks", "deadletters", "connections")) {
            browser.get(hub.baseUrl() + "/console/" + queue);
            assertThat(browser.findElement(By.tagName("h1")).getText()).isNotBlank();
            assertAccessible(queue);
        }
    }

    @Test
    void aConflictIsResolvedByKeepingTheProvidersValue() {
        WriteBackSession s = new WriteBackSession(hub(), Map.of("conflictResolution", "manual"));
        s.conflictOnPhone();
        String id = s.conflicts("open").get(0).get("id").asText();

        signIn(s.key);
        browser.get(hub().baseUrl() + "/console/conflicts");
        assertAccessible("conflicts");
        browser.findElement(By.cssSelector("a[href='/console/conflicts/" + id + "']")).click();
        assertThat(browser.findElement(By.id("conflict-fields")).getText()).contains("ours").contains("theirs");
        assertAccessible("conflict");
        browser.findElement(By.id("keep-theirs")).click();
        wait(WAIT).until(d -> text("conflict-status").equals("resolved"));
        assertThat(s.conflicts("open")).isEmpty();
    }

    @Test
    void aFormWithoutItsCsrfTokenIsRefusedAndAnExpiredSessionSignsInAgainAndComesBack() {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        String integration = failingIntegration(hub, tenant, "console-csrf");
        JsonNode run = hub.runAndWait(tenant.key(), integration, hub.task(tenant.key(), integration, "Item", "full"), WAIT);
        String page = hub.baseUrl() + "/console/integrations/" + integration + "/executions/" + run.get("id").asText();
        signIn(tenant.key());
        browser.get(page);
        ((JavascriptExecutor) browser).executeScript("document.querySelector('#retry').form.querySelector('[name=_csrf]').remove();");
        click(By.id("retry"));
        wait(WAIT).until(d -> d.getPageSource().contains("403") || d.getPageSource().contains("Forbidden"));
        assertThat(hub.ok("GET", "/api/tenant/integrations/" + integration + "/executions", tenant.key(), null).get("items"))
                .as("nothing was retried").hasSize(1);

        // the session gone (expired or ended elsewhere): the page asks for the key again and comes back after it
        browser.manage().deleteCookieNamed("JSESSIONID");
        browser.get(page + "?view=again");
        wait(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("key")));
        assertAccessible("sign-in");
        browser.findElement(By.id("key")).sendKeys(tenant.key());
        browser.findElement(By.id("sign-in")).click();
        wait(WAIT).until(d -> d.getCurrentUrl().endsWith("?view=again"));
        assertThat(text("exec-status")).isEqualTo("failed");
    }

    /** A test-provider integration of the tenant whose next fetch the provider refuses for good (its next run fails). */
    private String failingIntegration(HubClient hub, HubClient.Tenant tenant, String name) {
        String integration = hub.connectedTestProvider(tenant.key(), name);
        provider.seedItem(tenant.id(), name + " Ltd", "+1 555 0100");
        provider.refuseFetches(tenant.id(), 1);
        return integration;
    }
}
