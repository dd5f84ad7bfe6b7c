package io.janus.server.datastore;

import io.janus.server.datastore.model.AcquiredAggregationJob;
import io.janus.server.datastore.model.AggregationJob;
import io.janus.server.datastore.model.AggregationJobState;
import io.janus.server.datastore.model.DbEnum;
import io.janus.server.datastore.model.Lease;
import io.janus.core.task.VdafInstance;
import io.janus.messages.AggregationJobId;
import io.janus.messages.BatchId;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import java.net.URI;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code aggregation_jobs} table. The Leader's in-progress jobs are handed to drivers by lease: every write
 * through a lease is refused with {@link LeaseLostException} once the row carries another lease.
 */
public final class AggregationJobsTable {
  private static final String PUT = """
      -- AggregationJobsTable.put
      INSERT INTO aggregation_jobs (task_id, aggregation_job_id, aggregation_param, batch_id,
          client_timestamp_interval, state, step, last_request_hash, helper_location, updated_by)
      SELECT id, ?, ?, ?, ?::int8range, ?, ?, ?, ?, ? FROM tasks WHERE task_id = ?
      ON CONFLICT (task_id, aggregation_job_id) DO NOTHING
      """;

  private static final String COLUMNS = """
      aggregation_jobs.aggregation_job_id, aggregation_jobs.aggregation_param, aggregation_jobs.batch_id,
      aggregation_jobs.client_timestamp_interval::text AS client_timestamp_interval, aggregation_jobs.state,
      aggregation_jobs.step, aggregation_jobs.last_request_hash, aggregation_jobs.helper_location
      """;

  private static final String GET = "-- AggregationJobsTable.get\nSELECT " + COLUMNS + """
      FROM aggregation_jobs
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND aggregation_job_id = ?
      """;

  private static final String LIST_FOR_TASK = "-- AggregationJobsTable.listForTask\nSELECT " + COLUMNS + """
      FROM aggregation_jobs
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?)
      ORDER BY lower(client_timestamp_interval), aggregation_job_id
      """;

  private static final String UPDATE = """
      -- AggregationJobsTable.update
      UPDATE aggregation_jobs
      SET state = ?, step = ?, last_request_hash = ?, client_timestamp_interval = ?::int8range,
          helper_location = ?, updated_at = now(), updated_by = ?
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND aggregation_job_id = ?
      """;

  private static final String UPDATE_LEASED = UPDATE.replace("-- AggregationJobsTable.update",
      "-- AggregationJobsTable.update (leased)") + "  AND " + JobLeases.GUARD + "\n";

  private static final String DELETE = """
      -- AggregationJobsTable.delete
      UPDATE aggregation_jobs SET state = 'DELETED', updated_at = now(), updated_by = ?
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND aggregation_job_id = ?
      """;

  // Jobs whose every report is past the task's report expiry age are left for garbage collection.
  private static final JobLeases<AcquiredAggregationJob> LEASES = new JobLeases<>(
      "AggregationJobsTable", "aggregation_jobs", "aggregation_job_id", "aggregation job",
      """
      aggregation_jobs.state = 'IN_PROGRESS'
            AND (tasks.report_expiry_age IS NULL
                 OR upper(aggregation_jobs.client_timestamp_interval) >= ? - tasks.report_expiry_age)""",
      (ps, i, nowMillis) -> {
        ps.setLong(i, Math.floorDiv(nowMillis, 1000));
        return i + 1;
      },
      "",
      rs -> new AcquiredAggregationJob(
          new TaskId(rs.getBytes("task_id")),
          new AggregationJobId(rs.getBytes("aggregation_job_id")),
          Sql.queryType(rs),
          VdafInstance.fromJson(rs.getString("vdaf"))),
      AcquiredAggregationJob::taskId,
      AcquiredAggregationJob::jobId);

  private static final String DELETE_EXPIRED = """
      -- AggregationJobsTable.deleteExpired
      DELETE FROM aggregation_jobs WHERE id IN (
          SELECT id FROM aggregation_jobs
          WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND upper(client_timestamp_interval) < ?
          LIMIT ?)
      """;

  private final Tx tx;

  AggregationJobsTable(Tx tx) {
    this.tx = tx;
  }

  /**
   * Stores a new job.
   *
   * @return true if stored; false if the task already has a job with this ID or the task is unknown
   */
  public boolean put(AggregationJob job) {
    try (PreparedStatement ps = tx.prepare(PUT)) {
      ps.setBytes(1, job.id().bytes());
      ps.setBytes(2, job.aggregationParameter());
      Sql.setBytes(ps, 3, job.batchId().map(BatchId::bytes));
      ps.setString(4, Sql.range(job.clientTimestampInterval()));
      ps.setString(5, job.state().dbText());
      ps.setInt(6, job.step());
      Sql.setBytes(ps, 7, job.lastRequestHash());
      ps.setString(8, job.helperLocation().map(URI::toString).orElse(null));
      ps.setString(9, tx.name());
      ps.setBytes(10, job.taskId().bytes());
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw tx.fail("AggregationJobsTable.put", e);
    }
  }

