package io.janus.aggregationjobcreator;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.server.datastore.model.AggregationJob;
import io.janus.server.datastore.model.AggregationJobCounts;
import io.janus.server.datastore.model.AggregationJobState;
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
import io.janus.messages.BatchId;
import io.janus.messages.CollectionJobId;
import io.janus.messages.DapDuration;
import io.janus.messages.Interval;
import io.janus.messages.ReportId;
import io.janus.messages.Time;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The aggregation job creator over real PostgreSQL, for both query types. */
class AggregationJobCreatorTest {
  private static final DapDuration PRECISION = DapDuration.ofSeconds(3600);
  private static final byte[] PARAM = new byte[0];
  private static final int SHARDS = 4;
  /** Jobs of 5 to 10 reports; small remainders wait 2 time precisions. */
  private static final AggregationJobCreator.Settings SETTINGS =
      new AggregationJobCreator.Settings(SHARDS, 5, 10, 1000, 2);

  private static TestDatabase db;
  private static Fixtures fx;
  private static long seed;

  @BeforeAll
  static void setUp() {
    db = TestDatabase.create();
    seed = System.nanoTime();
    fx = new Fixtures(seed);
    System.out.println("AggregationJobCreatorTest seed: " + seed);
  }

  @AfterAll
  static void tearDown() {
    db.close();
  }

  private static AggregationJobCreator creator(AggregationJobCreator.Settings settings) {
    return new AggregationJobCreator(db.datastore(), db.clock(), settings, new SplittableRandom(seed),
        new SimpleMeterRegistry());
  }

  private static Task task(QueryType queryType) {
    Task t = fx.leaderTask().timePrecision(PRECISION).queryType(queryType).build();
    db.datastore().run("test_put_task", tx -> tx.tasks().put(t));
    return t;
  }

