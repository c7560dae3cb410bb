package processors.matching;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Scores an incoming record against candidate shards under a tenant's {@link MatchRules}.
 *
 * <p>Each comparison normalizes both values and compares them; a value missing on either side (absent, blank, or
 * unusable after normalizing, such as text that is no phone number) is not compared and counts for nothing: neither
 * agreement nor disagreement, because a CRM record that lacks a phone says nothing about whether it is the same person.
 * The total is the weighted mean of what was compared, {@code sum(w * s) / max(sum(w), minComparedWeight)}, so
 * disagreement pulls it down in proportion to its weight and too little compared keeps it low. Custom rules add their
 * weight only when met (see {@link CustomRule}). The verdict compares the total with the thresholds.
 *
 * <p>Stateless and thread-safe; normalizing a record once and scoring it against many candidates is
 * {@link #prepare} then {@link #score(PreparedRecord, PreparedRecord)}.
 */
public final class RecordMatcher {

    private final Normalizers normalizers;

    public RecordMatcher(Normalizers normalizers) {
        this.normalizers = normalizers;
    }

    /** A record's values normalized as the rules' comparisons need them. */
    public static final class PreparedRecord {

        private final MatchRules rules;
        private final Map<String, ?> fields;
        private final Map<String, String> normalized = new HashMap<>();

        PreparedRecord(MatchRules rules, Map<String, ?> fields) {
            this.rules = rules;
            this.fields = fields;
        }

        public MatchRules rules() {
            return rules;
        }

        public Map<String, ?> fields() {
            return fields;
        }

        String raw(String field) {
            return Normalizers.raw(FieldPaths.read(fields, field));
        }

        String normalized(String field, String normalizer) {
            return normalized.get(field + '\u0000' + normalizer);
        }

        /** The field's value under the normalizer, normalized on first use and kept: null when missing or unusable. */
        String normalized(String field, String normalizer, Normalizers normalizers) {
            String key = field + '\u0000' + normalizer;
            String value = normalized.get(key);
            if (value == null && !normalized.containsKey(key)) {
                String raw = raw(field);
                value = raw == null ? null : normalizers.get(normalizer).normalize(raw);
                normalized.put(key, value);
            }
            return value;
        }
    }

    /** A candidate with its score, for {@link #rank}. */
    public record ScoredCandidate(String shardId, MatchScore score) {
    }

    public PreparedRecord prepare(MatchRules rules, Map<String, ?> fields) {
        PreparedRecord record = new PreparedRecord(rules, fields);
        for (MatchField field : rules.fields()) {
            normalize(record, field);
        }
        for (CustomRule rule : rules.customRules()) {
            for (MatchField part : rule.parts()) {
                normalize(record, part);
            }
        }
        return record;
    }

    private void normalize(PreparedRecord record, MatchField field) {
        record.normalized(field.field(), field.normalizer(), normalizers);
        for (String other : field.alsoAgainst()) {
            record.normalized(other, field.normalizer(), normalizers);
        }
    }

    public MatchScore score(MatchRules rules, Map<String, ?> incoming, Map<String, ?> candidate) {
        return score(prepare(rules, incoming), prepare(rules, candidate));
    }

    /** Scores two records prepared under the same rules. */
    public MatchScore score(PreparedRecord incoming, PreparedRecord candidate) {
        MatchRules rules = incoming.rules();
        if (rules != candidate.rules() && !Objects.equals(rules, candidate.rules())) {
            throw new IllegalArgumentException("both records must be prepared under the same rules");
        }
        double sum = 0;
        double compared = 0;
        List<FieldScore> fields = new ArrayList<>(rules.fields().size());
        for (MatchField field : rules.fields()) {
            FieldScore score = compare(field, incoming, candidate);
            fields.add(score);
            if (score.compared()) {
                sum += score.contribution();
                compared += field.weight();
            }
        }
        List<RuleScore> custom = new ArrayList<>(rules.customRules().size());
        for (CustomRule rule : rules.customRules()) {
            RuleScore score = apply(rule, incoming, candidate);
            custom.add(score);
            if (score.met()) {
                sum += score.contribution();
                compared += rule.weight();
            }
        }
        double divisor = Math.max(compared, rules.minComparedWeight());
        double total = divisor == 0 ? 0 : round(sum / divisor);
        return new MatchScore(total, rules.thresholds().verdict(total), rules.thresholds(), round(compared), rules.minComparedWeight(),
                fields, custom);
    }

    /** Every candidate's score, best first (ties in the candidates' order). */
    public List<ScoredCandidate> rank(MatchRules rules, Map<String, ?> incoming, Map<String, ? extends Map<String, ?>> candidatesById) {
        PreparedRecord prepared = prepare(rules, incoming);
        List<ScoredCandidate> scored = new ArrayList<>(candidatesById.size());
        candidatesById.forEach((id, fields) -> scored.add(new ScoredCandidate(id, score(prepared, prepare(rules, fields)))));
        scored.sort(Comparator.comparingDouble((ScoredCandidate c) -> c.score().total()).reversed());
        return scored;
    }

    private static FieldScore compare(MatchField field, PreparedRecord incoming, PreparedRecord candidate) {
        String a = incoming.normalized(field.field(), field.normalizer());
        String rawA = incoming.raw(field.field());
        String against = field.field();
        String b = candidate.normalized(against, field.normalizer());
        double similarity = a == null || b == null ? -1 : field.comparator().similarity(a, b);
        if (a != null) {
            for (String other : field.alsoAgainst()) {
                String value = candidate.normalized(other, field.normalizer());
                // the rule's own field wins ties: another field counts only when it compares better
                double s = value == null || similarity >= 1 ? -1 : field.comparator().similarity(a, value);
                if (s > similarity) {
                    similarity = s;
                    against = other;
                    b = value;
                }
            }
        }
        String rawB = candidate.raw(against);
        if (a == null || b == null) {
            String note = a == null && b == null ? "missing on both sides"
                    : a == null ? (rawA == null ? "missing" : "unusable") + " on the incoming side"
                    : (rawB == null ? "missing" : "unusable") + " on the candidate side";
            return new FieldScore(field.field(), against, field.normalizer(), field.comparator().id(), field.weight(), rawA, rawB, a, b,
                    null, 0, note);
        }
        double counted = field.counted(similarity);
        return new FieldScore(field.field(), against, field.normalizer(), field.comparator().id(), field.weight(), rawA, rawB, a, b,
                round(similarity), field.weight() * counted,
                counted == similarity ? null : "below minSimilarity " + MatchRules.plain(field.minSimilarity()) + ": counted as 0");
    }

    private static RuleScore apply(CustomRule rule, PreparedRecord incoming, PreparedRecord candidate) {
        List<FieldScore> parts = new ArrayList<>(rule.parts().size());
        double sum = 0;
        double weights = 0;
        boolean complete = true;
        for (MatchField part : rule.parts()) {
            FieldScore score = compare(part, incoming, candidate);
            parts.add(score);
            if (score.compared()) {
                sum += score.contribution();
                weights += part.weight();
            } else {
                complete = false;
            }
        }
        if (!complete) {
            return new RuleScore(rule.name(), rule.weight(), rule.minSimilarity(), null, false, 0, parts);
        }
        double similarity = sum / weights;
        boolean met = similarity >= rule.minSimilarity();
        return new RuleScore(rule.name(), rule.weight(), rule.minSimilarity(), round(similarity), met, met ? rule.weight() * similarity : 0, parts);
    }

    static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
