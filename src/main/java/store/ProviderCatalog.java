package store;

import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;


/** The provider catalog table; the API publishes the adapter registry's providers to it at start, so it lists exactly what the hub can connect to. */
@Repository
public class ProviderCatalog {

    public record CatalogEntry(String id, String name, String category, String status, String audience,
                               List<String> authTypes, List<String> entities, int defaultRateLimitPerMinute) {
    }

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    public ProviderCatalog(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public List<CatalogEntry> list(boolean includeSystem) {
        return jdbc.sql("SELECT * FROM integration_providers ORDER BY name")
                .query((rs, n) -> new CatalogEntry(rs.getString("id"), rs.getString("name"), rs.getString("category"),
                        rs.getString("status"), rs.getString("audience"), readList(rs.getString("auth_types")),
                        readList(rs.getString("entities")), rs.getInt("default_rate_limit_per_minute")))
                .list().stream()
                .filter(e -> includeSystem || "tenant".equals(e.audience()))
                .toList();
    }

    /** Adds the provider, or updates it to what the running hub can do. */
    public void publish(CatalogEntry d) {
        int updated = jdbc.sql("""
                UPDATE integration_providers SET name = ?, category = ?, status = ?, audience = ?, auth_types = ?,
                  entities = ?, default_rate_limit_per_minute = ?, updated_at = ? WHERE id = ?""")
                .params(d.name(), d.category(), d.status(), d.audience(), write(d.authTypes()), write(d.entities()),
                        d.defaultRateLimitPerMinute(), Timestamps.now(), d.id()).update();
        if (updated == 0) {
            jdbc.sql("""
                    INSERT INTO integration_providers (id, name, category, status, audience, auth_types, entities,
                      default_rate_limit_per_minute, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(d.id(), d.name(), d.category(), d.status(), d.audience(), write(d.authTypes()), write(d.entities()),
                            d.defaultRateLimitPerMinute(), Timestamps.now()).update();
        }
    }

    private String write(List<String> values) {
        try {
            return json.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> readList(String value) {
        try {
            return json.readValue(value, new TypeReference<List<String>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
