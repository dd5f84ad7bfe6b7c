package io.janus.server.datastore;

import io.janus.server.datastore.model.BatchSizeRange;
import io.janus.server.datastore.model.DbEnum;
import io.janus.server.datastore.model.OutstandingBatch;
import io.janus.server.datastore.model.OutstandingBatchState;
import io.janus.messages.BatchId;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code outstanding_batches} table: the Leader's fixed-size batches that may still take reports. */
public final class OutstandingBatchesTable {
  private static final String PUT = """
      -- OutstandingBatchesTable.put
      INSERT INTO outstanding_batches (task_id, batch_id, time_bucket_start, state, updated_by)
      SELECT id, ?, ?, ?, ? FROM tasks WHERE task_id = ?
      ON CONFLICT (task_id, batch_id) DO NOTHING
      """;

  private static final String LIST_FILLING = """
      -- OutstandingBatchesTable.listFilling
      SELECT batch_id, time_bucket_start, state FROM outstanding_batches
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND state = 'FILLING'
        AND time_bucket_start IS NOT DISTINCT FROM ?
      ORDER BY created_at, batch_id
      """;

  private static final String MARK_FILLED = """
      -- OutstandingBatchesTable.markFilled
      UPDATE outstanding_batches SET state = 'FILLED', updated_at = now(), updated_by = ?
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND batch_id = ?
      """;

  private static final String CLAIM = """
      -- OutstandingBatchesTable.claim
      UPDATE outstanding_batches SET updated_at = now(), updated_by = ?
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND batch_id = ? AND state = 'FILLING'
      """;

  private static final String SIZE = """
      -- OutstandingBatchesTable.size
      SELECT count(*) FILTER (WHERE report_aggregations.state = 'FINISHED'),
             count(*) FILTER (WHERE report_aggregations.state <> 'FAILED')
      FROM report_aggregations
      JOIN aggregation_jobs ON aggregation_jobs.id = report_aggregations.aggregation_job_id
      WHERE aggregation_jobs.task_id = (SELECT id FROM tasks WHERE task_id = ?) AND aggregation_jobs.batch_id = ?
      """;

  // FILLED batches first (they take no more reports, so waiting cannot grow them), then oldest first. The count
  // is of finished report aggregations, as in SIZE; SKIP LOCKED keeps two concurrent queries off one batch.
  private static final String ACQUIRE_READY = """
      -- OutstandingBatchesTable.acquireReady
      WITH ready AS (
          SELECT outstanding_batches.id FROM outstanding_batches
          WHERE outstanding_batches.task_id = (SELECT id FROM tasks WHERE task_id = ?)
            AND (SELECT count(*) FROM report_aggregations
                 JOIN aggregation_jobs ON aggregation_jobs.id = report_aggregations.aggregation_job_id
                 WHERE aggregation_jobs.task_id = outstanding_batches.task_id
                   AND aggregation_jobs.batch_id = outstanding_batches.batch_id
                   AND report_aggregations.state = 'FINISHED') >= ?
          ORDER BY outstanding_batches.state = 'FILLED' DESC, outstanding_batches.id
          LIMIT 1
          FOR UPDATE OF outstanding_batches SKIP LOCKED)
      DELETE FROM outstanding_batches USING ready WHERE outstanding_batches.id = ready.id
      RETURNING outstanding_batches.batch_id, outstanding_batches.time_bucket_start, outstanding_batches.state
      """;

  private static final String DELETE = """
      -- OutstandingBatchesTable.delete
      DELETE FROM outstanding_batches WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND batch_id = ?
      """;

  // An outstanding batch is expired when every report it can hold is: its time bucket ended before the threshold,
  // or (no bucket) every aggregation job and batch aggregation shard of it ends before the threshold. A row with
  // neither left lost them to garbage collection (the creator writes a batch together with its first job). A
  // collection job still in START on the batch keeps it. Ends compare as in the other tables' deleteExpired.
  private static final String DELETE_EXPIRED = """
      -- OutstandingBatchesTable.deleteExpired
      DELETE FROM outstanding_batches WHERE id IN (
          SELECT ob.id FROM outstanding_batches ob JOIN tasks ON tasks.id = ob.task_id
          WHERE tasks.task_id = ?
            AND CASE WHEN ob.time_bucket_start IS NOT NULL AND tasks.batch_time_window_size IS NOT NULL
                  THEN ob.time_bucket_start + tasks.batch_time_window_size < ?
                  ELSE NOT EXISTS (SELECT 1 FROM aggregation_jobs aj
                                   WHERE aj.task_id = ob.task_id AND aj.batch_id = ob.batch_id
                                     AND upper(aj.client_timestamp_interval) >= ?)
                   AND NOT EXISTS (SELECT 1 FROM batch_aggregations ba
                                   WHERE ba.task_id = ob.task_id AND ba.batch_identifier = '\\x02'::bytea || ob.batch_id
                                     AND upper(ba.client_timestamp_interval) >= ?)
                END
            AND NOT EXISTS (SELECT 1 FROM collection_jobs cj
                            WHERE cj.task_id = ob.task_id AND cj.batch_identifier = '\\x02'::bytea || ob.batch_id
                              AND cj.state IN ('START', 'COLLECTING'))
          LIMIT ?)
      """;

  private final Tx tx;

  OutstandingBatchesTable(Tx tx) {
    this.tx = tx;
  }

