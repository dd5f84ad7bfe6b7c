package io.janus.server.datastore;

import io.janus.server.datastore.model.DbEnum;
import io.janus.server.datastore.model.GlobalHpkeKeypair;
import io.janus.server.datastore.model.HpkeKeyState;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.messages.HpkeConfig;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The global {@code hpke_keys} table and the per-task {@code task_hpke_keys} table. */
public final class HpkeKeysTable {
  static final String GLOBAL_TABLE = "hpke_keys";
  static final String TASK_TABLE = "task_hpke_keys";

  private static final String PUT = """
      -- HpkeKeysTable.put
      INSERT INTO hpke_keys (config_id, config, private_key, state, last_state_change_at, updated_by)
      VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (config_id) DO NOTHING
      """;

  private static final String GET = """
      -- HpkeKeysTable.get
      SELECT config_id, config, private_key, state, last_state_change_at FROM hpke_keys WHERE config_id = ?
      """;

  private static final String GET_ALL = """
      -- HpkeKeysTable.getAll
      SELECT config_id, config, private_key, state, last_state_change_at FROM hpke_keys ORDER BY config_id
      """;

  private static final String SET_STATE = """
      -- HpkeKeysTable.setState
      UPDATE hpke_keys SET state = ?, last_state_change_at = ?, updated_at = now(), updated_by = ?
      WHERE config_id = ?
      """;

  private static final String DELETE = """
      -- HpkeKeysTable.delete
      DELETE FROM hpke_keys WHERE config_id = ?
      """;

  private static final String LOCK = """
      -- HpkeKeysTable.lockForRotation
      LOCK TABLE hpke_keys IN EXCLUSIVE MODE
      """;

  private static final String PUT_FOR_TASK = """
      -- HpkeKeysTable.putForTask
      INSERT INTO task_hpke_keys (task_id, config_id, config, private_key, updated_by)
      SELECT id, ?, ?, ?, ? FROM tasks WHERE task_id = ?
      ON CONFLICT (task_id, config_id) DO NOTHING
      """;

  private static final String GET_FOR_TASK = """
      -- HpkeKeysTable.getForTask
      SELECT config_id, config, private_key FROM task_hpke_keys
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?)
      ORDER BY config_id
      """;

  private static final String DELETE_FOR_TASK = """
      -- HpkeKeysTable.deleteForTask
      DELETE FROM task_hpke_keys WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND config_id = ?
      """;

  private final Tx tx;

  HpkeKeysTable(Tx tx) {
    this.tx = tx;
  }

  /**
   * Locks the global keys against other writers until the transaction ends, so concurrent key rotators take turns
   * and each sees the table as the previous one left it. Readers (the aggregators' key caches) are not blocked.
   */
  public void lockForRotation() {
    try (PreparedStatement ps = tx.prepare(LOCK)) {
      ps.execute();
    } catch (SQLException e) {
      throw tx.fail("HpkeKeysTable.lockForRotation", e);
    }
  }

  /**
   * Stores a new global key in state {@link HpkeKeyState#PENDING}, stamped with the clock's time.
   *
   * @return true if stored, false if a key with this config ID already exists
   */
  public boolean put(HpkeKeypair keypair) {
    int id = keypair.config().id();
    try (PreparedStatement ps = tx.prepare(PUT)) {
      ps.setInt(1, id);
      ps.setBytes(2, keypair.config().toBytes());
      ps.setBytes(3, tx.crypter().encrypt(GLOBAL_TABLE, globalRow(id), "private_key", keypair.privateKey()));
      ps.setString(4, HpkeKeyState.PENDING.dbText());
      ps.setLong(5, tx.clock().now().seconds());
      ps.setString(6, tx.name());
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw tx.fail("HpkeKeysTable.put", e);
    }
  }

