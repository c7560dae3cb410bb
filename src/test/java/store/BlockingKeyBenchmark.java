package store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.zaxxer.hikari.HikariDataSource;

import processors.matching.BlockingKeys;
import processors.matching.DefaultMatchRules;
import processors.matching.MatchRules;
import processors.matching.MatchScore;
import processors.matching.Normalizers;
import processors.matching.RecordMatcher;

/**
 * Matching one incoming contact against a million: the blocking keys of 1,000,000 generated contacts (default
 * {@code c_contact} rules) in {@link BlockingKeyStore} on an H2 file database as the default profile runs it; then, for
 * incoming records that are existing contacts with a typo in the last name, a missing email and another phone format:
 * their keys, the candidates query (best {@code --limit} by keys shared) and the scores against the candidates, timed
 * together, the candidates through {@link BlockingKeyStore} (p50, p95, p99). Loading the candidates' shards from the shards table is not part of it (one query by ids).
 * Usage: {@code BlockingKeyBenchmark [--contacts N] [--queries N] [--limit N] [--dir DIR]}.
 */
public final class BlockingKeyBenchmark {

    private static final String[] FIRST = ("james mary robert patricia john jennifer michael linda david elizabeth william barbara richard susan "
            + "joseph jessica thomas sarah charles karen christopher lisa daniel nancy matthew betty anthony margaret mark sandra donald ashley "
            + "steven kimberly paul emily andrew donna joshua michelle kenneth carol kevin amanda brian dorothy george melissa timothy deborah "
            + "ronald stephanie edward rebecca jason sharon jeffrey laura ryan cynthia jacob kathleen gary amy nicholas angela eric shirley "
            + "jonathan anna stephen brenda larry pamela justin emma scott nicole brandon helen benjamin samantha samuel katherine gregory "
            + "christine alexander debra frank rachel patrick carolyn raymond janet jack catherine dennis maria jerry heather tyler diane aaron "
            + "ruth jose julie adam olivia nathan joyce henry virginia douglas victoria zachary kelly peter lauren kyle christina ethan joan "
            + "walter evelyn noah judith jeremy megan christian andrea keith cheryl roger hannah terry jacqueline gerald martha harold gloria "
            + "sean teresa austin ann carl sara arthur madison lawrence frances dylan kathryn jesse janice jordan jean bryan abigail billy alice "
            + "joe judy bruce sophia gabriel grace logan denise albert amber willie doris alan marilyn juan danielle wayne beverly elijah isabella "
            + "randy theresa roy diana vincent natalie ralph brittany eugene charlotte russell marie bobby kayla mason alexis philip lori").split(" ");
    private static final String[] SYLLABLES = ("an ber car dal el fen gar hal in jor kel lan mar nor or pen quin ros sal tor ul van wil xan yor zel "
            + "son ton ley ford man ridge wood field stein berg ski ez ova ini").split(" ");
    private static final String[] STATES = ("al ak az ar ca co ct de fl ga hi id il in ia ks ky la me md ma mi mn ms mo mt ne nv nh nj nm ny nc nd "
            + "oh ok or pa ri sc sd tn tx ut vt va wa wv wi wy").split(" ");
    private static final String[] DOMAINS = {"gmail.com", "yahoo.com", "outlook.com", "example.com", "acme.com", "globex.com", "initech.com"};

    private BlockingKeyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int contacts = 1_000_000;
        int queries = 1_000;
        int limit = 50;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--contacts" -> contacts = Integer.parseInt(args[++i]);
                case "--queries" -> queries = Integer.parseInt(args[++i]);
                case "--limit" -> limit = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (dir == null) {
            dir = Files.createTempDirectory("blocking-bench");
        }
        // pooled as in the hub: without an open connection H2 closes the database and opens it again for the next query
        HikariDataSource h2 = new HikariDataSource();
        h2.setJdbcUrl("jdbc:h2:file:" + dir.resolve("hub") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
        h2.setUsername("sa");
        h2.setMaximumPoolSize(2);
        JdbcTemplate template = new JdbcTemplate(h2);
        template.execute("CREATE TABLE IF NOT EXISTS tenants (id VARCHAR(64) PRIMARY KEY, name VARCHAR(200), created_at TIMESTAMP WITH TIME ZONE)");
        String migration = new String(BlockingKeyBenchmark.class.getResourceAsStream("/db/migration/V11__matching.sql").readAllBytes());
        for (String statement : migration.replaceAll("(?m)^--.*$", "").split(";")) {
            if (!statement.isBlank()) {
                template.execute(statement.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS").replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS"));
            }
        }
        BlockingKeyStore store = new BlockingKeyStore(JdbcClient.create(h2), template,
                new TransactionTemplate(new DataSourceTransactionManager(h2)));
        MatchRules rules = DefaultMatchRules.forType("c_contact").orElseThrow();
        Normalizers normalizers = new Normalizers("US");
        BlockingKeys blocking = new BlockingKeys(normalizers);
        RecordMatcher matcher = new RecordMatcher(normalizers);
        String tenant = "bench";

