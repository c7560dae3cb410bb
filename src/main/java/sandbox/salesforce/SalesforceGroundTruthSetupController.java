package sandbox.salesforce;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Sandbox only, not a Salesforce API: the ground truth behind the org's seeded data, so cross-provider entity
 * resolution can be measured. Each seeded Account is a world company, each Contact and Lead a person, each Opportunity a deal
 * of the shared population ({@code sandbox.kit.Population}, provider "salesforce"); records of any sandbox are the
 * same real-world thing exactly when their entity ids are equal. Authenticated with the org's access token.
 *
 * <ul>
 *   <li>{@code GET /sandbox/salesforce/setup/ground-truth}: {@code {"org": name, "provider": "salesforce",
 *       "seed": s, "accounts": n, "entities": {"Account": {recordId: "company-7", ...}, "Contact": {recordId:
 *       "person-7-0", ...}, "Opportunity": {recordId: "deal-7", ...}, "Lead": {recordId:
 *       "person-salesforce-prospect-3", ...}}, "leadCompanies": {leadId: "company-3", ...}}}, every seeded record in
 *       creation order, deleted or changed since or not; records created through the API are not listed. A lead's
 *       company is an account's entity when the lead works at one, else a company no sandbox holds.</li>
 * </ul>
 */
@RestController
@ConditionalOnProperty(name = "hub.sandbox.enabled", havingValue = "true")
public class SalesforceGroundTruthSetupController extends SalesforceRestSupport {

    static final String GROUND_TRUTH = BASE + "/setup/ground-truth";

    private final SandboxDataGenerator generator;

    public SalesforceGroundTruthSetupController(SandboxOrgs orgs, SandboxTokens tokens, SalesforceSandboxProperties properties) {
        super(orgs, tokens, properties);
        this.generator = orgs.generator();
    }

    @GetMapping({GROUND_TRUTH, GROUND_TRUTH + "/"})
    public ResponseEntity<byte[]> get(HttpServletRequest request) {
        SandboxOrg org = authenticate(request);
        Map<String, Map<String, String>> entities = new LinkedHashMap<>();
        for (SObjectSchema type : new SObjectSchema[] {SObjectSchema.ACCOUNT, SObjectSchema.CONTACT, SObjectSchema.OPPORTUNITY,
                SObjectSchema.LEAD}) {
            entities.put(type.name(), new LinkedHashMap<>());
        }
        org.groundTruth((type, recordId, entityId) -> entities.get(type.name()).put(recordId, entityId));
        Map<String, String> leadCompanies = new LinkedHashMap<>();
        org.leadCompanies((type, recordId, entityId) -> leadCompanies.put(recordId, entityId));
        Map<String, Object> truth = new LinkedHashMap<>();
        truth.put("org", org.name());
        truth.put("provider", SandboxDataGenerator.PROVIDER);
        truth.put("seed", generator.population().seed());
        truth.put("accounts", entities.get(SObjectSchema.ACCOUNT.name()).size());
        truth.put("entities", entities);
        truth.put("leadCompanies", leadCompanies);
        return ok(truth, request);
    }
}
