package io.janus.core.datastore;

import io.janus.core.datastore.model.AcquiredCollectionJob;
import io.janus.core.datastore.model.BatchIdentifier;
import io.janus.core.datastore.model.CollectionJob;
import io.janus.core.datastore.model.CollectionJobState;
import io.janus.core.datastore.model.CollectionQueryKind;
import io.janus.core.datastore.model.DbEnum;
import io.janus.core.datastore.model.Lease;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code collection_jobs} table (Leader). Jobs in state START are handed to collection job drivers by lease;
 * every write through a lease is refused with {@link LeaseLostException} once the row carries another lease.
 */
public final class CollectionJobsTable {
  private static final String COLUMNS = """
      collection_job_id, query_kind, aggregation_param, batch_identifier, state, report_count,
      client_timestamp_interval::text AS client_timestamp_interval, leader_aggregate_share, helper_aggregate_share
      """;

  private static final String PUT = """
      -- CollectionJobsTable.put
      INSERT INTO collection_jobs (task_id, collection_job_id, query_kind, aggregation_param, batch_identifier,
          batch_interval, state, report_count, client_timestamp_interval, leader_aggregate_share,
          helper_aggregate_share, updated_by)
      SELECT id, ?, ?, ?, ?, ?::int8range, ?, ?, ?::int8range, ?, ?, ? FROM tasks WHERE task_id = ?
      ON CONFLICT (task_id, collection_job_id) DO NOTHING
      """;

  private static final String GET = "-- CollectionJobsTable.get\nSELECT " + COLUMNS + """
      FROM collection_jobs
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND collection_job_id = ?
      """;

  private static final String GET_FOR_BATCH = "-- CollectionJobsTable.getForBatch\nSELECT " + COLUMNS + """
      FROM collection_jobs
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND batch_identifier = ? AND aggregation_param = ?
      ORDER BY created_at, collection_job_id
      """;

  private static final String FIND_OVERLAPPING = "-- CollectionJobsTable.findOverlapping\nSELECT " + COLUMNS + """
      FROM collection_jobs
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND batch_interval && ?::int8range
        AND state <> 'ABANDONED'
      ORDER BY lower(batch_interval), collection_job_id
      """;

  private static final String UPDATE_LEASED = """
      -- CollectionJobsTable.update
      UPDATE collection_jobs
      SET state = ?, report_count = ?, client_timestamp_interval = ?::int8range, leader_aggregate_share = ?,
          helper_aggregate_share = ?, updated_at = now(), updated_by = ?
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND collection_job_id = ?
        AND lease_expiry = ? AND lease_token = ? AND state = 'START'
      """;

  private static final String INCREMENT_STEP_ATTEMPTS = """
      -- CollectionJobsTable.incrementStepAttempts
      UPDATE collection_jobs SET step_attempts = step_attempts + 1, updated_at = now(), updated_by = ?
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND collection_job_id = ?
        AND lease_expiry = ? AND lease_token = ?
      RETURNING step_attempts
      """;

  private static final String DELETE = """
      -- CollectionJobsTable.delete
      UPDATE collection_jobs SET state = 'DELETED', updated_at = now(), updated_by = ?
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND collection_job_id = ?
      """;

  private static final String ACQUIRE_INCOMPLETE = """
      -- CollectionJobsTable.acquireIncomplete
      WITH incomplete AS (
          SELECT collection_jobs.id FROM collection_jobs JOIN tasks ON tasks.id = collection_jobs.task_id
          WHERE tasks.aggregator_role = 'LEADER'
            AND collection_jobs.state = 'START'
            AND collection_jobs.lease_expiry <= ?
          ORDER BY collection_jobs.lease_expiry, collection_jobs.id
          LIMIT ?
          FOR UPDATE OF collection_jobs SKIP LOCKED)
      UPDATE collection_jobs
      SET lease_expiry = ?, lease_token = uuid_send(gen_random_uuid()), lease_attempts = lease_attempts + 1,
          updated_at = now(), updated_by = ?
      FROM incomplete, tasks
      WHERE collection_jobs.id = incomplete.id AND tasks.id = collection_jobs.task_id
      RETURNING tasks.task_id, tasks.query_type, tasks.max_batch_size, tasks.batch_time_window_size,
          tasks.vdaf::text AS vdaf, collection_jobs.collection_job_id, collection_jobs.lease_token,
          collection_jobs.lease_attempts, collection_jobs.step_attempts
      """;