  private static List<LeaderStoredReport> upload(Task task, Time time, int n) {
    List<LeaderStoredReport> reports = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      reports.add(fx.report(task.id(), new Time(time.seconds() + i % 60)));
    }
    db.datastore().run("test_upload", tx -> tx.clientReports().putAll(reports));
    return reports;
  }

  /** Every job of the task with its report aggregations. */
  private static Map<AggregationJob, List<ReportAggregation>> jobs(Task task) {
    return db.datastore().run("test_jobs", tx -> {
      Map<AggregationJob, List<ReportAggregation>> out = new HashMap<>();
      for (AggregationJob j : tx.aggregationJobs().listForTask(task.id())) {
        out.put(j, tx.reportAggregations().getForJob(task.id(), j.id()));
      }
      return out;
    });
  }

  private static List<Integer> sizes(Map<AggregationJob, List<ReportAggregation>> jobs) {
    return jobs.values().stream().map(List::size).sorted().toList();
  }

  private static long unaggregated(Task task, Interval interval) {
    return db.datastore().run("test_count", tx -> tx.clientReports().countUnaggregatedInInterval(task.id(), interval));
  }

  private static Interval hourOf(Time t) {
    return new Interval(t.truncateTo(PRECISION), PRECISION);
  }

  @Test
  void timeIntervalJobsStayInsideOneBucketAndHoldEveryReportOnce() {
    Task task = task(new QueryType.TimeInterval());
    Time now = db.clock().now();
    Time oldHour = new Time(now.seconds() - 5 * 3600).truncateTo(PRECISION);
    Time recentHour = now.truncateTo(PRECISION);
    List<LeaderStoredReport> old = upload(task, oldHour, 25);
    List<LeaderStoredReport> recent = upload(task, recentHour, 3);

    int created = creator(SETTINGS).createJobs(task);

    Map<AggregationJob, List<ReportAggregation>> jobs = jobs(task);
    assertThat(created).isEqualTo(3);
    assertThat(sizes(jobs)).containsExactly(5, 10, 10);
    Set<ReportId> seen = new HashSet<>();
    for (Map.Entry<AggregationJob, List<ReportAggregation>> e : jobs.entrySet()) {
      AggregationJob j = e.getKey();
      assertThat(j.state()).isEqualTo(AggregationJobState.IN_PROGRESS);
      assertThat(j.step()).isZero();
      assertThat(j.batchId()).isEmpty();
      assertThat(hourOf(j.clientTimestampInterval().start())).isEqualTo(hourOf(oldHour));
      for (ReportAggregation ra : e.getValue()) {
        assertThat(seen.add(ra.reportId())).as("report %s in one job only", ra.reportId()).isTrue();
        assertThat(ra.state()).isInstanceOf(ReportAggregationState.Start.class);
        assertThat(j.clientTimestampInterval().contains(ra.time())).isTrue();
      }
      assertThat(e.getValue()).extracting(ReportAggregation::ord).containsExactlyElementsOf(
          java.util.stream.IntStream.range(0, e.getValue().size()).boxed().toList());
    }
    assertThat(seen).containsExactlyInAnyOrderElementsOf(old.stream().map(LeaderStoredReport::reportId).toList());
    LeaderStoredReport first = old.get(0);
    ReportAggregation firstRa = jobs.values().stream().flatMap(List::stream)
        .filter(ra -> ra.reportId().equals(first.reportId())).findFirst().orElseThrow();
    assertThat(firstRa.state()).isEqualTo(new ReportAggregationState.Start(first.leaderExtensions(),
        first.publicShare(), first.leaderInputShare(), first.helperEncryptedInputShare(), first.publicExtensions()));
    assertThat(first.publicExtensions()).isNotEmpty();

    db.datastore().run("test_check", tx -> {
      // The shares moved into the report aggregations; the client report rows stay, scrubbed, for replay checks.
      assertThat(tx.clientReports().get(task.id(), first.reportId())).isEmpty();
      assertThat(tx.clientReports().exists(task.id(), first.reportId())).isTrue();
      AggregationJobCounts counts = tx.batchAggregations().sumJobCounts(task.id(),
          new BatchIdentifier.TimeInterval(hourOf(oldHour)), PARAM);
      assertThat(counts).isEqualTo(new AggregationJobCounts(3, 0));
      return null;
    });
    // The three recent reports are fewer than a job's minimum: they wait, still unaggregated.
    assertThat(unaggregated(task, hourOf(recentHour))).isEqualTo(3);
    assertThat(unaggregated(task, hourOf(oldHour))).isZero();
    assertThat(recent).hasSize(3);
  }

  @Test
  void leftoversBecomeAJobOnceOlderThanTheGracePeriod() {
    Task task = task(new QueryType.TimeInterval());
    Time hour = db.clock().now().truncateTo(PRECISION);
    upload(task, hour, 3);
    AggregationJobCreator creator = creator(SETTINGS);
    assertThat(creator.createJobs(task)).isZero();
    assertThat(jobs(task)).isEmpty();

    db.clock().advance(DapDuration.ofSeconds(3 * 3600));
    assertThat(creator.createJobs(task)).isEqualTo(1);
    assertThat(sizes(jobs(task))).containsExactly(3);
    assertThat(unaggregated(task, hourOf(hour))).isZero();
  }

  @Test
  void fixedSizeJobsFillOutstandingBatchesUpToTheirMaximumSize() {
    Task task = task(new QueryType.FixedSize(OptionalLong.of(12), Optional.empty()));
    Time now = db.clock().now();
    upload(task, new Time(now.seconds() - 600), 30);
    AggregationJobCreator creator = creator(SETTINGS);

    assertThat(creator.createJobs(task)).isEqualTo(5);

    Map<AggregationJob, List<ReportAggregation>> jobs = jobs(task);
    Map<BatchId, Integer> perBatch = new HashMap<>();
    for (Map.Entry<AggregationJob, List<ReportAggregation>> e : jobs.entrySet()) {
      perBatch.merge(e.getKey().batchId().orElseThrow(), e.getValue().size(), Integer::sum);
    }
    // Two full batches of 12 (a job of 10 and one of 2 each: the batch's last room allows a small job), one of 6.
    assertThat(sizes(jobs)).containsExactly(2, 2, 6, 10, 10);
    assertThat(perBatch.values()).containsExactlyInAnyOrder(12, 12, 6);
    List<OutstandingBatch> filling = db.datastore().run("test_filling",
        tx -> tx.outstandingBatches().listFilling(task.id(), Optional.empty()));
    assertThat(filling).hasSize(1);
    BatchId open = filling.get(0).batchId();
    assertThat(perBatch.get(open)).isEqualTo(6);
    db.datastore().run("test_counts", tx -> {
      for (BatchId b : perBatch.keySet()) {
        long jobsInBatch = jobs.keySet().stream().filter(j -> j.batchId().orElseThrow().equals(b)).count();
        assertThat(tx.batchAggregations().sumJobCounts(task.id(), new BatchIdentifier.FixedSize(b), PARAM))
            .isEqualTo(new AggregationJobCounts(jobsInBatch, 0));
      }
      return null;
    });

    // Four more reports fit the open batch but are fewer than a job: they wait until the grace period passes.
    upload(task, now, 4);
    assertThat(creator.createJobs(task)).isZero();
    db.clock().advance(DapDuration.ofSeconds(3 * 3600));
    assertThat(creator.createJobs(task)).isEqualTo(1);
    Map<AggregationJob, List<ReportAggregation>> after = jobs(task);
    assertThat(after).hasSize(6);
    assertThat(after.entrySet().stream().filter(e -> e.getValue().size() == 4).findFirst().orElseThrow().getKey()
        .batchId()).hasValue(open);
  }

  @Test
  void fixedSizeTasksWithATimeWindowBatchEachWindowSeparately() {
    Task task = task(new QueryType.FixedSize(OptionalLong.of(100), Optional.of(DapDuration.ofSeconds(3600))));
    Time now = db.clock().now().truncateTo(PRECISION);
    upload(task, new Time(now.seconds() - 7200), 6);
    upload(task, new Time(now.seconds() - 3600), 7);
    assertThat(creator(SETTINGS).createJobs(task)).isEqualTo(2);
    Map<AggregationJob, List<ReportAggregation>> jobs = jobs(task);
    assertThat(jobs.keySet().stream().map(j -> j.batchId().orElseThrow()).distinct()).hasSize(2);
    assertThat(sizes(jobs)).containsExactly(6, 7);
    db.datastore().run("test_windows", tx -> {
      assertThat(tx.outstandingBatches().listFilling(task.id(), Optional.of(new Time(now.seconds() - 7200))))
          .hasSize(1);
      assertThat(tx.outstandingBatches().listFilling(task.id(), Optional.of(new Time(now.seconds() - 3600))))
          .hasSize(1);
      return null;
    });
  }

  @Test
  void concurrentCreatorsNeverPutAReportInTwoJobs() throws Exception {
    Task task = task(new QueryType.TimeInterval());
    Time hour = new Time(db.clock().now().seconds() - 4 * 3600).truncateTo(PRECISION);
    List<LeaderStoredReport> reports = upload(task, hour, 200);
    // Small windows so both creators go around many times.
    AggregationJobCreator.Settings small = new AggregationJobCreator.Settings(SHARDS, 5, 10, 20, 2);
    CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> creator(small).createJobs(task));
    CompletableFuture<Integer> b = CompletableFuture.supplyAsync(() -> creator(small).createJobs(task));
    int created = a.get() + b.get();
    // A creator stops when it claims a short window, possibly while the other still holds rows: sweep up.
    created += creator(small).createJobs(task);

    Map<AggregationJob, List<ReportAggregation>> jobs = jobs(task);
    assertThat(jobs).hasSize(created);
    List<ReportId> inJobs = jobs.values().stream().flatMap(List::stream).map(ReportAggregation::reportId).toList();
    assertThat(inJobs).doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(reports.stream().map(LeaderStoredReport::reportId).toList());
    AggregationJobCounts counts = db.datastore().run("test_counts", tx -> tx.batchAggregations().sumJobCounts(
        task.id(), new BatchIdentifier.TimeInterval(hourOf(hour)), PARAM));
    assertThat(counts).isEqualTo(new AggregationJobCounts(created, 0));
  }

  @Test
  void concurrentCreatorsNeverFillAFixedSizeBatchPastItsMaximum() throws Exception {
    long max = 25;
    Task task = task(new QueryType.FixedSize(OptionalLong.of(max), Optional.empty()));
    Time old = new Time(db.clock().now().seconds() - 5 * 3600);
    // Small windows and jobs: every creator goes around many times and fills the same open batches.
    // Many shards: two creators rarely write the same shard row, so only the batch claim keeps them apart.
    AggregationJobCreator.Settings small = new AggregationJobCreator.Settings(1024, 3, 7, 14, 2);
    List<LeaderStoredReport> reports = new ArrayList<>();
    // Threads of their own: the common pool may have a single thread on a small machine.
    java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(4);
    for (int round = 0; round < 3; round++) {
      reports.addAll(upload(task, old, 120));
      List<CompletableFuture<Integer>> creators = new ArrayList<>();
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(4);
      for (int c = 0; c < 4; c++) {
        // Each its own ID stream, as separate processes have.
        AggregationJobCreator creator = new AggregationJobCreator(db.datastore(), db.clock(), small,
            new SplittableRandom(seed + 10 * round + c), new SimpleMeterRegistry());
        creators.add(CompletableFuture.supplyAsync(() -> {
          try {
            start.await();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          return creator.createJobs(task);
        }, threads));
      }
      for (CompletableFuture<Integer> c : creators) {
        c.get();
      }
      new AggregationJobCreator(db.datastore(), db.clock(), small, new SplittableRandom(seed + 10 * round + 9),
          new SimpleMeterRegistry()).createJobs(task);
    }
    threads.shutdown();

    Map<AggregationJob, List<ReportAggregation>> jobs = jobs(task);
    Map<BatchId, Integer> perBatch = new HashMap<>();
    for (Map.Entry<AggregationJob, List<ReportAggregation>> e : jobs.entrySet()) {
      perBatch.merge(e.getKey().batchId().orElseThrow(), e.getValue().size(), Integer::sum);
    }
    assertThat(perBatch.values()).allSatisfy(n -> assertThat((long) n).isLessThanOrEqualTo(max));
    assertThat(perBatch.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(reports.size());
    List<ReportId> inJobs = jobs.values().stream().flatMap(List::stream).map(ReportAggregation::reportId).toList();
    assertThat(inJobs).doesNotHaveDuplicates().hasSize(reports.size());
  }

  @Test
  void reportsOfABatchWhoseCollectionBeganAreDroppedAndCounted() throws Exception {
    Task task = task(new QueryType.TimeInterval());
    Time collected = new Time(db.clock().now().seconds() - 6 * 3600).truncateTo(PRECISION);
    Time requested = new Time(collected.seconds() + 3600);
    List<LeaderStoredReport> late = upload(task, collected, 6);
    upload(task, requested, 6);
    CollectionJobId frozenJob = new CollectionJobId(fx.bytes(CollectionJobId.LENGTH));
    CollectionJobId startJob = new CollectionJobId(fx.bytes(CollectionJobId.LENGTH));
    db.datastore().run("test_collection_jobs", tx -> {
      tx.collectionJobs().put(new CollectionJob(task.id(), frozenJob, CollectionQueryKind.TIME_INTERVAL, PARAM,
          new BatchIdentifier.TimeInterval(hourOf(collected)),
          new CollectionJobState.Collecting(3, hourOf(collected), new byte[16], new byte[32])));
      tx.collectionJobs().put(new CollectionJob(task.id(), startJob, CollectionQueryKind.TIME_INTERVAL, PARAM,
          new BatchIdentifier.TimeInterval(hourOf(requested)), new CollectionJobState.Start()));
      return null;
    });
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    AggregationJobCreator creator = new AggregationJobCreator(db.datastore(), db.clock(), SETTINGS,
        new SplittableRandom(seed), meters);

    assertThat(creator.createJobs(task)).isEqualTo(1);

    // The requested hour's reports form a job (its collection waits for it); the collected hour's are dropped.
    Map<AggregationJob, List<ReportAggregation>> jobs = jobs(task);
    assertThat(jobs.values()).singleElement().satisfies(ras -> assertThat(ras).hasSize(6)
        .allSatisfy(ra -> assertThat(hourOf(requested).contains(ra.time())).isTrue()));
    assertThat(unaggregated(task, hourOf(collected))).isZero();
    db.datastore().run("test_dropped", tx -> {
      for (LeaderStoredReport r : late) {
        assertThat(tx.clientReports().get(task.id(), r.reportId())).as("scrubbed").isEmpty();
        assertThat(tx.clientReports().exists(task.id(), r.reportId())).as("kept for replay checks").isTrue();
      }
      assertThat(tx.taskCounters().getAggregation(task.id()).batchCollected()).isEqualTo(6);
      return null;
    });
    assertThat(meters.get("janus_reports_dropped_late").counter().count()).isEqualTo(6.0);
    // The creator wrote the not-yet-begun collection job's row, so its freezing cannot miss the new job.
    assertThat(updatedBy(task, startJob)).isEqualTo("aggregation_job_creator_create_jobs");
    assertThat(updatedBy(task, frozenJob)).isNotEqualTo("aggregation_job_creator_create_jobs");
  }

  private static String updatedBy(Task task, CollectionJobId job) throws java.sql.SQLException {
    try (java.sql.Connection c = db.dataSource().getConnection();
        java.sql.PreparedStatement ps = c.prepareStatement("SELECT updated_by FROM collection_jobs WHERE task_id ="
            + " (SELECT id FROM tasks WHERE task_id = ?) AND collection_job_id = ?")) {
      ps.setBytes(1, task.id().bytes());
      ps.setBytes(2, job.bytes());
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        rs.next();
        String out = rs.getString(1);
        c.rollback();
        return out;
      }
    }
  }
}
