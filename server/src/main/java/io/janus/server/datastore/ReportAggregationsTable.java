package io.janus.server.datastore;

import io.janus.server.datastore.model.DbEnum;
import io.janus.server.datastore.model.PrepareResult;
import io.janus.server.datastore.model.ReportAggregation;
import io.janus.server.datastore.model.ReportAggregationState;
import io.janus.server.datastore.model.ReportFailure;
import io.janus.messages.AggregationJobId;
import io.janus.messages.ReportId;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code report_aggregations} table: one row per report in an aggregation job, holding only the blobs its
 * current state needs (moving to a later state clears the earlier state's blobs).
 */
public final class ReportAggregationsTable {
  private static final String JOB_ID = """
      (SELECT id FROM aggregation_jobs
       WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND aggregation_job_id = ?)""";

  private static final String PUT = """
      -- ReportAggregationsTable.putAll
      INSERT INTO report_aggregations (task_id, aggregation_job_id, ord, client_report_id, client_timestamp,
          state, public_share, leader_extensions, leader_input_share, helper_encrypted_input_share,
          leader_prep_transition, helper_prep_state, error_code, last_prep_resp_kind, last_prep_resp_payload,
          last_prep_resp_error, updated_by)
      VALUES ((SELECT id FROM tasks WHERE task_id = ?), %s, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      """.formatted(JOB_ID);

  private static final String GET_FOR_JOB = """
      -- ReportAggregationsTable.getForJob
      SELECT ord, client_report_id, client_timestamp, state, public_share, leader_extensions, leader_input_share,
          helper_encrypted_input_share, leader_prep_transition, helper_prep_state, error_code, last_prep_resp_kind,
          last_prep_resp_payload, last_prep_resp_error
      FROM report_aggregations
      WHERE aggregation_job_id = %s
      ORDER BY ord
      """.formatted(JOB_ID);

  private static final String UPDATE = """
      -- ReportAggregationsTable.update
      UPDATE report_aggregations
      SET state = ?, public_share = ?, leader_extensions = ?, leader_input_share = ?,
          helper_encrypted_input_share = ?, leader_prep_transition = ?, helper_prep_state = ?, error_code = ?,
          last_prep_resp_kind = ?, last_prep_resp_payload = ?, last_prep_resp_error = ?,
          updated_at = now(), updated_by = ?
      WHERE aggregation_job_id = %s AND ord = ? AND client_report_id = ?
      """.formatted(JOB_ID);

  private static final String FIND_IN_OTHER_JOB = """
      -- ReportAggregationsTable.existsInOtherJob
      SELECT 1 FROM report_aggregations
      JOIN aggregation_jobs ON aggregation_jobs.id = report_aggregations.aggregation_job_id
      WHERE report_aggregations.task_id = (SELECT id FROM tasks WHERE task_id = ?)
        AND report_aggregations.client_report_id = ?
        AND aggregation_jobs.aggregation_job_id <> ?
      LIMIT 1
      """;

  private final Tx tx;

  ReportAggregationsTable(Tx tx) {
    this.tx = tx;
  }

  /**
   * Stores new report aggregations in one batch; their jobs must already be stored.
   *
   * @throws DatastoreException if a row already exists for the same job and ord, or a job is missing
   */
  public void putAll(List<ReportAggregation> reportAggregations) {
    if (reportAggregations.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = tx.prepare(PUT)) {
      for (ReportAggregation ra : reportAggregations) {
        int i = 1;
        ps.setBytes(i++, ra.taskId().bytes());
        ps.setBytes(i++, ra.taskId().bytes());
        ps.setBytes(i++, ra.jobId().bytes());
        ps.setInt(i++, ra.ord());
        ps.setBytes(i++, ra.reportId().bytes());
        ps.setLong(i++, ra.time().seconds());
        i = bindState(ps, i, ra);
        ps.setString(i, tx.name());
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw tx.fail("ReportAggregationsTable.putAll", e);
    }
  }

  /** The report aggregations of a job, ordered by ord. */
  public List<ReportAggregation> getForJob(TaskId taskId, AggregationJobId jobId) {
    List<ReportAggregation> out = new ArrayList<>();
    try (PreparedStatement ps = tx.prepare(GET_FOR_JOB)) {
      ps.setBytes(1, taskId.bytes());
      ps.setBytes(2, jobId.bytes());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(reportAggregation(taskId, jobId, rs));
        }
      }
    } catch (SQLException e) {
      throw tx.fail("ReportAggregationsTable.getForJob", e);
    }
    return out;
  }

  /**
   * Writes a report aggregation's state and last prepare response.
   *
   * @return true if the row (same job, ord and report ID) exists
   */
  public boolean update(ReportAggregation ra) {
    int[] counts = updateAll(List.of(ra));
    return counts[0] > 0;
  }

  /**
   * Writes many report aggregations' states in one batch.
   *
   * @return for each input, how many rows changed (0 if the row does not exist)
   */
  public int[] updateAll(List<ReportAggregation> reportAggregations) {
    if (reportAggregations.isEmpty()) {
      return new int[0];
    }
    try (PreparedStatement ps = tx.prepare(UPDATE)) {
      for (ReportAggregation ra : reportAggregations) {
        int i = bindState(ps, 1, ra);
        ps.setString(i++, tx.name());
        ps.setBytes(i++, ra.taskId().bytes());
        ps.setBytes(i++, ra.jobId().bytes());
        ps.setInt(i++, ra.ord());
        ps.setBytes(i, ra.reportId().bytes());
        ps.addBatch();
      }
      return ps.executeBatch();
    } catch (SQLException e) {
      throw tx.fail("ReportAggregationsTable.updateAll", e);
    }
  }

  /**
   * True if the report appears in an aggregation job of the task other than {@code exceptJob} (a replay across
   * jobs).
   */
  public boolean existsInOtherJob(TaskId taskId, ReportId reportId, AggregationJobId exceptJob) {
    try (PreparedStatement ps = tx.prepare(FIND_IN_OTHER_JOB)) {
      ps.setBytes(1, taskId.bytes());
      ps.setBytes(2, reportId.bytes());
      ps.setBytes(3, exceptJob.bytes());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw tx.fail("ReportAggregationsTable.existsInOtherJob", e);
    }
  }

  /** Binds state, the eight state blobs and the three last-response columns from {@code i}; returns the next. */
  private static int bindState(PreparedStatement ps, int i, ReportAggregation ra) throws SQLException {
    ReportAggregationState s = ra.state();
    ps.setString(i++, s.dbText());
    Optional<byte[]> publicShare = Optional.empty();
    Optional<byte[]> extensions = Optional.empty();
    Optional<byte[]> leaderShare = Optional.empty();
    Optional<byte[]> helperShare = Optional.empty();
    Optional<byte[]> transition = Optional.empty();
    Optional<byte[]> helperState = Optional.empty();
    Optional<String> error = Optional.empty();
    switch (s) {
      case ReportAggregationState.Start st -> {
        publicShare = Optional.of(st.publicShare());
        extensions = Optional.of(Sql.encodeExtensions(st.leaderExtensions()));
        leaderShare = Optional.of(st.leaderInputShare());
        helperShare = Optional.of(st.helperEncryptedInputShare().toBytes());
      }
      case ReportAggregationState.WaitingLeader w -> transition = Optional.of(w.transition());
      case ReportAggregationState.WaitingHelper w -> helperState = Optional.of(w.prepareState());
      case ReportAggregationState.Finished f -> { }
      case ReportAggregationState.Failed f -> error = Optional.of(f.failure().dbText());
    }
    Sql.setBytes(ps, i++, publicShare);
    Sql.setBytes(ps, i++, extensions);
    Sql.setBytes(ps, i++, leaderShare);
    Sql.setBytes(ps, i++, helperShare);
    Sql.setBytes(ps, i++, transition);
    Sql.setBytes(ps, i++, helperState);
    Sql.setString(ps, i++, error);
    Optional<String> kind = Optional.empty();
    Optional<byte[]> payload = Optional.empty();
    Optional<String> respError = Optional.empty();
    if (ra.lastPrepareResult().isPresent()) {
      switch (ra.lastPrepareResult().get()) {
        case PrepareResult.Continue c -> {
          kind = Optional.of("CONTINUE");
          payload = Optional.of(c.message());
        }
        case PrepareResult.Finished f -> kind = Optional.of("FINISHED");
        case PrepareResult.Reject r -> {
          kind = Optional.of("REJECT");
          respError = Optional.of(r.failure().dbText());
        }
      }
    }
    Sql.setString(ps, i++, kind);
    Sql.setBytes(ps, i++, payload);
    Sql.setString(ps, i++, respError);
    return i;
  }

  private static ReportAggregation reportAggregation(TaskId taskId, AggregationJobId jobId, ResultSet rs)
      throws SQLException {
    String stateText = rs.getString("state");
    ReportAggregationState state = switch (stateText) {
      case "START" -> new ReportAggregationState.Start(
          Sql.decodeExtensions(rs.getBytes("leader_extensions")),
          Sql.bytes(rs, "public_share"),
          Sql.bytes(rs, "leader_input_share"),
          Sql.hpkeCiphertext(rs, "helper_encrypted_input_share"));
      case "WAITING_LEADER" -> new ReportAggregationState.WaitingLeader(Sql.bytes(rs, "leader_prep_transition"));
      case "WAITING_HELPER" -> new ReportAggregationState.WaitingHelper(Sql.bytes(rs, "helper_prep_state"));
      case "FINISHED" -> new ReportAggregationState.Finished();
      case "FAILED" -> new ReportAggregationState.Failed(
          DbEnum.fromDbText(ReportFailure.class, rs.getString("error_code")));
      default -> throw new DatastoreException("unknown report aggregation state " + stateText);
    };
    String kind = rs.getString("last_prep_resp_kind");
    Optional<PrepareResult> last = kind == null ? Optional.empty() : Optional.of(switch (kind) {
      case "CONTINUE" -> new PrepareResult.Continue(Sql.bytes(rs, "last_prep_resp_payload"));
      case "FINISHED" -> new PrepareResult.Finished();
      case "REJECT" -> new PrepareResult.Reject(
          DbEnum.fromDbText(ReportFailure.class, rs.getString("last_prep_resp_error")));
      default -> throw new DatastoreException("unknown last_prep_resp_kind " + kind);
    });
    return new ReportAggregation(taskId, jobId, new ReportId(rs.getBytes("client_report_id")),
        new Time(rs.getLong("client_timestamp")), rs.getInt("ord"), last, state);
  }
}
