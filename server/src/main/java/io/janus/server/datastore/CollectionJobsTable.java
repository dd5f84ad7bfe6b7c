package io.janus.server.datastore;

import io.janus.server.datastore.model.AcquiredCollectionJob;
import io.janus.server.datastore.model.BatchIdentifier;
import io.janus.server.datastore.model.CollectionJob;
import io.janus.server.datastore.model.CollectionJobState;
import io.janus.server.datastore.model.CollectionQueryKind;
import io.janus.server.datastore.model.DbEnum;
import io.janus.server.datastore.model.Lease;
import io.janus.core.task.VdafInstance;
import io.janus.messages.CollectionJobId;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.Interval;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code collection_jobs} table (Leader). Jobs in state START or COLLECTING are handed to collection job drivers by lease;
 * every write through a lease is refused with {@link LeaseLostException} once the row carries another lease.
 */
public final class CollectionJobsTable {
  private static final String COLUMNS = """
      collection_job_id, query_kind, aggregation_param, batch_identifier, state, report_count,
      client_timestamp_interval::text AS client_timestamp_interval, leader_aggregate_share, helper_aggregate_share,
      leader_checksum, failure_type, failure_detail
      """;

  private static final String PUT = """
      -- CollectionJobsTable.put
      INSERT INTO collection_jobs (task_id, collection_job_id, query_kind, aggregation_param, batch_identifier,
          batch_interval, state, report_count, client_timestamp_interval, leader_aggregate_share,
          helper_aggregate_share, leader_checksum, failure_type, failure_detail, updated_by)
      SELECT id, ?, ?, ?, ?, ?::int8range, ?, ?, ?::int8range, ?, ?, ?, ?, ?, ? FROM tasks WHERE task_id = ?
      ON CONFLICT (task_id, collection_job_id) DO NOTHING
      """;

  private static final String GET = "-- CollectionJobsTable.get\nSELECT " + COLUMNS + """
      FROM collection_jobs
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND collection_job_id = ?
      """;

  private static final String NEXT_ATTEMPT = """
      -- CollectionJobsTable.nextAttempt
      SELECT (extract(epoch FROM lease_expiry) * 1000)::bigint FROM collection_jobs
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND collection_job_id = ?
          AND lease_token IS NULL AND lease_expiry > ?
      """;

  private static final String LIST_FOR_TASK = "-- CollectionJobsTable.listForTask\nSELECT " + COLUMNS + """
      FROM collection_jobs
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?)
      ORDER BY created_at, collection_job_id
      """;

  private static final String GET_FOR_BATCH = "-- CollectionJobsTable.getForBatch\nSELECT " + COLUMNS + """
      FROM collection_jobs
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND batch_identifier = ? AND aggregation_param = ?
      ORDER BY created_at, collection_job_id
      """;

  private static final String COUNT_PARAMS = """
      -- CollectionJobsTable.countAggregationParameters
      SELECT count(DISTINCT aggregation_param) FROM collection_jobs
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND batch_identifier = ? AND state <> 'ABANDONED'
      """;

  private static final String FIND_OVERLAPPING = "-- CollectionJobsTable.findOverlapping\nSELECT " + COLUMNS + """
      FROM collection_jobs
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND batch_interval && ?::int8range
        AND state <> 'ABANDONED'
      ORDER BY lower(batch_interval), collection_job_id
      """;

  // A frozen Leader aggregate is never cleared: a job that fails or is abandoned after freezing keeps it, so its
  // batch still counts as one whose collection has begun (see COVERING).
  private static final String UPDATE_LEASED = """
      -- CollectionJobsTable.update
      UPDATE collection_jobs
      SET state = ?, report_count = coalesce(?, report_count),
          client_timestamp_interval = coalesce(?::int8range, client_timestamp_interval),
          leader_aggregate_share = coalesce(?, leader_aggregate_share),
          helper_aggregate_share = coalesce(?, helper_aggregate_share),
          leader_checksum = coalesce(?, leader_checksum), failure_type = ?, failure_detail = ?,
          updated_at = now(), updated_by = ?
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND collection_job_id = ?
        AND state IN ('START', 'COLLECTING')
      """ + "  AND " + JobLeases.GUARD + "\n";

  private static final String INCREMENT_STEP_ATTEMPTS = """
      -- CollectionJobsTable.incrementStepAttempts
      UPDATE collection_jobs SET step_attempts = step_attempts + 1, updated_at = now(), updated_by = ?
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND collection_job_id = ?
      """ + "  AND " + JobLeases.GUARD + "\nRETURNING step_attempts\n";

