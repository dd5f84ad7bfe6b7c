package io.janus.server.datastore;

import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenHash;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.AgreedTerms;
import io.janus.core.task.QueryType;
import io.janus.core.task.DapVersion;
import io.janus.core.task.Task;
import io.janus.core.task.TaskprovTaskConfig;
import io.janus.core.task.VdafInstance;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeConfig;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** The {@code tasks} table and the per-task HPKE keys that belong to each task. */
public final class TasksTable {
  static final String TABLE = "tasks";

  private static final String PUT = """
      -- TasksTable.put
      INSERT INTO tasks (task_id, aggregator_role, peer_aggregator_endpoint, query_type, max_batch_size,
          batch_time_window_size, vdaf, max_batch_query_count, task_expiration, report_expiry_age, min_batch_size,
          time_precision, tolerable_clock_skew, collector_hpke_config, vdaf_verify_key, aggregator_auth_token_type,
          aggregator_auth_token, aggregator_auth_token_hash, collector_auth_token_type, collector_auth_token_hash,
          protocol, taskprov_task_config, task_info, own_aggregator_endpoint, task_start, updated_by)
      VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (task_id) DO NOTHING
      """;

  private static final String COLUMNS = """
      task_id, aggregator_role, peer_aggregator_endpoint, query_type, max_batch_size, batch_time_window_size,
      vdaf::text AS vdaf, max_batch_query_count, task_expiration, report_expiry_age, min_batch_size, time_precision,
      tolerable_clock_skew, collector_hpke_config, vdaf_verify_key, aggregator_auth_token_type,
      aggregator_auth_token, aggregator_auth_token_hash, collector_auth_token_type, collector_auth_token_hash,
      protocol, taskprov_task_config, task_info, own_aggregator_endpoint, task_start
      """;

  private static final String GET = "-- TasksTable.get\nSELECT " + COLUMNS + " FROM tasks WHERE task_id = ?";

  private static final String GET_ALL = "-- TasksTable.getAll\nSELECT " + COLUMNS + " FROM tasks ORDER BY task_id";

  private static final String GET_KEYS = """
      -- TasksTable.get (keys)
      SELECT config_id, config, private_key FROM task_hpke_keys
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?)
      ORDER BY config_id
      """;

  private static final String GET_ALL_KEYS = """
      -- TasksTable.getAll (keys)
      SELECT tasks.task_id, task_hpke_keys.config_id, task_hpke_keys.config, task_hpke_keys.private_key
      FROM task_hpke_keys JOIN tasks ON tasks.id = task_hpke_keys.task_id
      ORDER BY tasks.task_id, task_hpke_keys.config_id
      """;

  private static final String IDS_AFTER = """
      -- TasksTable.ids
      SELECT task_id FROM tasks WHERE task_id > ? ORDER BY task_id LIMIT ?
      """;

  private static final String SET_EXPIRATION = """
      -- TasksTable.setExpiration
      UPDATE tasks SET task_expiration = ?, updated_at = now(), updated_by = ? WHERE task_id = ?
      """;

  private static final String DELETE = """
      -- TasksTable.delete
      DELETE FROM tasks WHERE task_id = ?
      """;

  private final Tx tx;

  TasksTable(Tx tx) {
    this.tx = tx;
  }

