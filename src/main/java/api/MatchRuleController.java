package api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import hub.InvalidInputException;
import hub.NotFoundException;
import hub.ShardTypes;
import processors.matching.InvalidMatchRulesException;
import processors.resolution.TenantMatchRules;
import security.Caller;
import store.AuditLog;

/**
 * The caller's tenant's match rules per shard type (the document {@code processors.matching.MatchRules} describes):
 * {@code GET} the rules in force, the tenant's own or the defaults ({@code "default": true}); {@code PUT} a rules document,
 * checked (400 naming the part at fault, such as {@code fields[2].comparator}); {@code DELETE} the tenant's rules, so the
 * defaults apply again. A shard type the hub does not know is 404, as is {@code GET} of a type that has neither the
 * tenant's rules nor defaults (its shards are not matched until rules are set).
 */
@RestController
@RequestMapping("/api/tenant/match-rules")
public class MatchRuleController {

    private static final TypeReference<Map<String, Object>> DOCUMENT = new TypeReference<>() {
    };

    private final TenantMatchRules rules;
    private final AuditLog audit;
    private final ObjectMapper json;

    public MatchRuleController(TenantMatchRules rules, AuditLog audit, ObjectMapper json) {
        this.rules = rules;
        this.audit = audit;
        this.json = json;
    }

    @GetMapping("/{shardType}")
    public Map<String, Object> get(Caller caller, @PathVariable String shardType) {
        knownType(shardType);
        if (rules.disabled(caller.tenantId(), shardType)) {
            return disabledView(shardType);
        }
        return rules.find(caller.tenantId(), shardType).map(MatchRuleController::view)
                .orElseThrow(() -> new NotFoundException("no match rules for " + shardType
                        + ": its shards are not matched until rules are set with PUT"));
    }

    @PutMapping("/{shardType}")
    public Map<String, Object> put(Caller caller, @PathVariable String shardType, @RequestBody JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidInputException(null, "expected a rules document (a JSON object)");
        }
        knownType(shardType);
        JsonNode enabled = body.get("enabled");
        if (enabled != null && !enabled.isBoolean()) {
            throw new InvalidInputException("enabled", "true or false");
        }
        if (enabled != null && !enabled.asBoolean()) {
            if (body.size() > 1) {
                throw new InvalidInputException("enabled", "false switches matching off and takes no rules; PUT the rules (without"
                        + " enabled: false) to switch it on again");
            }
            rules.disable(caller.tenantId(), shardType);
            audit.record(caller.tenantId(), caller.actor(), "match_rules.disabled", "match_rules", shardType, null);
            return disabledView(shardType);
        }
        Map<String, Object> document = json.convertValue(body, DOCUMENT);
        document.remove("enabled");
        TenantMatchRules.Effective saved;
        try {
            saved = rules.save(caller.tenantId(), shardType, document);
        } catch (InvalidMatchRulesException e) {
            throw new InvalidInputException(e.field(), e.problem());
        }
        audit.record(caller.tenantId(), caller.actor(), "match_rules.updated", "match_rules", shardType, body.toString());
        return view(saved);
    }

    @DeleteMapping("/{shardType}")
    public ResponseEntity<Void> delete(Caller caller, @PathVariable String shardType) {
        knownType(shardType);
        if (rules.reset(caller.tenantId(), shardType)) {
            audit.record(caller.tenantId(), caller.actor(), "match_rules.reset", "match_rules", shardType, null);
        }
        return ResponseEntity.noContent().build();
    }

    private static void knownType(String shardType) {
        if (!TenantMatchRules.knownType(shardType)) {
            throw new NotFoundException("unknown shard type '" + shardType + "' (known: " + String.join(", ", new TreeSet<>(ShardTypes.ALL)) + ")");
        }
    }

    private static Map<String, Object> disabledView(String shardType) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("shardType", shardType);
        view.put("enabled", false);
        return view;
    }

    private static Map<String, Object> view(TenantMatchRules.Effective effective) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("shardType", effective.shardType());
        view.put("enabled", true);
        view.put("default", effective.isDefault());
        view.put("updatedAt", effective.updatedAt());
        view.put("rules", effective.rules().toDocument());
        return view;
    }
}
