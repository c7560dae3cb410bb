package providers.github;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ETags GitHub gave for each URL an integration read, with the body and next-page link that came with them, so a 304
 * (free at GitHub) is answered from here. One bound for every integration together, in bytes of kept bodies: the least
 * recently used entries go first. A 304 must come with what it stands for, since the records of a page whose pass did
 * not commit (a crash, a failure) are read again from the same URL.
 */
final class ConditionalPages {

    /** An ETag with what it answered. */
    record Page(String etag, byte[] body, String next) {
    }

    private final long maxBytes;
    private final LinkedHashMap<String, Page> pages = new LinkedHashMap<>(256, 0.75f, true);
    private long bytes;

    ConditionalPages(long maxBytes) {
        this.maxBytes = Math.max(0, maxBytes);
    }

    synchronized Page get(String integrationId, String url) {
        return pages.get(integrationId + " " + url);
    }

    synchronized void put(String integrationId, String url, Page page) {
        if (page.body().length > maxBytes) {
            return;
        }
        Page previous = pages.put(integrationId + " " + url, page);
        bytes += page.body().length - (previous == null ? 0 : previous.body().length);
        Iterator<Map.Entry<String, Page>> eldest = pages.entrySet().iterator();
        while (bytes > maxBytes && eldest.hasNext()) {
            bytes -= eldest.next().getValue().body().length;
            eldest.remove();
        }
    }

    /** Forgets an integration's pages. */
    synchronized void forget(String integrationId) {
        Iterator<Map.Entry<String, Page>> entries = pages.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<String, Page> entry = entries.next();
            if (entry.getKey().startsWith(integrationId + " ")) {
                bytes -= entry.getValue().body().length;
                entries.remove();
            }
        }
    }

    synchronized long bytes() {
        return bytes;
    }
}
