-- Relations are kept by their target record (integration, entity, id) and resolved to its shard when read. Looking
-- them up from the target's side (a shard's incoming relations, orphaned relations) needs this index.
CREATE INDEX shard_relations_target ON shard_relations (target_integration_id, target_entity, target_external_id);
