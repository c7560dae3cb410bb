package processors.sync;

/**
 * The data of a {@code Castiel.Integration.SyncRequested}/{@code SyncScheduled} event on the inbound
 * queues; the execution row holds everything else.
 */
public record SyncRequest(String executionId, String tenantId, String integrationId, String taskId, String entity, String mode,
                          String trigger) {
}