  // Time-interval jobs whose batch overlaps an interval and whose collection has begun (the Leader's aggregate is
  // frozen, whatever the job's state since) or may still begin (START).
  private static final String COVERING = """
      -- CollectionJobsTable.covering
      SELECT collection_job_id, batch_interval::text AS batch_interval, report_count IS NOT NULL AS frozen
      FROM collection_jobs
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND batch_interval && ?::int8range
        AND (report_count IS NOT NULL OR state = 'START')
      ORDER BY collection_job_id
      """;

  // Abandoned jobs whose aggregate never froze left their batch open; every other job holds it.
  private static final String REQUESTED_AT = """
      -- CollectionJobsTable.anyRequestedAt
      SELECT EXISTS (SELECT 1 FROM collection_jobs
                     WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND batch_interval @> ?::bigint
                       AND (state <> 'ABANDONED' OR report_count IS NOT NULL))
      """;

  private static final String ANY_FINISHED_FOR_BATCH = """
      -- CollectionJobsTable.anyFinishedForBatch
      SELECT EXISTS (SELECT 1 FROM collection_jobs
                     WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND batch_identifier = ?
                       AND helper_aggregate_share IS NOT NULL)
      """;

  private static final String TOUCH = """
      -- CollectionJobsTable.touch
      UPDATE collection_jobs SET updated_at = now(), updated_by = ?
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND collection_job_id = ?
      """;

  private static final String DELETE = """
      -- CollectionJobsTable.delete
      UPDATE collection_jobs SET state = 'DELETED', updated_at = now(), updated_by = ?
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND collection_job_id = ?
      """;

  private static final JobLeases<AcquiredCollectionJob> LEASES = new JobLeases<>(
      "CollectionJobsTable", "collection_jobs", "collection_job_id", "collection job",
      "collection_jobs.state IN ('START', 'COLLECTING')",
      JobLeases.ConditionBinder.none(),
      ", collection_jobs.step_attempts",
      rs -> new AcquiredCollectionJob(
          new TaskId(rs.getBytes("task_id")),
          new CollectionJobId(rs.getBytes("collection_job_id")),
          Sql.queryType(rs),
          VdafInstance.fromJson(rs.getString("vdaf")),
          rs.getLong("step_attempts")),
      AcquiredCollectionJob::taskId,
      AcquiredCollectionJob::jobId);

  private static final String DELETE_EXPIRED = """
      -- CollectionJobsTable.deleteExpired
      DELETE FROM collection_jobs WHERE id IN (
          SELECT id FROM collection_jobs
          WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?)
            AND coalesce(upper(batch_interval), upper(client_timestamp_interval)) < ?
          LIMIT ?)
      """;

  private final Tx tx;

  CollectionJobsTable(Tx tx) {
    this.tx = tx;
  }

  /**
   * Stores a new collection job.
   *
   * @return true if stored; false if the task already has a job with this ID or the task is unknown
   */
  public boolean put(CollectionJob job) {
    try (PreparedStatement ps = tx.prepare(PUT)) {
      int i = 1;
      ps.setBytes(i++, job.id().bytes());
      ps.setString(i++, job.queryKind().dbText());
      ps.setBytes(i++, job.aggregationParameter());
      ps.setBytes(i++, job.batchIdentifier().toBytes());
      Sql.setString(ps, i++, job.batchIdentifier().interval().map(Sql::range));
      i = bindState(ps, i, job.state());
      ps.setString(i++, tx.name());
      ps.setBytes(i, job.taskId().bytes());
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw tx.fail("CollectionJobsTable.put", e);
    }
  }

