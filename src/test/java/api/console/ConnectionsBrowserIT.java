package api.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import hub.HubClient;
import hub.TestProviderAdapter;

/**
 * Connecting from the console in a real browser: a new Salesforce integration connected by OAuth (the sandbox's
 * authorization page, the hub's callback, back on the integration's connection page, connected), an integration
 * connected with an API key through the form made from the type's fields (the key never shown back), and the settings
 * form showing the API's 400 by its field; axe-core on each page.
 */
class ConnectionsBrowserIT extends ConsoleBrowserTest {

    @Test
    void aNewSalesforceIntegrationIsConnectedByOAuthAndComesBackConnected() {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        String org = "console-oauth-" + UUID.randomUUID().toString().substring(0, 8);
        signIn(tenant.key());

        browser.get(hub.baseUrl() + "/console/connections");
        click(By.id("new-salesforce"));
        wait(WAIT).until(d -> new Select(d.findElement(By.id("providerId"))).getFirstSelectedOption().getAttribute("value").equals("salesforce"));
        assertAccessible("connections-catalog");
        browser.findElement(By.id("name")).sendKeys("Salesforce by OAuth");
        click(By.id("create"));
        wait(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("connect-section")));
        assertThat(text("connection-status")).isEqualTo("not connected");
        String page = browser.getCurrentUrl();

        click(By.id("type-oauth2_authorization_code"));
        wait(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("oauth-form")));
        assertAccessible("connection-oauth");
        browser.findElement(By.id("clientId")).sendKeys("sandbox-client");
        browser.findElement(By.id("clientSecret")).sendKeys("sandbox-secret");
        browser.findElement(By.id("loginUrl")).sendKeys(hub.sandboxUrl());
        browser.findElement(By.id("scope")).sendKeys("api refresh_token");
        browser.findElement(By.id("loginHint")).sendKeys(HubClient.sandboxUser(org));
        click(By.id("oauth-start"));

        // the sandbox's authorization page approves for the hinted user and sends the browser to the hub's callback,
        // which sends it back to the integration's connection page
        wait(WAIT).until(d -> d.getCurrentUrl().endsWith("?oauth=connected"));
        assertThat(browser.getCurrentUrl()).startsWith(page);
        assertThat(text("connection-status")).isEqualTo("connected");
        assertThat(text("connection-auth")).isEqualTo("oauth2_authorization_code");
        assertThat(text("oauth-outcome")).startsWith("Connected");
        assertThat(browser.getPageSource()).doesNotContain("sandbox-secret");
        assertAccessible("connection");

        String integration = page.substring(page.lastIndexOf('/') + 1);
        assertThat(hub.ok("GET", "/api/tenant/integrations/" + integration + "/connection", tenant.key(), null).get("status").asText())
                .isEqualTo("connected");

        // at a phone's width the page does not scroll sideways
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        browser.get(page);
        assertThat(((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth <= document.documentElement.clientWidth;")).isEqualTo(true);
    }

    @Test
    void anApiKeyConnectsThroughTheFormMadeFromItsFieldsAndTheSettingsFormShowsA400ByItsField() {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        String integration = hub.ok("POST", "/api/tenant/integrations", tenant.key(),
                Map.of("providerId", TestProviderAdapter.PROVIDER_ID, "name", "keyed in the console")).get("id").asText();
        signIn(tenant.key());
        browser.get(hub.baseUrl() + "/console/connections");
        click(By.id("open-" + integration));
        wait(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("connect-section")));
        click(By.id("type-api_key"));
        wait(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("cred-apiKey")));
        WebElement key = browser.findElement(By.id("cred-apiKey"));
        assertThat(key.getAttribute("type")).isEqualTo("password");
        assertAccessible("connection-api-key");

        String secret = "sk-" + UUID.randomUUID();
        key.sendKeys(secret);
        browser.findElement(By.id("cred-headerName")).sendKeys("X-Api-Key");
        click(By.id("connect"));
        wait(WAIT).until(d -> text("connection-status").equals("connected"));
        assertThat(text("connection-auth")).isEqualTo("api_key");
        assertThat(browser.getPageSource()).doesNotContain(secret);

        // the settings form: the API's 400 beside the field, what was typed kept
        WebElement frequency = browser.findElement(By.id("syncFrequency"));
        frequency.clear();
        frequency.sendKeys("now and then");
        WebElement name = browser.findElement(By.id("name"));
        name.clear();
        name.sendKeys("renamed in the console");
        click(By.id("save-settings"));
        wait(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("syncFrequency-error")));
        assertThat(text("syncFrequency-error")).startsWith("syncFrequency:");
        assertThat(text("not-saved")).startsWith("Not saved");
        assertThat(browser.findElement(By.id("syncFrequency")).getAttribute("value")).isEqualTo("now and then");
        assertThat(browser.findElement(By.id("syncFrequency")).getAttribute("aria-describedby")).isEqualTo("syncFrequency-error");
        assertThat(browser.findElement(By.id("name")).getAttribute("value")).isEqualTo("renamed in the console");
        assertThat(browser.getPageSource()).doesNotContain(secret);
        assertAccessible("connection-settings-refused");

        frequency = browser.findElement(By.id("syncFrequency"));
        frequency.clear();
        click(By.id("save-settings"));
        wait(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("saved")));
        assertThat(hub.ok("GET", "/api/tenant/integrations/" + integration, tenant.key(), null).get("name").asText())
                .isEqualTo("renamed in the console");
    }
}
