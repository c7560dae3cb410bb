package processors.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Prints how many Salesforce Accounts per second one thread maps; a report, not a timed assertion (CI machines vary). */
class MappingThroughputTest {

    private static final int RECORDS = 100_000;

    @Test
    void reportsAccountMappingRate() {
        EntityMapping account = new MappingCatalog("").find("salesforce", "Account").orElseThrow();
        List<Map<String, Object>> records = new ArrayList<>(RECORDS);
        for (int i = 0; i < RECORDS; i++) {
            Map<String, Object> record = SalesforceRecords.account(String.format("001D%014d", i));
            record.put("SystemModstamp", String.format("2024-03-05T10:%02d:%02d.000+0000", i / 60 % 60, i % 60));
            records.add(record);
        }

        // one untimed pass lets the JIT compile the mapping path before the timed ones
        long checksum = run(account, records);
        for (int pass = 1; pass <= 3; pass++) {
            long start = System.nanoTime();
            checksum += run(account, records);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("Mapped %,d Salesforce Accounts in %.3f s: %,.0f records/s on one thread (pass %d)%n",
                    RECORDS, seconds, RECORDS / seconds, pass);
        }
        assertThat(checksum).isPositive();
    }

    private static long run(EntityMapping mapping, List<Map<String, Object>> records) {
        long fields = 0;
        for (Map<String, Object> record : records) {
            fields += mapping.map(record).structuredData().size();
        }
        return fields;
    }
}