  /** The global key with this config ID. */
  public Optional<GlobalHpkeKeypair> get(int configId) {
    try (PreparedStatement ps = tx.prepare(GET)) {
      ps.setInt(1, configId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(global(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw tx.fail("HpkeKeysTable.get", e);
    }
  }

  /** Every global key, ordered by config ID. */
  public List<GlobalHpkeKeypair> getAll() {
    List<GlobalHpkeKeypair> out = new ArrayList<>();
    try (PreparedStatement ps = tx.prepare(GET_ALL); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(global(rs));
      }
    } catch (SQLException e) {
      throw tx.fail("HpkeKeysTable.getAll", e);
    }
    return out;
  }

  /**
   * Moves a global key to another state, stamping the change with the clock's time.
   *
   * @return true if the key exists
   */
  public boolean setState(int configId, HpkeKeyState state) {
    try (PreparedStatement ps = tx.prepare(SET_STATE)) {
      ps.setString(1, state.dbText());
      ps.setLong(2, tx.clock().now().seconds());
      ps.setString(3, tx.name());
      ps.setInt(4, configId);
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw tx.fail("HpkeKeysTable.setState", e);
    }
  }

  /**
   * Deletes a global key.
   *
   * @return true if it existed
   */
  public boolean delete(int configId) {
    try (PreparedStatement ps = tx.prepare(DELETE)) {
      ps.setInt(1, configId);
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw tx.fail("HpkeKeysTable.delete", e);
    }
  }

  /**
   * Adds a per-task key.
   *
   * @return true if stored; false if the task does not exist or already has a key with this config ID
   */
  public boolean putForTask(TaskId taskId, HpkeKeypair keypair) {
    int id = keypair.config().id();
    try (PreparedStatement ps = tx.prepare(PUT_FOR_TASK)) {
      ps.setInt(1, id);
      ps.setBytes(2, keypair.config().toBytes());
      ps.setBytes(3, tx.crypter().encrypt(TASK_TABLE, taskRow(taskId, id), "private_key", keypair.privateKey()));
      ps.setString(4, tx.name());
      ps.setBytes(5, taskId.bytes());
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw tx.fail("HpkeKeysTable.putForTask", e);
    }
  }

  /** The per-task keys of a task, ordered by config ID (empty for an unknown task). */
  public List<HpkeKeypair> getForTask(TaskId taskId) {
    List<HpkeKeypair> out = new ArrayList<>();
    try (PreparedStatement ps = tx.prepare(GET_FOR_TASK)) {
      ps.setBytes(1, taskId.bytes());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(taskKey(tx.crypter(), taskId, rs));
        }
      }
    } catch (SQLException e) {
      throw tx.fail("HpkeKeysTable.getForTask", e);
    }
    return out;
  }

  /**
   * Deletes a per-task key.
   *
   * @return true if it existed
   */
  public boolean deleteForTask(TaskId taskId, int configId) {
    try (PreparedStatement ps = tx.prepare(DELETE_FOR_TASK)) {
      ps.setBytes(1, taskId.bytes());
      ps.setInt(2, configId);
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw tx.fail("HpkeKeysTable.deleteForTask", e);
    }
  }

  private GlobalHpkeKeypair global(ResultSet rs) throws SQLException {
    int id = rs.getInt("config_id");
    HpkeConfig config = HpkeConfig.decode(Sql.bytes(rs, "config"));
    byte[] sk = tx.crypter().decrypt(GLOBAL_TABLE, globalRow(id), "private_key", Sql.bytes(rs, "private_key"));
    return new GlobalHpkeKeypair(new HpkeKeypair(config, sk),
        DbEnum.fromDbText(HpkeKeyState.class, rs.getString("state")), new Time(rs.getLong("last_state_change_at")));
  }

  static HpkeKeypair taskKey(Crypter crypter, TaskId taskId, ResultSet rs) throws SQLException {
    int id = rs.getInt("config_id");
    HpkeConfig config = HpkeConfig.decode(Sql.bytes(rs, "config"));
    byte[] sk = crypter.decrypt(TASK_TABLE, taskRow(taskId, id), "private_key", Sql.bytes(rs, "private_key"));
    return new HpkeKeypair(config, sk);
  }

  private static byte[] globalRow(int configId) {
    return new byte[] {(byte) configId};
  }

  private static byte[] taskRow(TaskId taskId, int configId) {
    byte[] t = taskId.bytes();
    byte[] row = new byte[t.length + 1];
    System.arraycopy(t, 0, row, 0, t.length);
    row[t.length] = (byte) configId;
    return row;
  }
}
