package providers.microsoft_teams;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import providers.ChangeMarkerRefusedException;
import providers.PermanentProviderException;

/**
 * Where a pass over the selected channels stands, as the hub keeps it between pages (the page cursor): the channels
 * ({@code teamId/channelId}, listed at the pass's start) with their names, the one being read, Graph's
 * {@code @odata.nextLink} in it, the delta links the pass started from and those it has reached. The delta links alone,
 * per channel, are the marker the next pass starts from ({@link #marker()}). Both are JSON, deflated, base64url:
 * channel ids and links repeat their prefixes.
 */
final class TeamsPass {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** A full pass: every channel from Graph's first delta round. */
    public boolean full;
    /** The channels, {@code teamId/channelId}. */
    public List<String> ch = new ArrayList<>();
    /** Channel key to "Team / Channel". */
    public Map<String, String> names = new LinkedHashMap<>();
    /** The channel being read (index in {@link #ch}). */
    public int i;
    /** Graph's next link in the channel being read; null at the channel's first page. */
    public String link;
    /** Delta links the pass started from, per channel. */
    public Map<String, String> from = new LinkedHashMap<>();
    /** Delta links reached, per channel (the next pass's marker). */
    public Map<String, String> to = new LinkedHashMap<>();

    String channel() {
        return i < ch.size() ? ch.get(i) : null;
    }

    String encode() {
        return pack(this);
    }

    static TeamsPass decode(String text) {
        try {
            return JSON.readValue(unpack(text), TeamsPass.class);
        } catch (IOException | RuntimeException e) {
            throw new PermanentProviderException("Microsoft Teams page cursor no longer applies (it is not the adapter's); the pass starts again");
        }
    }

    /** The next pass's marker: the delta link per channel. */
    String marker() {
        return pack(to);
    }

    static Map<String, String> decodeMarker(String text) {
        try {
            return JSON.readValue(unpack(text), new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (IOException | RuntimeException e) {
            throw new ChangeMarkerRefusedException("the marker is not a Microsoft Teams delta marker", 0);
        }
    }

    private static String pack(Object value) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DeflaterOutputStream out = new DeflaterOutputStream(bytes, new Deflater(Deflater.BEST_COMPRESSION))) {
                out.write(JSON.writeValueAsBytes(value));
            }
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.toByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String unpack(String text) throws IOException {
        try (InflaterInputStream in = new InflaterInputStream(new java.io.ByteArrayInputStream(Base64.getUrlDecoder().decode(text)))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
