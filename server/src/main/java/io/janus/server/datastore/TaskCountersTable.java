package io.janus.server.datastore;

import io.janus.server.datastore.model.TaskAggregationCounter;
import io.janus.server.datastore.model.TaskUploadCounter;
import io.janus.messages.TaskId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The sharded per-task metric counters ({@code task_upload_counters}, {@code task_aggregation_counters}). Each
 * increment goes to one randomly chosen shard in one upsert, so concurrent writers rarely contend on a row; reads
 * sum the shards. Run increments in their own short transaction, not in the upload transaction, to keep
 * serialization conflicts out of the hot path.
 */
public final class TaskCountersTable {
  private static final String INCREMENT_UPLOAD = """
      -- TaskCountersTable.incrementUpload
      INSERT INTO task_upload_counters (task_id, ord, interval_collected, report_decode_failure,
          report_decrypt_failure, report_expired, report_outdated_key, report_success, report_too_early,
          task_expired)
      SELECT id, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM tasks WHERE task_id = ?
      ON CONFLICT (task_id, ord) DO UPDATE SET
          interval_collected = task_upload_counters.interval_collected + excluded.interval_collected,
          report_decode_failure = task_upload_counters.report_decode_failure + excluded.report_decode_failure,
          report_decrypt_failure = task_upload_counters.report_decrypt_failure + excluded.report_decrypt_failure,
          report_expired = task_upload_counters.report_expired + excluded.report_expired,
          report_outdated_key = task_upload_counters.report_outdated_key + excluded.report_outdated_key,
          report_success = task_upload_counters.report_success + excluded.report_success,
          report_too_early = task_upload_counters.report_too_early + excluded.report_too_early,
          task_expired = task_upload_counters.task_expired + excluded.task_expired
      """;

  private static final String GET_UPLOAD = """
      -- TaskCountersTable.getUpload
      SELECT coalesce(sum(interval_collected), 0), coalesce(sum(report_decode_failure), 0),
          coalesce(sum(report_decrypt_failure), 0), coalesce(sum(report_expired), 0),
          coalesce(sum(report_outdated_key), 0), coalesce(sum(report_success), 0),
          coalesce(sum(report_too_early), 0), coalesce(sum(task_expired), 0)
      FROM task_upload_counters WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?)
      """;

  private static final String INCREMENT_AGGREGATION = """
      -- TaskCountersTable.incrementAggregation
      INSERT INTO task_aggregation_counters (task_id, ord, success, batch_collected, report_replayed,
          report_dropped, hpke_unknown_config_id, hpke_decrypt_failure, vdaf_prep_failure, batch_saturated,
          task_expired, invalid_message, report_too_early)
      SELECT id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM tasks WHERE task_id = ?
      ON CONFLICT (task_id, ord) DO UPDATE SET
          success = task_aggregation_counters.success + excluded.success,
          batch_collected = task_aggregation_counters.batch_collected + excluded.batch_collected,
          report_replayed = task_aggregation_counters.report_replayed + excluded.report_replayed,
          report_dropped = task_aggregation_counters.report_dropped + excluded.report_dropped,
          hpke_unknown_config_id = task_aggregation_counters.hpke_unknown_config_id + excluded.hpke_unknown_config_id,
          hpke_decrypt_failure = task_aggregation_counters.hpke_decrypt_failure + excluded.hpke_decrypt_failure,
          vdaf_prep_failure = task_aggregation_counters.vdaf_prep_failure + excluded.vdaf_prep_failure,
          batch_saturated = task_aggregation_counters.batch_saturated + excluded.batch_saturated,
          task_expired = task_aggregation_counters.task_expired + excluded.task_expired,
          invalid_message = task_aggregation_counters.invalid_message + excluded.invalid_message,
          report_too_early = task_aggregation_counters.report_too_early + excluded.report_too_early
      """;

