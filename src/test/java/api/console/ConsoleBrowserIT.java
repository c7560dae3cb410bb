package api.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import com.fasterxml.jackson.databind.JsonNode;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.TestProviderAdapter;
import processors.writeback.WriteBackSession;

/**
 * The console in a real browser: Debian's chromium driven headless through Debian's chromedriver (nothing downloaded at
 * test time; {@code .ci/run} installs both). Sign-in as a tenant and as the administrator, another tenant's object by
 * URL, a sync's progress arriving without a reload, cancel and retry, a conflict resolved, a form without its CSRF
 * token refused, an expired session back to sign-in and back; axe-core (npm, src/test/node/axe) on each page finds no
 * serious or critical violation.
 */
@Tag("browser")
// the sandbox answers slowly enough that a run of the 2,000 contacts (ten pages) lasts a few seconds: long enough to watch
@TestPropertySource(properties = "hub.sandbox.salesforce.latency-ms=400")
class ConsoleBrowserIT extends EmbeddedHubTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path AXE = Path.of("src/test/node/axe/node_modules/axe-core/axe.min.js");

    @Autowired
    TestProviderAdapter provider;

    private WebDriver browser;

    @BeforeEach
    void openBrowser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900");
        // Debian's driver, not one Selenium Manager would download; a quit stops its service, so one per browser
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void closeBrowser() {
        browser.quit();
    }

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

    private void signIn(String key) {
        browser.get(hub().baseUrl() + "/console");
        wait(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("key")));
        browser.findElement(By.id("key")).sendKeys(key);
        browser.findElement(By.id("sign-in")).click();
        wait(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("sign-out")));
    }

    /** The element's text; live updates replace elements, so a lookup that lost the race to one is made again. */
    private String text(String id) {
        return retried(() -> {
            List<WebElement> found = browser.findElements(By.id(id));
            return found.isEmpty() ? "" : found.get(0).getText();
        });
    }

    private void click(By button) {
        retried(() -> {
            browser.findElement(button).click();
            return null;
        });
    }

    private <T> T retried(java.util.function.Supplier<T> step) {
        for (int attempt = 0; ; attempt++) {
            try {
                return step.get();
            } catch (org.openqa.selenium.StaleElementReferenceException replaced) {
                if (attempt == 5) {
                    throw replaced;
                }
            }
        }
    }

    private long processed() {
        String n = text("exec-processed");
        return n.isEmpty() ? -1 : Long.parseLong(n);
    }

    private WebDriverWait wait(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(browser, timeout, Duration.ofMillis(50));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    /** axe-core on the page as it stands: no serious or critical violation; the page saved as target/console-screenshots/<page>.png. */
    @SuppressWarnings("unchecked")
    private void assertAccessible(String page) {
        try {
            Path shots = Path.of("target", "console-screenshots");
            Files.createDirectories(shots);
            Files.write(shots.resolve(page + ".png"), ((org.openqa.selenium.TakesScreenshot) browser)
                    .getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
            JavascriptExecutor js = (JavascriptExecutor) browser;
            js.executeScript(Files.readString(AXE));
            Object result = ((JavascriptExecutor) browser).executeAsyncScript(
                    "const done = arguments[arguments.length - 1];"
                            + "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations"
                            + ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
                            + ".map(v => v.id + ': ' + v.help + ' (' + v.nodes.map(n => n.target.join(' ')).join(', ') + ')')));");
            assertThat((List<String>) result).as("serious accessibility violations on " + page).isEmpty();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("axe-core is installed by the npm-ci-axe step of the build (" + AXE + ")", e);
        }
    }
}