  /** The job with this ID in this task. */
  public Optional<AggregationJob> get(TaskId taskId, AggregationJobId jobId) {
    try (PreparedStatement ps = tx.prepare(GET)) {
      ps.setBytes(1, taskId.bytes());
      ps.setBytes(2, jobId.bytes());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(job(taskId, rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw tx.fail("AggregationJobsTable.get", e);
    }
  }

  /** Every job of a task, ordered by the start of their client timestamp intervals. */
  public List<AggregationJob> listForTask(TaskId taskId) {
    List<AggregationJob> out = new ArrayList<>();
    try (PreparedStatement ps = tx.prepare(LIST_FOR_TASK)) {
      ps.setBytes(1, taskId.bytes());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(job(taskId, rs));
        }
      }
    } catch (SQLException e) {
      throw tx.fail("AggregationJobsTable.listForTask", e);
    }
    return out;
  }

  /**
   * Writes a job's mutable fields (state, step, last request hash, client timestamp interval, Helper location)
   * without a lease: for the Helper, whose jobs are driven by the Leader's requests.
   *
   * @return true if the job exists
   */
  public boolean update(AggregationJob job) {
    try (PreparedStatement ps = tx.prepare(UPDATE)) {
      bindUpdate(ps, job);
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw tx.fail("AggregationJobsTable.update", e);
    }
  }

  /**
   * Writes a job's mutable fields through the caller's lease.
   *
   * @throws LeaseLostException if the job no longer carries this lease
   */
  public void update(AggregationJob job, Lease<AcquiredAggregationJob> lease) {
    LEASES.checkFits(lease, job.taskId(), job.id());
    try (PreparedStatement ps = tx.prepare(UPDATE_LEASED)) {
      JobLeases.bindGuard(ps, bindUpdate(ps, job), lease);
      LEASES.requireHeld(ps.executeUpdate(), lease);
    } catch (SQLException e) {
      throw tx.fail("AggregationJobsTable.update", e);
    }
  }

  /**
   * Marks a job deleted (the Helper's answer to the Leader's DELETE).
   *
   * @return true if the job exists
   */
  public boolean delete(TaskId taskId, AggregationJobId jobId) {
    try (PreparedStatement ps = tx.prepare(DELETE)) {
      ps.setString(1, tx.name());
      ps.setBytes(2, taskId.bytes());
      ps.setBytes(3, jobId.bytes());
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw tx.fail("AggregationJobsTable.delete", e);
    }
  }

  /**
   * Leases up to {@code maxCount} of the Leader's in-progress jobs whose lease has expired, skipping rows other
   * transactions hold, so concurrent drivers never get the same job. Each lease gets a fresh random token and
   * increments the job's attempt count; jobs whose reports are all past the task's report expiry age are skipped.
   *
   * @param leaseDuration how long the lease lasts from the clock's now
   * @param maxCount the most jobs to lease
   */
  public List<Lease<AcquiredAggregationJob>> acquireIncomplete(Duration leaseDuration, int maxCount) {
    return LEASES.acquire(tx, leaseDuration, maxCount);
  }

  /**
   * Gives up a lease: the job may be leased again after {@code reacquireDelay} (zero: at once), and its attempt
   * count restarts.
   *
   * @throws LeaseLostException if the job no longer carries this lease
   */
  public void release(Lease<AcquiredAggregationJob> lease, Duration reacquireDelay) {
    LEASES.release(tx, lease, reacquireDelay);
  }

  /**
   * Gives up a lease after a failed step: the job may be leased again after {@code reacquireDelay} (zero: at once),
   * and its attempt count is kept, so that a job failing on every lease is still abandoned after
   * {@code maximum_attempts_before_failure} leases.
   *
   * @throws LeaseLostException if the job no longer carries this lease
   * @throws IllegalArgumentException if {@code reacquireDelay} is negative
   */
  public void releaseKeepingAttempts(Lease<AcquiredAggregationJob> lease, Duration reacquireDelay) {
    LEASES.releaseKeepingAttempts(tx, lease, reacquireDelay);
  }

  /**
   * Garbage collection: deletes up to {@code limit} jobs of a task (with their report aggregations) whose every
   * report is older than {@code threshold}.
   *
   * @return how many jobs were deleted
   */
  public int deleteExpired(TaskId taskId, Time threshold, int limit) {
    return ExpiredRows.delete(tx, "AggregationJobsTable.deleteExpired", DELETE_EXPIRED, taskId, threshold, limit);
  }

  /** Binds the eight parameters UPDATE and UPDATE_LEASED share; returns the next free index. */
  private int bindUpdate(PreparedStatement ps, AggregationJob job) throws SQLException {
    ps.setString(1, job.state().dbText());
    ps.setInt(2, job.step());
    Sql.setBytes(ps, 3, job.lastRequestHash());
    ps.setString(4, Sql.range(job.clientTimestampInterval()));
    ps.setString(5, job.helperLocation().map(URI::toString).orElse(null));
    ps.setString(6, tx.name());
    ps.setBytes(7, job.taskId().bytes());
    ps.setBytes(8, job.id().bytes());
    return 9;
  }

  private static AggregationJob job(TaskId taskId, ResultSet rs) throws SQLException {
    return new AggregationJob(
        taskId,
        new AggregationJobId(rs.getBytes("aggregation_job_id")),
        Sql.bytes(rs, "aggregation_param"),
        Sql.optionalBytes(rs, "batch_id").map(BatchId::new),
        Sql.interval(rs, "client_timestamp_interval"),
        DbEnum.fromDbText(AggregationJobState.class, rs.getString("state")),
        rs.getInt("step"),
        Sql.optionalBytes(rs, "last_request_hash"),
        Optional.ofNullable(rs.getString("helper_location")).map(URI::create));
  }
}
