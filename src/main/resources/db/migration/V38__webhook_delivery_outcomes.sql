-- What processing made of an accepted delivery, apart from its log row. Marking a batch processed was an UPDATE of the
-- log rows, and a store carries that out by rewriting each row, events and all, in every one of the log's five indexes;
-- it is now the insert of one narrow row per delivery. An accepted delivery without a row here is waiting to be
-- processed; a replay removes its row. The log row keeps what was decided at receipt (handshakes are logged processed).
CREATE TABLE webhook_delivery_outcomes (
    delivery_id   VARCHAR(36)   PRIMARY KEY REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    status        VARCHAR(20)   NOT NULL,
    outcome       VARCHAR(1000),
    processed_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    latency_ms    BIGINT
);

INSERT INTO webhook_delivery_outcomes (delivery_id, status, outcome, processed_at, latency_ms)
SELECT id, status, outcome, COALESCE(processed_at, received_at), latency_ms FROM webhook_deliveries
WHERE verification = 'verified' AND status IN ('processed', 'processing_failed');

UPDATE webhook_deliveries SET status = 'accepted', outcome = NULL, processed_at = NULL, latency_ms = NULL
WHERE id IN (SELECT delivery_id FROM webhook_delivery_outcomes);