  /** The collection job with this ID in this task. */
  public Optional<CollectionJob> get(TaskId taskId, CollectionJobId jobId) {
    try (PreparedStatement ps = tx.prepare(GET)) {
      ps.setBytes(1, taskId.bytes());
      ps.setBytes(2, jobId.bytes());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(job(taskId, rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw tx.fail("CollectionJobsTable.get", e);
    }
  }

  /**
   * When a driver will next take up this job, in epoch milliseconds: known only while the job waits out the
   * backoff after a failed attempt (it is not leased and its lease expiry, which the release set, lies ahead).
   * Empty when it is being worked on or due now.
   */
  public java.util.OptionalLong nextAttemptMillis(TaskId taskId, CollectionJobId jobId) {
    try (PreparedStatement ps = tx.prepare(NEXT_ATTEMPT)) {
      ps.setBytes(1, taskId.bytes());
      ps.setBytes(2, jobId.bytes());
      // Leases are stamped with the transaction's clock, so "ahead" is measured by it too.
      ps.setObject(3, Sql.timestamp(java.time.Instant.ofEpochMilli(tx.clock().nowMillis())));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? java.util.OptionalLong.of(rs.getLong(1)) : java.util.OptionalLong.empty();
      }
    } catch (SQLException e) {
      throw tx.fail("CollectionJobsTable.nextAttempt", e);
    }
  }

  /** Every collection job of a task, oldest first. */
  public List<CollectionJob> listForTask(TaskId taskId) {
    List<CollectionJob> out = new ArrayList<>();
    try (PreparedStatement ps = tx.prepare(LIST_FOR_TASK)) {
      ps.setBytes(1, taskId.bytes());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(job(taskId, rs));
        }
      }
    } catch (SQLException e) {
      throw tx.fail("CollectionJobsTable.listForTask", e);
    }
    return out;
  }

  /** Every collection job for this batch and aggregation parameter, oldest first. */
  public List<CollectionJob> getForBatch(TaskId taskId, BatchIdentifier batch, byte[] aggregationParameter) {
    List<CollectionJob> out = new ArrayList<>();
    try (PreparedStatement ps = tx.prepare(GET_FOR_BATCH)) {
      ps.setBytes(1, taskId.bytes());
      ps.setBytes(2, batch.toBytes());
      ps.setBytes(3, aggregationParameter);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(job(taskId, rs));
        }
      }
    } catch (SQLException e) {
      throw tx.fail("CollectionJobsTable.getForBatch", e);
    }
    return out;
  }

  /**
   * How many distinct aggregation parameters this batch was queried with, for the Leader's
   * {@code max_batch_query_count} check (draft-ietf-ppm-dap-09 section 4.6.5). Jobs in every state but ABANDONED
   * count, deleted ones included: their result may already have reached the Collector. This matches
   * {@link #findOverlapping}.
   */
  public long countAggregationParameters(TaskId taskId, BatchIdentifier batch) {
    try (PreparedStatement ps = tx.prepare(COUNT_PARAMS)) {
      ps.setBytes(1, taskId.bytes());
      ps.setBytes(2, batch.toBytes());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw tx.fail("CollectionJobsTable.countAggregationParameters", e);
    }
  }

  /**
   * The time-interval collection jobs (any aggregation parameter, not abandoned) whose batch interval shares an
   * instant with {@code interval}: the batches that a new query overlaps.
   */
  public List<CollectionJob> findOverlapping(TaskId taskId, Interval interval) {
    List<CollectionJob> out = new ArrayList<>();
    try (PreparedStatement ps = tx.prepare(FIND_OVERLAPPING)) {
      ps.setBytes(1, taskId.bytes());
      ps.setString(2, Sql.range(interval));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(job(taskId, rs));
        }
      }
    } catch (SQLException e) {
      throw tx.fail("CollectionJobsTable.findOverlapping", e);
    }
    return out;
  }

  /**
   * A time-interval collection job's hold on the batches it covers.
   *
   * @param jobId the job
   * @param batchInterval its batch interval
   * @param frozen true once the Leader's aggregate is frozen: no report in the interval may be aggregated any more
   */
  public record Coverage(CollectionJobId jobId, Interval batchInterval, boolean frozen) {
    /** True if {@code time} falls in the batch interval. */
    public boolean covers(Time time) {
      return batchInterval.contains(time);
    }
  }

  /**
   * The time-interval collection jobs whose batch interval overlaps {@code interval} and whose collection has
   * begun (frozen) or may still begin (START, not frozen). The aggregation job creator drops reports that a frozen
   * job covers, and {@link #touch touches} the unfrozen ones so that it and the job's freezing transaction cannot
   * both commit unaware of each other.
   */
  public List<Coverage> covering(TaskId taskId, Interval interval) {
    List<Coverage> out = new ArrayList<>();
    try (PreparedStatement ps = tx.prepare(COVERING)) {
      ps.setBytes(1, taskId.bytes());
      ps.setString(2, Sql.range(interval));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Coverage(new CollectionJobId(rs.getBytes("collection_job_id")),
              Sql.interval(rs, "batch_interval"), rs.getBoolean("frozen")));
        }
      }
    } catch (SQLException e) {
      throw tx.fail("CollectionJobsTable.covering", e);
    }
    return out;
  }

  /**
   * True if a time-interval collection job of the task covers {@code time} and holds its batch: any job but one
   * abandoned before its aggregate froze. The Leader rejects uploads into such a batch (draft 09 section 4.4.2).
   */
  public boolean anyRequestedAt(TaskId taskId, Time time) {
    try (PreparedStatement ps = tx.prepare(REQUESTED_AT)) {
      ps.setBytes(1, taskId.bytes());
      ps.setLong(2, time.seconds());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    } catch (SQLException e) {
      throw tx.fail("CollectionJobsTable.anyRequestedAt", e);
    }
  }

  /**
   * True if a collection job of the task for this batch (any aggregation parameter) finished: the Leader has
   * returned the batch to the Collector, which may now query it by ID (draft 09 section 4.6.5.2.1). Deleted jobs
   * that finished first count.
   */
  public boolean anyFinishedForBatch(TaskId taskId, BatchIdentifier batch) {
    try (PreparedStatement ps = tx.prepare(ANY_FINISHED_FOR_BATCH)) {
      ps.setBytes(1, taskId.bytes());
      ps.setBytes(2, batch.toBytes());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    } catch (SQLException e) {
      throw tx.fail("CollectionJobsTable.anyFinishedForBatch", e);
    }
  }

  /**
   * Writes the job's row without changing what it holds. Under REPEATABLE READ two transactions that write the same
   * row cannot both commit, so a transaction that touches a job is ordered before or after any transaction that
   * changes it (PostgreSQL fails the later one with a serialization error and {@link Datastore#run} reruns it).
   */
  public void touch(TaskId taskId, CollectionJobId jobId) {
    try (PreparedStatement ps = tx.prepare(TOUCH)) {
      ps.setString(1, tx.name());
      ps.setBytes(2, taskId.bytes());
      ps.setBytes(3, jobId.bytes());
      ps.executeUpdate();
    } catch (SQLException e) {
      throw tx.fail("CollectionJobsTable.touch", e);
    }
  }

  /**
   * Writes a job's state (and its frozen aggregate or result) through the caller's lease. Only a job in START or
   * COLLECTING can be written this way; a frozen aggregate, once written, is kept by every later state.
   *
   * @throws LeaseLostException if the job no longer carries this lease, or was deleted meanwhile
   */
  public void update(CollectionJob job, Lease<AcquiredCollectionJob> lease) {
    LEASES.checkFits(lease, job.taskId(), job.id());
    try (PreparedStatement ps = tx.prepare(UPDATE_LEASED)) {
      int i = bindState(ps, 1, job.state());
      ps.setString(i++, tx.name());
      ps.setBytes(i++, job.taskId().bytes());
      ps.setBytes(i++, job.id().bytes());
      JobLeases.bindGuard(ps, i, lease);
      LEASES.requireHeld(ps.executeUpdate(), lease);
    } catch (SQLException e) {
      throw tx.fail("CollectionJobsTable.update", e);
    }
  }

  /**
   * Counts one more attempt at stepping the job, through the caller's lease.
   *
   * @return the new attempt count
   * @throws LeaseLostException if the job no longer carries this lease
   */
  public long incrementStepAttempts(Lease<AcquiredCollectionJob> lease) {
    try (PreparedStatement ps = tx.prepare(INCREMENT_STEP_ATTEMPTS)) {
      ps.setString(1, tx.name());
      ps.setBytes(2, lease.leased().taskId().bytes());
      ps.setBytes(3, lease.leased().jobId().bytes());
      JobLeases.bindGuard(ps, 4, lease);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw LEASES.lost(lease);
        }
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw tx.fail("CollectionJobsTable.incrementStepAttempts", e);
    }
  }

  /**
   * Marks a job deleted at the collector's request. No lease is needed: the collector outranks the driver, whose
   * later leased {@link #update} is then refused. The batch still counts as collected.
   *
   * @return true if the job exists
   */
  public boolean delete(TaskId taskId, CollectionJobId jobId) {
    try (PreparedStatement ps = tx.prepare(DELETE)) {
      ps.setString(1, tx.name());
      ps.setBytes(2, taskId.bytes());
      ps.setBytes(3, jobId.bytes());
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw tx.fail("CollectionJobsTable.delete", e);
    }
  }

  /**
   * Leases up to {@code maxCount} START or COLLECTING jobs whose lease has expired, skipping rows other transactions hold, so
   * concurrent drivers never get the same job. Each lease gets a fresh random token and increments the attempts.
   *
   * @param leaseDuration how long the lease lasts from the clock's now
   * @param maxCount the most jobs to lease
   */
  public List<Lease<AcquiredCollectionJob>> acquireIncomplete(Duration leaseDuration, int maxCount) {
    return LEASES.acquire(tx, leaseDuration, maxCount);
  }

  /**
   * Gives up a lease: the job may be leased again after {@code reacquireDelay} (zero: at once), and its lease
   * attempt count restarts.
   *
   * @throws LeaseLostException if the job no longer carries this lease
   */
  public void release(Lease<AcquiredCollectionJob> lease, Duration reacquireDelay) {
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
  public void releaseKeepingAttempts(Lease<AcquiredCollectionJob> lease, Duration reacquireDelay) {
    LEASES.releaseKeepingAttempts(tx, lease, reacquireDelay);
  }

  /**
   * Garbage collection: deletes up to {@code limit} jobs of a task whose batch interval (time-interval tasks) or
   * client timestamp interval (fixed-size tasks, once finished) ends before {@code threshold}.
   *
   * @return how many were deleted
   */
  public int deleteExpired(TaskId taskId, Time threshold, int limit) {
    return ExpiredRows.delete(tx, "CollectionJobsTable.deleteExpired", DELETE_EXPIRED, taskId, threshold, limit);
  }

  /**
   * Binds state, report_count, client_timestamp_interval, leader and helper shares, leader checksum, failure type
   * and failure detail; returns the next index.
   */
  private static int bindState(PreparedStatement ps, int i, CollectionJobState state) throws SQLException {
    ps.setString(i++, state.dbText());
    switch (state) {
      case CollectionJobState.Finished f -> {
        ps.setLong(i++, f.reportCount());
        ps.setString(i++, Sql.range(f.clientTimestampInterval()));
        ps.setBytes(i++, f.leaderAggregateShare());
        ps.setBytes(i++, f.helperEncryptedAggregateShare().toBytes());
      }
      case CollectionJobState.Collecting c -> {
        ps.setLong(i++, c.reportCount());
        ps.setString(i++, Sql.range(c.clientTimestampInterval()));
        ps.setBytes(i++, c.leaderAggregateShare());
        Sql.setBytes(ps, i++, Optional.empty());
      }
      default -> {
        Sql.setLong(ps, i++, Optional.empty());
        Sql.setString(ps, i++, Optional.empty());
        Sql.setBytes(ps, i++, Optional.empty());
        Sql.setBytes(ps, i++, Optional.empty());
      }
    }
    Sql.setBytes(ps, i++, state instanceof CollectionJobState.Collecting c ? Optional.of(c.checksum())
        : Optional.empty());
    Sql.setString(ps, i++, state instanceof CollectionJobState.Failed f ? Optional.of(f.problemType())
        : Optional.empty());
    Sql.setString(ps, i++, switch (state) {
      case CollectionJobState.Failed f -> Optional.of(f.detail());
      case CollectionJobState.Abandoned a -> Optional.of(a.reason());
      default -> Optional.empty();
    });
    return i;
  }

  private static CollectionJob job(TaskId taskId, ResultSet rs) throws SQLException {
    String stateText = rs.getString("state");
    CollectionJobState state = switch (stateText) {
      case "START" -> new CollectionJobState.Start();
      case "FINISHED" -> new CollectionJobState.Finished(
          rs.getLong("report_count"),
          Sql.interval(rs, "client_timestamp_interval"),
          Sql.bytes(rs, "leader_aggregate_share"),
          HpkeCiphertext.decode(Sql.bytes(rs, "helper_aggregate_share")));
      case "COLLECTING" -> new CollectionJobState.Collecting(
          rs.getLong("report_count"),
          Sql.interval(rs, "client_timestamp_interval"),
          Sql.bytes(rs, "leader_aggregate_share"),
          Sql.bytes(rs, "leader_checksum"));
      case "FAILED" -> new CollectionJobState.Failed(rs.getString("failure_type"),
          Optional.ofNullable(rs.getString("failure_detail")).orElse(""));
      case "ABANDONED" -> new CollectionJobState.Abandoned(
          Optional.ofNullable(rs.getString("failure_detail")).orElse(""));
      case "DELETED" -> new CollectionJobState.Deleted();
      default -> throw new DatastoreException("unknown collection job state " + stateText);
    };
    return new CollectionJob(
        taskId,
        new CollectionJobId(rs.getBytes("collection_job_id")),
        DbEnum.fromDbText(CollectionQueryKind.class, rs.getString("query_kind")),
        Sql.bytes(rs, "aggregation_param"),
        BatchIdentifier.fromBytes(rs.getBytes("batch_identifier")),
        state);
  }
}
