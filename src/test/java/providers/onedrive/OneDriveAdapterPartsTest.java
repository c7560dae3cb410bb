package providers.onedrive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import providers.ChangeMarkerRefusedException;
import providers.DeletedRecords;
import providers.PermanentProviderException;

/** The adapter's parts that need no Graph: a driveItem as a record, the pass cursor and marker, the listings. */
class OneDriveAdapterPartsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aFileBecomesAFlatRecordWithItsPathInTheDriveAndWhoMadeIt() throws Exception {
        JsonNode item = JSON.readTree("""
                {"id":"01ABC","name":"Report.pdf","size":2302233,"eTag":"\\"{EDD0},1\\"","createdDateTime":"2021-03-11T18:49:47Z",
                 "lastModifiedDateTime":"2021-03-12T08:00:00Z","webUrl":"https://contoso.sharepoint.com/x/Report.pdf",
                 "file":{"mimeType":"application/pdf"},"createdBy":{"application":{"displayName":"Uploader"}},
                 "lastModifiedBy":{"user":{"id":"u1","displayName":"James"}},
                 "parentReference":{"driveId":"b!d","id":"01P","path":"/drives/b!d/root:/Customers/Acme"}}""");
        Map<String, Object> record = OneDriveAdapter.record("b!d", "Documents", item);
        assertThat(record).containsEntry("id", "b!d/01ABC").containsEntry("itemId", "01ABC").containsEntry("drive", "Documents")
                .containsEntry("path", "/Customers/Acme/Report.pdf").containsEntry("mimeType", "application/pdf")
                .containsEntry("size", 2302233L).containsEntry("createdBy", "Uploader").containsEntry("lastModifiedBy", "James")
                .containsEntry("eTag", "\"{EDD0},1\"");
        assertThat(OneDriveAdapter.path(JSON.readTree("{\"name\":\"top.txt\",\"parentReference\":{\"path\":\"/drive/root:\"}}")))
                .isEqualTo("/top.txt");
    }

    @Test
    void thePassCursorAndTheMarkerKeepEachDrivesDeltaLink() {
        OneDrivePass pass = OneDrivePass.start(List.of("b!one", "b!two"), OneDrivePass.links(null));
        OneDrivePass read = OneDrivePass.decode(pass.at("drives/b!one/root/delta?token=n1", "listing-1").encode());
        assertThat(read.driveId()).isEqualTo("b!one");
        assertThat(read.link()).isEqualTo("drives/b!one/root/delta?token=n1");
        assertThat(read.listing()).isEqualTo("listing-1");
        OneDrivePass second = read.driveDone("drives/b!one/root/delta?token=d1");
        assertThat(second.driveId()).isEqualTo("b!two");
        assertThat(second.link()).isNull();
        OneDrivePass done = second.driveDone("https://graph.example/v1.0/drives/b!two/root/delta?token=d2");
        assertThat(done.done()).isTrue();
        assertThat(OneDrivePass.links(done.marker())).containsExactly(Map.entry("b!one", "drives/b!one/root/delta?token=d1"),
                Map.entry("b!two", "https://graph.example/v1.0/drives/b!two/root/delta?token=d2"));

        // a drive no longer selected drops out of the next marker
        OneDrivePass narrowed = OneDrivePass.start(List.of("b!two"), OneDrivePass.links(done.marker())).driveDone("d3");
        assertThat(OneDrivePass.links(narrowed.marker())).containsOnlyKeys("b!two");

        assertThatThrownBy(() -> OneDrivePass.links("2024-01-01T00:00:00Z")).isInstanceOf(ChangeMarkerRefusedException.class);
        assertThatThrownBy(() -> OneDrivePass.decode("not-a-cursor")).isInstanceOf(PermanentProviderException.class);
    }

    @Test
    void onlyAnEnumerationSeenToItsEndListsTheDrive() {
        OneDriveListings listings = new OneDriveListings();
        String whole = listings.start("i1", "b!d");
        assertThat(listings.seen(whole, java.util.Set.of("b!d/1", "b!d/2"))).isTrue();
        String other = listings.start("i1", "b!e");
        listings.seen(other, java.util.Set.of("b!e/9"));
        listings.complete(whole);
        // the other drive's enumeration has not reached its delta link: nothing of it is listed
        List<DeletedRecords.Listing> taken = listings.take("i1");
        assertThat(taken).singleElement().satisfies(l -> {
            assertThat(l.idPrefix()).isEqualTo("b!d/");
            assertThat(l.present()).containsExactlyInAnyOrder("b!d/1", "b!d/2");
        });
        assertThat(listings.take("i1")).as("taken once").isEmpty();
        // an enumeration this instance did not start (a restart in between) lists nothing
        assertThat(listings.seen("unknown", java.util.Set.of("b!d/1"))).isFalse();
    }
}
