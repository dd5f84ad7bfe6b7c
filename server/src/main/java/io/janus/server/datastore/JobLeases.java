package io.janus.server.datastore;

import io.janus.server.datastore.model.Lease;
import io.janus.messages.FixedId;
import io.janus.messages.TaskId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The lease mechanics shared by the Leader's job tables: leasing jobs whose lease has expired ({@code FOR UPDATE
 * ... SKIP LOCKED}, a fresh random token, one more attempt), giving a lease up (restarting or keeping the
 * attempt count), and guarding writes with the lease's expiry and token so that a worker whose lease was taken
 * over cannot write.
 *
 * <p>One immutable instance per job table, built once from the table's shape; it generates that table's acquire
 * and release statements (each still opening with {@code -- Table.method}) and takes the transaction per call.
 *
 * @param <J> what a lease carries: the job and the task facts its driver needs
 */
final class JobLeases<J> {
  /**
   * The condition that makes an {@code UPDATE} go through a lease, for a table's own guarded statements; its two
   * parameters are bound by {@link #bindGuard}.
   */
  static final String GUARD = "lease_expiry = ? AND lease_token = ?";

  /** Maps one row of the acquire statement's {@code RETURNING} list to what the lease carries. */
  @FunctionalInterface
  interface AcquiredRow<J> {
    /** Reads the current row. */
    J map(ResultSet rs) throws SQLException;
  }

  /** Binds the parameters of a table's extra acquire condition. */
  @FunctionalInterface
  interface ConditionBinder {
    /**
     * Binds from {@code index} on, given the clock's now in milliseconds.
     *
     * @return the next free parameter index
     */
    int bind(PreparedStatement ps, int index, long nowMillis) throws SQLException;

    /** A binder for a condition without parameters. */
    static ConditionBinder none() {
      return (ps, index, nowMillis) -> index;
    }
  }

  private final String owner;
  private final String noun;
  private final String acquireSql;
  private final String releaseSql;
  private final String releaseKeepingAttemptsSql;
  private final ConditionBinder conditionBinder;
  private final AcquiredRow<J> row;
  private final Function<J, TaskId> taskIdOf;
  private final Function<J, FixedId> jobIdOf;

  /**
   * Describes one job table.
   *
   * @param owner the table class's simple name, for SQL comments and errors (for example "CollectionJobsTable")
   * @param table the SQL table
   * @param idColumn the column holding the job ID within a task
   * @param noun what a row is, for {@link LeaseLostException} messages (for example "collection job")
   * @param condition SQL conditions, on {@code table} and {@code tasks}, that a job must meet to be leased
   *     besides an expired lease (its state, for one)
   * @param conditionBinder binds the parameters of {@code condition}
   * @param extraReturning more {@code RETURNING} columns for {@code row}, each starting with a comma, or empty
   * @param row reads a leased job from the {@code RETURNING} list
   * @param taskIdOf the task of a leased job
   * @param jobIdOf the ID of a leased job
   */
  JobLeases(String owner, String table, String idColumn, String noun, String condition,
      ConditionBinder conditionBinder, String extraReturning, AcquiredRow<J> row, Function<J, TaskId> taskIdOf,
      Function<J, FixedId> jobIdOf) {
    this.owner = owner;
    this.noun = noun;
    this.conditionBinder = conditionBinder;
    this.row = row;
    this.taskIdOf = taskIdOf;
    this.jobIdOf = jobIdOf;
    // Oldest expiry first so that no job starves; SKIP LOCKED so concurrent drivers never wait on one another.
    this.acquireSql = """
        -- %1$s.acquireIncomplete
        WITH incomplete AS (
            SELECT %2$s.id FROM %2$s JOIN tasks ON tasks.id = %2$s.task_id
            WHERE tasks.aggregator_role = 'LEADER'
              AND %2$s.lease_expiry <= ?
              AND %4$s
            ORDER BY %2$s.lease_expiry, %2$s.id
            LIMIT ?
            FOR UPDATE OF %2$s SKIP LOCKED)
        UPDATE %2$s
        SET lease_expiry = ?, lease_token = uuid_send(gen_random_uuid()), lease_attempts = lease_attempts + 1,
            updated_at = now(), updated_by = ?
        FROM incomplete, tasks
        WHERE %2$s.id = incomplete.id AND tasks.id = %2$s.task_id
        RETURNING tasks.task_id, tasks.query_type, tasks.max_batch_size, tasks.batch_time_window_size,
            tasks.vdaf::text AS vdaf, %2$s.%3$s, %2$s.lease_token, %2$s.lease_attempts%5$s
        """.formatted(owner, table, idColumn, condition, extraReturning);
    this.releaseSql = """
        -- %1$s.release
        UPDATE %2$s
        SET lease_expiry = ?, lease_token = NULL, lease_attempts = 0, updated_at = now(), updated_by = ?
        WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND %3$s = ?
          AND %4$s
        """.formatted(owner, table, idColumn, GUARD);
    this.releaseKeepingAttemptsSql = """
        -- %1$s.releaseKeepingAttempts
        UPDATE %2$s
        SET lease_expiry = ?, lease_token = NULL, updated_at = now(), updated_by = ?
        WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND %3$s = ?
          AND %4$s
        """.formatted(owner, table, idColumn, GUARD);
  }

