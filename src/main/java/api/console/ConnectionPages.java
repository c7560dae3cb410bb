package api.console;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;

import connections.Connections;
import providers.ConnectionTestResult;
import store.Connection;
import store.ConnectionStore;
import store.Integration;
import store.IntegrationStore;
import store.ProviderCatalog;

/**
 * Connections: each integration's connection (status, auth type, credential age and rotation due, expiry, last test
 * and error) with test (the provider's answer shown) and disconnect, and the provider catalog. Both actions go through
 * the same {@link Connections} the REST API uses. Connecting (OAuth, credential forms) stays with the API for now.
 */
@Controller
public class ConnectionPages {

    private final ConsolePages pages;
    private final IntegrationStore integrations;
    private final ConnectionStore connections;
    private final Connections service;
    private final ProviderCatalog catalog;

    public ConnectionPages(ConsolePages pages, IntegrationStore integrations, ConnectionStore connections, Connections service,
                           ProviderCatalog catalog) {
        this.pages = pages;
        this.integrations = integrations;
        this.connections = connections;
        this.service = service;
        this.catalog = catalog;
    }

    /** One integration's connection as the page shows it; {@code rotationDue} from the credential's age and rotation policy. */
    public record ConnectionRow(Integration integration, Connection connection, OffsetDateTime rotationDue) {
    }

    @GetMapping(ConsoleAccessFilter.PREFIX + "/connections")
    public String list(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, Model model) {
        return page(user, model, null, null);
    }

    @PostMapping(ConsoleAccessFilter.PREFIX + "/connections/{integrationId}/test")
    public String test(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String integrationId, Model model) {
        ConsolePages.requireTenant(user);
        ConnectionTestResult result = service.test(user.caller(), integration(user, integrationId));
        return page(user, model, integrationId, result);
    }

    @PostMapping(ConsoleAccessFilter.PREFIX + "/connections/{integrationId}/disconnect")
    public String disconnect(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String integrationId) {
        ConsolePages.requireTenant(user);
        service.disconnect(user.caller(), integration(user, integrationId));
        return "redirect:" + ConsoleAccessFilter.PREFIX + "/connections";
    }

    private String page(ConsoleUser user, Model model, String testedId, ConnectionTestResult result) {
        pages.common(user, model, "connections");
        ConsolePages.requireTenant(user);
        List<ConnectionRow> rows = new ArrayList<>();
        for (Integration i : integrations.list(user.tenantId(), null, 500).items()) {
            Connection c = connections.find(i.id()).orElse(null);
            OffsetDateTime due = c == null || c.credentialsSetAt() == null || c.rotationMaxAgeDays() == null ? null
                    : c.credentialsSetAt().plusDays(c.rotationMaxAgeDays());
            rows.add(new ConnectionRow(i, c, due));
        }
        model.addAttribute("rows", rows);
        model.addAttribute("catalog", catalog.list(user.admin()));
        model.addAttribute("testedId", testedId);
        model.addAttribute("result", result);
        return "console/connections";
    }

    private Integration integration(ConsoleUser user, String id) {
        return integrations.find(user.tenantId(), id).orElseThrow(() -> new ConsoleRefusal(HttpStatus.NOT_FOUND, "integration not found"));
    }
}
