package io.janus.server.datastore;

import io.janus.server.datastore.model.LeaderStoredReport;
import io.janus.server.datastore.model.ReportTimestamp;
import io.janus.messages.Interval;
import io.janus.messages.ReportId;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code client_reports} table: reports uploaded to the Leader, and the Helper's scrubbed rows that remember
 * which report IDs it has seen.
 */
public final class ClientReportsTable {
  private static final String PUT_ALL = """
      -- ClientReportsTable.putAll
      INSERT INTO client_reports (task_id, report_id, client_timestamp, extensions, public_share,
          leader_input_share, helper_encrypted_input_share, public_extensions, updated_by)
      SELECT tasks.id, r.report_id, r.client_timestamp, r.extensions, r.public_share, r.leader_input_share,
          r.helper_share, r.public_extensions, ?
      FROM unnest(?::bytea[], ?::bytea[], ?::bigint[], ?::bytea[], ?::bytea[], ?::bytea[], ?::bytea[], ?::bytea[])
          AS r (task_id, report_id, client_timestamp, extensions, public_share, leader_input_share, helper_share,
              public_extensions),
          tasks
      WHERE tasks.task_id = r.task_id
      ON CONFLICT (task_id, report_id) DO NOTHING
      RETURNING (SELECT t.task_id FROM tasks t WHERE t.id = client_reports.task_id) AS task_id, report_id
      """;

  private static final String PUT_SCRUBBED = """
      -- ClientReportsTable.putScrubbed
      INSERT INTO client_reports (task_id, report_id, client_timestamp, aggregation_started, updated_by)
      SELECT (SELECT id FROM tasks WHERE task_id = ?), r.report_id, r.client_timestamp, TRUE, ?
      FROM unnest(?::bytea[], ?::bigint[]) AS r (report_id, client_timestamp)
      ON CONFLICT (task_id, report_id) DO NOTHING
      RETURNING report_id
      """;

  private static final String GET = """
      -- ClientReportsTable.get
      SELECT report_id, client_timestamp, extensions, public_share, leader_input_share,
          helper_encrypted_input_share, public_extensions
      FROM client_reports
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND report_id = ? AND public_share IS NOT NULL
      """;

  private static final String EXISTS = """
      -- ClientReportsTable.exists
      SELECT 1 FROM client_reports WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND report_id = ?
      """;

  // Locks, does not write: the rows are written once, by scrub, when they go into a job.
  private static final String ACQUIRE_UNAGGREGATED = """
      -- ClientReportsTable.acquireUnaggregated
      SELECT report_id, client_timestamp, extensions, public_share, leader_input_share,
          helper_encrypted_input_share, public_extensions
      FROM client_reports
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?)
        AND aggregation_started = FALSE
        AND client_timestamp >= ?
        AND public_share IS NOT NULL
      ORDER BY client_timestamp
      LIMIT ?
      FOR UPDATE SKIP LOCKED
      """;

  // The row IDs are found one report ID at a time through the (task_id, report_id) index, then the rows are
  // updated by primary key. A plain "report_id = ANY (?)" (or a join with unnest) lets the planner, with statistics
  // from when the table was small, scan every row of the task instead.
  private static final String SCRUB = """
      -- ClientReportsTable.scrub
      UPDATE client_reports
      SET extensions = NULL, public_share = NULL, leader_input_share = NULL, helper_encrypted_input_share = NULL,
          public_extensions = NULL, aggregation_started = TRUE, updated_at = now(), updated_by = ?
      WHERE id = ANY (ARRAY(
          SELECT (SELECT c.id FROM client_reports c WHERE c.task_id = t.id AND c.report_id = r.report_id)
          FROM unnest(?::bytea[]) AS r (report_id), (SELECT id FROM tasks WHERE task_id = ?) AS t))
      """;

  private static final String COUNT_UNAGGREGATED_IN_INTERVAL = """
      -- ClientReportsTable.countUnaggregatedInInterval
      SELECT count(*) FROM client_reports
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?)
        AND aggregation_started = FALSE
        AND client_timestamp >= ? AND client_timestamp < ?
      """;

  private static final String DELETE_EXPIRED = """
      -- ClientReportsTable.deleteExpired
      DELETE FROM client_reports WHERE id IN (
          SELECT id FROM client_reports
          WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND client_timestamp < ?
          LIMIT ?)
      """;

