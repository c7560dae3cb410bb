package api;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import providers.AdapterRegistry;
import security.Caller;
import store.Page;
import store.ProviderCatalog.CatalogEntry;
import store.ProviderCatalog;

/** The providers the hub can connect to. Tenants see the tenant-audience ones; the admin sees all. */
@RestController
public class CatalogController {

    private final ProviderCatalog catalog;

    public CatalogController(ProviderCatalog catalog, AdapterRegistry adapters) {
        this.catalog = catalog;
        // the table lists exactly what this hub can connect to (integrations refer to its rows)
        adapters.descriptors().forEach(d -> catalog.publish(new CatalogEntry(d.id(), d.name(), d.category(), d.status(), d.audience(),
                d.authTypes(), d.entities(), d.defaultRateLimitPerMinute())));
    }

    @GetMapping("/api/integrations")
    public Page<CatalogEntry> list(Caller caller) {
        return new Page<>(catalog.list(caller.admin()), null);
    }
}
