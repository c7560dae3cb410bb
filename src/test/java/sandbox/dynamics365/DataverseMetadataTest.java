package sandbox.dynamics365;

import static org.assertj.core.api.Assertions.assertThat;
import static sandbox.dynamics365.DynamicsFixture.api;
import static sandbox.dynamics365.DynamicsFixture.filtered;
import static sandbox.dynamics365.DynamicsFixture.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockHttpServletResponse;

/** What clients discover the org with: WhoAmI, EntityDefinitions and their Attributes, $metadata, the service document. */
class DataverseMetadataTest {

    private static final String ORG = "meta";

    private final DynamicsFixture sandbox = new DynamicsFixture(1);
    private String token;

    @BeforeEach
    void token() throws Exception {
        token = sandbox.token(ORG);
    }

    @Test
    void whoAmINamesTheCallersUserBusinessUnitAndOrganization() throws Exception {
        JsonNode me = json(sandbox.get(ORG, "WhoAmI()", token));
        assertThat(me.get("@odata.context").asText()).isEqualTo(api(ORG) + "$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse");
        assertThat(me.get("UserId").asText()).isEqualTo(json(sandbox.get(ORG, "WhoAmI", token)).get("UserId").asText());
        assertThat(me.get("OrganizationId").asText()).isNotEqualTo(
                json(sandbox.get("meta-other", "WhoAmI", sandbox.token("meta-other"))).get("OrganizationId").asText());
        String created = sandbox.send(HttpMethod.POST, ORG, "accounts", token, "{\"name\":\"Mine\"}")
                .getHeader("OData-EntityId").replaceAll(".*\\((.*)\\)", "$1");
        assertThat(json(sandbox.get(ORG, "accounts(" + created + ")?$select=_ownerid_value", token)).get("_ownerid_value").asText())
                .isEqualTo(me.get("UserId").asText());
        MockHttpServletResponse posted = sandbox.send(HttpMethod.POST, ORG, "WhoAmI", token, "{}");
        assertThat(posted.getStatus()).isEqualTo(404);
        assertThat(json(posted).get("error").get("message").asText()).startsWith("No HTTP resource was found that matches the request URI");
    }

    @Test
    void entityDefinitionsMapLogicalNamesToEntitySets() throws Exception {
        JsonNode all = json(sandbox.get(ORG, "EntityDefinitions?$select=EntitySetName,LogicalName", token));
        assertThat(all.get("@odata.context").asText()).isEqualTo(api(ORG) + "$metadata#EntityDefinitions(EntitySetName,LogicalName)");
        List<String> pairs = new ArrayList<>();
        for (JsonNode d : all.get("value")) {
            List<String> fields = new ArrayList<>();
            d.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).containsExactly("EntitySetName", "LogicalName", "MetadataId");
            pairs.add(d.get("LogicalName").asText() + "=" + d.get("EntitySetName").asText());
        }
        assertThat(pairs).containsExactly("account=accounts", "contact=contacts", "opportunity=opportunities");

        JsonNode tracked = json(sandbox.get(ORG, filtered("EntityDefinitions?$select=LogicalName",
                "ChangeTrackingEnabled eq true and LogicalName eq 'contact'"), token));
        assertThat(tracked.get("value")).hasSize(1);

        JsonNode one = json(sandbox.get(ORG, "EntityDefinitions(LogicalName='opportunity')?$select=PrimaryIdAttribute,ObjectTypeCode", token));
        assertThat(one.get("@odata.context").asText())
                .isEqualTo(api(ORG) + "$metadata#EntityDefinitions(PrimaryIdAttribute,ObjectTypeCode)/$entity");
        assertThat(one.get("PrimaryIdAttribute").asText()).isEqualTo("opportunityid");
        assertThat(one.get("ObjectTypeCode").asInt()).isEqualTo(3);
        assertThat(sandbox.get(ORG, "EntityDefinitions(" + one.get("MetadataId").asText() + ")", token).getStatus()).isEqualTo(200);
        assertThat(sandbox.get(ORG, "EntityDefinitions(LogicalName='lead')", token).getStatus()).isEqualTo(404);
        assertThat(sandbox.get(ORG, "EntityDefinitions?$select=Nope", token).getStatus()).isEqualTo(400);
    }

    @Test
    void attributesDescribeEveryColumnWithItsType() throws Exception {
        JsonNode attributes = json(sandbox.get(ORG, "EntityDefinitions(LogicalName='contact')/Attributes?$select=LogicalName,AttributeType", token));
        assertThat(attributes.get("@odata.context").asText())
                .isEqualTo(api(ORG) + "$metadata#EntityDefinitions('contact')/Attributes(LogicalName,AttributeType)");
        List<String> names = new ArrayList<>();
        for (JsonNode a : attributes.get("value")) {
            names.add(a.get("LogicalName").asText() + ":" + a.get("AttributeType").asText());
            assertThat(a.get("@odata.type").asText()).startsWith("#Microsoft.Dynamics.CRM.").endsWith("AttributeMetadata");
        }
        assertThat(names).contains("contactid:Uniqueidentifier", "lastname:String", "parentcustomerid:Customer",
                "modifiedon:DateTime", "versionnumber:BigInt", "statecode:State", "ownerid:Owner");
        assertThat(names).hasSize(EntitySchema.CONTACT.columns().size());

        JsonNode lookups = json(sandbox.get(ORG, "EntityDefinitions(LogicalName='contact')/Attributes/Microsoft.Dynamics.CRM.LookupAttributeMetadata?$select=LogicalName,Targets", token));
        JsonNode customer = null;
        for (JsonNode a : lookups.get("value")) {
            if (a.get("LogicalName").asText().equals("parentcustomerid")) {
                customer = a;
            }
        }
        assertThat(customer).isNotNull();
        assertThat(customer.get("Targets").toString()).isEqualTo("[\"account\",\"contact\"]");
        JsonNode name = json(sandbox.get(ORG, "EntityDefinitions(LogicalName='account')/Attributes(LogicalName='name')", token));
        assertThat(name.get("MaxLength").asInt()).isEqualTo(160);
        assertThat(name.get("IsPrimaryName").asBoolean()).isTrue();
    }

    @Test
    void theServiceDocumentAndMetadataListTheEntitySets() throws Exception {
        JsonNode service = json(sandbox.get(ORG, "", token));
        assertThat(service.get("@odata.context").asText()).isEqualTo(api(ORG) + "$metadata");
        assertThat(service.get("value").toString()).contains("\"accounts\"", "\"contacts\"", "\"opportunities\"");
        MockHttpServletResponse csdl = sandbox.get(ORG, "$metadata", token);
        assertThat(csdl.getStatus()).isEqualTo(200);
        assertThat(csdl.getContentType()).startsWith("application/xml");
        assertThat(csdl.getContentAsString()).contains("<EntitySet Name=\"contacts\" EntityType=\"Microsoft.Dynamics.CRM.contact\">",
                "<NavigationProperty Name=\"parentcustomerid_account\" Type=\"mscrm.account\">",
                "Org.OData.Capabilities.V1.ChangeTracking");
        javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(csdl.getContentAsByteArray()));
    }
}
