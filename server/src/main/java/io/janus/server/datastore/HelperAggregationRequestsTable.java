package io.janus.server.datastore;

import io.janus.messages.AggregationJobId;
import io.janus.messages.TaskId;
import io.janus.server.datastore.model.HelperAggregationRequest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code helper_aggregation_requests} table: aggregation job requests the Helper accepted in asynchronous mode
 * and has not finished. Rows are leased as the job drivers lease jobs ({@code FOR UPDATE SKIP LOCKED}, an expiry and
 * a random token); the work's own transaction deletes the row, guarded by the lease.
 */
public final class HelperAggregationRequestsTable {
  private static final String COLUMNS = """
      tasks.task_id, r.aggregation_job_id, r.step, r.request_hash, r.request, r.failure_kind, r.failure_detail
      """;

  private static final String PUT = """
      -- HelperAggregationRequestsTable.put
      INSERT INTO helper_aggregation_requests (task_id, aggregation_job_id, step, request_hash, request, updated_by)
      SELECT id, ?, ?, ?, ?, ? FROM tasks WHERE task_id = ?
      ON CONFLICT (task_id, aggregation_job_id, step) DO NOTHING
      """;

  private static final String GET = "-- HelperAggregationRequestsTable.get\nSELECT " + COLUMNS + """
      FROM helper_aggregation_requests r JOIN tasks ON tasks.id = r.task_id
      WHERE tasks.task_id = ? AND r.aggregation_job_id = ? AND r.step = ?
      """;

  private static final String ACQUIRE = """
      -- HelperAggregationRequestsTable.acquire
      WITH pending AS (
          SELECT id FROM helper_aggregation_requests
          WHERE failure_kind IS NULL AND lease_expiry <= ?
          ORDER BY lease_expiry, id
          LIMIT ?
          FOR UPDATE SKIP LOCKED)
      UPDATE helper_aggregation_requests r
      SET lease_expiry = ?, lease_token = uuid_send(gen_random_uuid()), lease_attempts = lease_attempts + 1,
          updated_at = now(), updated_by = ?
      FROM pending, tasks
      WHERE r.id = pending.id AND tasks.id = r.task_id
      RETURNING""" + " " + COLUMNS + ", r.lease_token, r.lease_attempts";

  private static final String DELETE = """
      -- HelperAggregationRequestsTable.delete
      DELETE FROM helper_aggregation_requests
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND aggregation_job_id = ? AND step = ?
        AND lease_token = ?
      """;

  private static final String FAIL = """
      -- HelperAggregationRequestsTable.fail
      UPDATE helper_aggregation_requests
      SET failure_kind = ?, failure_detail = ?, lease_token = NULL, updated_at = now(), updated_by = ?
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND aggregation_job_id = ? AND step = ?
        AND lease_token = ?
      """;

  private final Tx tx;

  HelperAggregationRequestsTable(Tx tx) {
    this.tx = tx;
  }

  /**
   * Stores a request to do.
   *
   * @return true if stored, false if the job already has a request for this step (or the task is unknown)
   */
  public boolean put(HelperAggregationRequest request) {
    try (PreparedStatement ps = tx.prepare(PUT)) {
      ps.setBytes(1, request.jobId().bytes());
      ps.setInt(2, request.step());
      ps.setBytes(3, request.requestHash());
      ps.setBytes(4, request.request());
      ps.setString(5, tx.name());
      ps.setBytes(6, request.taskId().bytes());
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw tx.fail("HelperAggregationRequestsTable.put", e);
    }
  }

  /** The request taking {@code jobId} to {@code step}, while it is to do or failed. */
  public Optional<HelperAggregationRequest> get(TaskId taskId, AggregationJobId jobId, int step) {
    try (PreparedStatement ps = tx.prepare(GET)) {
      ps.setBytes(1, taskId.bytes());
      ps.setBytes(2, jobId.bytes());
      ps.setInt(3, step);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw tx.fail("HelperAggregationRequestsTable.get", e);
    }
  }

  /**
   * Leases up to {@code maxCount} requests to do whose lease has expired, oldest lease first.
   *
   * @param leaseDuration how long the leases last from the clock's now
   */
  public List<HelperAggregationRequest.Leased> acquire(Duration leaseDuration, int maxCount) {
    Instant now = Instant.ofEpochMilli(tx.clock().nowMillis());
    List<HelperAggregationRequest.Leased> out = new ArrayList<>();
    try (PreparedStatement ps = tx.prepare(ACQUIRE)) {
      ps.setObject(1, Sql.timestamp(now));
      ps.setInt(2, maxCount);
      ps.setObject(3, Sql.timestamp(now.plus(leaseDuration)));
      ps.setString(4, tx.name());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new HelperAggregationRequest.Leased(row(rs), rs.getBytes("lease_token"),
              rs.getLong("lease_attempts")));
        }
      }
    } catch (SQLException e) {
      throw tx.fail("HelperAggregationRequestsTable.acquire", e);
    }
    return out;
  }

  /**
   * Deletes a finished request, if {@code leaseToken} still holds its lease.
   *
   * @return false if the lease was lost (another worker took the request over)
   */
  public boolean delete(HelperAggregationRequest.Leased leased) {
    HelperAggregationRequest r = leased.request();
    try (PreparedStatement ps = tx.prepare(DELETE)) {
      ps.setBytes(1, r.taskId().bytes());
      ps.setBytes(2, r.jobId().bytes());
      ps.setInt(3, r.step());
      ps.setBytes(4, leased.leaseToken());
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw tx.fail("HelperAggregationRequestsTable.delete", e);
    }
  }

  /**
   * Records that a request failed for good, if the lease still holds it; it is not leased again.
   *
   * @return false if the lease was lost
   */
  public boolean fail(HelperAggregationRequest.Leased leased, HelperAggregationRequest.Failure failure) {
    HelperAggregationRequest r = leased.request();
    try (PreparedStatement ps = tx.prepare(FAIL)) {
      ps.setString(1, failure.kind());
      ps.setString(2, failure.detail());
      ps.setString(3, tx.name());
      ps.setBytes(4, r.taskId().bytes());
      ps.setBytes(5, r.jobId().bytes());
      ps.setInt(6, r.step());
      ps.setBytes(7, leased.leaseToken());
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw tx.fail("HelperAggregationRequestsTable.fail", e);
    }
  }

  private static HelperAggregationRequest row(ResultSet rs) throws SQLException {
    String kind = rs.getString("failure_kind");
    Optional<HelperAggregationRequest.Failure> failure = kind == null ? Optional.empty()
        : Optional.of(new HelperAggregationRequest.Failure(kind, rs.getString("failure_detail")));
    return new HelperAggregationRequest(new TaskId(rs.getBytes("task_id")),
        new AggregationJobId(rs.getBytes("aggregation_job_id")), rs.getInt("step"), rs.getBytes("request_hash"),
        rs.getBytes("request"), failure);
  }
}