  private static final String GET_AGGREGATION = """
      -- TaskCountersTable.getAggregation
      SELECT coalesce(sum(success), 0), coalesce(sum(batch_collected), 0), coalesce(sum(report_replayed), 0),
          coalesce(sum(report_dropped), 0), coalesce(sum(hpke_unknown_config_id), 0),
          coalesce(sum(hpke_decrypt_failure), 0), coalesce(sum(vdaf_prep_failure), 0),
          coalesce(sum(batch_saturated), 0), coalesce(sum(task_expired), 0), coalesce(sum(invalid_message), 0),
          coalesce(sum(report_too_early), 0)
      FROM task_aggregation_counters WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?)
      """;

  private final Tx tx;

  TaskCountersTable(Tx tx) {
    this.tx = tx;
  }

  /**
   * Adds {@code delta} to one random shard (of {@code shardCount}) of the task's upload counters.
   *
   * @return false if the task is unknown (nothing is counted)
   */
  public boolean incrementUpload(TaskId taskId, int shardCount, TaskUploadCounter delta) {
    try (PreparedStatement ps = tx.prepare(INCREMENT_UPLOAD)) {
      int i = 1;
      ps.setInt(i++, randomShard(shardCount));
      ps.setLong(i++, delta.intervalCollected());
      ps.setLong(i++, delta.reportDecodeFailure());
      ps.setLong(i++, delta.reportDecryptFailure());
      ps.setLong(i++, delta.reportExpired());
      ps.setLong(i++, delta.reportOutdatedKey());
      ps.setLong(i++, delta.reportSuccess());
      ps.setLong(i++, delta.reportTooEarly());
      ps.setLong(i++, delta.taskExpired());
      ps.setBytes(i, taskId.bytes());
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw tx.fail("TaskCountersTable.incrementUpload", e);
    }
  }

  /** The task's upload counters summed over all shards (zero for an unknown task). */
  public TaskUploadCounter getUpload(TaskId taskId) {
    try (PreparedStatement ps = tx.prepare(GET_UPLOAD)) {
      ps.setBytes(1, taskId.bytes());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new TaskUploadCounter(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
            rs.getLong(6), rs.getLong(7), rs.getLong(8));
      }
    } catch (SQLException e) {
      throw tx.fail("TaskCountersTable.getUpload", e);
    }
  }

  /**
   * Adds {@code delta} to one random shard (of {@code shardCount}) of the task's aggregation counters.
   *
   * @return false if the task is unknown (nothing is counted)
   */
  public boolean incrementAggregation(TaskId taskId, int shardCount, TaskAggregationCounter delta) {
    try (PreparedStatement ps = tx.prepare(INCREMENT_AGGREGATION)) {
      int i = 1;
      ps.setInt(i++, randomShard(shardCount));
      ps.setLong(i++, delta.success());
      ps.setLong(i++, delta.batchCollected());
      ps.setLong(i++, delta.reportReplayed());
      ps.setLong(i++, delta.reportDropped());
      ps.setLong(i++, delta.hpkeUnknownConfigId());
      ps.setLong(i++, delta.hpkeDecryptFailure());
      ps.setLong(i++, delta.vdafPrepFailure());
      ps.setLong(i++, delta.batchSaturated());
      ps.setLong(i++, delta.taskExpired());
      ps.setLong(i++, delta.invalidMessage());
      ps.setLong(i++, delta.reportTooEarly());
      ps.setBytes(i, taskId.bytes());
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw tx.fail("TaskCountersTable.incrementAggregation", e);
    }
  }

  /** The task's aggregation counters summed over all shards (zero for an unknown task). */
  public TaskAggregationCounter getAggregation(TaskId taskId) {
    try (PreparedStatement ps = tx.prepare(GET_AGGREGATION)) {
      ps.setBytes(1, taskId.bytes());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new TaskAggregationCounter(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
            rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10),
            rs.getLong(11));
      }
    } catch (SQLException e) {
      throw tx.fail("TaskCountersTable.getAggregation", e);
    }
  }

  private static int randomShard(int shardCount) {
    if (shardCount < 1) {
      throw new IllegalArgumentException("shard count must be at least 1");
    }
    // Spreading writes only needs a fast, uniform choice, not a secure one.
    return ThreadLocalRandom.current().nextInt(shardCount);
  }
}
