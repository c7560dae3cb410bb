package sandbox.dynamics365;

import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;

/**
 * The {@code Prefer} header(s) of a request: {@code return=representation}, {@code odata.include-annotations="..."}
 * (a comma list inside quotes, so items are split outside quotes), {@code odata.maxpagesize=N} and
 * {@code odata.track-changes}, and on a {@code $batch} {@code odata.continue-on-error}. Unknown preferences are ignored,
 * as HTTP asks.
 */
record Preferences(boolean returnRepresentation, String includeAnnotations, Integer maxPageSize, boolean trackChanges,
        boolean continueOnError) {

    /** Dataverse's default and largest page. */
    static final int MAX_PAGE_SIZE = 5000;

    static Preferences parse(Enumeration<String> headers) {
        boolean representation = false;
        String annotations = null;
        Integer pageSize = null;
        boolean track = false;
        boolean continueOnError = false;
        while (headers != null && headers.hasMoreElements()) {
            for (String item : splitOutsideQuotes(headers.nextElement())) {
                String lower = item.toLowerCase(Locale.ROOT);
                if (lower.equals("return=representation")) {
                    representation = true;
                } else if (lower.startsWith("odata.include-annotations=")) {
                    annotations = unquote(item.substring("odata.include-annotations=".length()));
                } else if (lower.startsWith("odata.maxpagesize=")) {
                    try {
                        int n = Integer.parseInt(unquote(item.substring("odata.maxpagesize=".length())));
                        pageSize = n > 0 ? Math.min(n, MAX_PAGE_SIZE) : null;
                    } catch (NumberFormatException e) {
                        pageSize = null;
                    }
                } else if (lower.equals("odata.track-changes")) {
                    track = true;
                } else if (lower.equals("odata.continue-on-error")) {
                    continueOnError = true;
                }
            }
        }
        return new Preferences(representation, annotations, pageSize, track, continueOnError);
    }

    /** {@code odata.include-annotations="..."} as it was honoured, for Preference-Applied. */
    String annotationsApplied() {
        return "odata.include-annotations=\"" + includeAnnotations + "\"";
    }

    /**
     * Whether an annotation term is asked for: {@code *}, the term itself, or a namespace wildcard like
     * {@code Microsoft.Dynamics.CRM.*}; a leading {@code -} excludes.
     */
    boolean wantsAnnotation(String term) {
        if (includeAnnotations == null) {
            return false;
        }
        boolean wanted = false;
        for (String pattern : includeAnnotations.split(",")) {
            String p = pattern.strip();
            boolean exclude = p.startsWith("-");
            if (exclude) {
                p = p.substring(1);
            }
            boolean matches = p.equals("*") || p.equals(term) || (p.endsWith(".*") && term.startsWith(p.substring(0, p.length() - 1)));
            if (matches && exclude) {
                return false;
            }
            wanted |= matches;
        }
        return wanted;
    }

    private static List<String> splitOutsideQuotes(String header) {
        List<String> items = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : header.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                items.add(current.toString().strip());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        items.add(current.toString().strip());
        items.removeIf(String::isEmpty);
        return items;
    }

    private static String unquote(String value) {
        String v = value.strip();
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }
}
