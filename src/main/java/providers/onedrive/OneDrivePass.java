package providers.onedrive;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import providers.ChangeMarkerRefusedException;
import providers.PermanentProviderException;

/**
 * Where a pass over the selected drives stands, as the hub keeps it between pages: the drives (listed at the pass's
 * start), the one being read, the link of its next page (null: its first, from its delta link or a full enumeration), the
 * delta links the pass started from and those it ended with, per drive, and the enumeration whose items are being listed
 * for reconciliation ({@link OneDriveListings}), if any. The marker between passes is the delta links alone.
 */
record OneDrivePass(List<String> drives, int drive, String link, Map<String, String> deltaLinks, String listing) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A pass over these drives from the delta links of the previous pass's marker. */
    static OneDrivePass start(List<String> drives, Map<String, String> deltaLinks) {
        return new OneDrivePass(List.copyOf(drives), 0, null, new LinkedHashMap<>(deltaLinks), null);
    }

    String driveId() {
        return drives.get(drive);
    }

    /** The same drive at the next page's link, listing for {@code listing} (null: not listing). */
    OneDrivePass at(String nextLink, String listingId) {
        return new OneDrivePass(drives, drive, nextLink, deltaLinks, listingId);
    }

    /** The drive is read to its delta link: the next drive from its start, or null past the last one. */
    OneDrivePass driveDone(String deltaLink) {
        Map<String, String> links = new LinkedHashMap<>(deltaLinks);
        links.put(driveId(), deltaLink);
        return new OneDrivePass(drives, drive + 1, null, links, null);
    }

    boolean done() {
        return drive >= drives.size();
    }

    /** The next pass's marker: the delta link of each drive of this pass (drives no longer selected drop out). */
    String marker() {
        ObjectNode node = JSON.createObjectNode();
        drives.forEach(d -> node.put(d, deltaLinks.get(d)));
        return encode(node);
    }

    /** The delta links of a marker; empty for none (a full pass). */
    static Map<String, String> links(String marker) {
        Map<String, String> links = new LinkedHashMap<>();
        if (marker == null || marker.isBlank()) {
            return links;
        }
        try {
            JsonNode node = read(marker);
            node.fields().forEachRemaining(e -> {
                if (e.getValue().isTextual()) {
                    links.put(e.getKey(), e.getValue().asText());
                }
            });
            return links;
        } catch (RuntimeException | java.io.IOException e) {
            throw new ChangeMarkerRefusedException("OneDrive: the marker is not a set of delta links this adapter made", 400);
        }
    }

    String encode() {
        ObjectNode node = JSON.createObjectNode().put("i", drive).put("l", link).put("r", listing);
        drives.forEach(d -> node.withArray("d").add(d));
        ObjectNode links = node.putObject("k");
        deltaLinks.forEach(links::put);
        return encode(node);
    }

    static OneDrivePass decode(String text) {
        try {
            JsonNode node = read(text);
            List<String> drives = new ArrayList<>();
            node.path("d").forEach(d -> drives.add(d.asText()));
            int drive = node.path("i").asInt(-1);
            if (drives.isEmpty() || drive < 0 || drive >= drives.size()) {
                throw new IllegalArgumentException("no such drive");
            }
            Map<String, String> links = new LinkedHashMap<>();
            node.path("k").fields().forEachRemaining(e -> links.put(e.getKey(), e.getValue().asText()));
            return new OneDrivePass(drives, drive, text(node, "l"), links, text(node, "r"));
        } catch (RuntimeException | java.io.IOException e) {
            throw new PermanentProviderException("OneDrive page cursor no longer applies (it is not the adapter's); the pass starts again");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String encode(JsonNode node) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode read(String text) throws java.io.IOException {
        return JSON.readTree(Base64.getUrlDecoder().decode(text));
    }
}
