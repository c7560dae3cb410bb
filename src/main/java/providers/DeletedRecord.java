package providers;

import java.time.Instant;

public record DeletedRecord(String externalId, Instant deletedAt) {
}
