-- Authorization-code connects in flight: one row per authorization URL handed out, until its callback.
-- state is the random value the provider echoes back; the PKCE code verifier and the client's id and secret
-- are sealed in the vault under secret_name, never stored here. used flips once (UPDATE ... WHERE used = FALSE),
-- so a state is redeemed at most once even by concurrent callbacks.
CREATE TABLE oauth_states (
    state           VARCHAR(64)   PRIMARY KEY,
    tenant_id       VARCHAR(64)   NOT NULL,
    integration_id  VARCHAR(36)   NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    secret_name     VARCHAR(300)  NOT NULL,
    login_url       VARCHAR(2000) NOT NULL,
    redirect_uri    VARCHAR(2000) NOT NULL,
    actor           VARCHAR(200)  NOT NULL,
    expires_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    used            BOOLEAN       NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX oauth_states_expiry ON oauth_states (expires_at);
