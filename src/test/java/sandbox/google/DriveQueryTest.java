package sandbox.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DriveQueryTest {

    private static DriveFile file(String name, String mimeType, String parent, boolean trashed, String modified) {
        DriveFile file = new DriveFile("1" + name.hashCode(), name, mimeType, parent, null, Instant.parse("2024-01-01T00:00:00Z"),
                List.of(new DriveFile.Owner("Maya Ortiz", "maya@sandbox.example", "1")));
        file.trashed = trashed;
        file.modifiedTime = Instant.parse(modified);
        file.text = "about Acme";
        return file;
    }

    @Test
    void theSearchLanguageSubset() {
        DriveFile doc = file("Plan 'Q2'", DriveFile.DOCUMENT, "F1", false, "2024-05-01T12:00:00Z");
        DriveFile trashed = file("Old", "application/pdf", "F1", true, "2024-04-01T12:00:00Z");
        DriveFile elsewhere = file("Other", DriveFile.FOLDER, "F2", false, "2024-06-01T12:00:00Z");
        assertThat(DriveQuery.parse("'F1' in parents and trashed = false").test(doc)).isTrue();
        assertThat(DriveQuery.parse("'F1' in parents and trashed = false").test(trashed)).isFalse();
        assertThat(DriveQuery.parse("not 'F1' in parents").test(elsewhere)).isTrue();
        assertThat(DriveQuery.parse("mimeType != 'application/vnd.google-apps.folder' and ('F1' in parents or 'F2' in parents)")
                .test(elsewhere)).isFalse();
        assertThat(DriveQuery.parse("name contains 'q2'").test(doc)).isTrue();
        assertThat(DriveQuery.parse("name = 'Plan \\'Q2\\''").test(doc)).isTrue();
        assertThat(DriveQuery.parse("fullText contains 'acme'").test(trashed)).isTrue();
        assertThat(DriveQuery.parse("modifiedTime > '2024-05-01T11:59:59'").test(doc)).isTrue();
        assertThat(DriveQuery.parse("modifiedTime >= '2024-05-02T00:00:00Z'").test(doc)).isFalse();
        for (String bad : List.of("owner has 'x'", "'F1' in owners", "trashed = maybe", "name contains", "('F1' in parents", "name = x")) {
            assertThatThrownBy(() -> DriveQuery.parse(bad)).as(bad).isInstanceOf(DriveApiException.class)
                    .satisfies(e -> assertThat(((DriveApiException) e).location).isEqualTo("q"));
        }
    }

    @Test
    void partialResponses() {
        Map<String, Object> resource = file("Plan", DriveFile.DOCUMENT, "F1", false, "2024-05-01T12:00:00Z").resource();
        Map<String, Object> body = Map.of("kind", "drive#fileList", "nextPageToken", "t", "files", List.of(resource));
        Map<String, Object> selected = FieldMask.parse("nextPageToken, files(id,size,owners(emailAddress))").apply(body);
        assertThat(selected).containsOnlyKeys("nextPageToken", "files");
        @SuppressWarnings("unchecked")
        Map<String, Object> first = ((List<Map<String, Object>>) selected.get("files")).get(0);
        assertThat(first).containsOnlyKeys("id", "size", "owners");
        assertThat(first.get("size")).isEqualTo("10");
        assertThat(first.get("owners")).isEqualTo(List.of(Map.of("emailAddress", "maya@sandbox.example")));
        assertThat(FieldMask.parse("*").apply(body)).isSameAs(body);
        assertThat(FieldMask.parse("files/id").apply(body).get("files")).isEqualTo(List.of(Map.of("id", resource.get("id"))));
        assertThat(FieldMask.parse(null)).isNull();
        assertThatThrownBy(() -> FieldMask.parse("files(id")).isInstanceOf(DriveApiException.class);
    }
}
