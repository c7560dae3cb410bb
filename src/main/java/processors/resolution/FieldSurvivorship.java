package processors.resolution;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import processors.conflicts.FieldValues;
import processors.matching.Survivorship;

/**
 * What a shard keeps, field by field, when values arrive from one of its sources (a record joining it, or a change
 * of one that already did), under the rules' survivorship:
 * <ul>
 *   <li>a value the shard lacks is taken; an empty value never replaces one (a source that lacks the phone says nothing
 *       against the phone another source has);</li>
 *   <li>where the field has a source priority ({@code "phone": ["salesforce", "hubspot"]}), the source ranked higher
 *       than every source holding the current value wins (a value no source holds, an edit made in Castiel, ranks
 *       last);</li>
 *   <li>otherwise {@code prefer_external} takes the incoming value, {@code prefer_internal} keeps the shard's, and
 *       {@code manual_review} keeps the shard's and lists the difference for a person;</li>
 *   <li>a derived record (a lead's company) only fills what the shard lacks: it is a weaker witness than the record the
 *       shard comes from.</li>
 * </ul>
 * Values are compared flat (dotted paths), as {@link FieldValues} compares them.
 */
final class FieldSurvivorship {

    /** A field whose incoming value waits for a person. */
    record Difference(String field, Object current, Object incoming) {
    }

    /** The shard's data after the merge (flat), whether it changed, and the differences waiting for a person. */
    record Merge(Map<String, Object> data, boolean changed, List<Difference> waiting) {
    }

    private FieldSurvivorship() {
    }

    /**
     * @param current  the shard's values, flat
     * @param holders  for each field, the providers whose last synced values hold the shard's current value
     * @param incoming the arriving values, flat
     * @param source   the provider the values come from
     */
    static Merge merge(Survivorship strategy, Map<String, List<String>> priority, Map<String, Object> current,
                       Map<String, Set<String>> holders, Map<String, Object> incoming, String source, boolean derived) {
        Map<String, Object> data = new LinkedHashMap<>(current);
        List<Difference> waiting = new java.util.ArrayList<>();
        boolean changed = false;
        for (Map.Entry<String, Object> e : incoming.entrySet()) {
            String field = e.getKey();
            Object value = e.getValue();
            Object now = current.get(field);
            if (blank(value) || FieldValues.same(now, value)) {
                continue;
            }
            boolean take;
            if (blank(now)) {
                take = true;
            } else if (derived) {
                take = false;
            } else if (priority.containsKey(field) && ranked(priority.get(field), source, holders.getOrDefault(field, Set.of())) != 0) {
                take = ranked(priority.get(field), source, holders.getOrDefault(field, Set.of())) > 0;
            } else {
                take = strategy == Survivorship.PREFER_EXTERNAL;
                if (strategy == Survivorship.MANUAL_REVIEW) {
                    waiting.add(new Difference(field, now, value));
                }
            }
            if (take) {
                data.put(field, value);
                changed = true;
            }
        }
        return new Merge(data, changed, waiting);
    }

    /** 1 when the source outranks every holder of the current value, -1 when one holder outranks it, 0 when neither is ranked. */
    private static int ranked(List<String> order, String source, Set<String> holders) {
        int mine = order.indexOf(source);
        int best = holders.stream().mapToInt(order::indexOf).filter(i -> i >= 0).min().orElse(-1);
        if (mine < 0 && best < 0) {
            return 0;
        }
        if (mine < 0) {
            return -1;
        }
        return best < 0 || mine < best ? 1 : -1;
    }

    private static boolean blank(Object value) {
        return value == null || value instanceof String s && s.isBlank();
    }
}
