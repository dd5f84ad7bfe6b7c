package io.janus.garbagecollector;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.server.datastore.model.AggregateShareJob;
import io.janus.server.datastore.model.AggregationJob;
import io.janus.server.datastore.model.AggregationJobState;
import io.janus.server.datastore.model.BatchAggregation;
import io.janus.server.datastore.model.BatchAggregationState;
import io.janus.server.datastore.model.BatchIdentifier;
import io.janus.server.datastore.model.CollectionJob;
import io.janus.server.datastore.model.CollectionJobState;
import io.janus.server.datastore.model.CollectionQueryKind;
import io.janus.server.datastore.model.LeaderStoredReport;
import io.janus.server.datastore.model.OutstandingBatch;
import io.janus.server.datastore.model.ReportAggregation;
import io.janus.server.datastore.model.ReportAggregationState;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.server.testing.Fixtures;
import io.janus.server.testing.TestDatabase;
import io.janus.messages.AggregationJobId;
import io.janus.messages.BatchId;
import io.janus.messages.CollectionJobId;
import io.janus.messages.DapDuration;
import io.janus.messages.Interval;
import io.janus.messages.ReportId;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Garbage collection over real PostgreSQL: what has expired goes, nothing else does. */
class GarbageCollectorTest {
  private static final DapDuration PRECISION = DapDuration.ofSeconds(3600);
  private static final DapDuration EXPIRY_AGE = DapDuration.ofSeconds(86_400);
  private static final byte[] PARAM = new byte[0];

  private static TestDatabase db;
  private static Fixtures fx;

  @BeforeAll
  static void setUp() {
    db = TestDatabase.create();
    fx = new Fixtures();
    System.out.println("GarbageCollectorTest seed: " + fx.seed());
  }

  @AfterAll
  static void tearDown() {
    db.close();
  }

  /** Everything one task holds at one instant, so a test can check which of it survived. */
  private record Artifacts(TaskId taskId, List<ReportId> reports, AggregationJobId jobId, BatchIdentifier batch,
      CollectionJobId collectionJobId) {}

  private static Task task(boolean expires) {
    Task.Builder b = fx.leaderTask().timePrecision(PRECISION);
    if (expires) {
      b.reportExpiryAge(EXPIRY_AGE);
    }
    Task t = b.build();
    db.datastore().run("test_put_task", tx -> tx.tasks().put(t));
    return t;
  }

  private static Artifacts store(Task task, Time time, int reportCount) {
    List<LeaderStoredReport> reports = new ArrayList<>();
    for (int i = 0; i < reportCount; i++) {
      reports.add(fx.report(task.id(), time));
    }
    AggregationJobId jobId = fx.aggregationJobId();
    Time bucket = time.truncateTo(PRECISION);
    BatchIdentifier batch = new BatchIdentifier.TimeInterval(new Interval(bucket, PRECISION));
    CollectionJobId collectionJobId = fx.collectionJobId();
    db.datastore().run("test_store", tx -> {
      tx.clientReports().putAll(reports);
      tx.aggregationJobs().put(new AggregationJob(task.id(), jobId, PARAM, Optional.empty(),
          new Interval(time, DapDuration.ofSeconds(1)), AggregationJobState.IN_PROGRESS, 0, Optional.empty()));
      LeaderStoredReport r = reports.get(0);
      tx.reportAggregations().putAll(List.of(new ReportAggregation(task.id(), jobId, r.reportId(), time, 0,
          Optional.empty(), new ReportAggregationState.Start(r.leaderExtensions(), r.publicShare(),
              r.leaderInputShare(), r.helperEncryptedInputShare()))));
      tx.batchAggregations().put(BatchAggregation.empty(task.id(), batch, PARAM, 0));
      tx.collectionJobs().put(new CollectionJob(task.id(), collectionJobId, CollectionQueryKind.TIME_INTERVAL, PARAM,
          batch, new CollectionJobState.Start()));
      tx.aggregateShareJobs().put(new AggregateShareJob(task.id(), batch, PARAM, fx.bytes(8), 1, new byte[32]));
      return null;
    });
    return new Artifacts(task.id(), reports.stream().map(LeaderStoredReport::reportId).toList(), jobId, batch,
        collectionJobId);
  }

