package store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The floor the sync benchmark ({@code bench/full-sync.py}) compares the hub with: a plain JDBC batch upsert of the same
 * rows a full sync wrote, into the same store, with none of the hub around it. Not part of the running hub: a command
 * line entry run after the measured hub stopped, through the jar's PropertiesLauncher:
 * <pre>
 * java -cp target/castiel-integration-hub.jar -Dloader.main=store.UpsertFloor \
 *   org.springframework.boot.loader.launch.PropertiesLauncher JDBC_URL USER PASSWORD INTEGRATION_ID PAGE_SIZE
 * </pre>
 * It reads every shard the integration's links hold (data, type, provider id, version, hash, base) into memory first,
 * then, timed, upserts a copy of each (new shard id, tenant {@code floor}, entity {@code floor:<entity>}): per page of
 * PAGE_SIZE records one JDBC batch of shard rows and one of link rows ({@code INSERT ... ON CONFLICT} on PostgreSQL,
 * {@code MERGE ... KEY} on H2), committed per page, as the sync commits per page, connected as the hub connects (on
 * PostgreSQL with {@code reWriteBatchedInserts}). Prints {@code floor <records> <ms>}.
 */
public final class UpsertFloor {

    private record Row(String entity, String externalId, String shardType, String data, String version, String hash, String base) {
    }

    private UpsertFloor() {
    }

    public static void main(String[] args) throws SQLException {
        if (args.length != 5) {
            System.err.println("usage: UpsertFloor JDBC_URL USER PASSWORD INTEGRATION_ID PAGE_SIZE");
            System.exit(2);
        }
        String integrationId = args[3];
        int pageSize = Integer.parseInt(args[4]);
        java.util.Properties connection = new java.util.Properties();
        connection.setProperty("user", args[1]);
        connection.setProperty("password", args[2]);
        if (args[0].startsWith("jdbc:postgresql:")) {
            // as the hub's postgres profile connects: batched INSERTs rewritten as multi-row INSERTs
            connection.setProperty("reWriteBatchedInserts", "true");
        }
        try (Connection c = DriverManager.getConnection(args[0], connection)) {
            List<Row> rows = read(c, integrationId);
            boolean postgres = c.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
            c.setAutoCommit(false);
            long start = System.nanoTime();
            write(c, postgres, integrationId, rows, pageSize);
            long ms = (System.nanoTime() - start) / 1_000_000;
            System.out.println("floor " + rows.size() + " " + ms);
        }
    }

    private static List<Row> read(Connection c, String integrationId) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT ser.external_entity, ser.external_id, s.shard_type, s.structured_data, ser.external_version, ser.content_hash,
                  ser.last_synced_snapshot
                FROM shard_external_relationships ser JOIN shards s ON s.id = ser.shard_id
                WHERE ser.integration_id = ? AND ser.sync_direction <> 'derived'""")) {
            ps.setString(1, integrationId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                            rs.getString(7)));
                }
            }
        }
        return rows;
    }

    private static void write(Connection c, boolean postgres, String integrationId, List<Row> rows, int pageSize) throws SQLException {
        String shardSql = postgres ? """
                INSERT INTO shards (id, tenant_id, shard_type, structured_data, version, deleted, created_at, updated_at)
                VALUES (?, 'floor', ?, ?, 1, FALSE, ?, ?)
                ON CONFLICT (id) DO UPDATE SET structured_data = EXCLUDED.structured_data, version = shards.version + 1,
                  updated_at = EXCLUDED.updated_at""" : """
                MERGE INTO shards (id, tenant_id, shard_type, structured_data, version, deleted, created_at, updated_at)
                KEY (id) VALUES (?, 'floor', ?, ?, 1, FALSE, ?, ?)""";
        String linkSql = postgres ? """
                INSERT INTO shard_external_relationships (integration_id, external_entity, external_id, shard_id, tenant_id,
                  sync_direction, last_synced_at, external_version, content_hash, last_synced_snapshot)
                VALUES (?, ?, ?, ?, 'floor', 'inbound', ?, ?, ?, ?)
                ON CONFLICT (integration_id, external_entity, external_id) DO UPDATE SET last_synced_at = EXCLUDED.last_synced_at,
                  external_version = EXCLUDED.external_version, content_hash = EXCLUDED.content_hash,
                  last_synced_snapshot = EXCLUDED.last_synced_snapshot""" : """
                MERGE INTO shard_external_relationships (integration_id, external_entity, external_id, shard_id, tenant_id,
                  sync_direction, last_synced_at, external_version, content_hash, last_synced_snapshot)
                KEY (integration_id, external_entity, external_id) VALUES (?, ?, ?, ?, 'floor', 'inbound', ?, ?, ?, ?)""";
        Timestamp now = new Timestamp(System.currentTimeMillis());
        try (PreparedStatement shards = c.prepareStatement(shardSql); PreparedStatement links = c.prepareStatement(linkSql)) {
            for (int from = 0; from < rows.size(); from += pageSize) {
                for (Row r : rows.subList(from, Math.min(rows.size(), from + pageSize))) {
                    String id = UUID.randomUUID().toString();
                    shards.setString(1, id);
                    shards.setString(2, r.shardType());
                    shards.setString(3, r.data());
                    shards.setTimestamp(4, now);
                    shards.setTimestamp(5, now);
                    shards.addBatch();
                    links.setString(1, integrationId);
                    links.setString(2, "floor:" + r.entity());
                    links.setString(3, r.externalId());
                    links.setString(4, id);
                    links.setTimestamp(5, now);
                    links.setString(6, r.version());
                    links.setString(7, r.hash());
                    links.setString(8, r.base());
                    links.addBatch();
                }
                shards.executeBatch();
                links.executeBatch();
                c.commit();
            }
        }
    }
}
