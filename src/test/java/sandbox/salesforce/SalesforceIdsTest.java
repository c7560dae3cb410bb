package sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SalesforceIdsTest {

    @Test
    void checksumMatchesRealSalesforceIds() {
        for (String real : new String[] {"001D000000IRFmaIAH", "00D50000000IZ3ZEAW", "00550000001fg5OAAQ",
                "01gD0000002HU6KIAW"}) {
            assertThat(SalesforceIds.to18(real.substring(0, 15))).isEqualTo(real);
        }
    }

    @Test
    void buildsIdsFromPrefixOrgCodeAndCounter() {
        String id = SalesforceIds.of("001", "5A", 61);
        assertThat(id).hasSize(18).startsWith("0015A000000000z");
        assertThat(SalesforceIds.of("001", "5A", 62)).startsWith("0015A0000000010");
        assertThat(SalesforceIds.normalize(id)).isEqualTo(id);
    }

    @Test
    void normalizesFifteenCharAndCaseFoldedIds() {
        assertThat(SalesforceIds.normalize("001D000000IRFma")).isEqualTo("001D000000IRFmaIAH");
        assertThat(SalesforceIds.normalize("001d000000irfmaiah")).isEqualTo("001D000000IRFmaIAH");
        assertThat(SalesforceIds.normalize("001D000000IRFmaIA")).isNull();
        assertThat(SalesforceIds.normalize("001D000000IRFm!IAH")).isNull();
        // checksum says a char of the all-digit middle chunk is uppercase
        assertThat(SalesforceIds.normalize("001D000000IRFmaIBH")).isNull();
    }
}
