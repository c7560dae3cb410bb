package sandbox.google;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drive's partial responses ({@code fields}): {@code *}, a comma list of members, and nested selections
 * {@code files(id,name)} or {@code changes(fileId,file(id,name))}; {@code a/b} selects b inside a. A null mask keeps the
 * default members the caller gives.
 */
final class FieldMask {

    /** Member to its own mask; a null value keeps the whole member. */
    private final Map<String, FieldMask> members;

    private FieldMask(Map<String, FieldMask> members) {
        this.members = members;
    }

    static FieldMask parse(String fields) {
        if (fields == null || fields.isBlank()) {
            return null;
        }
        int[] at = {0};
        FieldMask mask = list(fields.replace(" ", ""), at);
        if (at[0] != fields.replace(" ", "").length()) {
            throw DriveApiException.invalid("fields", "Invalid field selection " + fields);
        }
        return mask;
    }

    private static FieldMask list(String text, int[] at) {
        Map<String, FieldMask> members = new LinkedHashMap<>();
        while (at[0] < text.length() && text.charAt(at[0]) != ')') {
            int start = at[0];
            while (at[0] < text.length() && "(),".indexOf(text.charAt(at[0])) < 0) {
                at[0]++;
            }
            String name = text.substring(start, at[0]);
            if (name.isEmpty()) {
                throw DriveApiException.invalid("fields", "Invalid field selection");
            }
            FieldMask inner = null;
            if (at[0] < text.length() && text.charAt(at[0]) == '(') {
                at[0]++;
                inner = list(text, at);
                if (at[0] >= text.length() || text.charAt(at[0]) != ')') {
                    throw DriveApiException.invalid("fields", "Invalid field selection");
                }
                at[0]++;
            }
            String[] path = name.split("/");
            Map<String, FieldMask> target = members;
            for (int i = 0; i < path.length - 1; i++) {
                FieldMask step = target.computeIfAbsent(path[i], k -> new FieldMask(new LinkedHashMap<>()));
                target = step.members;
            }
            target.put(path[path.length - 1], "*".equals(path[path.length - 1]) ? null : inner);
            if (at[0] < text.length() && text.charAt(at[0]) == ',') {
                at[0]++;
            }
        }
        return new FieldMask(members);
    }

    /** The mask of a member, or null when the member is kept whole. */
    FieldMask member(String name) {
        return members.get(name);
    }

    boolean has(String name) {
        return members.containsKey(name) || members.containsKey("*");
    }

    /** The object with the selected members only; nested objects and lists of objects by their own masks. */
    @SuppressWarnings("unchecked")
    Map<String, Object> apply(Map<String, Object> object) {
        if (members.containsKey("*")) {
            return object;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, FieldMask> e : members.entrySet()) {
            Object value = object.get(e.getKey());
            if (value == null) {
                continue;
            }
            FieldMask inner = e.getValue();
            if (inner == null) {
                out.put(e.getKey(), value);
            } else if (value instanceof Map<?, ?> map) {
                out.put(e.getKey(), inner.apply((Map<String, Object>) map));
            } else if (value instanceof List<?> list) {
                out.put(e.getKey(), list.stream().map(v -> v instanceof Map<?, ?> m ? inner.apply((Map<String, Object>) m) : v).toList());
            } else {
                out.put(e.getKey(), value);
            }
        }
        return out;
    }
}