  /**
   * Stores a new task with its per-task HPKE keys, encrypting the secrets.
   *
   * @return true if stored, false if a task with this ID already exists (nothing is changed then)
   */
  public boolean put(Task task) {
    byte[] row = task.id().bytes();
    Crypter crypter = tx.crypter();
    try (PreparedStatement ps = tx.prepare(PUT)) {
      int i = 1;
      ps.setBytes(i++, row);
      ps.setString(i++, task.role().name());
      ps.setString(i++, task.peerAggregatorEndpoint().toString());
      ps.setString(i++, task.queryType().dbName());
      OptionalLong maxBatchSize = OptionalLong.empty();
      Optional<Long> window = Optional.empty();
      if (task.queryType() instanceof QueryType.FixedSize f) {
        maxBatchSize = f.maxBatchSize();
        window = f.batchTimeWindowSize().map(DapDuration::seconds);
      }
      Sql.setLong(ps, i++, maxBatchSize.isPresent() ? Optional.of(maxBatchSize.getAsLong()) : Optional.empty());
      Sql.setLong(ps, i++, window);
      ps.setString(i++, task.vdaf().toJson());
      ps.setLong(i++, task.maxBatchQueryCount());
      Sql.setLong(ps, i++, task.taskExpiration().map(Time::seconds));
      Sql.setLong(ps, i++, task.reportExpiryAge().map(DapDuration::seconds));
      ps.setLong(i++, task.minBatchSize());
      ps.setLong(i++, task.timePrecision().seconds());
      ps.setLong(i++, task.tolerableClockSkew().seconds());
      ps.setBytes(i++, task.collectorHpkeConfig().toBytes());
      ps.setBytes(i++, crypter.encrypt(TABLE, row, "vdaf_verify_key", task.vdafVerifyKey()));
      Optional<AuthenticationToken> aggToken = task.aggregatorAuthToken();
      Optional<AuthenticationTokenType> aggType = aggToken.map(AuthenticationToken::type)
          .or(() -> task.aggregatorAuthTokenHash().map(AuthenticationTokenHash::type));
      Sql.setString(ps, i++, aggType.map(Enum::name));
      Sql.setBytes(ps, i++, aggToken.map(t ->
          crypter.encrypt(TABLE, row, "aggregator_auth_token", t.token().getBytes(StandardCharsets.US_ASCII))));
      Sql.setBytes(ps, i++, task.aggregatorAuthTokenHash().map(AuthenticationTokenHash::hash));
      Sql.setString(ps, i++, task.collectorAuthTokenHash().map(h -> h.type().name()));
      Sql.setBytes(ps, i++, task.collectorAuthTokenHash().map(AuthenticationTokenHash::hash));
      ps.setString(i++, task.protocol().text());
      Sql.setBytes(ps, i++, task.taskprovConfig().map(TaskprovTaskConfig::encoded));
      Sql.setBytes(ps, i++, task.agreedTerms().map(AgreedTerms::taskInfo));
      Sql.setString(ps, i++, task.agreedTerms().map(t -> t.ownEndpoint().toString()));
      Sql.setLong(ps, i++, task.agreedTerms().flatMap(AgreedTerms::taskStart).map(Time::seconds));
      ps.setString(i, tx.name());
      if (ps.executeUpdate() == 0) {
        return false;
      }
    } catch (SQLException e) {
      throw tx.fail("TasksTable.put", e);
    }
    for (HpkeKeypair k : task.hpkeKeys()) {
      tx.hpkeKeys().putForTask(task.id(), k);
    }
    return true;
  }

