package io.janus.collectionjobdriver;

import static io.janus.collectionjobdriver.LeaderPipeline.FAR;
import static io.janus.collectionjobdriver.LeaderPipeline.LEASE;
import static io.janus.collectionjobdriver.LeaderPipeline.PRECISION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.collectionjobdriver.LeaderPipeline.Tasks;
import io.janus.server.datastore.model.AcquiredAggregationJob;
import io.janus.server.datastore.model.AcquiredCollectionJob;
import io.janus.server.datastore.model.BatchIdentifier;
import io.janus.server.datastore.model.CollectionJob;
import io.janus.server.datastore.model.CollectionJobState;
import io.janus.server.datastore.model.CollectionQueryKind;
import io.janus.server.datastore.model.Lease;
import io.janus.core.hpke.Hpke;
import io.janus.server.job.FailureBackoff;
import io.janus.core.http.DapRequestException;
import io.janus.core.task.QueryType;
import io.janus.core.task.VdafInstance;
import io.janus.server.testing.TestDatabase;
import io.janus.core.vdaf.PingPongVdaf;
import io.janus.core.vdaf.VdafDispatch;
import io.janus.messages.CollectionJobId;
import io.janus.messages.DapProblemType;
import io.janus.messages.DapDuration;
import io.janus.messages.Interval;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.messages.dap09.AggregateShareAad;
import io.janus.messages.dap09.BatchSelector;
import io.janus.messages.dap09.Collection;
import io.janus.messages.dap09.Dap09;
import io.janus.messages.dap09.Query;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reports that arrive for a batch whose collection has begun (draft-ietf-ppm-dap-09 sections 4.4.2 and 4.6.2), and
 * a Helper that refuses the aggregate share, over the whole Leader pipeline against the production Helper (real
 * HTTP, real PostgreSQL, real Prio3 and HPKE).
 *
 * <p>Before the Leader froze its aggregate in the collection job, a report uploaded between the collection job
 * driver's first transaction and the Helper's answer was aggregated by the Helper but failed by the Leader, and
 * every retry then got {@code batchMismatch}: the batch could never be collected.
 */
class LateReportTest {
  private static LeaderPipeline p;

  @BeforeAll
  static void setUp() {
    p = new LeaderPipeline();
  }

  @AfterAll
  static void tearDown() {
    p.close();
  }

