package processors.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import hub.HubClient;

/**
 * The event catalog as a receiver reads it ({@code GET /api/event-types/{type}}), and the check that an event's data
 * validates against its type's JSON Schema (draft 2020-12, formats asserted) with an independent validator.
 */
final class EventSchemas {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

    private final HubClient hub;
    private final String key;
    private final Map<String, JsonSchema> schemas = new HashMap<>();

    EventSchemas(HubClient hub, String key) {
        this.hub = hub;
        this.key = key;
    }

    static JsonSchema compile(JsonNode schema) {
        return FACTORY.getSchema(schema, CONFIG);
    }

    /** Fails when the event's type has no schema in the catalog, or its data does not validate against it. */
    void assertValid(JsonNode event) {
        String type = event.get("type").asText();
        JsonSchema schema = schemas.computeIfAbsent(type, t -> {
            HubClient.Response found = hub.call("GET", "/api/event-types/" + t, key, null);
            assertThat(found.status()).as("the catalog has a schema for the emitted type " + t).isEqualTo(200);
            return compile(found.body().get("schema"));
        });
        Set<ValidationMessage> errors = schema.validate(event.get("data"));
        assertThat(errors).as("event %s of type %s: %s", event.get("id"), type, event.get("data")).isEmpty();
    }

    void assertAllValid(List<JsonNode> events) {
        events.forEach(this::assertValid);
    }
}