  /** The task with this ID, with its per-task HPKE keys. */
  public Optional<Task> get(TaskId id) {
    List<HpkeKeypair> keys = new ArrayList<>();
    try (PreparedStatement ps = tx.prepare(GET_KEYS)) {
      ps.setBytes(1, id.bytes());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          keys.add(HpkeKeysTable.taskKey(tx.crypter(), id, rs));
        }
      }
    } catch (SQLException e) {
      throw tx.fail("TasksTable.get", e);
    }
    try (PreparedStatement ps = tx.prepare(GET)) {
      ps.setBytes(1, id.bytes());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(task(rs, keys)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw tx.fail("TasksTable.get", e);
    }
  }

  /** Every task, ordered by task ID. */
  public List<Task> getAll() {
    Map<TaskId, List<HpkeKeypair>> keys = new HashMap<>();
    try (PreparedStatement ps = tx.prepare(GET_ALL_KEYS); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        TaskId id = new TaskId(rs.getBytes("task_id"));
        keys.computeIfAbsent(id, x -> new ArrayList<>()).add(HpkeKeysTable.taskKey(tx.crypter(), id, rs));
      }
    } catch (SQLException e) {
      throw tx.fail("TasksTable.getAll", e);
    }
    List<Task> out = new ArrayList<>();
    try (PreparedStatement ps = tx.prepare(GET_ALL); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        TaskId id = new TaskId(rs.getBytes("task_id"));
        out.add(task(rs, keys.getOrDefault(id, List.of())));
      }
    } catch (SQLException e) {
      throw tx.fail("TasksTable.getAll", e);
    }
    return out;
  }

  /**
   * One page of task IDs in ascending order: at most {@code limit} IDs greater than {@code after} (all of them
   * from the first when empty). Pages stay consistent while tasks are added or deleted between calls.
   */
  public List<TaskId> ids(Optional<TaskId> after, int limit) {
    try (PreparedStatement ps = tx.prepare(IDS_AFTER)) {
      // The empty byte string sorts before every 32-byte ID.
      ps.setBytes(1, after.map(TaskId::bytes).orElse(new byte[0]));
      ps.setInt(2, limit);
      List<TaskId> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new TaskId(rs.getBytes(1)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw tx.fail("TasksTable.ids", e);
    }
  }

  /**
   * Sets or clears a task's expiration.
   *
   * @return true if the task exists
   */
  public boolean setExpiration(TaskId id, Optional<Time> expiration) {
    try (PreparedStatement ps = tx.prepare(SET_EXPIRATION)) {
      Sql.setLong(ps, 1, expiration.map(Time::seconds));
      ps.setString(2, tx.name());
      ps.setBytes(3, id.bytes());
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw tx.fail("TasksTable.setExpiration", e);
    }
  }

  /**
   * Deletes a task and, through the foreign keys, everything stored for it (reports, jobs, aggregates, keys).
   *
   * @return true if the task existed
   */
  public boolean delete(TaskId id) {
    try (PreparedStatement ps = tx.prepare(DELETE)) {
      ps.setBytes(1, id.bytes());
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw tx.fail("TasksTable.delete", e);
    }
  }

  private Task task(ResultSet rs, List<HpkeKeypair> keys) throws SQLException {
    byte[] row = rs.getBytes("task_id");
    Crypter crypter = tx.crypter();
    TaskId id = new TaskId(row);
    QueryType queryType = Sql.queryType(rs);
    Optional<AuthenticationToken> aggToken = Optional.empty();
    Optional<AuthenticationTokenHash> aggHash = Optional.empty();
    Optional<AuthenticationTokenHash> collectorHash = Optional.empty();
    String aggType = rs.getString("aggregator_auth_token_type");
    byte[] encToken = rs.getBytes("aggregator_auth_token");
    if (encToken != null) {
      byte[] token = crypter.decrypt(TABLE, row, "aggregator_auth_token", encToken);
      aggToken = Optional.of(new AuthenticationToken(AuthenticationTokenType.valueOf(aggType),
          new String(token, StandardCharsets.US_ASCII)));
    }
    byte[] h = rs.getBytes("aggregator_auth_token_hash");
    if (h != null) {
      aggHash = Optional.of(new AuthenticationTokenHash(AuthenticationTokenType.valueOf(aggType), h));
    }
    byte[] ch = rs.getBytes("collector_auth_token_hash");
    if (ch != null) {
      collectorHash = Optional.of(new AuthenticationTokenHash(
          AuthenticationTokenType.valueOf(rs.getString("collector_auth_token_type")), ch));
    }
    String protocol = rs.getString("protocol");
    return new Task(
        id,
        DapVersion.fromText(protocol).orElseThrow(
            () -> new DatastoreException("task " + id + " has an unknown protocol " + protocol)),
        Role.valueOf(rs.getString("aggregator_role")),
        URI.create(rs.getString("peer_aggregator_endpoint")),
        queryType,
        VdafInstance.fromJson(rs.getString("vdaf")),
        crypter.decrypt(TABLE, row, "vdaf_verify_key", Sql.bytes(rs, "vdaf_verify_key")),
        rs.getLong("max_batch_query_count"),
        Sql.optionalLong(rs, "task_expiration").map(Time::new),
        Sql.optionalLong(rs, "report_expiry_age").map(DapDuration::ofSeconds),
        rs.getLong("min_batch_size"),
        DapDuration.ofSeconds(rs.getLong("time_precision")),
        DapDuration.ofSeconds(rs.getLong("tolerable_clock_skew")),
        HpkeConfig.decode(Sql.bytes(rs, "collector_hpke_config")),
        aggToken,
        aggHash,
        collectorHash,
        keys,
        Optional.ofNullable(rs.getBytes("taskprov_task_config")).map(TaskprovTaskConfig::new),
        agreedTerms(rs));
  }

  private static Optional<AgreedTerms> agreedTerms(ResultSet rs) throws SQLException {
    byte[] taskInfo = rs.getBytes("task_info");
    if (taskInfo == null) {
      return Optional.empty();
    }
    return Optional.of(new AgreedTerms(taskInfo, URI.create(rs.getString("own_aggregator_endpoint")),
        Sql.optionalLong(rs, "task_start").map(Time::new)));
  }
}
