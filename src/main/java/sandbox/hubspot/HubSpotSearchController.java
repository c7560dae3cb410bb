package sandbox.hubspot;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * CRM search ({@code POST /crm/v3/objects/{type}/search}): {@code {"total", "results", "paging": {"next": {"after"}}}},
 * {@code after} an offset, archived records never matching, and at most 10,000 results per query: the page that reaches
 * the 10,000th result still offers a next page, and asking for it is a 400, as HubSpot answers.
 */
@RestController
@ConditionalOnProperty(name = "hub.sandbox.enabled", havingValue = "true")
public class HubSpotSearchController extends HubSpotApiSupport {

    public HubSpotSearchController(HubSpotPortals portals, HubSpotTokens tokens, HubSpotSandboxProperties properties) {
        super(portals, tokens, properties);
    }

    @PostMapping(HubSpotObjectsController.OBJECTS + "/search")
    public ResponseEntity<byte[]> search(@PathVariable String objectType, @RequestBody(required = false) byte[] body,
            HttpServletRequest request) {
        HubSpotPortal portal = authenticate(request, Call.SEARCH);
        HubSpotObjectType type = objectType(objectType);
        SearchQuery query = SearchQuery.parse(type, body);
        List<HubSpotRecord> matches = new ArrayList<>();
        for (HubSpotRecord record : portal.live(type)) {
            if (query.matches(record, (r, toType) -> portal.associations(r.type(), r.id(), toType))) {
                matches.add(record);
            }
        }
        matches.sort(query.order());
        int from = Math.min(query.after(), matches.size());
        int to = Math.min(Math.min(from + query.limit(), matches.size()), SearchQuery.MAX_RESULTS);
        List<Map<String, Object>> results = new ArrayList<>(Math.max(0, to - from));
        for (HubSpotRecord record : matches.subList(from, Math.max(from, to))) {
            results.add(RecordViews.record(record, query.properties()));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("total", matches.size());
        answer.put("results", results);
        if (to < matches.size() && query.limit() > 0) {
            answer.put("paging", Map.of("next", Map.of("after", Integer.toString(to))));
        }
        return ok(answer, request);
    }
}
