package processors.mapping;

/** A link from a mapped record to another provider record, to be resolved to that record's shard. */
public record RelationshipRef(String type, String targetEntity, String targetShardType, String targetExternalId) {
}
