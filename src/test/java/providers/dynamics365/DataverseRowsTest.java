package providers.dynamics365;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import providers.PermanentProviderException;
import providers.PullFilter;

/** Rows between the Web API and the mappings: lookups under their navigation property, annotations, lookups written as binds. */
class DataverseRowsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = "60c4e274-0d87-e711-80e5-00155db19e6d";

    @Test
    void selectionReadsLookupColumnsAndSkipsAnnotations() {
        DataverseRows.Selection selection = DataverseRows.selection(DataverseTables.CONTACTS,
                List.of("contactid", "@odata", "lastname", "parentcustomerid_account", "_ownerid_value"));
        assertThat(selection.columns()).containsExactly("contactid", "lastname", "_parentcustomerid_value", "_ownerid_value");
        assertThat(selection.formatted()).isFalse();
        DataverseRows.Selection formatted = DataverseRows.selection(DataverseTables.ACCOUNTS, List.of("accountid", "industrycode@OData"));
        assertThat(formatted.columns()).containsExactly("accountid", "industrycode");
        assertThat(DataverseRows.prefer(formatted, 200, true)).isEqualTo("odata.include-annotations=\"Microsoft.Dynamics.CRM."
                + "associatednavigationproperty,Microsoft.Dynamics.CRM.lookuplogicalname,OData.Community.Display.V1.FormattedValue\","
                + "odata.maxpagesize=200,odata.track-changes");
    }

    @Test
    void aLookupAppearsUnderItsNavigationPropertyAndOtherAnnotationsGo() throws Exception {
        JsonNode row = JSON.readTree("""
                {"@odata.etag":"W/\\"915300\\"","lastname":"Lee",
                 "_parentcustomerid_value@OData.Community.Display.V1.FormattedValue":"Contoso",
                 "_parentcustomerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty":"parentcustomerid_account",
                 "_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname":"account",
                 "_parentcustomerid_value":"%s","contactid":"2e451703-c686-e711-80e5-00155db19e6d"}""".formatted(ACCOUNT));
        Map<String, Object> record = DataverseRows.record(JSON, DataverseTables.CONTACTS, row, false);
        assertThat(record).containsOnlyKeys("@odata.etag", "lastname", "_parentcustomerid_value", "contactid", "parentcustomerid_account");
        assertThat(record).contains(entry("parentcustomerid_account", ACCOUNT), entry("@odata.etag", "W/\"915300\""));

        JsonNode contactAsCustomer = JSON.readTree("""
                {"_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname":"contact",
                 "_parentcustomerid_value":"2e451703-c686-e711-80e5-00155db19e6d","contactid":"3e451703-c686-e711-80e5-00155db19e6d"}""");
        assertThat(DataverseRows.record(JSON, DataverseTables.CONTACTS, contactAsCustomer, false))
                .containsEntry("parentcustomerid_contact", "2e451703-c686-e711-80e5-00155db19e6d").doesNotContainKey("parentcustomerid_account");

        JsonNode withLabel = JSON.readTree("""
                {"industrycode":7,"industrycode@OData.Community.Display.V1.FormattedValue":"Consulting","accountid":"%s"}""".formatted(ACCOUNT));
        assertThat(DataverseRows.record(JSON, DataverseTables.ACCOUNTS, withLabel, true))
                .containsEntry("industrycode@OData.Community.Display.V1.FormattedValue", "Consulting");
    }

    @Test
    void deletionStubsAreRecognised() throws Exception {
        assertThat(DataverseRows.isDeletion(JSON.readTree("""
                {"@odata.context":"http://h/api/data/v9.2/$metadata#accounts/$deletedEntity","id":"%s","reason":"deleted"}""".formatted(ACCOUNT))))
                .isTrue();
        assertThat(DataverseRows.isDeletion(JSON.readTree("{\"@odata.etag\":\"W/\\\"1\\\"\",\"accountid\":\"" + ACCOUNT + "\"}"))).isFalse();
    }

    @Test
    void lookupsAreWrittenAsBindsToTheirTargetTable() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("lastname", "Lee");
        fields.put("parentcustomerid_account", ACCOUNT.toUpperCase());
        assertThat(DataverseRows.forWrite(DataverseTables.CONTACTS, fields)).containsExactly(entry("lastname", "Lee"),
                entry("parentcustomerid_account@odata.bind", "/accounts(" + ACCOUNT + ")"));

        Map<String, Object> cleared = new LinkedHashMap<>();
        cleared.put("_parentaccountid_value", null);
        assertThat(DataverseRows.forWrite(DataverseTables.OPPORTUNITIES, cleared)).containsExactly(entry("parentaccountid@odata.bind", null));

        assertThatThrownBy(() -> DataverseRows.forWrite(DataverseTables.CONTACTS, Map.of("_parentcustomerid_value", ACCOUNT)))
                .isInstanceOf(PermanentProviderException.class).hasMessageContaining("parentcustomerid_account");
        assertThatThrownBy(() -> DataverseRows.forWrite(DataverseTables.CONTACTS, Map.of("parentcustomerid_account", "x') or (1 eq 1")))
                .isInstanceOf(PermanentProviderException.class).hasMessageContaining("not a Dataverse row id");
    }

    @Test
    void pullFiltersApplyToTheRowsRead() {
        Map<String, Object> row = new LinkedHashMap<>(Map.of("address1_country", "Norway", "numberofemployees", 120));
        assertThat(DataverseRows.matches(row, List.of(new PullFilter("address1_country", "=", "Norway")))).isTrue();
        assertThat(DataverseRows.matches(row, List.of(new PullFilter("numberofemployees", ">", 200)))).isFalse();
        assertThat(DataverseRows.matches(row, List.of(new PullFilter("numberofemployees", ">=", 120.0)))).isTrue();
        assertThat(DataverseRows.matches(row, List.of(new PullFilter("description", "=", null)))).isTrue();
    }
}