  @Test
  void aReportArrivingWhileTheHelperIsAskedForItsShareIsNeverCountedAndTheCollectionIsExact() throws Exception {
    Tasks t = p.tasks(new QueryType.TimeInterval(), new VdafInstance.Prio3Count(), 2);
    Time time = p.hourAgo();
    Interval interval = new Interval(time, PRECISION);
    upload(t, time, 1, 1, 0);
    // A report uploaded now, but that becomes visible only after the collection froze the batch: the upload that
    // races the collection job's creation (its transaction began before the job existed).
    byte[] racing = uploadAndHide(t, time, 1);
    p.aggregateEverything(t);

    CollectionJobId id = new CollectionJobId(p.bytes(CollectionJobId.LENGTH));
    assertThat(p.createCollectionJob(t, id, new Query.TimeInterval(interval))).isEqualTo(201);
    FlakyShareHelper helper = new FlakyShareHelper(p.realShareHelper(), 1);
    FailureBackoff backoff = new FailureBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1));
    CollectionJobDriver d = p.collectionDriver(5, helper, backoff);
    // First step: the batch is ready, the Leader freezes 3 reports, the Helper does not answer.
    Lease<AcquiredCollectionJob> first = p.acquireOne(d, id);
    assertThatThrownBy(() -> d.step(first, FAR)).isInstanceOf(DapRequestException.class);
    CollectionJobState frozen = p.collectionJob(t, id).state();
    assertThat(frozen).isInstanceOf(CollectionJobState.Collecting.class);
    assertThat(((CollectionJobState.Collecting) frozen).reportCount()).isEqualTo(3);

    // While the Leader waits for the Helper: a late upload is rejected ...
    HttpResponse<byte[]> late = p.uploadResponse(t, time, 1);
    assertThat(late.statusCode()).isEqualTo(400);
    assertThat(new String(late.body(), StandardCharsets.UTF_8)).contains(DapProblemType.REPORT_REJECTED.urn());
    // ... and the racing one, now visible, is dropped by the creator, never sent to the Helper.
    reveal(t, racing);
    p.aggregateEverything(t);
    assertThat(count(p.leaderDb, t.id(), "SELECT count(*) FROM client_reports WHERE " + TASK
        + " AND report_id = ? AND aggregation_started AND public_share IS NULL", racing)).isEqualTo(1);
    assertThat(count(p.leaderDb, t.id(), "SELECT count(*) FROM report_aggregations WHERE " + TASK
        + " AND client_report_id = ?", racing)).isZero();
    assertThat(count(p.helperDb, t.id(), "SELECT count(*) FROM report_aggregations WHERE " + TASK
        + " AND client_report_id = ?", racing)).isZero();
    assertThat(p.leaderDb.datastore().run("test_counters", tx -> tx.taskCounters().getAggregation(t.id()))
        .batchCollected()).isEqualTo(1);

    // The retry asks the Helper to match the frozen count, and it does.
    p.leaderDb.clock().advance(DapDuration.ofSeconds(1));
    d.step(p.acquireOne(d, id), FAR);
    assertThat(p.collectionJob(t, id).state()).isInstanceOf(CollectionJobState.Finished.class);
    Collection c = Collection.decode(poll(t, id, 200).body());
    assertThat(c.reportCount()).isEqualTo(3);
    assertThat(unshard(t, c, new BatchSelector.TimeInterval(interval))).containsExactly(2);
  }

  @Test
  void aReportOfACollectedBatchInAnUnsentJobFailsBeforeTheHelperSeesIt() throws Exception {
    Tasks t = p.tasks(new QueryType.TimeInterval(), new VdafInstance.Prio3Count(), 1);
    Time time = p.hourAgo();
    Interval interval = new Interval(time, PRECISION);
    upload(t, time, 1, 0);
    p.creator.createJobs(t.leaderTask());
    // A collection of the batch that has begun, as if the guards before the driver had let the job through.
    p.leaderDb.datastore().run("test_frozen_job", tx -> tx.collectionJobs().put(new CollectionJob(t.id(),
        new CollectionJobId(p.bytes(CollectionJobId.LENGTH)), CollectionQueryKind.TIME_INTERVAL, new byte[0],
        new BatchIdentifier.TimeInterval(interval),
        new CollectionJobState.Collecting(0, Interval.EMPTY, new byte[16], new byte[32]))));

    for (Lease<AcquiredAggregationJob> l : p.aggregationDriver.acquire(LEASE, 10)) {
      p.aggregationDriver.step(l, FAR);
    }

    assertThat(count(p.leaderDb, t.id(), "SELECT count(*) FROM report_aggregations WHERE " + TASK
        + " AND state = 'FAILED' AND error_code = 'BATCH_COLLECTED'")).isEqualTo(2);
    assertThat(count(p.leaderDb, t.id(), "SELECT count(*) FROM aggregation_jobs WHERE " + TASK
        + " AND state = 'FINISHED'")).isEqualTo(1);
    assertThat(count(p.helperDb, t.id(), "SELECT count(*) FROM report_aggregations WHERE " + TASK)).isZero();
  }

  @Test
  void aHelperRefusalEndsTheJobAtOnceAndPollsAnswerWithTheHelpersProblem() throws Exception {
    Tasks t = p.tasks(new QueryType.TimeInterval(), new VdafInstance.Prio3Count(), 1);
    Time time = p.hourAgo();
    upload(t, time, 1, 1);
    p.aggregateEverything(t);
    CollectionJobId id = new CollectionJobId(p.bytes(CollectionJobId.LENGTH));
    assertThat(p.createCollectionJob(t, id, new Query.TimeInterval(new Interval(time, PRECISION)))).isEqualTo(201);
    byte[] problem = ("{\"type\":\"" + DapProblemType.BATCH_MISMATCH.urn() + "\",\"status\":400}")
        .getBytes(StandardCharsets.UTF_8);
    AggregateShareHelper refusing = (task, batch, param, reportCount, checksum, deadline) -> {
      throw new DapRequestException("refused", OptionalInt.of(400), false, problem, null);
    };
    CollectionJobDriver d = p.collectionDriver(5, refusing, FailureBackoff.DEFAULT);

    d.step(p.acquireOne(d, id), FAR);

    assertThat(p.collectionJob(t, id).state()).isEqualTo(new CollectionJobState.Failed("batchMismatch",
        "The Helper refused the aggregate share (batchMismatch)."));
    HttpResponse<byte[]> r = poll(t, id, 400);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains(DapProblemType.BATCH_MISMATCH.urn())
        .contains("refused the aggregate share");
    assertThat(p.collectionMeters.get("janus_collection_jobs").tag("status", "failed").counter().count())
        .isEqualTo(1.0);
    p.leaderDb.clock().advance(DapDuration.ofSeconds(LEASE.toSeconds() + 1));
    assertThat(d.acquire(LEASE, 100)).noneMatch(l -> l.leased().jobId().equals(id));
  }

  @Test
  void anUnauthorizedOrNonDapRefusalIsRetriedNotFailed() throws Exception {
    Tasks t = p.tasks(new QueryType.TimeInterval(), new VdafInstance.Prio3Count(), 1);
    Time time = p.hourAgo();
    upload(t, time, 1);
    p.aggregateEverything(t);
    CollectionJobId id = new CollectionJobId(p.bytes(CollectionJobId.LENGTH));
    assertThat(p.createCollectionJob(t, id, new Query.TimeInterval(new Interval(time, PRECISION)))).isEqualTo(201);
    byte[] unauthorized = ("{\"type\":\"" + DapProblemType.UNAUTHORIZED_REQUEST.urn() + "\"}")
        .getBytes(StandardCharsets.UTF_8);
    AggregateShareHelper refusing = (task, batch, param, reportCount, checksum, deadline) -> {
      throw new DapRequestException("refused", OptionalInt.of(403), false, unauthorized, null);
    };
    CollectionJobDriver d = p.collectionDriver(5, refusing, FailureBackoff.DEFAULT);

    assertThatThrownBy(() -> d.step(p.acquireOne(d, id), FAR)).isInstanceOf(DapRequestException.class);
    assertThat(p.collectionJob(t, id).state()).isInstanceOf(CollectionJobState.Collecting.class);
    poll(t, id, 202);
  }

  private static final String TASK = "task_id = (SELECT id FROM tasks WHERE task_id = ?)";

  private static void upload(Tasks t, Time time, long... measurements) {
    for (long m : measurements) {
      assertThat(p.upload(t, time, m)).isEqualTo(201);
    }
  }

  /** Uploads a report and hides it from the aggregation pipeline; returns its report ID. */
  private static byte[] uploadAndHide(Tasks t, Time time, long measurement) throws SQLException {
    byte[] before = newestReportId(t);
    assertThat(p.upload(t, time, measurement)).isEqualTo(201);
    byte[] id = newestReportId(t);
    assertThat(id).isNotEqualTo(before);
    setAggregationStarted(t, id, true);
    return id;
  }

  private static void reveal(Tasks t, byte[] reportId) throws SQLException {
    setAggregationStarted(t, reportId, false);
  }

  private static byte[] newestReportId(Tasks t) throws SQLException {
    try (Connection c = p.leaderDb.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT report_id FROM client_reports WHERE " + TASK
            + " ORDER BY id DESC LIMIT 1")) {
      ps.setBytes(1, t.id().bytes());
      try (ResultSet rs = ps.executeQuery()) {
        byte[] out = rs.next() ? rs.getBytes(1) : new byte[0];
        c.rollback();
        return out;
      }
    }
  }

  private static void setAggregationStarted(Tasks t, byte[] reportId, boolean started) throws SQLException {
    try (Connection c = p.leaderDb.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("UPDATE client_reports SET aggregation_started = ? WHERE "
            + TASK + " AND report_id = ?")) {
      ps.setBoolean(1, started);
      ps.setBytes(2, t.id().bytes());
      ps.setBytes(3, reportId);
      assertThat(ps.executeUpdate()).isEqualTo(1);
      c.commit();
    }
  }

  private static long count(TestDatabase db, TaskId task, String sql, byte[]... args) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setBytes(1, task.bytes());
      for (int i = 0; i < args.length; i++) {
        ps.setBytes(i + 2, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long n = rs.getLong(1);
        c.rollback();
        return n;
      }
    }
  }

  private static HttpResponse<byte[]> poll(Tasks t, CollectionJobId id, int status) {
    HttpResponse<byte[]> r = p.poll(t, id);
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(status);
    return r;
  }

  private static long[] unshard(Tasks t, Collection c, BatchSelector selector) throws Exception {
    byte[] aad = new AggregateShareAad(t.id(), new byte[0], selector).toBytes();
    byte[] leader = Hpke.open(p.collectorKey, Dap09.aggregateShareInfo(Role.LEADER),
        c.leaderEncryptedAggregateShare(), aad);
    byte[] helper = Hpke.open(p.collectorKey, Dap09.aggregateShareInfo(Role.HELPER),
        c.helperEncryptedAggregateShare(), aad);
    PingPongVdaf vdaf = VdafDispatch.forInstance(t.leaderTask().vdaf());
    return vdaf.unshard(new byte[0], List.of(leader, helper), c.reportCount());
  }
}