  private final Tx tx;

  ClientReportsTable(Tx tx) {
    this.tx = tx;
  }

  /**
   * Stores many uploaded reports in one statement, possibly for several tasks. A report whose (task, report ID)
   * is already stored is left alone; so is a report of an unknown task (check the task first).
   *
   * @return for each input report, in order, true if it was stored now, false if it was a duplicate (also of an
   *     earlier report in the same list)
   */
  public boolean[] putAll(List<LeaderStoredReport> reports) {
    int n = reports.size();
    boolean[] inserted = new boolean[n];
    if (n == 0) {
      return inserted;
    }
    byte[][] taskIds = new byte[n][];
    byte[][] reportIds = new byte[n][];
    long[] times = new long[n];
    byte[][] extensions = new byte[n][];
    byte[][] publicShares = new byte[n][];
    byte[][] leaderShares = new byte[n][];
    byte[][] helperShares = new byte[n][];
    byte[][] publicExtensions = new byte[n][];
    for (int i = 0; i < n; i++) {
      LeaderStoredReport r = reports.get(i);
      taskIds[i] = r.taskId().bytes();
      reportIds[i] = r.reportId().bytes();
      times[i] = r.time().seconds();
      extensions[i] = Sql.encodeExtensions(r.leaderExtensions());
      publicShares[i] = r.publicShare();
      leaderShares[i] = r.leaderInputShare();
      helperShares[i] = r.helperEncryptedInputShare().toBytes();
      publicExtensions[i] = r.publicExtensions().isEmpty() ? null : Sql.encodeExtensions(r.publicExtensions());
    }
    Map<ByteBuffer, Integer> stored = new HashMap<>();
    try (PreparedStatement ps = tx.prepare(PUT_ALL)) {
      ps.setString(1, tx.name());
      ps.setArray(2, tx.connection().createArrayOf("bytea", taskIds));
      ps.setArray(3, tx.connection().createArrayOf("bytea", reportIds));
      ps.setObject(4, times);
      ps.setArray(5, tx.connection().createArrayOf("bytea", extensions));
      ps.setArray(6, tx.connection().createArrayOf("bytea", publicShares));
      ps.setArray(7, tx.connection().createArrayOf("bytea", leaderShares));
      ps.setArray(8, tx.connection().createArrayOf("bytea", helperShares));
      ps.setArray(9, tx.connection().createArrayOf("bytea", publicExtensions));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          stored.merge(key(rs.getBytes("task_id"), rs.getBytes("report_id")), 1, Integer::sum);
        }
      }
    } catch (SQLException e) {
      throw tx.fail("ClientReportsTable.putAll", e);
    }
    for (int i = 0; i < n; i++) {
      // The first occurrence of a stored key claims the insertion; later copies in the list were duplicates.
      inserted[i] = stored.remove(key(taskIds[i], reportIds[i])) != null;
    }
    return inserted;
  }

  /**
   * Helper side: records that these reports of a task were seen, keeping only their IDs and timestamps.
   *
   * @return for each input, in order, true if the report is new, false if it was seen before (a replay)
   */
  public boolean[] putScrubbed(TaskId taskId, List<ReportTimestamp> reports) {
    int n = reports.size();
    boolean[] inserted = new boolean[n];
    if (n == 0) {
      return inserted;
    }
    byte[][] reportIds = new byte[n][];
    long[] times = new long[n];
    for (int i = 0; i < n; i++) {
      reportIds[i] = reports.get(i).reportId().bytes();
      times[i] = reports.get(i).time().seconds();
    }
    Map<ByteBuffer, Integer> stored = new HashMap<>();
    try (PreparedStatement ps = tx.prepare(PUT_SCRUBBED)) {
      ps.setBytes(1, taskId.bytes());
      ps.setString(2, tx.name());
      ps.setArray(3, tx.connection().createArrayOf("bytea", reportIds));
      ps.setObject(4, times);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          stored.put(ByteBuffer.wrap(rs.getBytes(1)), 1);
        }
      }
    } catch (SQLException e) {
      throw tx.fail("ClientReportsTable.putScrubbed", e);
    }
    for (int i = 0; i < n; i++) {
      inserted[i] = stored.remove(ByteBuffer.wrap(reportIds[i])) != null;
    }
    return inserted;
  }

  /** The stored report, unless it is unknown or already scrubbed. */
  public Optional<LeaderStoredReport> get(TaskId taskId, ReportId reportId) {
    try (PreparedStatement ps = tx.prepare(GET)) {
      ps.setBytes(1, taskId.bytes());
      ps.setBytes(2, reportId.bytes());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(report(taskId, rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw tx.fail("ClientReportsTable.get", e);
    }
  }

  /** True if this report ID was seen for the task, scrubbed or not (replay check). */
  public boolean exists(TaskId taskId, ReportId reportId) {
    try (PreparedStatement ps = tx.prepare(EXISTS)) {
      ps.setBytes(1, taskId.bytes());
      ps.setBytes(2, reportId.bytes());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw tx.fail("ClientReportsTable.exists", e);
    }
  }

  /**
   * Claims up to {@code limit} reports of a task that are in no aggregation job yet, oldest first, skipping rows
   * other transactions hold. Reports older than {@code notBefore} are left for garbage collection.
   *
   * <p>The claim is a row lock held until the transaction ends: {@link #scrub} makes it permanent for the reports
   * that went into a job, and a claimed report the transaction does not scrub is back in the pool once it ends.
   * (Marking the rows here and unmarking the unused ones would write every report twice.)
   *
   * @return the claimed reports ordered by timestamp
   */
  public List<LeaderStoredReport> acquireUnaggregated(TaskId taskId, Time notBefore, int limit) {
    List<LeaderStoredReport> out = new ArrayList<>();
    try (PreparedStatement ps = tx.prepare(ACQUIRE_UNAGGREGATED)) {
      ps.setBytes(1, taskId.bytes());
      ps.setLong(2, notBefore.seconds());
      ps.setInt(3, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(report(taskId, rs));
        }
      }
    } catch (SQLException e) {
      throw tx.fail("ClientReportsTable.acquireUnaggregated", e);
    }
    out.sort(Comparator.comparing(LeaderStoredReport::time));
    return out;
  }

  /**
   * Deletes the shares of these reports, keeping ID and timestamp for replay detection, and marks them as in an
   * aggregation job so that they are never acquired again. Unknown report IDs are ignored.
   *
   * @return how many rows changed
   */
  public int scrub(TaskId taskId, List<ReportId> reportIds) {
    if (reportIds.isEmpty()) {
      return 0;
    }
    byte[][] ids = new byte[reportIds.size()][];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = reportIds.get(i).bytes();
    }
    try (PreparedStatement ps = tx.prepare(SCRUB)) {
      ps.setString(1, tx.name());
      ps.setArray(2, tx.connection().createArrayOf("bytea", ids));
      ps.setBytes(3, taskId.bytes());
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw tx.fail("ClientReportsTable.scrub", e);
    }
  }

  /** How many reports of a task with timestamps in {@code interval} are in no aggregation job yet. */
  public long countUnaggregatedInInterval(TaskId taskId, Interval interval) {
    try (PreparedStatement ps = tx.prepare(COUNT_UNAGGREGATED_IN_INTERVAL)) {
      ps.setBytes(1, taskId.bytes());
      ps.setLong(2, interval.start().seconds());
      ps.setLong(3, interval.end().seconds());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw tx.fail("ClientReportsTable.countUnaggregatedInInterval", e);
    }
  }

  /**
   * Garbage collection: deletes up to {@code limit} reports of a task with timestamps before {@code threshold}.
   *
   * @return how many were deleted
   */
  public int deleteExpired(TaskId taskId, Time threshold, int limit) {
    return ExpiredRows.delete(tx, "ClientReportsTable.deleteExpired", DELETE_EXPIRED, taskId, threshold, limit);
  }

  private static LeaderStoredReport report(TaskId taskId, ResultSet rs) throws SQLException {
    return new LeaderStoredReport(
        taskId,
        new ReportId(rs.getBytes("report_id")),
        new Time(rs.getLong("client_timestamp")),
        Sql.decodeExtensions(rs.getBytes("extensions")),
        Sql.bytes(rs, "public_share"),
        Sql.bytes(rs, "leader_input_share"),
        Sql.hpkeCiphertext(rs, "helper_encrypted_input_share"),
        Sql.decodeExtensions(rs.getBytes("public_extensions")));
  }

  private static ByteBuffer key(byte[] taskId, byte[] reportId) {
    return ByteBuffer.allocate(taskId.length + reportId.length).put(taskId).put(reportId).flip();
  }
}
