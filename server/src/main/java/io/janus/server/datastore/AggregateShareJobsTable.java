package io.janus.server.datastore;

import io.janus.server.datastore.model.AggregateShareJob;
import io.janus.server.datastore.model.BatchIdentifier;
import io.janus.messages.Interval;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code aggregate_share_jobs} table: the Helper's answered aggregate-share requests. */
public final class AggregateShareJobsTable {
  private static final String COLUMNS = """
      batch_identifier, aggregation_param, helper_aggregate_share, report_count, checksum
      """;

  private static final String PUT = """
      -- AggregateShareJobsTable.put
      INSERT INTO aggregate_share_jobs (task_id, batch_identifier, batch_interval, aggregation_param,
          helper_aggregate_share, report_count, checksum, updated_by)
      SELECT id, ?, ?::int8range, ?, ?, ?, ?, ? FROM tasks WHERE task_id = ?
      ON CONFLICT (task_id, batch_identifier, aggregation_param) DO NOTHING
      """;

  private static final String GET = "-- AggregateShareJobsTable.get\nSELECT " + COLUMNS + """
      FROM aggregate_share_jobs
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND batch_identifier = ? AND aggregation_param = ?
      """;

  private static final String COUNT_PARAMS = """
      -- AggregateShareJobsTable.countAggregationParameters
      SELECT count(DISTINCT aggregation_param) FROM aggregate_share_jobs
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND batch_identifier = ?
      """;

  private static final String FIND_OVERLAPPING = "-- AggregateShareJobsTable.findOverlapping\nSELECT " + COLUMNS
      + """
      FROM aggregate_share_jobs
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND batch_interval && ?::int8range
      ORDER BY lower(batch_interval)
      """;

  // A time-interval job expires with its batch interval. A fixed-size job has no interval of its own: it expires with
  // the client timestamp interval of its batch, read from the batch's aggregation shards (which garbage collection
  // keeps until the job is gone, see BatchAggregationsTable.deleteExpired). A batch with no shard (its reports all
  // failed, or its shards were never written) gives no interval; the job then expires by when it was answered, since
  // no report in it can be younger than that.
  private static final String DELETE_EXPIRED = """
      -- AggregateShareJobsTable.deleteExpired
      DELETE FROM aggregate_share_jobs WHERE id IN (
          SELECT asj.id FROM aggregate_share_jobs asj
          WHERE asj.task_id = (SELECT id FROM tasks WHERE task_id = ?)
            AND CASE WHEN asj.batch_interval IS NOT NULL THEN upper(asj.batch_interval) < ?
                  WHEN EXISTS (SELECT 1 FROM batch_aggregations ba
                               WHERE ba.task_id = asj.task_id AND ba.batch_identifier = asj.batch_identifier
                                 AND ba.aggregation_param = asj.aggregation_param)
                  THEN NOT EXISTS (SELECT 1 FROM batch_aggregations ba
                                   WHERE ba.task_id = asj.task_id AND ba.batch_identifier = asj.batch_identifier
                                     AND ba.aggregation_param = asj.aggregation_param
                                     AND upper(ba.client_timestamp_interval) >= ?)
                  ELSE asj.created_at < to_timestamp(?)
                END
          LIMIT ?)
      """;

  private final Tx tx;

  AggregateShareJobsTable(Tx tx) {
    this.tx = tx;
  }

  /**
   * Stores an answered aggregate-share request.
   *
   * @return true if stored, false if one exists for this batch and parameter (or the task is unknown)
   */
  public boolean put(AggregateShareJob job) {
    try (PreparedStatement ps = tx.prepare(PUT)) {
      ps.setBytes(1, job.batchIdentifier().toBytes());
      Sql.setString(ps, 2, job.batchIdentifier().interval().map(Sql::range));
      ps.setBytes(3, job.aggregationParameter());
      ps.setBytes(4, job.helperAggregateShare());
      ps.setLong(5, job.reportCount());
      ps.setBytes(6, job.checksum());
      ps.setString(7, tx.name());
      ps.setBytes(8, job.taskId().bytes());
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw tx.fail("AggregateShareJobsTable.put", e);
    }
  }

  /** The answered request for this batch and parameter. */
  public Optional<AggregateShareJob> get(TaskId taskId, BatchIdentifier batch, byte[] aggregationParameter) {
    try (PreparedStatement ps = tx.prepare(GET)) {
      ps.setBytes(1, taskId.bytes());
      ps.setBytes(2, batch.toBytes());
      ps.setBytes(3, aggregationParameter);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row(taskId, rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw tx.fail("AggregateShareJobsTable.get", e);
    }
  }

  /** How many distinct aggregation parameters this batch was queried with (for max_batch_query_count). */
  public long countAggregationParameters(TaskId taskId, BatchIdentifier batch) {
    try (PreparedStatement ps = tx.prepare(COUNT_PARAMS)) {
      ps.setBytes(1, taskId.bytes());
      ps.setBytes(2, batch.toBytes());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw tx.fail("AggregateShareJobsTable.countAggregationParameters", e);
    }
  }

  /** The time-interval jobs whose batch interval shares an instant with {@code interval}. */
  public List<AggregateShareJob> findOverlapping(TaskId taskId, Interval interval) {
    List<AggregateShareJob> out = new ArrayList<>();
    try (PreparedStatement ps = tx.prepare(FIND_OVERLAPPING)) {
      ps.setBytes(1, taskId.bytes());
      ps.setString(2, Sql.range(interval));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(row(taskId, rs));
        }
      }
    } catch (SQLException e) {
      throw tx.fail("AggregateShareJobsTable.findOverlapping", e);
    }
    return out;
  }

  /**
   * Garbage collection: deletes up to {@code limit} jobs whose batch ends before {@code threshold}: time-interval
   * jobs by their batch interval, fixed-size jobs by the client timestamp interval of their batch (every
   * aggregation shard of the batch under the job's aggregation parameter ends before the threshold), and a
   * fixed-size job whose batch has no shard at all by when it was stored.
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
      throw tx.fail("AggregateShareJobsTable.deleteExpired", e);
    }
  }

  private static AggregateShareJob row(TaskId taskId, ResultSet rs) throws SQLException {
    return new AggregateShareJob(
        taskId,
        BatchIdentifier.fromBytes(rs.getBytes("batch_identifier")),
        Sql.bytes(rs, "aggregation_param"),
        Sql.bytes(rs, "helper_aggregate_share"),
        rs.getLong("report_count"),
        Sql.bytes(rs, "checksum"));
  }
}