  private static final String RELEASE = """
      -- CollectionJobsTable.release
      UPDATE collection_jobs
      SET lease_expiry = ?, lease_token = NULL, lease_attempts = 0, updated_at = now(), updated_by = ?
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND collection_job_id = ?
        AND lease_expiry = ? AND lease_token = ?
      """;

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
   * Writes a job's state (and result, when finished) through the caller's lease. Only a job still in START can
   * be written this way.
   *
   * @throws LeaseLostException if the job no longer carries this lease, or was deleted meanwhile
   */
  public void update(CollectionJob job, Lease<AcquiredCollectionJob> lease) {
    if (!lease.leased().taskId().equals(job.taskId()) || !lease.leased().jobId().equals(job.id())) {
      throw new IllegalArgumentException("the lease is for another job: " + lease.leased().jobId());
    }
    try (PreparedStatement ps = tx.prepare(UPDATE_LEASED)) {
      int i = bindState(ps, 1, job.state());
      ps.setString(i++, tx.name());
      ps.setBytes(i++, job.taskId().bytes());
      ps.setBytes(i++, job.id().bytes());
      ps.setObject(i++, Sql.timestamp(lease.expiry()));
      ps.setBytes(i, lease.token());
      if (ps.executeUpdate() == 0) {
        throw new LeaseLostException("collection job " + job.id());
      }
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
      ps.setObject(4, Sql.timestamp(lease.expiry()));
      ps.setBytes(5, lease.token());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new LeaseLostException("collection job " + lease.leased().jobId());
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
   * Leases up to {@code maxCount} START jobs whose lease has expired, skipping rows other transactions hold, so
   * concurrent drivers never get the same job. Each lease gets a fresh random token and increments the attempts.
   *
   * @param leaseDuration how long the lease lasts from the clock's now
   * @param maxCount the most jobs to lease
   */
  public List<Lease<AcquiredCollectionJob>> acquireIncomplete(Duration leaseDuration, int maxCount) {
    Instant now = Instant.ofEpochMilli(tx.clock().nowMillis());
    Instant expiry = now.plus(leaseDuration);
    List<Lease<AcquiredCollectionJob>> out = new ArrayList<>();
    try (PreparedStatement ps = tx.prepare(ACQUIRE_INCOMPLETE)) {
      ps.setObject(1, Sql.timestamp(now));
      ps.setInt(2, maxCount);
      ps.setObject(3, Sql.timestamp(expiry));
      ps.setString(4, tx.name());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          AcquiredCollectionJob job = new AcquiredCollectionJob(
              new TaskId(rs.getBytes("task_id")),
              new CollectionJobId(rs.getBytes("collection_job_id")),
              Sql.queryType(rs),
              VdafInstance.fromJson(rs.getString("vdaf")),
              rs.getLong("step_attempts"));
          out.add(new Lease<>(job, expiry, rs.getBytes("lease_token"), rs.getLong("lease_attempts")));
        }
      }
    } catch (SQLException e) {
      throw tx.fail("CollectionJobsTable.acquireIncomplete", e);
    }
    return out;
  }

  /**
   * Gives up a lease: the job may be leased again after {@code reacquireDelay} (zero: at once), and its lease
   * attempt count restarts.
   *
   * @throws LeaseLostException if the job no longer carries this lease
   */
  public void release(Lease<AcquiredCollectionJob> lease, Duration reacquireDelay) {
    Instant next = Instant.ofEpochMilli(tx.clock().nowMillis()).plus(reacquireDelay);
    try (PreparedStatement ps = tx.prepare(RELEASE)) {
      ps.setObject(1, Sql.timestamp(next));
      ps.setString(2, tx.name());
      ps.setBytes(3, lease.leased().taskId().bytes());
      ps.setBytes(4, lease.leased().jobId().bytes());
      ps.setObject(5, Sql.timestamp(lease.expiry()));
      ps.setBytes(6, lease.token());
      if (ps.executeUpdate() == 0) {
        throw new LeaseLostException("collection job " + lease.leased().jobId());
      }
    } catch (SQLException e) {
      throw tx.fail("CollectionJobsTable.release", e);
    }
  }

  /**
   * Garbage collection: deletes up to {@code limit} jobs of a task whose batch interval (time-interval tasks) or
   * client timestamp interval (fixed-size tasks, once finished) ends before {@code threshold}.
   *
   * @return how many were deleted
   */
  public int deleteExpired(TaskId taskId, Time threshold, int limit) {
    try (PreparedStatement ps = tx.prepare(DELETE_EXPIRED)) {
      ps.setBytes(1, taskId.bytes());
      ps.setLong(2, threshold.seconds());
      ps.setInt(3, limit);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw tx.fail("CollectionJobsTable.deleteExpired", e);
    }
  }

  /** Binds state, report_count, client_timestamp_interval, leader and helper shares; returns the next index. */
  private static int bindState(PreparedStatement ps, int i, CollectionJobState state) throws SQLException {
    ps.setString(i++, state.dbText());
    if (state instanceof CollectionJobState.Finished f) {
      ps.setLong(i++, f.reportCount());
      ps.setString(i++, Sql.range(f.clientTimestampInterval()));
      ps.setBytes(i++, f.leaderAggregateShare());
      ps.setBytes(i++, f.helperEncryptedAggregateShare().toBytes());
    } else {
      Sql.setLong(ps, i++, Optional.empty());
      Sql.setString(ps, i++, Optional.empty());
      Sql.setBytes(ps, i++, Optional.empty());
      Sql.setBytes(ps, i++, Optional.empty());
    }
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
      case "ABANDONED" -> new CollectionJobState.Abandoned();
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