  private static void assertPresent(Artifacts a, boolean present) {
    db.datastore().run("test_check", tx -> {
      for (ReportId r : a.reports()) {
        assertThat(tx.clientReports().exists(a.taskId(), r)).as("report %s", r).isEqualTo(present);
      }
      assertThat(tx.aggregationJobs().get(a.taskId(), a.jobId()).isPresent()).as("aggregation job").isEqualTo(present);
      assertThat(tx.reportAggregations().getForJob(a.taskId(), a.jobId()).isEmpty()).as("report aggregations")
          .isEqualTo(!present);
      assertThat(tx.batchAggregations().getAll(a.taskId(), a.batch(), PARAM).isEmpty()).as("batch aggregations")
          .isEqualTo(!present);
      assertThat(tx.collectionJobs().get(a.taskId(), a.collectionJobId()).isPresent()).as("collection job")
          .isEqualTo(present);
      assertThat(tx.aggregateShareJobs().get(a.taskId(), a.batch(), PARAM).isPresent()).as("aggregate share job")
          .isEqualTo(present);
      return null;
    });
  }

  private static GarbageCollector collector(int reportLimit, OptionalInt concurrency) {
    return new GarbageCollector(db.datastore(), db.clock(),
        new GarbageCollectorConfig.GarbageCollection(60, reportLimit, 500, 50, 2, concurrency),
        new SimpleMeterRegistry());
  }

  @Test
  void deletesExpiredDataAndNothingElse() throws Exception {
    Time now = db.clock().now();
    Task expiring = task(true);
    Task keeping = task(false);
    // Two days old: past the one-day expiry age. One hour old: not yet.
    Artifacts old = store(expiring, new Time(now.seconds() - 2 * 86_400), 3);
    Artifacts fresh = store(expiring, new Time(now.seconds() - 3_600), 3);
    Artifacts oldButKept = store(keeping, new Time(now.seconds() - 2 * 86_400), 3);

    GarbageCollector.Deleted d = collector(5000, OptionalInt.empty()).runOnce();

    assertThat(d.clientReports()).isEqualTo(3);
    assertThat(d.aggregationJobs()).isEqualTo(1);
    assertThat(d.batchAggregations()).isEqualTo(1);
    assertThat(d.collectionJobs()).isEqualTo(1);
    assertThat(d.aggregateShareJobs()).isEqualTo(1);
    assertPresent(old, false);
    assertPresent(fresh, true);
    assertPresent(oldButKept, true);
  }

  private static void putFixedJob(Task task, BatchId batch, Time time) {
    db.datastore().run("test_fixed_job", tx -> tx.aggregationJobs().put(new AggregationJob(task.id(),
        fx.aggregationJobId(), PARAM, Optional.of(batch), new Interval(time, DapDuration.ofSeconds(1)),
        AggregationJobState.FINISHED, 1, Optional.empty())));
  }

  private static BatchIdentifier helperFixedBatch(Task helper, Time time) {
    BatchIdentifier b = new BatchIdentifier.FixedSize(fx.batchId());
    db.datastore().run("test_helper_batch", tx -> {
      tx.batchAggregations().put(new BatchAggregation(helper.id(), b, PARAM, 0, BatchAggregationState.COLLECTED,
          Optional.empty(), 1, new byte[32], new Interval(time, DapDuration.ofSeconds(1)), 0, 0));
      return tx.aggregateShareJobs().put(new AggregateShareJob(helper.id(), b, PARAM, fx.bytes(8), 1,
          new byte[32]));
    });
    return b;
  }

  @Test
  void fixedSizeBatchesExpireByTheirReports() throws Exception {
    Time now = db.clock().now();
    Time old = new Time(now.seconds() - 2 * 86_400);
    Time recent = new Time(now.seconds() - 3_600);
    QueryType fixed = new QueryType.FixedSize(OptionalLong.empty(), Optional.empty());
    Task leader = fx.leaderTask().timePrecision(PRECISION).reportExpiryAge(EXPIRY_AGE).queryType(fixed).build();
    Task helper = fx.helperTask().timePrecision(PRECISION).reportExpiryAge(EXPIRY_AGE).queryType(fixed).build();
    db.datastore().run("test_put_tasks", tx -> tx.tasks().put(leader) && tx.tasks().put(helper));

    BatchId oldBatch = fx.batchId();
    BatchId freshBatch = fx.batchId();
    BatchId collecting = fx.batchId();
    for (BatchId b : List.of(oldBatch, freshBatch, collecting)) {
      db.datastore().run("test_outstanding", tx -> tx.outstandingBatches().put(leader.id(), b, Optional.empty()));
    }
    putFixedJob(leader, oldBatch, old);
    putFixedJob(leader, freshBatch, old);
    putFixedJob(leader, freshBatch, recent);
    putFixedJob(leader, collecting, old);
    db.datastore().run("test_collection_job", tx -> tx.collectionJobs().put(new CollectionJob(leader.id(),
        fx.collectionJobId(), CollectionQueryKind.BY_BATCH_ID, PARAM, new BatchIdentifier.FixedSize(collecting),
        new CollectionJobState.Start())));
    BatchIdentifier helperOld = helperFixedBatch(helper, old);
    BatchIdentifier helperFresh = helperFixedBatch(helper, recent);

    GarbageCollector gc = collector(5000, OptionalInt.empty());
    GarbageCollector.Deleted d = gc.runOnce();

    assertThat(d.outstandingBatches()).isEqualTo(1);
    assertThat(d.aggregateShareJobs()).isEqualTo(1);
    assertThat(d.batchAggregations()).isEqualTo(1);
    db.datastore().run("test_check_fixed", tx -> {
      assertThat(tx.outstandingBatches().listFilling(leader.id(), Optional.empty()))
          .extracting(OutstandingBatch::batchId).containsExactlyInAnyOrder(freshBatch, collecting);
      assertThat(tx.aggregateShareJobs().get(helper.id(), helperOld, PARAM)).isEmpty();
      assertThat(tx.batchAggregations().getAll(helper.id(), helperOld, PARAM)).isEmpty();
      assertThat(tx.aggregateShareJobs().get(helper.id(), helperFresh, PARAM)).isPresent();
      assertThat(tx.batchAggregations().getAll(helper.id(), helperFresh, PARAM)).hasSize(1);
      return null;
    });
    // The batch a collection job still waits for outlives its aggregation jobs.
    assertThat(gc.runOnce().outstandingBatches()).isZero();
    List<OutstandingBatch> left = db.datastore().run("test_check_collecting",
        tx -> tx.outstandingBatches().listFilling(leader.id(), Optional.empty()));
    assertThat(left).extracting(OutstandingBatch::batchId).containsExactlyInAnyOrder(freshBatch, collecting);
  }

