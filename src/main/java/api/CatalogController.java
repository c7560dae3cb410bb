package api;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import security.Caller;
import store.Page;
import store.ProviderCatalog;
import store.ProviderCatalog.CatalogEntry;

/** The providers the hub can connect to. Tenants see the tenant-audience ones; the admin sees all. */
@RestController
public class CatalogController {

    private final ProviderCatalog catalog;

    public CatalogController(ProviderCatalog catalog) {
        this.catalog = catalog;
    }

    @GetMapping("/api/integrations")
    public Page<CatalogEntry> list(Caller caller) {
        return new Page<>(catalog.list(caller.admin()), null);
    }
}
