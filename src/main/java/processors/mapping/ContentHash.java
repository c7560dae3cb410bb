package processors.mapping;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;


/** SHA-256 of what a sync would write for a record: equal hashes mean the shard need not be touched. */
public final class ContentHash {

    private ContentHash() {
    }

    public static String of(String dataJson, List<RelationshipRef> relationships) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(dataJson.getBytes(StandardCharsets.UTF_8));
            for (RelationshipRef r : relationships) {
                digest.update((byte) 0);
                digest.update((r.type() + "|" + r.targetEntity() + "|" + r.targetExternalId()).getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
