package processors.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * The catalog of event types: one JSON Schema (draft 2020-12) per type, {@code events/<type>.schema.json} on the class
 * path, describing the event's {@code data}. The schema's {@code title} is the type, its {@code description} what the
 * event means.
 */
@Component
public class EventCatalog {

    /** One event type: its name, what it means, and the JSON Schema of its data. */
    public record EventType(String type, String description, JsonNode schema) {
    }

    private static final String SUFFIX = ".schema.json";

    private final Map<String, EventType> types = new TreeMap<>();

    public EventCatalog(ObjectMapper json) {
        try {
            for (Resource r : new PathMatchingResourcePatternResolver().getResources("classpath*:events/*" + SUFFIX)) {
                String name = r.getFilename();
                String type = name.substring(0, name.length() - SUFFIX.length());
                try (InputStream in = r.getInputStream()) {
                    JsonNode schema = json.readTree(in);
                    if (!type.equals(schema.path("title").asText())) {
                        throw new IllegalStateException("the schema " + name + " has the title " + schema.path("title") + ", not " + type);
                    }
                    types.put(type, new EventType(type, schema.path("description").asText(), schema));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the event schemas could not be read", e);
        }
    }

    /** Every type, by name. */
    public Collection<EventType> all() {
        return types.values();
    }

    public Optional<EventType> find(String type) {
        return Optional.ofNullable(types.get(type));
    }
}
