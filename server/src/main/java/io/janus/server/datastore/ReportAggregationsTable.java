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
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;

/**
 * The {@code report_aggregations} table: one row per report in an aggregation job, holding only the blobs its
 * current state needs (moving to a later state clears the earlier state's blobs).
 */
public final class ReportAggregationsTable {
  private static final String JOB_ID = """
      (SELECT id FROM aggregation_jobs
       WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND aggregation_job_id = ?)""";

  /** The state columns, in the order {@link StateColumns#bind} binds them as arrays. */
  private static final String STATE_COLUMNS = """
      state, public_share, leader_extensions, leader_input_share, helper_encrypted_input_share,
          leader_prep_transition, helper_prep_state, error_code, last_prep_resp_kind, last_prep_resp_payload,
          last_prep_resp_error, public_extensions""";

  private static final String STATE_ARRAYS = """
      ?::text[], ?::bytea[], ?::bytea[], ?::bytea[], ?::bytea[], ?::bytea[], ?::bytea[], ?::text[], ?::text[],
          ?::bytea[], ?::text[], ?::bytea[]""";

  // One statement per job: the task and job are looked up once, the rows come in as one array per column.
  private static final String PUT = """
      -- ReportAggregationsTable.putAll
      INSERT INTO report_aggregations (task_id, aggregation_job_id, ord, client_report_id, client_timestamp,
          %1$s, updated_by)
      SELECT (SELECT id FROM tasks WHERE task_id = ?), %2$s, r.ord, r.client_report_id, r.client_timestamp,
          r.state, r.public_share, r.leader_extensions, r.leader_input_share, r.helper_encrypted_input_share,
          r.leader_prep_transition, r.helper_prep_state, r.error_code, r.last_prep_resp_kind,
          r.last_prep_resp_payload, r.last_prep_resp_error, r.public_extensions, ?
      FROM unnest(?::bigint[], ?::bytea[], ?::bigint[], %3$s)
          AS r (ord, client_report_id, client_timestamp, %1$s)
      """.formatted(STATE_COLUMNS, JOB_ID, STATE_ARRAYS);

  private static final String GET_FOR_JOB = """
      -- ReportAggregationsTable.getForJob
      SELECT ord, client_report_id, client_timestamp, state, public_share, leader_extensions, leader_input_share,
          helper_encrypted_input_share, leader_prep_transition, helper_prep_state, error_code, last_prep_resp_kind,
          last_prep_resp_payload, last_prep_resp_error, public_extensions
      FROM report_aggregations
      WHERE aggregation_job_id = %s
      ORDER BY ord
      """.formatted(JOB_ID);

