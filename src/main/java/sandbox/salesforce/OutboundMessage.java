package sandbox.salesforce;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An outbound message as an admin defines it in Setup, together with the workflow rule that fires it:
 * "when a record of {@code object} is created, and every time it's edited".
 *
 * @param id the 18-char id ({@code 04k} prefix), sent as {@code ActionId}
 * @param org the org the message belongs to
 * @param fields the fields sent: {@code Id} first, then the others alphabetically, as Salesforce orders them
 * @param instanceUrl the sandbox's instance URL as the admin reached it, the base of EnterpriseUrl and PartnerUrl
 * @param apiVersion the API version of the message, e.g. {@code 59.0}
 */
record OutboundMessage(
        String id,
        SandboxOrg org,
        String name,
        SObjectSchema object,
        URI endpointUrl,
        List<SObjectField> fields,
        boolean includeSessionId,
        String instanceUrl,
        String apiVersion,
        Instant createdDate) {

    OutboundMessage {
        fields = List.copyOf(fields);
    }

    /** {@code .../services/Soap/c/59.0/00D...}: the 15-char org id ends both SOAP URLs. */
    String enterpriseUrl() {
        return instanceUrl + "/services/Soap/c/" + apiVersion + "/" + SalesforceIds.to15(org.orgId());
    }

    String partnerUrl() {
        return instanceUrl + "/services/Soap/u/" + apiVersion + "/" + SalesforceIds.to15(org.orgId());
    }

    /** The definition as the setup API shows it. */
    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("name", name);
        json.put("object", object.name());
        json.put("endpointUrl", endpointUrl.toString());
        json.put("fields", fields.stream().map(SObjectField::name).toList());
        json.put("includeSessionId", includeSessionId);
        json.put("apiVersion", apiVersion);
        json.put("createdDate", SandboxJson.dateTime(createdDate));
        return json;
    }
}
