package sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SandboxOrgTest {

    @Test
    void concurrentWritesGetDistinctIdsAndStrictlyIncreasingStamps() throws Exception {
        List<Instant> stamps = new CopyOnWriteArrayList<>();
        SandboxOrgs orgs = new SandboxOrgs(SalesforceSandboxProperties.defaults().withAccounts(50),
                (orgId, type, change, record) -> stamps.add((Instant) record.get("SystemModstamp")),
                Clock.systemUTC());
        SandboxOrg org = orgs.forUsername("admin+concurrent@sandbox.example").orElseThrow();
        SObjectField name = SObjectSchema.ACCOUNT.require("Name");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                int n = i;
                ids.add(pool.submit(() -> {
                    // readers run alongside the writers
                    org.query(SoqlQuery.parse("SELECT Id FROM Account WHERE Name != null"), false);
                    return org.create(SObjectSchema.ACCOUNT, Map.of(name, "Parallel " + n)).id();
                }));
            }
            Set<String> distinct = new HashSet<>();
            for (Future<String> id : ids) {
                distinct.add(id.get());
            }
            assertThat(distinct).hasSize(400);
        } finally {
            pool.shutdown();
        }
        assertThat(new HashSet<>(stamps)).hasSize(400);
        List<SandboxRecord> created = org.query(SoqlQuery.parse(
                "SELECT Id FROM Account WHERE Name != null AND CreatedDate > 2025-06-01T00:00:00Z"), false);
        assertThat(created).hasSize(400);
        // creation order is stamp order
        for (int i = 1; i < created.size(); i++) {
            assertThat(created.get(i).systemModstamp()).isAfter(created.get(i - 1).systemModstamp());
        }
    }

    @Test
    void orgsKeepTheirCodesAndIdsAcrossInstances() {
        SandboxOrgs first = new SandboxOrgs(SalesforceSandboxProperties.defaults().withAccounts(5), (o, t, c, r) -> { },
                Clock.systemUTC());
        SandboxOrgs second = new SandboxOrgs(SalesforceSandboxProperties.defaults().withAccounts(5), (o, t, c, r) -> { },
                Clock.systemUTC());
        second.forUsername("admin+other@sandbox.example");
        SandboxOrg a = first.forUsername("admin+stable@sandbox.example").orElseThrow();
        SandboxOrg b = second.forUsername("ADMIN+stable@sandbox.example").orElseThrow();
        assertThat(b.orgId()).isEqualTo(a.orgId());
        assertThat(a.code()).isNotEqualTo(first.defaultOrg().code());
        assertThat(first.forUsername("admin+stable@sandbox.example").orElseThrow()).isSameAs(a);
    }
}