  @Test
  void aFixedSizeAggregateShareJobWithoutShardsExpiresByWhenItWasAnswered() throws Exception {
    Time now = db.clock().now();
    QueryType fixed = new QueryType.FixedSize(OptionalLong.empty(), Optional.empty());
    Task helper = fx.helperTask().timePrecision(PRECISION).reportExpiryAge(EXPIRY_AGE).queryType(fixed).build();
    db.datastore().run("test_put_task", tx -> tx.tasks().put(helper));
    BatchIdentifier oldJob = new BatchIdentifier.FixedSize(fx.batchId());
    BatchIdentifier freshJob = new BatchIdentifier.FixedSize(fx.batchId());
    db.datastore().run("test_jobs", tx -> tx.aggregateShareJobs().put(new AggregateShareJob(helper.id(), oldJob,
        PARAM, fx.bytes(8), 0, new byte[32])) && tx.aggregateShareJobs().put(new AggregateShareJob(helper.id(),
        freshJob, PARAM, fx.bytes(8), 0, new byte[32])));
    // Stored two days and one hour before the (mock) now; neither batch has an aggregation shard.
    try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
        "UPDATE aggregate_share_jobs SET created_at = to_timestamp(?) WHERE batch_identifier = ?")) {
      ps.setLong(1, now.seconds() - 2 * 86_400);
      ps.setBytes(2, oldJob.toBytes());
      ps.executeUpdate();
      ps.setLong(1, now.seconds() - 3_600);
      ps.setBytes(2, freshJob.toBytes());
      ps.executeUpdate();
      c.commit();
    }

    assertThat(collector(5000, OptionalInt.empty()).runOnce().aggregateShareJobs()).isEqualTo(1);
    db.datastore().run("test_check", tx -> {
      assertThat(tx.aggregateShareJobs().get(helper.id(), oldJob, PARAM)).isEmpty();
      assertThat(tx.aggregateShareJobs().get(helper.id(), freshJob, PARAM)).isPresent();
      return null;
    });
  }

  @Test
  void limitsTheWorkOfOneRunAndCatchesUpOverLaterRuns() throws Exception {
    Time now = db.clock().now();
    Task expiring = task(true);
    Artifacts old = store(expiring, new Time(now.seconds() - 3 * 86_400), 5);
    GarbageCollector gc = collector(2, OptionalInt.of(2));

    assertThat(gc.runOnce().clientReports()).isEqualTo(2);
    assertThat(gc.runOnce().clientReports()).isEqualTo(2);
    assertThat(gc.runOnce().clientReports()).isEqualTo(1);
    assertThat(gc.runOnce()).isEqualTo(GarbageCollector.Deleted.NONE);
    assertPresent(old, false);
  }

  @Test
  void dataExpiresAsTheClockMoves() throws Exception {
    Time now = db.clock().now();
    Task expiring = task(true);
    Artifacts a = store(expiring, new Time(now.seconds() - 3_600), 1);
    GarbageCollector gc = collector(5000, OptionalInt.empty());
    gc.runOnce();
    assertPresent(a, true);
    db.clock().advance(DapDuration.ofSeconds(86_400 + 2 * 3_600));
    gc.runOnce();
    assertPresent(a, false);
  }
}
