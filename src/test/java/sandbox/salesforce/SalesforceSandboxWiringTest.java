package sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.ComponentScan;

/** The sandbox as the hub's application class scans it: present only when enabled, settings bound. */
class SalesforceSandboxWiringTest {

    /** Scans like hub.CastielHubApplication does; not a stereotype, so no other scan picks it up. */
    @ComponentScan("sandbox.salesforce")
    @ConfigurationPropertiesScan("sandbox.salesforce")
    static class HubLikeScan {
    }

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withUserConfiguration(HubLikeScan.class);

    @Test
    void absentUnlessEnabled() {
        runner.run(context -> {
            assertThat(context).doesNotHaveBean(SandboxOrgs.class);
            assertThat(context).doesNotHaveBean(SalesforceRestController.class);
            assertThat(context).doesNotHaveBean(SalesforceOAuthController.class);
            assertThat(context).doesNotHaveBean(SalesforceSetupController.class);
            assertThat(context).doesNotHaveBean(OutboundMessaging.class);
        });
        runner.withPropertyValues("hub.sandbox.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(SalesforceSObjectController.class));
    }

    @Test
    void enabledWithDefaults() {
        runner.withPropertyValues("hub.sandbox.enabled=true").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(SandboxOrgs.class).hasSingleBean(SandboxTokens.class)
                    .hasSingleBean(SalesforceRestController.class).hasSingleBean(SalesforceSObjectController.class)
                    .hasSingleBean(SalesforceOAuthController.class).hasSingleBean(SalesforceSetupController.class)
                    .hasSingleBean(OutboundMessaging.class);
            assertThat(context.getBean(SalesforceSandboxProperties.class))
                    .isEqualTo(SalesforceSandboxProperties.defaults());
        });
    }

    @Test
    void bindsAndClampsSettings() {
        runner.withPropertyValues("hub.sandbox.enabled=true", "hub.sandbox.salesforce.accounts=25",
                "hub.sandbox.salesforce.page-size=50", "hub.sandbox.salesforce.token-ttl=30m",
                "hub.sandbox.salesforce.api-daily-limit=100", "hub.sandbox.salesforce.max-orgs=3",
                "hub.sandbox.salesforce.outbound-batch-window=50ms", "hub.sandbox.salesforce.outbound-retry-initial=2s",
                "hub.sandbox.salesforce.outbound-retry-max=1s", "hub.sandbox.salesforce.outbound-give-up-after=2h",
                "hub.sandbox.salesforce.outbound-timeout=10s").run(context -> {
                    SalesforceSandboxProperties properties = context.getBean(SalesforceSandboxProperties.class);
                    assertThat(properties.accounts()).isEqualTo(25);
                    assertThat(properties.pageSize()).isEqualTo(200);
                    assertThat(properties.tokenTtl()).isEqualTo(Duration.ofMinutes(30));
                    assertThat(properties.apiDailyLimit()).isEqualTo(100);
                    assertThat(properties.maxOrgs()).isEqualTo(3);
                    assertThat(properties.outboundBatchWindow()).isEqualTo(Duration.ofMillis(50));
                    assertThat(properties.outboundRetryInitial()).isEqualTo(Duration.ofSeconds(2));
                    // a maximum below the first wait is raised to it
                    assertThat(properties.outboundRetryMax()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(properties.outboundGiveUpAfter()).isEqualTo(Duration.ofHours(2));
                    assertThat(properties.outboundTimeout()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(context.getBean(SandboxTokens.class).tokenTtl()).isEqualTo(Duration.ofMinutes(30));
                    SandboxOrgs orgs = context.getBean(SandboxOrgs.class);
                    for (String name : new String[] {"a", "b", "c"}) {
                        assertThat(orgs.forUsername("admin+" + name + "@sandbox.example")).isPresent();
                    }
                    assertThat(orgs.forUsername("admin+d@sandbox.example")).isEmpty();
                    assertThat(orgs.forUsername("admin@sandbox.example")).isPresent();
                });
    }

    @Test
    void bindsTheRateLimit() {
        runner.withPropertyValues("hub.sandbox.enabled=true", "hub.sandbox.salesforce.accounts=0",
                "hub.sandbox.salesforce.rate-limit=25", "hub.sandbox.salesforce.rate-window=10s").run(context -> {
                    assertThat(context).hasSingleBean(SalesforceLimitsSetupController.class);
                    SalesforceSandboxProperties properties = context.getBean(SalesforceSandboxProperties.class);
                    assertThat(properties.rateLimit()).isEqualTo(25);
                    assertThat(properties.rateWindow()).isEqualTo(Duration.ofSeconds(10));
                    SandboxOrg org = context.getBean(SandboxOrgs.class).defaultOrg();
                    assertThat(org.rateLimit().limit()).isEqualTo(25);
                    assertThat(org.rateLimit().window()).isEqualTo(Duration.ofSeconds(10));
                });
        runner.withPropertyValues("hub.sandbox.enabled=true", "hub.sandbox.salesforce.rate-limit=-5",
                "hub.sandbox.salesforce.rate-window=0s").run(context -> {
                    SalesforceSandboxProperties properties = context.getBean(SalesforceSandboxProperties.class);
                    assertThat(properties.rateLimit()).isZero();
                    assertThat(properties.rateWindow()).isEqualTo(Duration.ofSeconds(60));
                });
    }
}