        Integer loaded = template.queryForObject("SELECT COUNT(DISTINCT k.shard_id) FROM match_blocking_keys k JOIN match_key_scopes s ON s.id = k.scope"
                + " WHERE s.tenant_id = ?", Integer.class, tenant);
        long start = System.nanoTime();
        if (loaded == null || loaded < contacts) {
            // bulk load: the rows written to a CSV file, read in by one statement into the table without its indexes,
            // then the primary key and the shard index built, so the result has V37's schema. Loading through
            // replaceKeys in transactions of a few thousand contacts grew the H2 file by gigabytes per 100,000 contacts.
            Path csv = dir.resolve("keys.csv");
            template.update("MERGE INTO match_key_scopes (tenant_id, shard_type) KEY (tenant_id, shard_type) VALUES (?, 'c_contact')", tenant);
            int scope = template.queryForObject("SELECT id FROM match_key_scopes WHERE tenant_id = ? AND shard_type = 'c_contact'", Integer.class,
                    tenant);
            long rows = 0;
            try (var out = Files.newBufferedWriter(csv)) {
                out.write("SCOPE,BLOCKING_KEY,SHARD_ID\n");
                for (int i = 0; i < contacts; i++) {
                    for (String key : blocking.keys(rules, contact(i))) {
                        out.write(scope + ",\"" + key.replace("\"", "\"\"") + "\"," + id(i) + "\n");
                        rows++;
                    }
                }
            }
            double keysSeconds = (System.nanoTime() - start) / 1e9;
            template.execute("DROP TABLE match_blocking_keys");
            template.execute("CREATE TABLE match_blocking_keys (scope INT NOT NULL, blocking_key VARCHAR(255) NOT NULL, shard_id VARCHAR(36) NOT NULL)");
            template.execute("INSERT INTO match_blocking_keys SELECT * FROM CSVREAD('" + csv + "')");
            template.execute("ALTER TABLE match_blocking_keys ADD PRIMARY KEY (scope, blocking_key, shard_id)");
            template.execute("CREATE INDEX match_blocking_keys_shard ON match_blocking_keys (scope, shard_id)");
            Files.delete(csv);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "loaded the keys of %,d contacts (%,d rows) in %.1f s (keys computed in %.1f s, then bulk insert "
                    + "and index build)%n", contacts, rows, seconds, keysSeconds);
        } else {
            System.out.printf(Locale.ROOT, "the keys of %,d contacts were loaded already in %s%n", loaded, dir);
        }

        Random random = new Random(7);
        int warmUp = Math.min(300, queries);
        long[] nanos = new long[queries];
        int found = 0;
        long candidatesSeen = 0;
        for (int q = -warmUp; q < queries; q++) {
            int target = random.nextInt(contacts);
            Map<String, Object> incoming = variant(contact(target), random);
            long t0 = System.nanoTime();
            Set<String> keys = blocking.keys(rules, incoming);
            List<String> candidates = store.candidates(tenant, "c_contact", keys, limit);
            RecordMatcher.PreparedRecord prepared = matcher.prepare(rules, incoming);
            String best = null;
            double bestTotal = -1;
            for (String candidate : candidates) {
                // the shard's fields as the sync would have loaded them
                MatchScore score = matcher.score(prepared, matcher.prepare(rules, contact(Integer.parseInt(candidate.substring(1)))));
                if (score.total() > bestTotal) {
                    bestTotal = score.total();
                    best = candidate;
                }
            }
            long elapsed = System.nanoTime() - t0;
            if (q >= 0) {
                nanos[q] = elapsed;
                candidatesSeen += candidates.size();
                found += id(target).equals(best) ? 1 : 0;
            }
        }
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "one incoming contact against %,d: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms over %d queries "
                        + "(after %d to warm up); %.1f candidates on average; the right contact ranked first in %d of %d%n",
                contacts, nanos[queries / 2] / 1e6, nanos[(int) (queries * 0.95)] / 1e6, nanos[(int) (queries * 0.99)] / 1e6,
                nanos[queries - 1] / 1e6, queries, warmUp, (double) candidatesSeen / queries, found, queries);
    }

    private static String id(int i) {
        return "c" + i;
    }

    /** The i-th generated contact: the same every time. */
    static Map<String, Object> contact(int i) {
        Random r = new Random(i * 0x9E3779B97F4A7C15L);
        String first = FIRST[r.nextInt(FIRST.length)];
        String last = word(r, 2 + r.nextInt(2));
        Map<String, Object> c = new HashMap<>();
        c.put("firstName", first);
        c.put("lastName", last);
        c.put("email", first + "." + last + (r.nextInt(3) == 0 ? String.valueOf(r.nextInt(100)) : "") + "@" + DOMAINS[r.nextInt(DOMAINS.length)]);
        c.put("phone", String.format(Locale.ROOT, "(%03d) %03d-%04d", 201 + r.nextInt(700), 200 + r.nextInt(700), r.nextInt(10_000)));
        c.put("birthDate", String.format(Locale.ROOT, "%04d-%02d-%02d", 1940 + r.nextInt(65), 1 + r.nextInt(12), 1 + r.nextInt(28)));
        c.put("street", (1 + r.nextInt(999)) + " " + word(r, 2) + " street");
        c.put("city", word(r, 2 + r.nextInt(2)));
        c.put("state", STATES[r.nextInt(STATES.length)]);
        c.put("postalCode", String.format(Locale.ROOT, "%05d", r.nextInt(100_000)));
        return c;
    }

    private static String word(Random r, int syllables) {
        StringBuilder w = new StringBuilder();
        for (int s = 0; s < syllables; s++) {
            w.append(SYLLABLES[r.nextInt(SYLLABLES.length)]);
        }
        return w.toString();
    }

    /** The contact as another source might hold it: a typo in the last name, no email, the phone written otherwise. */
    private static Map<String, Object> variant(Map<String, Object> contact, Random r) {
        Map<String, Object> v = new HashMap<>(contact);
        String last = (String) v.get("lastName");
        int at = 1 + r.nextInt(last.length() - 1);
        v.put("lastName", last.substring(0, at) + (char) ('a' + r.nextInt(26)) + last.substring(at + 1));
        v.remove("email");
        v.put("phone", "+1 " + ((String) v.get("phone")).replaceAll("[()]", "").replace('-', ' '));
        return v;
    }
}
