package providers.slack;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import providers.ChangeMarkerRefusedException;
import providers.PermanentProviderException;

/**
 * Where a pass over the selected channels stands, carried page to page in the page cursor, and the marker an
 * incremental pass starts from. Both are JSON in URL-safe base64, the marker prefixed {@code slack1.}.
 *
 * <p>The marker ({@link Marker}) holds, per channel, the newest top-level {@code ts} the last pass saw ({@code h}), and the
 * time (epoch milliseconds) up to which it took in the changes the Events API announced ({@code e}, see {@link SlackChanges}).
 */
final class SlackPass {

    static final String MARKER_PREFIX = "slack1.";
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    /** Phases of a pass: resolve channel names, read a channel's history, its threads, then the Events API's edits. */
    static final String LIST = "L";
    static final String HISTORY = "H";
    static final String REPLIES = "R";
    static final String CHANGES = "X";

    /** The incremental marker: per channel the newest top-level ts seen; when (epoch ms) announced changes were last taken in. */
    static final class Marker {
        public Map<String, String> c = new LinkedHashMap<>();
        public long e;
        /** The changes taken in within the overlap before {@code e} (see {@link SlackChanges.Change#key}). */
        public List<String> s = new ArrayList<>();

        String encode() {
            return MARKER_PREFIX + base64(json(this));
        }

        /** A marker this adapter wrote; any other refuses (the pass then starts over as a full pass). */
        static Marker decode(String text) {
            if (text == null || !text.startsWith(MARKER_PREFIX)) {
                throw new ChangeMarkerRefusedException("not a Slack pass marker: a full pass reads every selected channel again", 0);
            }
            try {
                return JSON.readValue(Base64.getUrlDecoder().decode(text.substring(MARKER_PREFIX.length())), Marker.class);
            } catch (Exception e) {
                throw new ChangeMarkerRefusedException("unreadable Slack pass marker: a full pass reads every selected channel again", 0);
            }
        }
    }

    // ---------------------------------------------------------------- the pass state

    public boolean full;
    public String team;
    public String url;
    public String ph;
    /** The channels still to walk, the current one first. */
    public List<String> q = new ArrayList<>();
    public Map<String, String> names = new LinkedHashMap<>();
    /** The channels walked so far in this pass. */
    public List<String> done = new ArrayList<>();
    /** The sources as the integration names them (ids or names), while names are resolved. */
    public List<String> sel = new ArrayList<>();
    /** Slack's cursor within the current call's pages. */
    public String k;
    /** History: the oldest ts read for the current channel (exclusive), and the newest top-level ts seen in this walk. */
    public String oldest;
    public String hw;
    /** Threads of the current channel's last history page to read: parent ts, and the ts after which replies are new ("" for all). */
    public List<List<String>> th = new ArrayList<>();
    /** Where the history goes on after those threads (null: it is read), and whether it is read. */
    public String hk;
    public boolean hd;
    /** Incremental passes: the threads the history walk queued, so a reply event does not queue one again. */
    public List<String> seenThreads = new ArrayList<>();
    /** The marker the pass started from, and the one it is building. */
    public Marker from = new Marker();
    public Marker to = new Marker();
    /** Announced changes (epoch ms): taken in after {@code e0} (less the overlap) up to {@code e1}; {@code x} edits re-read so far. */
    public long e0;
    public long e1;
    public int x;
    public boolean deletionsSent;

    String encode() {
        return base64(json(this));
    }

    static SlackPass decode(String cursor) {
        try {
            return JSON.readValue(Base64.getUrlDecoder().decode(cursor), SlackPass.class);
        } catch (Exception e) {
            throw new PermanentProviderException("not a Slack page cursor");
        }
    }

    String channel() {
        return q.isEmpty() ? null : q.get(0);
    }

    String channelName(String id) {
        return names.getOrDefault(id, id);
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsString(value).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
