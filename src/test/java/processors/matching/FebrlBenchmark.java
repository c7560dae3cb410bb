package processors.matching;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Matching accuracy on FEBRL 4, engine level: the 5,000 original person records (dataset4a) and then their 5,000
 * duplicates (dataset4b) arrive one by one as {@code c_contact} fields, as two integrations would deliver them; each is
 * scored against the earlier records that share a blocking key with it (the best {@code --limit} by keys shared, as
 * {@code store.BlockingKeyStore.candidates} answers), under the default contact rules, and joins the best candidate
 * that scores MATCH. The record ids are read only to count: true pairs are {@code rec-N-org} and {@code rec-N-dup-0}.
 *
 * <p>Prints precision, recall and F1 of the pairs joined, the pairs compared as a share of all pairs, pair
 * completeness (true pairs blocking made candidates) and the time. Usage:
 * {@code FebrlBenchmark [--data DIR] [--limit N] [--rules FILE.json]}.
 */
public final class FebrlBenchmark {

    private FebrlBenchmark() {
    }

    record Row(String id, Map<String, Object> fields) {
    }

    public static void main(String[] args) throws IOException {
        Path data = Path.of("src/test/resources/febrl");
        int limit = 50;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> data = Path.of(args[++i]);
                case "--limit" -> limit = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (--data DIR, --limit N)");
            }
        }
        run(data, limit, System.out);
    }

    /** What one run measured. */
    record Result(double precision, double recall, double f1, double comparedShare, double pairCompleteness) {
    }

    /** Runs the benchmark over the FEBRL 4 files in {@code data}, printing the figures to {@code out}. */
    static Result run(Path data, int limit, java.io.PrintStream out) throws IOException {
        List<Row> rows = new ArrayList<>(read(data.resolve("dataset4a.csv")));
        rows.addAll(read(data.resolve("dataset4b.csv")));
        MatchRules rules = DefaultMatchRules.forType("c_contact").orElseThrow();
        Normalizers normalizers = new Normalizers("US");
        BlockingKeys blocking = new BlockingKeys(normalizers);
        RecordMatcher matcher = new RecordMatcher(normalizers);

        long start = System.nanoTime();
        Map<String, List<Integer>> index = new HashMap<>();
        List<RecordMatcher.PreparedRecord> prepared = new ArrayList<>(rows.size());
        Map<String, Integer> byId = new HashMap<>();
        long compared = 0;
        int withoutKeys = 0;
        int completeness = 0;
        int predicted = 0;
        int truePositives = 0;
        int review = 0;
        double[] sweep = {0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8};
        int[] sweepPredicted = new int[sweep.length];
        int[] sweepTrue = new int[sweep.length];
        List<String> missedExamples = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            RecordMatcher.PreparedRecord record = matcher.prepare(rules, row.fields());
            prepared.add(record);
            byId.put(row.id(), r);
            Set<String> keys = blocking.keys(rules, row.fields());
            if (keys.isEmpty()) {
                withoutKeys++;
            }
            List<Integer> candidates = candidates(index, keys, limit);
            compared += candidates.size();
            Integer partner = byId.get(partnerId(row.id()));
            if (partner != null && candidates.contains(partner)) {
                completeness++;
            } else if (partner != null && System.getenv("FEBRL_BLOCKING") != null) {
                System.out.println("not blocked together: " + row.fields() + " / " + rows.get(partner).fields());
            }
            Integer best = null;
            MatchScore bestScore = null;
            for (int candidate : candidates) {
                MatchScore score = matcher.score(record, prepared.get(candidate));
                if (bestScore == null || score.total() > bestScore.total()) {
                    best = candidate;
                    bestScore = score;
                }
            }
            if (bestScore != null) {
                boolean correct = best.equals(partner);
                if (bestScore.verdict() == Verdict.MATCH) {
                    predicted++;
                    truePositives += correct ? 1 : 0;
                } else if (bestScore.verdict() == Verdict.REVIEW) {
                    review++;
                }
                for (int t = 0; t < sweep.length; t++) {
                    if (bestScore.total() >= sweep[t]) {
                        sweepPredicted[t]++;
                        sweepTrue[t] += correct ? 1 : 0;
                    }
                }
                if (!correct && bestScore.total() >= 0.7 && System.getenv("FEBRL_FP") != null) {
                    System.out.println("false " + bestScore.total() + " " + row.fields() + " / " + rows.get(best).fields());
                }
                if (partner != null && (!correct || bestScore.verdict() != Verdict.MATCH) && missedExamples.size() < 40) {
                    StringBuilder why = new StringBuilder();
                    MatchScore partnerScore = matcher.score(record, prepared.get(partner));
                    for (FieldScore f : partnerScore.fields()) {
                        if (f.compared()) {
                            why.append(String.format(Locale.ROOT, " %s %s/%s=%.2f;", f.field(), f.incomingNormalized(), f.candidateNormalized(), f.similarity()));
                        }
                    }
                    missedExamples.add(row.id() + " best=" + rows.get(best).id() + " " + bestScore.total() + " partner " + partnerScore.total() + why);
                }
            }
            for (String key : keys) {
                index.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int truePairs = (int) rows.stream().filter(row -> row.id().endsWith("-dup-0")).count();
        long allPairs = (long) rows.size() * (rows.size() - 1) / 2;
        double precision = predicted == 0 ? 0 : (double) truePositives / predicted;
        double recall = (double) truePositives / truePairs;
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        if (System.getenv("FEBRL_DEBUG") != null) {
            missedExamples.forEach(System.out::println);
        }
        out.printf(Locale.ROOT, "FEBRL 4, %d records (%d true pairs), default c_contact rules, candidate limit %d%n",
                rows.size(), truePairs, limit);
        out.printf(Locale.ROOT, "precision %.4f  recall %.4f  F1 %.4f  (%d pairs joined, %d right; %d records sent to review)%n",
                precision, recall, f1, predicted, truePositives, review);
        out.printf(Locale.ROOT, "pairs compared %d = %.4f%% of all %d pairs (%.4f%% of the 25,000,000 pairs across the two sets)%n",
                compared, 100.0 * compared / allPairs, allPairs, 100.0 * compared / 25_000_000L);
        out.printf(Locale.ROOT, "pair completeness %.4f (%d of %d true pairs were candidates); records without a blocking key: %d%n",
                (double) completeness / truePairs, completeness, truePairs, withoutKeys);
        out.printf(Locale.ROOT, "time %.2f s (%.3f ms per record: keys, candidates, scores)%n", seconds, seconds * 1000 / rows.size());
        StringBuilder line = new StringBuilder("F1 if the match threshold were:");
        for (int t = 0; t < sweep.length; t++) {
            double p = sweepPredicted[t] == 0 ? 0 : (double) sweepTrue[t] / sweepPredicted[t];
            double rc = (double) sweepTrue[t] / truePairs;
            line.append(String.format(Locale.ROOT, "  %.2f: %.4f (P %.4f R %.4f)", sweep[t], p + rc == 0 ? 0 : 2 * p * rc / (p + rc), p, rc));
        }
        out.println(line);
        return new Result(precision, recall, f1, (double) compared / allPairs, (double) completeness / truePairs);
    }

    /** The earlier records sharing a key, the most keys shared first, at most {@code limit}. */
    private static List<Integer> candidates(Map<String, List<Integer>> index, Set<String> keys, int limit) {
        Map<Integer, Integer> shared = new LinkedHashMap<>();
        for (String key : keys) {
            for (int id : index.getOrDefault(key, List.of())) {
                shared.merge(id, 1, Integer::sum);
            }
        }
        return shared.entrySet().stream()
                .sorted(Map.Entry.<Integer, Integer>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .limit(limit).map(Map.Entry::getKey).toList();
    }

    private static String partnerId(String id) {
        return id.endsWith("-dup-0") ? id.replace("-dup-0", "-org") : null;
    }

    /** A FEBRL file as c_contact fields: the street lines as one text (as Salesforce's MailingStreet holds them). */
    static List<Row> read(Path file) throws IOException {
        List<Row> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] v = line.split(",", -1);
            for (int i = 0; i < v.length; i++) {
                v[i] = v[i].strip();
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            put(fields, "firstName", v[1]);
            put(fields, "lastName", v[2]);
            String street = (v[3] + " " + v[4]).strip();
            put(fields, "street", v[5].isEmpty() ? street : street.isEmpty() ? v[5] : street + "\n" + v[5]);
            put(fields, "city", v[6]);
            put(fields, "postalCode", v[7]);
            put(fields, "state", v[8]);
            put(fields, "birthDate", v[9].length() == 8 ? v[9].substring(0, 4) + "-" + v[9].substring(4, 6) + "-" + v[9].substring(6) : v[9]);
            rows.add(new Row(v[0], fields));
        }
        return rows;
    }

    private static void put(Map<String, Object> fields, String name, String value) {
        if (!value.isEmpty()) {
            fields.put(name, value);
        }
    }
}
