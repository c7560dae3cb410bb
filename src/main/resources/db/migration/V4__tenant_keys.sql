-- Envelope encryption of the local vault: each tenant's secrets are sealed with the tenant's own data keyset
-- (Tink AES-256-GCM), stored here wrapped by the key-encryption keyset (KEK) with the tenant id as associated data.
-- System secrets (no tenant) use the data keyset '_system' (tenant ids never contain '_').
-- kek_key_id is the KEK key that wrapped the keyset: a rotation re-wraps every row under the new primary key.
CREATE TABLE tenant_data_keys (
    tenant_id       VARCHAR(64)   PRIMARY KEY,
    wrapped_keyset  VARCHAR       NOT NULL,
    kek_key_id      BIGINT        NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    rewrapped_at    TIMESTAMP WITH TIME ZONE
);

-- The data keyset that sealed a secret; null for rows sealed directly with the KEK before envelope encryption
-- (re-sealed with their tenant's data keyset at the next start or write).
ALTER TABLE vault_secrets ADD COLUMN data_key_id VARCHAR(64);

-- One KEK rotation at a time across instances (the row is locked for the rotation's transaction), and the last one.
CREATE TABLE kek_rotation (
    id              INT PRIMARY KEY,
    primary_key_id  BIGINT,
    rewrapped       INT,
    rotated_at      TIMESTAMP WITH TIME ZONE
);
INSERT INTO kek_rotation (id) VALUES (1);
