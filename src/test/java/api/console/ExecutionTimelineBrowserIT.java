package api.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import hub.HubClient;

/**
 * An execution's timeline in a real browser: a running sync's page gains a row per committed page, and its failed
 * records with their reasons, as they happen, without a reload; the run's end is its last row. The sandbox answers
 * slowly ({@link ConsoleBrowserTest}), so the 2,000 contacts' ten pages arrive over several seconds.
 */
class ExecutionTimelineBrowserIT extends ConsoleBrowserTest {

    @Test
    void aRunningSyncsTimelineGainsItsPagesAndFailedRecordsWithoutAReload() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        // a first name is required here: the seeded contacts without one fail with the reason
        String integration = hub.connectedSalesforce(key, "console-timeline-" + UUID.randomUUID().toString().substring(0, 8),
                Map.of("fieldMappings", Map.of("Contact", List.of(Map.of("target", "firstName", "source", "FirstName", "required", true)))));
        String task = hub.task(key, integration, "Contact", "full");

        signIn(key);
        click(By.id("run-" + task));
        wait(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("timeline-steps")));
        ((JavascriptExecutor) browser).executeScript("window.sameDocument = true;");
        assertThat(rows("step-page")).as("no page written yet when the page opened").isLessThan(10);
        int firstSeen = rows("step-page");
        // pages arrive while the run runs
        wait(WAIT).until(d -> rows("step-page") > firstSeen);
        wait(WAIT).until(d -> text("exec-status").equals("partial"));
        wait(WAIT).until(d -> rows("step-page") == 10);
        assertThat(text("step-" + lastStep())).as("the run's end is its last step").contains("partial").contains("2000 records in 10 pages");
        List<WebElement> pages = browser.findElements(By.cssSelector("#timeline-steps tr.step-page"));
        for (int i = 0; i < pages.size(); i++) {
            assertThat(pages.get(i).getText()).contains("page " + (i + 1) + ": 200 records fetched in").contains("written in");
        }
        assertThat(browser.findElements(By.cssSelector("#timeline-steps tr.step-phase")).get(0).getText()).contains("started the full pass");
        // the failed records, with why
        wait(WAIT).until(d -> !browser.findElements(By.cssSelector("#failed-records tbody tr")).isEmpty());
        String executionId = browser.getCurrentUrl().substring(browser.getCurrentUrl().lastIndexOf('/') + 1);
        long failed = hub.ok("GET", "/api/tenant/integrations/" + integration + "/executions/" + executionId, key, null)
                .get("recordsFailed").asLong();
        assertThat(failed).isPositive();
        assertThat(browser.findElements(By.cssSelector("#failed-records tbody tr"))).hasSize((int) Math.min(failed, 100))
                .allSatisfy(row -> assertThat(row.getText()).contains("field 'firstName' (source 'FirstName'): required"));
        if (failed > 100) {
            assertThat(text("failures-count")).isEqualTo(failed + " records failed; the first 100 are listed.");
        }
        assertThat(((JavascriptExecutor) browser).executeScript("return window.sameDocument === true;"))
                .as("updated in place, not reloaded").isEqualTo(true);
        assertAccessible("execution-timeline");

        // the same timeline when the page is opened again, and at a phone's width without sideways scrolling
        String url = browser.getCurrentUrl();
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        browser.get(url);
        assertThat(browser.findElements(By.cssSelector("#timeline-steps tr.step-page"))).hasSize(10);
        assertThat(((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth <= document.documentElement.clientWidth;")).isEqualTo(true);
        assertAccessible("execution-timeline-phone");
    }

    private int rows(String kind) {
        return retried(() -> browser.findElements(By.cssSelector("#timeline-steps tr." + kind)).size());
    }

    private String lastStep() {
        return retried(() -> {
            List<WebElement> steps = browser.findElements(By.cssSelector("#timeline-steps tr.step"));
            return steps.get(steps.size() - 1).getAttribute("id").substring("step-".length());
        });
    }
}