  private static final String UPDATE = """
      -- ReportAggregationsTable.updateAll
      UPDATE report_aggregations AS ra
      SET state = r.state, public_share = r.public_share, leader_extensions = r.leader_extensions,
          leader_input_share = r.leader_input_share, helper_encrypted_input_share = r.helper_encrypted_input_share,
          leader_prep_transition = r.leader_prep_transition, helper_prep_state = r.helper_prep_state,
          error_code = r.error_code, last_prep_resp_kind = r.last_prep_resp_kind,
          last_prep_resp_payload = r.last_prep_resp_payload, last_prep_resp_error = r.last_prep_resp_error,
          public_extensions = r.public_extensions, updated_at = now(), updated_by = ?
      FROM unnest(?::bigint[], ?::bytea[], %1$s) AS r (ord, client_report_id, %2$s)
      WHERE ra.aggregation_job_id = %3$s AND ra.ord = r.ord AND ra.client_report_id = r.client_report_id
      RETURNING ra.ord, ra.client_report_id
      """.formatted(STATE_ARRAYS, STATE_COLUMNS, JOB_ID);

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
   * Stores new report aggregations with one statement per aggregation job (one in all for the usual single-job
   * list); their jobs must already be stored.
   *
   * @throws DatastoreException if a row already exists for the same job and ord (also twice in the list), or a job
   *     is missing
   */
  public void putAll(List<ReportAggregation> reportAggregations) {
    for (List<Integer> rows : byJob(reportAggregations)) {
      ReportAggregation first = reportAggregations.get(rows.get(0));
      StateColumns c = new StateColumns(rows.stream().map(reportAggregations::get).toList());
      try (PreparedStatement ps = tx.prepare(PUT)) {
        int i = 1;
        ps.setBytes(i++, first.taskId().bytes());
        ps.setBytes(i++, first.taskId().bytes());
        ps.setBytes(i++, first.jobId().bytes());
        ps.setString(i++, tx.name());
        ps.setObject(i++, c.ords);
        ps.setArray(i++, tx.connection().createArrayOf("bytea", c.reportIds));
        ps.setObject(i++, c.times);
        c.bind(ps, i, tx.connection());
        ps.executeUpdate();
      } catch (SQLException e) {
        throw tx.fail("ReportAggregationsTable.putAll", e);
      }
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
   * Writes many report aggregations' states, with one statement per aggregation job. If the list names the same
   * row (job, ord and report ID) more than once, the last one is written, as if the rows were written one by one.
   *
   * @return for each input, in order, how many rows changed (1, or 0 if the row does not exist)
   */
  public int[] updateAll(List<ReportAggregation> reportAggregations) {
    int[] counts = new int[reportAggregations.size()];
    if (counts.length == 0) {
      return counts;
    }
    for (List<Integer> rows : byJob(reportAggregations)) {
      // The last write of a row wins; an UPDATE ... FROM would apply an arbitrary one of several matches.
      Map<ByteBuffer, ReportAggregation> last = new LinkedHashMap<>();
      for (int k : rows) {
        ReportAggregation ra = reportAggregations.get(k);
        last.put(rowKey(ra.ord(), ra.reportId().bytes()), ra);
      }
      StateColumns c = new StateColumns(List.copyOf(last.values()));
      Set<ByteBuffer> updated = new HashSet<>();
      ReportAggregation first = reportAggregations.get(rows.get(0));
      try (PreparedStatement ps = tx.prepare(UPDATE)) {
        int i = 1;
        ps.setString(i++, tx.name());
        ps.setObject(i++, c.ords);
        ps.setArray(i++, tx.connection().createArrayOf("bytea", c.reportIds));
        i = c.bind(ps, i, tx.connection());
        ps.setBytes(i++, first.taskId().bytes());
        ps.setBytes(i, first.jobId().bytes());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            updated.add(rowKey(rs.getLong(1), rs.getBytes(2)));
          }
        }
      } catch (SQLException e) {
        throw tx.fail("ReportAggregationsTable.updateAll", e);
      }
      for (int k : rows) {
        ReportAggregation ra = reportAggregations.get(k);
        counts[k] = updated.contains(rowKey(ra.ord(), ra.reportId().bytes())) ? 1 : 0;
      }
    }
    return counts;
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

  /**
   * The input's indexes split by (task, job), each part in input order, parts in order of first appearance; one
   * part for the usual list of one job's rows.
   */
  private static Collection<List<Integer>> byJob(List<ReportAggregation> reportAggregations) {
    Map<ByteBuffer, List<Integer>> jobs = new LinkedHashMap<>();
    for (int k = 0; k < reportAggregations.size(); k++) {
      ReportAggregation ra = reportAggregations.get(k);
      byte[] t = ra.taskId().bytes();
      byte[] j = ra.jobId().bytes();
      ByteBuffer key = ByteBuffer.allocate(t.length + j.length).put(t).put(j).flip();
      jobs.computeIfAbsent(key, x -> new ArrayList<>()).add(k);
    }
    return jobs.values();
  }

  private static ByteBuffer rowKey(long ord, byte[] reportId) {
    return ByteBuffer.allocate(Long.BYTES + reportId.length).putLong(ord).put(reportId).flip();
  }

  /**
   * The columns of some report aggregations as arrays, one element per row: ord, report ID and timestamp, then
   * state, the seven state blobs, the three last-response columns and the public extensions (NULL where the state
   * has none).
   */
  private static final class StateColumns {
    final long[] ords;
    final byte[][] reportIds;
    final long[] times;
    private final String[] states;
    private final byte[][] publicShares;
    private final byte[][] extensions;
    private final byte[][] leaderShares;
    private final byte[][] helperShares;
    private final byte[][] transitions;
    private final byte[][] helperStates;
    private final String[] errors;
    private final String[] kinds;
    private final byte[][] payloads;
    private final String[] respErrors;
    private final byte[][] publicExtensions;

    StateColumns(List<ReportAggregation> rows) {
      int n = rows.size();
      ords = new long[n];
      reportIds = new byte[n][];
      times = new long[n];
      states = new String[n];
      publicShares = new byte[n][];
      extensions = new byte[n][];
      leaderShares = new byte[n][];
      helperShares = new byte[n][];
      transitions = new byte[n][];
      helperStates = new byte[n][];
      errors = new String[n];
      kinds = new String[n];
      payloads = new byte[n][];
      respErrors = new String[n];
      publicExtensions = new byte[n][];
      for (int k = 0; k < n; k++) {
        set(k, rows.get(k));
      }
    }

    private void set(int k, ReportAggregation ra) {
      ords[k] = ra.ord();
      reportIds[k] = ra.reportId().bytes();
      times[k] = ra.time().seconds();
      ReportAggregationState s = ra.state();
      states[k] = s.dbText();
      switch (s) {
        case ReportAggregationState.Start st -> {
          publicShares[k] = st.publicShare();
          extensions[k] = Sql.encodeExtensions(st.leaderExtensions());
          leaderShares[k] = st.leaderInputShare();
          helperShares[k] = st.helperEncryptedInputShare().toBytes();
          publicExtensions[k] = st.publicExtensions().isEmpty() ? null : Sql.encodeExtensions(st.publicExtensions());
        }
        case ReportAggregationState.WaitingLeader w -> transitions[k] = w.transition();
        case ReportAggregationState.WaitingHelper w -> helperStates[k] = w.prepareState();
        case ReportAggregationState.Finished f -> { }
        case ReportAggregationState.Failed f -> errors[k] = f.failure().dbText();
      }
      if (ra.lastPrepareResult().isPresent()) {
        switch (ra.lastPrepareResult().get()) {
          case PrepareResult.Continue c -> {
            kinds[k] = "CONTINUE";
            payloads[k] = c.message();
          }
          case PrepareResult.Finished f -> kinds[k] = "FINISHED";
          case PrepareResult.Reject r -> {
            kinds[k] = "REJECT";
            respErrors[k] = r.failure().dbText();
          }
        }
      }
    }

    /** Binds the state columns' arrays in the order of {@code STATE_ARRAYS} from {@code i}; returns the next index. */
    int bind(PreparedStatement ps, int i, Connection c) throws SQLException {
      ps.setArray(i++, c.createArrayOf("text", states));
      ps.setArray(i++, c.createArrayOf("bytea", publicShares));
      ps.setArray(i++, c.createArrayOf("bytea", extensions));
      ps.setArray(i++, c.createArrayOf("bytea", leaderShares));
      ps.setArray(i++, c.createArrayOf("bytea", helperShares));
      ps.setArray(i++, c.createArrayOf("bytea", transitions));
      ps.setArray(i++, c.createArrayOf("bytea", helperStates));
      ps.setArray(i++, c.createArrayOf("text", errors));
      ps.setArray(i++, c.createArrayOf("text", kinds));
      ps.setArray(i++, c.createArrayOf("bytea", payloads));
      ps.setArray(i++, c.createArrayOf("text", respErrors));
      ps.setArray(i++, c.createArrayOf("bytea", publicExtensions));
      return i;
    }
  }

  private static ReportAggregation reportAggregation(TaskId taskId, AggregationJobId jobId, ResultSet rs)
      throws SQLException {
    String stateText = rs.getString("state");
    ReportAggregationState state = switch (stateText) {
      case "START" -> new ReportAggregationState.Start(
          Sql.decodeExtensions(rs.getBytes("leader_extensions")),
          Sql.bytes(rs, "public_share"),
          Sql.bytes(rs, "leader_input_share"),
          Sql.hpkeCiphertext(rs, "helper_encrypted_input_share"),
          Sql.decodeExtensions(rs.getBytes("public_extensions")));
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