  /**
   * Stores a new batch in state FILLING.
   *
   * @return true if stored, false if it exists (or the task is unknown)
   */
  public boolean put(TaskId taskId, BatchId batchId, Optional<Time> timeBucketStart) {
    try (PreparedStatement ps = tx.prepare(PUT)) {
      ps.setBytes(1, batchId.bytes());
      Sql.setLong(ps, 2, timeBucketStart.map(Time::seconds));
      ps.setString(3, OutstandingBatchState.FILLING.dbText());
      ps.setString(4, tx.name());
      ps.setBytes(5, taskId.bytes());
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw tx.fail("OutstandingBatchesTable.put", e);
    }
  }

  /**
   * The FILLING batches of a task in one time bucket (empty: the task does not bucket by time), oldest first.
   */
  public List<OutstandingBatch> listFilling(TaskId taskId, Optional<Time> timeBucketStart) {
    List<OutstandingBatch> out = new ArrayList<>();
    try (PreparedStatement ps = tx.prepare(LIST_FILLING)) {
      ps.setBytes(1, taskId.bytes());
      Sql.setLong(ps, 2, timeBucketStart.map(Time::seconds));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(batch(taskId, rs));
        }
      }
    } catch (SQLException e) {
      throw tx.fail("OutstandingBatchesTable.listFilling", e);
    }
    return out;
  }

  /**
   * Marks a batch FILLED: it takes no more reports.
   *
   * @return true if the batch exists
   */
  public boolean markFilled(TaskId taskId, BatchId batchId) {
    try (PreparedStatement ps = tx.prepare(MARK_FILLED)) {
      ps.setString(1, tx.name());
      ps.setBytes(2, taskId.bytes());
      ps.setBytes(3, batchId.bytes());
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw tx.fail("OutstandingBatchesTable.markFilled", e);
    }
  }

  /**
   * Claims a FILLING batch for adding reports, by writing its row. Under REPEATABLE READ two transactions that write
   * the same row cannot both commit (PostgreSQL fails the later one with a serialization error and
   * {@link Datastore#run} reruns it), so two creators never both fill the batch from the same stale size, and a
   * creator never fills a batch that a {@code current_batch} collection took meanwhile.
   *
   * @return true if the batch is still outstanding and filling
   */
  public boolean claim(TaskId taskId, BatchId batchId) {
    try (PreparedStatement ps = tx.prepare(CLAIM)) {
      ps.setString(1, tx.name());
      ps.setBytes(2, taskId.bytes());
      ps.setBytes(3, batchId.bytes());
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw tx.fail("OutstandingBatchesTable.claim", e);
    }
  }

  /** How many reports the batch will hold: finished so far, and at most (not failed). */
  public BatchSizeRange size(TaskId taskId, BatchId batchId) {
    try (PreparedStatement ps = tx.prepare(SIZE)) {
      ps.setBytes(1, taskId.bytes());
      ps.setBytes(2, batchId.bytes());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new BatchSizeRange(rs.getLong(1), rs.getLong(2));
      }
    } catch (SQLException e) {
      throw tx.fail("OutstandingBatchesTable.size", e);
    }
  }

  /**
   * Takes one batch ready for collection out of the outstanding set, for a {@code current_batch} query
   * (draft-ietf-ppm-dap-09 fixed-size queries): a batch, FILLING or FILLED and in any time bucket, with at least
   * {@code minBatchSize} finished report aggregations. FILLED batches come first, then the oldest. The row is
   * deleted, so no aggregation job adds to the batch afterwards and no other query gets it; rows that concurrent
   * transactions hold are skipped.
   *
   * @param minBatchSize the task's minimum batch size (non-negative)
   * @return the batch as it was stored, or empty if no batch is ready
   */
  public Optional<OutstandingBatch> acquireReady(TaskId taskId, long minBatchSize) {
    if (minBatchSize < 0) {
      throw new IllegalArgumentException("minimum batch size must not be negative: " + minBatchSize);
    }
    try (PreparedStatement ps = tx.prepare(ACQUIRE_READY)) {
      ps.setBytes(1, taskId.bytes());
      ps.setLong(2, minBatchSize);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(batch(taskId, rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw tx.fail("OutstandingBatchesTable.acquireReady", e);
    }
  }

  /**
   * Deletes a batch's row (after it was collected, or by garbage collection).
   *
   * @return true if it existed
   */
  public boolean delete(TaskId taskId, BatchId batchId) {
    try (PreparedStatement ps = tx.prepare(DELETE)) {
      ps.setBytes(1, taskId.bytes());
      ps.setBytes(2, batchId.bytes());
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw tx.fail("OutstandingBatchesTable.delete", e);
    }
  }

  /**
   * Garbage collection: deletes up to {@code limit} outstanding batches of a task whose reports are all older than
   * {@code threshold}, that is, whose time bucket ends before the threshold or, without a bucket, whose aggregation
   * jobs and batch aggregation shards all end before it. A batch that a collection job in START still names is kept.
   *
   * @return how many were deleted
   */
  public int deleteExpired(TaskId taskId, Time threshold, int limit) {
    try (PreparedStatement ps = tx.prepare(DELETE_EXPIRED)) {
      ps.setBytes(1, taskId.bytes());
      ps.setLong(2, threshold.seconds());
      ps.setLong(3, threshold.seconds());
      ps.setLong(4, threshold.seconds());
      ps.setInt(5, limit);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw tx.fail("OutstandingBatchesTable.deleteExpired", e);
    }
  }

  private static OutstandingBatch batch(TaskId taskId, ResultSet rs) throws SQLException {
    return new OutstandingBatch(taskId, new BatchId(rs.getBytes("batch_id")),
        Sql.optionalLong(rs, "time_bucket_start").map(Time::new),
        DbEnum.fromDbText(OutstandingBatchState.class, rs.getString("state")));
  }
}
