package io.janus.server.datastore;

import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.server.datastore.model.TaskprovPeerAggregator;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeConfig;
import io.janus.messages.Role;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The taskprov peer aggregator tables and their token tables. */
public final class TaskprovPeersTable {
  static final String TABLE = "taskprov_peer_aggregators";
  static final String AGGREGATOR_TOKENS = "taskprov_aggregator_auth_tokens";
  static final String COLLECTOR_TOKENS = "taskprov_collector_auth_tokens";

  private static final String PUT = """
      -- TaskprovPeersTable.put
      INSERT INTO taskprov_peer_aggregators (endpoint, peer_role, verify_key_init, collector_hpke_config,
          report_expiry_age, tolerable_clock_skew, updated_by)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (endpoint, peer_role) DO NOTHING
      RETURNING id
      """;

  private static final String PUT_TOKEN = """
      -- TaskprovPeersTable.put (token)
      INSERT INTO %s (peer_aggregator_id, ord, type, token, updated_by) VALUES (?, ?, ?, ?, ?)
      """;

  private static final String COLUMNS = """
      id, endpoint, peer_role, verify_key_init, collector_hpke_config, report_expiry_age, tolerable_clock_skew
      """;

  private static final String GET = "-- TaskprovPeersTable.get\nSELECT " + COLUMNS
      + "FROM taskprov_peer_aggregators WHERE endpoint = ? AND peer_role = ?\n";

  private static final String GET_ALL = "-- TaskprovPeersTable.getAll\nSELECT " + COLUMNS
      + "FROM taskprov_peer_aggregators ORDER BY endpoint, peer_role\n";

  private static final String GET_TOKENS = """
      -- TaskprovPeersTable.get (tokens)
      SELECT ord, type, token FROM %s WHERE peer_aggregator_id = ? ORDER BY ord
      """;

  private static final String DELETE = """
      -- TaskprovPeersTable.delete
      DELETE FROM taskprov_peer_aggregators WHERE endpoint = ? AND peer_role = ?
      """;

  private final Tx tx;

  TaskprovPeersTable(Tx tx) {
    this.tx = tx;
  }

  /**
   * Stores a new peer with its tokens, encrypting the secrets.
   *
   * @return true if stored, false if a peer with this endpoint and role exists
   */
  public boolean put(TaskprovPeerAggregator peer) {
    String endpoint = peer.endpoint().toString();
    byte[] row = endpoint.getBytes(StandardCharsets.UTF_8);
    long id;
    try (PreparedStatement ps = tx.prepare(PUT)) {
      ps.setString(1, endpoint);
      ps.setString(2, peer.peerRole().name());
      ps.setBytes(3, tx.crypter().encrypt(TABLE, row, "verify_key_init", peer.verifyKeyInit()));
      ps.setBytes(4, peer.collectorHpkeConfig().toBytes());
      Sql.setLong(ps, 5, peer.reportExpiryAge().map(DapDuration::seconds));
      ps.setLong(6, peer.tolerableClockSkew().seconds());
      ps.setString(7, tx.name());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return false;
        }
        id = rs.getLong(1);
      }
    } catch (SQLException e) {
      throw tx.fail("TaskprovPeersTable.put", e);
    }
    putTokens(AGGREGATOR_TOKENS, id, peer, peer.aggregatorAuthTokens());
    putTokens(COLLECTOR_TOKENS, id, peer, peer.collectorAuthTokens());
    return true;
  }

  /** The peer with this endpoint and role. */
  public Optional<TaskprovPeerAggregator> get(URI endpoint, Role peerRole) {
    try (PreparedStatement ps = tx.prepare(GET)) {
      ps.setString(1, endpoint.toString());
      ps.setString(2, peerRole.name());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(peer(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw tx.fail("TaskprovPeersTable.get", e);
    }
  }

  /** Every peer, ordered by endpoint and role. */
  public List<TaskprovPeerAggregator> getAll() {
    List<TaskprovPeerAggregator> out = new ArrayList<>();
    try (PreparedStatement ps = tx.prepare(GET_ALL); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(peer(rs));
      }
    } catch (SQLException e) {
      throw tx.fail("TaskprovPeersTable.getAll", e);
    }
    return out;
  }

  /**
   * Deletes a peer and its tokens.
   *
   * @return true if it existed
   */
  public boolean delete(URI endpoint, Role peerRole) {
    try (PreparedStatement ps = tx.prepare(DELETE)) {
      ps.setString(1, endpoint.toString());
      ps.setString(2, peerRole.name());
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw tx.fail("TaskprovPeersTable.delete", e);
    }
  }

  private void putTokens(String table, long id, TaskprovPeerAggregator peer, List<AuthenticationToken> tokens) {
    if (tokens.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = tx.prepare(PUT_TOKEN.formatted(table))) {
      for (int ord = 0; ord < tokens.size(); ord++) {
        AuthenticationToken t = tokens.get(ord);
        ps.setLong(1, id);
        ps.setLong(2, ord);
        ps.setString(3, t.type().name());
        ps.setBytes(4, tx.crypter().encrypt(table, tokenRow(peer, ord), "token",
            t.token().getBytes(StandardCharsets.US_ASCII)));
        ps.setString(5, tx.name());
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw tx.fail("TaskprovPeersTable.put", e);
    }
  }

  private List<AuthenticationToken> tokens(String table, long id, String endpoint, Role role)
      throws SQLException {
    List<AuthenticationToken> out = new ArrayList<>();
    try (PreparedStatement ps = tx.prepare(GET_TOKENS.formatted(table))) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          int ord = rs.getInt("ord");
          byte[] token = tx.crypter().decrypt(table, tokenRow(endpoint, role, ord), "token",
              Sql.bytes(rs, "token"));
          out.add(new AuthenticationToken(AuthenticationTokenType.valueOf(rs.getString("type")),
              new String(token, StandardCharsets.US_ASCII)));
        }
      }
    }
    return out;
  }

  private TaskprovPeerAggregator peer(ResultSet rs) throws SQLException {
    long id = rs.getLong("id");
    String endpoint = rs.getString("endpoint");
    Role role = Role.valueOf(rs.getString("peer_role"));
    byte[] verifyKeyInit = tx.crypter().decrypt(TABLE, endpoint.getBytes(StandardCharsets.UTF_8),
        "verify_key_init", Sql.bytes(rs, "verify_key_init"));
    HpkeConfig collector = HpkeConfig.decode(Sql.bytes(rs, "collector_hpke_config"));
    Optional<DapDuration> expiry = Sql.optionalLong(rs, "report_expiry_age").map(DapDuration::ofSeconds);
    DapDuration skew = DapDuration.ofSeconds(rs.getLong("tolerable_clock_skew"));
    return new TaskprovPeerAggregator(URI.create(endpoint), role, verifyKeyInit, collector, expiry, skew,
        tokens(AGGREGATOR_TOKENS, id, endpoint, role), tokens(COLLECTOR_TOKENS, id, endpoint, role));
  }

  private static byte[] tokenRow(TaskprovPeerAggregator peer, int ord) {
    return tokenRow(peer.endpoint().toString(), peer.peerRole(), ord);
  }

  /** Row identity of a token for the AAD: endpoint, peer role code and ord (big-endian u64). */
  private static byte[] tokenRow(String endpoint, Role role, int ord) {
    byte[] e = endpoint.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(e.length + 9).put(e).put((byte) role.code()).putLong(ord).array();
  }
}
