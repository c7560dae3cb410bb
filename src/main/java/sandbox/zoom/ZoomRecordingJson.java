package sandbox.zoom;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A meeting's cloud recording as Zoom's API and events show it, with links on the sandbox's origin. */
final class ZoomRecordingJson {

    static final String REC = "/sandbox/zoom/rec";

    private ZoomRecordingJson() {
    }

    /** The meeting object; {@code withFiles} false leaves the files out (as some events do). */
    static Map<String, Object> meeting(ZoomAccount account, ZoomAccount.Meeting m, String origin, boolean withFiles) {
        return meeting(account, m, origin, withFiles, false);
    }

    static Map<String, Object> meeting(ZoomAccount account, ZoomAccount.Meeting m, String origin, boolean withFiles, boolean trashedFiles) {
        List<ZoomAccount.RecordingFile> files = m.files.stream().filter(f -> trashedFiles ? f.trashed || m.trashed : !f.trashed).toList();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("uuid", m.uuid);
        json.put("id", m.id);
        json.put("account_id", account.accountId);
        json.put("host_id", m.host.id());
        json.put("host_email", m.host.email());
        json.put("topic", m.topic);
        json.put("type", 2);
        json.put("start_time", ZoomJson.time(m.start));
        json.put("timezone", "UTC");
        json.put("duration", m.durationMinutes);
        json.put("total_size", files.stream().mapToLong(f -> f.size).sum());
        json.put("recording_count", files.size());
        json.put("share_url", origin + REC + "/share/" + m.shareId);
        json.put("recording_play_passcode", m.passcode);
        if (m.trashed && m.deletedTime != null) {
            json.put("deleted_time", ZoomJson.time(m.deletedTime));
        }
        if (withFiles) {
            List<Object> list = new ArrayList<>();
            for (ZoomAccount.RecordingFile f : files) {
                list.add(file(m, f, origin));
            }
            json.put("recording_files", list);
        }
        return json;
    }

    static Map<String, Object> file(ZoomAccount.Meeting m, ZoomAccount.RecordingFile f, String origin) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", f.id);
        json.put("meeting_id", m.uuid);
        json.put("recording_start", ZoomJson.time(f.start));
        json.put("recording_end", ZoomJson.time(f.end));
        json.put("file_type", f.fileType);
        json.put("file_extension", f.extension);
        json.put("file_size", f.size);
        if (!"TRANSCRIPT".equals(f.fileType)) {
            json.put("play_url", origin + REC + "/play/" + f.id);
        }
        json.put("download_url", origin + REC + "/download/" + f.id);
        json.put("status", "completed");
        json.put("recording_type", f.recordingType);
        if (f.trashed && f.deletedTime != null) {
            json.put("deleted_time", ZoomJson.time(f.deletedTime));
        }
        return json;
    }
}
