package connections.oauth;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import store.Timestamps;

/** The {@code oauth_states} table: authorization-code flows in flight, each redeemable once. */
@Repository
public class OAuthStates {

    private final JdbcClient jdbc;

    public OAuthStates(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(OAuthState s) {
        jdbc.sql("""
                INSERT INTO oauth_states (state, tenant_id, integration_id, secret_name, login_url, redirect_uri, actor, expires_at,
                  used, created_at, return_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(s.state(), s.tenantId(), s.integrationId(), s.secretName(), s.loginUrl(), s.redirectUri(), s.actor(),
                        s.expiresAt(), s.used(), s.createdAt(), s.returnTo())
                .update();
    }

    public Optional<OAuthState> find(String state) {
        return jdbc.sql("SELECT * FROM oauth_states WHERE state = ?").param(state).query(OAuthStates::map).optional();
    }

    /** Marks the state used; true only for the one caller that flipped it (concurrent callbacks cannot both win). */
    public boolean claim(String state) {
        return jdbc.sql("UPDATE oauth_states SET used = TRUE WHERE state = ? AND used = FALSE").param(state).update() == 1;
    }

    /** Up to {@code limit} states that expired before {@code now}, oldest first. */
    public List<OAuthState> expired(OffsetDateTime now, int limit) {
        return jdbc.sql("SELECT * FROM oauth_states WHERE expires_at < ? ORDER BY expires_at LIMIT ?")
                .params(now, limit).query(OAuthStates::map).list();
    }

    public void delete(String state) {
        jdbc.sql("DELETE FROM oauth_states WHERE state = ?").param(state).update();
    }

    private static OAuthState map(ResultSet rs, int row) throws SQLException {
        return new OAuthState(rs.getString("state"), rs.getString("tenant_id"), rs.getString("integration_id"),
                rs.getString("secret_name"), rs.getString("login_url"), rs.getString("redirect_uri"), rs.getString("actor"),
                Timestamps.read(rs, "expires_at"), rs.getBoolean("used"), Timestamps.read(rs, "created_at"),
                rs.getString("return_to"));
    }
}
