package providers.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import providers.PermanentProviderException;

/**
 * The search pass against an in-memory stand-in of HubSpot's search (filters, one sort, ties in no particular order,
 * 10,000 results at most per query): every record comes exactly once, in change-marker order, across timestamps shared
 * by more records than a page and with records modified while the pass runs.
 */
class SearchCursorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODIFIED = "hs_lastmodifieddate";

    /** A record of the stand-in: its id and modification time (epoch ms). */
    private static final class Row {
        final long id;
        long modified;

        Row(long id, long modified) {
            this.id = id;
            this.modified = modified;
        }
    }

    /** HubSpot's search as far as the pass uses it: AND of filters, one ascending sort with ties shuffled, the cap. */
    private static final class FakeSearch {
        final Map<Long, Row> rows = new LinkedHashMap<>();
        final Random random = new Random(7);
        int queries;

        List<JsonNode> run(ObjectNode query, boolean[] more) {
            queries++;
            Predicate<Row> match = r -> true;
            for (JsonNode group : query.path("filterGroups")) {
                for (JsonNode f : group.path("filters")) {
                    String property = f.path("propertyName").asText();
                    long value = Long.parseLong(f.path("value").asText());
                    String op = f.path("operator").asText();
                    Predicate<Row> one = r -> {
                        long actual = property.equals(MODIFIED) ? r.modified : r.id;
                        return switch (op) {
                            case "GTE" -> actual >= value;
                            case "GT" -> actual > value;
                            case "EQ" -> actual == value;
                            default -> throw new IllegalArgumentException(op);
                        };
                    };
                    match = match.and(one);
                }
            }
            String sort = query.path("sorts").get(0).path("propertyName").asText();
            int limit = query.path("limit").asInt();
            int after = query.path("after").asInt(0);
            assertThat(after + limit).as("a query never pages towards the 10,000 cap").isLessThanOrEqualTo(10_000);
            List<Row> matched = new ArrayList<>(rows.values().stream().filter(match).toList());
            Collections.shuffle(matched, random);
            matched.sort(Comparator.comparingLong(r -> sort.equals(MODIFIED) ? r.modified : r.id));
            List<JsonNode> page = new ArrayList<>();
            for (Row r : matched.subList(Math.min(after, matched.size()), Math.min(after + limit, matched.size()))) {
                ObjectNode record = JSON.createObjectNode().put("id", Long.toString(r.id));
                record.putObject("properties").put(MODIFIED, java.time.Instant.ofEpochMilli(r.modified).toString());
                page.add(record);
            }
            more[0] = matched.size() > after + limit;
            return page;
        }
    }

    /** Runs a pass to its end; {@code beforePage} may change the data between pages. */
    private static List<JsonNode> pass(FakeSearch search, String since, int limit, java.util.function.IntConsumer beforePage) {
        List<JsonNode> taken = new ArrayList<>();
        SearchCursor cursor = SearchCursor.from(since);
        int pages = 0;
        while (cursor != null) {
            beforePage.accept(pages++);
            assertThat(pages).as("the pass ends").isLessThan(10_000);
            ObjectNode query = cursor.query(MODIFIED, List.of(), List.of("name"), limit);
            boolean[] more = new boolean[1];
            List<JsonNode> results = search.run(query, more);
            SearchCursor.Step step = cursor.next(results, more[0], r -> SearchCursor.instant(r.path("properties").path(MODIFIED).asText())
                    .toEpochMilli());
            taken.addAll(step.records());
            // the next query starts from what this cursor carries: through its text, as the hub hands it back
            cursor = step.next() == null ? null : SearchCursor.decode(step.next().encode());
        }
        return taken;
    }

    private static List<String> ids(List<JsonNode> records) {
        return records.stream().map(r -> r.path("id").asText()).toList();
    }

    private static void assertAscending(List<JsonNode> records) {
        long previous = Long.MIN_VALUE;
        for (JsonNode r : records) {
            long at = SearchCursor.instant(r.path("properties").path(MODIFIED).asText()).toEpochMilli();
            assertThat(at).isGreaterThanOrEqualTo(previous);
            previous = at;
        }
    }

    @Test
    void aFullPassOfMoreThanTenThousandRecordsTakesEachOnceInOrderWithoutPagingTowardsTheCap() {
        FakeSearch search = new FakeSearch();
        Random random = new Random(1);
        for (long id = 1; id <= 12_500; id++) {
            // about three records per millisecond: ties at almost every page boundary
            search.rows.put(id, new Row(id, 1_700_000_000_000L + random.nextInt(4_000)));
        }

        List<JsonNode> taken = pass(search, null, 200, page -> { });

        assertThat(ids(taken)).doesNotHaveDuplicates().hasSize(12_500);
        assertAscending(taken);
        // re-anchoring drops the repeats of each boundary timestamp: a few more queries than 12,500 / 200
        assertThat(search.queries).isBetween(63, 90);
    }

    @Test
    void aTimestampSharedByMoreRecordsThanAPageAndMoreThanTheCapIsWalkedById() {
        FakeSearch search = new FakeSearch();
        for (long id = 1; id <= 100; id++) {
            search.rows.put(id, new Row(id, 1_000 + id));
        }
        // a bulk import: 10,500 records in one millisecond, more than one query may ever page through
        for (long id = 101; id <= 10_600; id++) {
            search.rows.put(id, new Row(id, 5_000));
        }
        for (long id = 10_601; id <= 10_700; id++) {
            search.rows.put(id, new Row(id, 6_000 + id));
        }

        List<JsonNode> taken = pass(search, null, 200, page -> { });

        assertThat(ids(taken)).doesNotHaveDuplicates().hasSize(10_700);
        assertAscending(taken);
    }

    @Test
    void recordsModifiedWhileThePassRunsComeAgainLaterAndNoneIsSkipped() {
        FakeSearch search = new FakeSearch();
        for (long id = 1; id <= 3_000; id++) {
            search.rows.put(id, new Row(id, 10_000 + id / 2));
        }
        long[] clock = {50_000};
        Random random = new Random(3);

        List<JsonNode> taken = pass(search, null, 200, page -> {
            // between pages, five random records change: they move to the end
            for (int i = 0; i < 5; i++) {
                search.rows.get(1L + random.nextInt(3_000)).modified = clock[0]++;
            }
        });

        assertThat(ids(taken)).containsAll(search.rows.keySet().stream().map(String::valueOf).toList());
        assertAscending(taken);
        // a record is taken again only as its later version
        Map<String, Long> lastSeen = new HashMap<>();
        for (JsonNode r : taken) {
            long at = SearchCursor.instant(r.path("properties").path(MODIFIED).asText()).toEpochMilli();
            Long before = lastSeen.put(r.path("id").asText(), at);
            assertThat(before == null || before < at).as("record %s taken twice at the same version", r.path("id").asText()).isTrue();
        }
    }

    @Test
    void anIncrementalPassStartsAtItsMarkerInclusively() {
        FakeSearch search = new FakeSearch();
        for (long id = 1; id <= 50; id++) {
            search.rows.put(id, new Row(id, 1_700_000_000_000L + id * 1_000));
        }

        List<JsonNode> taken = pass(search, java.time.Instant.ofEpochMilli(1_700_000_040_000L).toString(), 200, page -> { });

        assertThat(ids(taken)).containsExactly("40", "41", "42", "43", "44", "45", "46", "47", "48", "49", "50");
    }

    @Test
    void theQueryFiltersSortsAndAsksForTheMappedProperties() {
        SearchCursor cursor = SearchCursor.from("2024-01-01T00:00:00.000Z");
        ObjectNode filter = JSON.createObjectNode().put("propertyName", "industry").put("operator", "EQ").put("value", "Software");

        JsonNode query = cursor.query("lastmodifieddate", List.of(filter), List.of("firstname", "lastmodifieddate"), 200);

        assertThat(query.toString()).isEqualTo("{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"lastmodifieddate\",\"operator\":\"GTE\","
                + "\"value\":\"1704067200000\"},{\"propertyName\":\"industry\",\"operator\":\"EQ\",\"value\":\"Software\"}]}],"
                + "\"sorts\":[{\"propertyName\":\"lastmodifieddate\",\"direction\":\"ASCENDING\"}],"
                + "\"properties\":[\"firstname\",\"lastmodifieddate\"],\"limit\":200}");
        assertThat(SearchCursor.from(null).query("hs_lastmodifieddate", List.of(), List.of(), 10).path("filterGroups")).isEmpty();
    }

    @Test
    void aCursorThatIsNotOnesIsRefusedAndResultsOutOfOrderStopThePass() {
        assertThatThrownBy(() -> SearchCursor.decode("not base64 json")).isInstanceOf(PermanentProviderException.class);
        assertThatThrownBy(() -> SearchCursor.from("yesterday")).isInstanceOf(PermanentProviderException.class)
                .hasMessageContaining("not a date-time");
        SearchCursor cursor = SearchCursor.from("1970-01-01T00:00:10Z");
        JsonNode earlier = JSON.createObjectNode().put("id", "1");
        assertThatThrownBy(() -> cursor.next(List.of(earlier), true, r -> 5L)).isInstanceOf(PermanentProviderException.class)
                .hasMessageContaining("out of order");
    }
}
