package sandbox.hubspot;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Discovery: the properties API ({@code /crm/v3/properties/{type}}, one property at {@code .../{name}}) and the
 * account details ({@code /account-info/v3/details}, the portal id).
 */
@RestController
@ConditionalOnProperty(name = "hub.sandbox.enabled", havingValue = "true")
public class HubSpotPropertiesController extends HubSpotApiSupport {

    static final String PROPERTIES = BASE + "/crm/v3/properties/{objectType}";
    /** When HubSpot defined its standard properties, as the API dates them. */
    private static final String DEFINED_AT = "2019-08-06T02:41:52.000Z";

    public HubSpotPropertiesController(HubSpotPortals portals, HubSpotTokens tokens,
            HubSpotSandboxProperties properties) {
        super(portals, tokens, properties);
    }

    /** {@code {"results": [property...]}}; {@code archived=true} lists archived properties, of which there are none. */
    @GetMapping(PROPERTIES)
    public ResponseEntity<byte[]> list(@PathVariable String objectType, HttpServletRequest request) {
        authenticate(request, Call.API);
        HubSpotObjectType type = objectType(objectType);
        List<Map<String, Object>> results = new ArrayList<>();
        if (!archivedParameter(request)) {
            type.properties().forEach(p -> results.add(view(p)));
        }
        return ok(Map.of("results", results), request);
    }

    @GetMapping(PROPERTIES + "/{propertyName}")
    public ResponseEntity<byte[]> get(@PathVariable String objectType, @PathVariable String propertyName,
            HttpServletRequest request) {
        authenticate(request, Call.API);
        HubSpotObjectType type = objectType(objectType);
        HubSpotProperty property = type.property(propertyName).orElseThrow(HubSpotApiException::notFound);
        return ok(view(property), request);
    }

    @GetMapping(BASE + "/account-info/v3/details")
    public ResponseEntity<byte[]> account(HttpServletRequest request) {
        HubSpotPortal portal = authenticate(request, Call.API);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("portalId", portal.portalId());
        body.put("accountType", "STANDARD");
        body.put("timeZone", "UTC");
        body.put("companyCurrency", "USD");
        body.put("additionalCurrencies", List.of());
        body.put("utcOffset", "+00:00");
        body.put("utcOffsetMilliseconds", 0);
        body.put("uiDomain", "app.hubspot.com");
        body.put("dataHostingLocation", "na1");
        return ok(body, request);
    }

    private static Map<String, Object> view(HubSpotProperty p) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("updatedAt", DEFINED_AT);
        json.put("createdAt", DEFINED_AT);
        json.put("name", p.name());
        json.put("label", p.label());
        json.put("type", p.type());
        json.put("fieldType", p.fieldType());
        json.put("description", p.description());
        json.put("groupName", p.groupName());
        List<Map<String, Object>> options = new ArrayList<>();
        for (int i = 0; i < p.options().size(); i++) {
            Map<String, Object> option = new LinkedHashMap<>();
            option.put("label", p.options().get(i).label());
            option.put("value", p.options().get(i).value());
            option.put("displayOrder", i);
            option.put("hidden", false);
            options.add(option);
        }
        json.put("options", options);
        json.put("displayOrder", p.index());
        json.put("calculated", false);
        json.put("externalOptions", false);
        json.put("hasUniqueValue", p.unique());
        json.put("hidden", false);
        json.put("hubspotDefined", true);
        Map<String, Object> modification = new LinkedHashMap<>();
        modification.put("archivable", false);
        modification.put("readOnlyDefinition", true);
        modification.put("readOnlyValue", p.readOnly());
        json.put("modificationMetadata", modification);
        json.put("formField", !p.readOnly());
        json.put("archived", false);
        return json;
    }
}
