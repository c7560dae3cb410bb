package api.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.test.context.TestPropertySource;

import hub.EmbeddedHubTest;

/**
 * What the console's browser tests share; subclasses named {@code *IT} run in the failsafe group {@code browser-tests}.
 * Debian's chromium driven headless through Debian's chromedriver (nothing downloaded at test time; {@code .ci/run}
 * installs both), one Spring context for all of them (same properties), sign-in, waits that survive live updates
 * replacing elements, and axe-core (npm, src/test/node/axe) with a screenshot per page.
 */
@Tag("browser")
// the sandbox answers slowly enough that a run of the 2,000 contacts (ten pages) lasts a few seconds: long enough to watch
@TestPropertySource(properties = "hub.sandbox.salesforce.latency-ms=400")
abstract class ConsoleBrowserTest extends EmbeddedHubTest {

    protected static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path AXE = Path.of("src/test/node/axe/node_modules/axe-core/axe.min.js");

    protected WebDriver browser;

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

    protected void signIn(String key) {
        browser.get(hub().baseUrl() + "/console");
        wait(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("key")));
        browser.findElement(By.id("key")).sendKeys(key);
        browser.findElement(By.id("sign-in")).click();
        wait(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("sign-out")));
    }

    /** At a phone's width (390 px) the page, loaded again, does not scroll sideways and stays accessible. */
    protected void assertFitsAPhone(String page) {
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        try {
            browser.navigate().refresh();
            assertThat(((JavascriptExecutor) browser).executeScript(
                    "return document.documentElement.scrollWidth <= document.documentElement.clientWidth;")).as(page + " at 390 px").isEqualTo(true);
            assertAccessible(page + "-phone");
        } finally {
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
        }
    }

    /** The element's text; live updates replace elements, so a lookup that lost the race to one is made again. */
    protected String text(String id) {
        return retried(() -> {
            List<WebElement> found = browser.findElements(By.id(id));
            return found.isEmpty() ? "" : found.get(0).getText();
        });
    }

    protected void click(By button) {
        retried(() -> {
            browser.findElement(button).click();
            return null;
        });
    }

    protected <T> T retried(java.util.function.Supplier<T> step) {
        for (int attempt = 0; ; attempt++) {
            try {
                return step.get();
            } catch (org.openqa.selenium.WebDriverException e) {
                // the element was replaced between its lookup and its use: Chrome reports it as stale or, since
                // about version 156, as an inspector error that the node no longer belongs to the document
                boolean replaced = e instanceof org.openqa.selenium.StaleElementReferenceException
                        || String.valueOf(e.getMessage()).contains("does not belong to the document");
                if (!replaced || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    protected long processed() {
        String n = text("exec-processed");
        return n.isEmpty() ? -1 : Long.parseLong(n);
    }

    protected WebDriverWait wait(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(browser, timeout, Duration.ofMillis(50));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    /** axe-core on the page as it stands: no serious or critical violation; the page saved as target/console-screenshots/<page>.png. */
    @SuppressWarnings("unchecked")
    protected void assertAccessible(String page) {
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