  /**
   * Leases up to {@code maxCount} jobs whose lease has expired and that meet the table's condition.
   *
   * @param leaseDuration how long the leases last from the clock's now
   */
  List<Lease<J>> acquire(Tx tx, Duration leaseDuration, int maxCount) {
    long nowMillis = tx.clock().nowMillis();
    Instant now = Instant.ofEpochMilli(nowMillis);
    Instant expiry = now.plus(leaseDuration);
    List<Lease<J>> out = new ArrayList<>();
    try (PreparedStatement ps = tx.prepare(acquireSql)) {
      ps.setObject(1, Sql.timestamp(now));
      int i = conditionBinder.bind(ps, 2, nowMillis);
      ps.setInt(i++, maxCount);
      ps.setObject(i++, Sql.timestamp(expiry));
      ps.setString(i, tx.name());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Lease<>(row.map(rs), expiry, rs.getBytes("lease_token"), rs.getLong("lease_attempts")));
        }
      }
    } catch (SQLException e) {
      throw tx.fail(owner + ".acquireIncomplete", e);
    }
    return out;
  }

  /**
   * Gives up a lease: the job may be leased again after {@code reacquireDelay}, and its attempt count restarts.
   *
   * @throws LeaseLostException if the job no longer carries this lease
   * @throws IllegalArgumentException if {@code reacquireDelay} is negative
   */
  void release(Tx tx, Lease<J> lease, Duration reacquireDelay) {
    release(tx, lease, reacquireDelay, releaseSql, ".release");
  }

  /**
   * Gives up a lease after a failed step: the job may be leased again after {@code reacquireDelay}, and its
   * attempt count is kept, so the next acquisition counts one more attempt towards abandonment.
   *
   * @throws LeaseLostException if the job no longer carries this lease
   */
  void releaseKeepingAttempts(Tx tx, Lease<J> lease, Duration reacquireDelay) {
    release(tx, lease, reacquireDelay, releaseKeepingAttemptsSql, ".releaseKeepingAttempts");
  }

  private void release(Tx tx, Lease<J> lease, Duration reacquireDelay, String sql, String method) {
    if (reacquireDelay.isNegative()) {
      throw new IllegalArgumentException("negative reacquire delay: " + reacquireDelay);
    }
    Instant next = Instant.ofEpochMilli(tx.clock().nowMillis()).plus(reacquireDelay);
    try (PreparedStatement ps = tx.prepare(sql)) {
      ps.setObject(1, Sql.timestamp(next));
      ps.setString(2, tx.name());
      ps.setBytes(3, taskIdOf.apply(lease.leased()).bytes());
      ps.setBytes(4, jobIdOf.apply(lease.leased()).bytes());
      bindGuard(ps, 5, lease);
      requireHeld(ps.executeUpdate(), lease);
    } catch (SQLException e) {
      throw tx.fail(owner + method, e);
    }
  }

  /**
   * Binds the two parameters of {@link #GUARD} from {@code index} on.
   *
   * @return the next free parameter index
   */
  static int bindGuard(PreparedStatement ps, int index, Lease<?> lease) throws SQLException {
    ps.setObject(index, Sql.timestamp(lease.expiry()));
    ps.setBytes(index + 1, lease.token());
    return index + 2;
  }

  /**
   * Checks the row count of a guarded write.
   *
   * @throws LeaseLostException if no row was written: the job no longer carries the lease
   */
  void requireHeld(int rowsWritten, Lease<J> lease) {
    if (rowsWritten == 0) {
      throw lost(lease);
    }
  }

  /** The exception for a write refused because the job no longer carries {@code lease}. */
  LeaseLostException lost(Lease<J> lease) {
    return new LeaseLostException(noun + " " + jobIdOf.apply(lease.leased()));
  }

  /**
   * Checks that {@code lease} is for the job a caller is about to write.
   *
   * @throws IllegalArgumentException if it is for another job
   */
  void checkFits(Lease<J> lease, TaskId taskId, FixedId jobId) {
    if (!taskIdOf.apply(lease.leased()).equals(taskId) || !jobIdOf.apply(lease.leased()).equals(jobId)) {
      throw new IllegalArgumentException("the lease is for another job: " + jobIdOf.apply(lease.leased()));
    }
  }
}
