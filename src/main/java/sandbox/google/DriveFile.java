package sandbox.google;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One file of a sandbox domain as Drive v3 holds it. Google Workspace files (Docs, Sheets, Slides) keep their text,
 * which {@code files.export} hands out; other files keep only their size. Mutable under the domain's lock.
 */
final class DriveFile {

    static final String FOLDER = "application/vnd.google-apps.folder";
    static final String DOCUMENT = "application/vnd.google-apps.document";
    static final String SPREADSHEET = "application/vnd.google-apps.spreadsheet";
    static final String PRESENTATION = "application/vnd.google-apps.presentation";

    /** An owner as Drive shows one: {@code drive#user}. */
    record Owner(String displayName, String emailAddress, String permissionId) {
    }

    final String id;
    String name;
    final String mimeType;
    final String parent;
    final String driveId;
    final Instant createdTime;
    Instant modifiedTime;
    boolean trashed;
    long version;
    String text;
    long binarySize;
    final List<Owner> owners;

    DriveFile(String id, String name, String mimeType, String parent, String driveId, Instant createdTime, List<Owner> owners) {
        this.id = id;
        this.name = name;
        this.mimeType = mimeType;
        this.parent = parent;
        this.driveId = driveId;
        this.createdTime = createdTime;
        this.modifiedTime = createdTime;
        this.version = 1;
        this.owners = List.copyOf(owners);
    }

    boolean isFolder() {
        return FOLDER.equals(mimeType);
    }

    boolean isWorkspaceFile() {
        return mimeType.startsWith("application/vnd.google-apps.") && !isFolder();
    }

    /** The size Drive reports: the bytes of a blob, an estimate for an editor file (its text), none for a folder. */
    Long size() {
        if (isFolder()) {
            return null;
        }
        return isWorkspaceFile() ? (long) (text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length) : binarySize;
    }

    String webViewLink() {
        return switch (mimeType) {
            case DOCUMENT -> "https://docs.google.com/document/d/" + id + "/edit?usp=drivesdk";
            case SPREADSHEET -> "https://docs.google.com/spreadsheets/d/" + id + "/edit?usp=drivesdk";
            case PRESENTATION -> "https://docs.google.com/presentation/d/" + id + "/edit?usp=drivesdk";
            case FOLDER -> "https://drive.google.com/drive/folders/" + id;
            default -> "https://drive.google.com/file/d/" + id + "/view?usp=drivesdk";
        };
    }

    /**
     * The whole file resource, Drive's JSON: int64 fields ({@code size}, {@code version}) as strings, times in RFC 3339
     * with milliseconds, no owners for shared-drive items.
     */
    Map<String, Object> resource() {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("kind", "drive#file");
        file.put("id", id);
        file.put("name", name);
        file.put("mimeType", mimeType);
        file.put("parents", List.of(parent));
        if (driveId != null) {
            file.put("driveId", driveId);
        }
        file.put("createdTime", GoogleJson.time(createdTime));
        file.put("modifiedTime", GoogleJson.time(modifiedTime));
        file.put("trashed", trashed);
        file.put("version", Long.toString(version));
        Long size = size();
        if (size != null) {
            file.put("size", Long.toString(size));
        }
        if (driveId == null) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (Owner owner : owners) {
                Map<String, Object> user = new LinkedHashMap<>();
                user.put("kind", "drive#user");
                user.put("displayName", owner.displayName());
                user.put("emailAddress", owner.emailAddress());
                user.put("permissionId", owner.permissionId());
                user.put("me", false);
                list.add(user);
            }
            file.put("owners", list);
        }
        file.put("webViewLink", webViewLink());
        return file;
    }
}
