package io.janus.aggregationjobdriver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.aggregationjobdriver.LeaderHelperPair.Tasks;
import io.janus.aggregationjobdriver.dap09.Dap09AggregationJobHelper;
import io.janus.core.MockClock;
import io.janus.server.binary.Stopper;
import io.janus.server.datastore.model.AcquiredAggregationJob;
import io.janus.server.datastore.model.AggregationJob;
import io.janus.server.datastore.model.AggregationJobCounts;
import io.janus.server.datastore.model.AggregationJobState;
import io.janus.server.datastore.model.BatchAggregation;
import io.janus.server.datastore.model.BatchIdentifier;
import io.janus.server.datastore.model.Lease;
import io.janus.server.datastore.model.LeaderStoredReport;
import io.janus.server.datastore.model.ReportAggregation;
import io.janus.server.datastore.model.ReportAggregationState;
import io.janus.server.datastore.model.ReportFailure;
import io.janus.server.datastore.model.TaskAggregationCounter;
import io.janus.server.job.FailureBackoff;
import io.janus.server.job.JobDriver;
import io.janus.server.job.PeerHttpConfig;
import io.janus.core.http.DapRequestException;
import io.janus.core.http.DapHttpClient;
import io.janus.core.task.QueryType;
import io.janus.core.task.VdafInstance;
import io.janus.core.vdaf.FakeVdaf;
import io.janus.core.vdaf.PingPongVdaf;
import io.janus.messages.AggregationJobId;
import io.janus.messages.BatchId;
import io.janus.messages.DapDuration;
import io.janus.messages.Interval;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The aggregation job driver against the production Helper over real HTTP, both sides on real PostgreSQL. */
class AggregationJobDriverTest {
  private static final Duration LEASE = Duration.ofSeconds(600);
  private static final Instant FAR = Instant.parse("2100-01-01T00:00:00Z");

  private static LeaderHelperPair pair;

  @BeforeAll
  static void setUp() {
    pair = new LeaderHelperPair();
  }

  @AfterAll
  static void tearDown() {
    pair.close();
  }

  private static SimpleMeterRegistry meters;

  private static AggregationJobDriver driver(int maxAttempts) {
    return driver(maxAttempts, new Dap09AggregationJobHelper(new PeerHttpConfig(5, 10, 10, 20, 100).client(
        pair.leader.clock(), d -> pair.leader.clock().advanceMillis(d.toMillis()))));
  }

  private static AggregationJobDriver driver(int maxAttempts, AggregationJobHelper helper) {
    meters = new SimpleMeterRegistry();
    return new AggregationJobDriver(pair.leader.datastore(), pair.leader.clock(), io.janus.core.vdaf.TaskVdafs.byInstance(LeaderHelperPair.VDAFS), helper,
        new AggregationJobDriver.Settings(4, maxAttempts, 2), new Random(pair.seed), meters);
  }

  private static Time reportTime() {
    return new Time(pair.leader.clock().now().seconds() - 1800).truncateTo(LeaderHelperPair.PRECISION);
  }

  private static BatchIdentifier hourOf(Time t) {
    return new BatchIdentifier.TimeInterval(new Interval(t.truncateTo(LeaderHelperPair.PRECISION),
        LeaderHelperPair.PRECISION));
  }

  /** Leases the one incomplete job of the Leader (advancing the clock past earlier leases when asked). */
  private static Lease<AcquiredAggregationJob> acquireOne(AggregationJobDriver d, AggregationJobId jobId) {
    List<Lease<AcquiredAggregationJob>> leases = d.acquire(LEASE, 100);
    return leases.stream().filter(l -> l.leased().jobId().equals(jobId)).findFirst().orElseThrow(
        () -> new AssertionError("job " + jobId + " was not acquired; got " + leases));
  }

  private static AggregationJob job(TaskId taskId, AggregationJobId jobId) {
    return pair.leader.datastore().run("test_job", tx -> tx.aggregationJobs().get(taskId, jobId).orElseThrow());
  }

  private static List<ReportAggregation> reportAggregations(TaskId taskId, AggregationJobId jobId) {
    return pair.leader.datastore().run("test_ras", tx -> tx.reportAggregations().getForJob(taskId, jobId));
  }

  private static AggregationJobCounts counts(TaskId taskId, BatchIdentifier batch) {
    return pair.leader.datastore().run("test_counts", tx -> tx.batchAggregations().sumJobCounts(taskId, batch,
        new byte[0]));
  }

  private static long reportCount(List<BatchAggregation> shards) {
    return shards.stream().mapToLong(BatchAggregation::reportCount).sum();
  }

  private static byte[] checksum(List<LeaderStoredReport> reports) throws Exception {
    byte[] c = new byte[32];
    for (LeaderStoredReport r : reports) {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(r.reportId().bytes());
      for (int i = 0; i < 32; i++) {
        c[i] ^= d[i];
      }
    }
    return c;
  }

  private static byte[] xorShards(List<BatchAggregation> shards) {
    byte[] c = new byte[32];
    for (BatchAggregation b : shards) {
      byte[] x = b.checksum();
      for (int i = 0; i < 32; i++) {
        c[i] ^= x[i];
      }
    }
    return c;
  }

  @Test
  void prio3JobFinishesAndBothAggregatesAddUpToTheMeasurements() throws Exception {
    Tasks t = pair.tasks(new QueryType.TimeInterval(), new VdafInstance.Prio3Count());
    Time time = reportTime();
    long[] measurements = {1, 0, 1, 1, 0};
    List<LeaderStoredReport> good = new ArrayList<>();
    for (long m : measurements) {
      good.add(pair.report(t, time, m));
    }
    LeaderStoredReport unknownKey = pair.reportForUnknownKey(t, time);
    List<LeaderStoredReport> all = new ArrayList<>(good);
    all.add(unknownKey);
    AggregationJobId jobId = pair.createJob(t, all, Optional.empty());
    AggregationJobDriver d = driver(3);

    d.step(acquireOne(d, jobId), FAR);

    AggregationJob job = job(t.id(), jobId);
    assertThat(job.state()).isEqualTo(AggregationJobState.FINISHED);
    List<ReportAggregation> ras = reportAggregations(t.id(), jobId);
    assertThat(ras.subList(0, 5)).allSatisfy(ra -> assertThat(ra.state()).isEqualTo(
        new ReportAggregationState.Finished()));
    assertThat(ras.get(5).state()).isEqualTo(new ReportAggregationState.Failed(ReportFailure.HPKE_UNKNOWN_CONFIG_ID));

    BatchIdentifier batch = hourOf(time);
    List<BatchAggregation> leaderShards = LeaderHelperPair.shards(pair.leader, t.id(), batch);
    assertThat(reportCount(leaderShards)).isEqualTo(5);
    assertThat(xorShards(leaderShards)).isEqualTo(checksum(good));
    assertThat(counts(t.id(), batch)).isEqualTo(new AggregationJobCounts(1, 1));
    assertThat(leaderShards.stream().map(BatchAggregation::clientTimestampInterval)
        .reduce(Interval.EMPTY, Interval::mergedWith)).isEqualTo(new Interval(time, DapDuration.ofSeconds(1)));
    List<BatchAggregation> helperShards = LeaderHelperPair.shards(pair.helper, t.id(), batch);
    assertThat(reportCount(helperShards)).isEqualTo(5);
    assertThat(xorShards(helperShards)).isEqualTo(checksum(good));

    PingPongVdaf vdaf = LeaderHelperPair.VDAFS.apply(t.leaderTask().vdaf());
    long[] result = vdaf.unshard(new byte[0], List.of(LeaderHelperPair.mergedShare(pair.leader, t, batch),
        LeaderHelperPair.mergedShare(pair.helper, t, batch)), 5);
    assertThat(result).containsExactly(3);
    TaskAggregationCounter counted = pair.leader.datastore().run("test_counters",
        tx -> tx.taskCounters().getAggregation(t.id()));
    assertThat(counted.success()).isEqualTo(5);
    assertThat(counted.hpkeUnknownConfigId()).isEqualTo(1);
    // The finished job is no longer offered to drivers.
    assertThat(d.acquire(LEASE, 100)).noneMatch(l -> l.leased().jobId().equals(jobId));
  }

  @Test
  void twoRoundVdafTakesAContinuationStepAndHelperRejectionsAreRecorded() throws Exception {
    Tasks t = pair.tasks(new QueryType.TimeInterval(), LeaderHelperPair.TWO_ROUNDS);
    Time time = reportTime();
    List<LeaderStoredReport> reports = List.of(pair.report(t, time, 5), pair.report(t, time, 7),
        pair.report(t, time, FakeVdaf.FAIL_CONTINUE));
    AggregationJobId jobId = pair.createJob(t, reports, Optional.empty());
    AggregationJobDriver d = driver(3);

    d.step(acquireOne(d, jobId), FAR);
    AggregationJob afterInit = job(t.id(), jobId);
    assertThat(afterInit.state()).isEqualTo(AggregationJobState.IN_PROGRESS);
    assertThat(afterInit.step()).isZero();
    assertThat(reportAggregations(t.id(), jobId)).allSatisfy(ra ->
        assertThat(ra.state()).isInstanceOf(ReportAggregationState.WaitingLeader.class));

    // The lease was released, so the next acquisition gets the job again at once.
    int steps = 1;
    while (job(t.id(), jobId).state() == AggregationJobState.IN_PROGRESS) {
      assertThat(steps).as("steps taken").isLessThan(5);
      d.step(acquireOne(d, jobId), FAR);
      steps++;
    }
    assertThat(job(t.id(), jobId).state()).isEqualTo(AggregationJobState.FINISHED);
    assertThat(job(t.id(), jobId).step()).isEqualTo(steps - 1);
    List<ReportAggregation> ras = reportAggregations(t.id(), jobId);
    assertThat(ras).extracting(ReportAggregation::state).containsExactly(new ReportAggregationState.Finished(),
        new ReportAggregationState.Finished(), new ReportAggregationState.Failed(ReportFailure.VDAF_PREP_ERROR));
    BatchIdentifier batch = hourOf(time);
    assertThat(reportCount(LeaderHelperPair.shards(pair.leader, t.id(), batch))).isEqualTo(2);
    PingPongVdaf vdaf = LeaderHelperPair.VDAFS.apply(t.leaderTask().vdaf());
    long[] result = vdaf.unshard(new byte[0], List.of(LeaderHelperPair.mergedShare(pair.leader, t, batch),
        LeaderHelperPair.mergedShare(pair.helper, t, batch)), 2);
    assertThat(result).containsExactly(12);
  }

  @Test
  void fixedSizeJobsAggregateIntoTheirBatch() throws Exception {
    Tasks t = pair.tasks(new QueryType.FixedSize(OptionalLong.of(10), Optional.empty()),
        new VdafInstance.Prio3Count());
    BatchId batchId = new BatchId(pair.bytes(BatchId.LENGTH));
    Time time = reportTime();
    List<LeaderStoredReport> reports = List.of(pair.report(t, time, 1), pair.report(t, time, 1));
    AggregationJobId jobId = pair.createJob(t, reports, Optional.of(batchId));
    AggregationJobDriver d = driver(3);
    d.step(acquireOne(d, jobId), FAR);
    BatchIdentifier batch = new BatchIdentifier.FixedSize(batchId);
    assertThat(job(t.id(), jobId).state()).isEqualTo(AggregationJobState.FINISHED);
    assertThat(reportCount(LeaderHelperPair.shards(pair.leader, t.id(), batch))).isEqualTo(2);
    assertThat(reportCount(LeaderHelperPair.shards(pair.helper, t.id(), batch))).isEqualTo(2);
    assertThat(counts(t.id(), batch)).isEqualTo(new AggregationJobCounts(1, 1));
  }

  @Test
  void reportsOfABatchCollectedMeanwhileFailWithBatchCollected() throws Exception {
    Tasks t = pair.tasks(new QueryType.TimeInterval(), new VdafInstance.Prio3Count());
    Time time = reportTime();
    AggregationJobId jobId = pair.createJob(t, List.of(pair.report(t, time, 1), pair.report(t, time, 1)),
        Optional.empty());
    // The collection job driver collected the batch while the job was running: every shard is COLLECTED.
    pair.leader.datastore().run("test_collect", tx -> {
      tx.batchAggregations().markCollected(t.id(), hourOf(time), new byte[0]);
      return tx.batchAggregations().createMissingShards(t.id(), hourOf(time), new byte[0], 4,
          io.janus.server.datastore.model.BatchAggregationState.COLLECTED);
    });
    AggregationJobDriver d = driver(3);
    d.step(acquireOne(d, jobId), FAR);
    assertThat(job(t.id(), jobId).state()).isEqualTo(AggregationJobState.FINISHED);
    assertThat(reportAggregations(t.id(), jobId)).extracting(ReportAggregation::state).containsOnly(
        new ReportAggregationState.Failed(ReportFailure.BATCH_COLLECTED));
    assertThat(reportCount(LeaderHelperPair.shards(pair.leader, t.id(), hourOf(time)))).isZero();
    // The job still counts as terminated, so the counters balance.
    assertThat(counts(t.id(), hourOf(time))).isEqualTo(new AggregationJobCounts(1, 1));
  }

  @Test
  void aDriverWhoseLeaseExpiredCannotWrite() throws Exception {
    Tasks t = pair.tasks(new QueryType.TimeInterval(), new VdafInstance.Prio3Count());
    Time time = reportTime();
    List<LeaderStoredReport> reports = List.of(pair.report(t, time, 1));
    AggregationJobId jobId = pair.createJob(t, reports, Optional.empty());
    AggregationJobDriver slow = driver(5);
    Lease<AcquiredAggregationJob> stale = acquireOne(slow, jobId);
    pair.leader.clock().advance(DapDuration.ofSeconds(LEASE.toSeconds() + 1));
    AggregationJobDriver fast = driver(5);
    Lease<AcquiredAggregationJob> current = acquireOne(fast, jobId);
    assertThat(current.attempts()).isEqualTo(2);

    // The slow driver still holds its old lease: it talks to the Helper, but its write is refused.
    slow.step(stale, FAR);
    assertThat(job(t.id(), jobId).state()).isEqualTo(AggregationJobState.IN_PROGRESS);
    assertThat(reportAggregations(t.id(), jobId).get(0).state())
        .isInstanceOf(ReportAggregationState.Start.class);
    assertThat(reportCount(LeaderHelperPair.shards(pair.leader, t.id(), hourOf(time)))).isZero();

    // The new holder finishes the job; the Helper answers its identical request from what it stored.
    fast.step(current, FAR);
    assertThat(job(t.id(), jobId).state()).isEqualTo(AggregationJobState.FINISHED);
    assertThat(reportCount(LeaderHelperPair.shards(pair.leader, t.id(), hourOf(time)))).isEqualTo(1);
  }

  @Test
  void aJobLeasedTooOftenIsAbandonedAndStopsBlockingItsBatch() {
    Tasks t = pair.tasks(new QueryType.TimeInterval(), new VdafInstance.Prio3Count());
    Time time = reportTime();
    AggregationJobId jobId = pair.createJob(t, List.of(pair.report(t, time, 1)), Optional.empty());
    AggregationJobDriver d = driver(2);
    Lease<AcquiredAggregationJob> lease = acquireOne(d, jobId);
    for (int i = 0; i < 2; i++) {
      // Each lease runs out without the job being stepped, as after a crash.
      pair.leader.clock().advance(DapDuration.ofSeconds(LEASE.toSeconds() + 1));
      lease = acquireOne(d, jobId);
    }
    assertThat(lease.attempts()).isEqualTo(3);
    try {
      d.step(lease, FAR);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    assertThat(job(t.id(), jobId).state()).isEqualTo(AggregationJobState.ABANDONED);
    assertThat(counts(t.id(), hourOf(time))).isEqualTo(new AggregationJobCounts(1, 1));
    assertThat(meters.get("janus_aggregation_jobs").tag("status", "abandoned").counter().count()).isEqualTo(1.0);
    pair.leader.clock().advance(DapDuration.ofSeconds(LEASE.toSeconds() + 1));
    assertThat(d.acquire(LEASE, 100)).noneMatch(l -> l.leased().jobId().equals(jobId));
  }

  @Test
  void anUnreachableHelperLeavesTheJobUntouchedAndReleasesItForARetryAfterTheBackoff() throws Exception {
    // Port 9 (discard) on localhost is closed on test machines: every attempt is refused.
    Tasks t = pair.tasks(new QueryType.TimeInterval(), new VdafInstance.Prio3Count(),
        URI.create("http://127.0.0.1:9/"));
    Time time = reportTime();
    AggregationJobId jobId = pair.createJob(t, List.of(pair.report(t, time, 1)), Optional.empty());
    MockClock retryClock = new MockClock();
    List<Duration> waits = new ArrayList<>();
    AggregationJobDriver d = driver(3, new Dap09AggregationJobHelper(DapHttpClient.builder()
        .retryPolicy(new PeerHttpConfig(1, 1, 10, 20, 50).retryPolicy().withJitter(0)).clock(retryClock)
        .sleeper(w -> {
          waits.add(w);
          retryClock.advanceMillis(w.toMillis());
        }).build()));
    Lease<AcquiredAggregationJob> lease = acquireOne(d, jobId);
    assertThatThrownBy(() -> d.step(lease, FAR)).isInstanceOfSatisfying(DapRequestException.class,
        e -> assertThat(e.isTransient()).isTrue());
    assertThat(waits).isNotEmpty();
    assertThat(job(t.id(), jobId).state()).isEqualTo(AggregationJobState.IN_PROGRESS);
    assertThat(reportAggregations(t.id(), jobId).get(0).state()).isInstanceOf(ReportAggregationState.Start.class);
    // Released for the first attempt's backoff (1 s by default), keeping the attempt count.
    assertThat(d.acquire(LEASE, 100)).noneMatch(l -> l.leased().jobId().equals(jobId));
    pair.leader.clock().advance(DapDuration.ofSeconds(1));
    assertThat(acquireOne(d, jobId).attempts()).isEqualTo(2);
  }

  /** A Helper that fails its first {@code failures} requests transiently, then passes requests on. */
  private static final class FlakyHelper implements AggregationJobHelper {
    private final AggregationJobHelper real;
    private final java.util.concurrent.atomic.AtomicInteger failuresLeft;
    private final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

    FlakyHelper(AggregationJobHelper real, int failures) {
      this.real = real;
      this.failuresLeft = new java.util.concurrent.atomic.AtomicInteger(failures);
    }

    private void maybeFail() {
      calls.incrementAndGet();
      if (failuresLeft.getAndDecrement() > 0) {
        throw new DapRequestException("helper unavailable", java.util.OptionalInt.of(503), true, new byte[0],
            null);
      }
    }

    @Override
    public Initialized initialize(io.janus.core.task.Task task, AggregationJobId jobId, byte[] param,
        Optional<BatchId> batchId, List<PrepareInit> inits, Instant deadline) throws InterruptedException {
      maybeFail();
      return real.initialize(task, jobId, param, batchId, inits, deadline);
    }

    @Override
    public List<PrepareResponse> continueJob(io.janus.core.task.Task task, AggregationJobId jobId,
        Optional<URI> location, int step, List<PrepareContinue> continues, Instant deadline)
        throws InterruptedException {
      maybeFail();
      return real.continueJob(task, jobId, location, step, continues, deadline);
    }

    @Override
    public void delete(io.janus.core.task.Task task, AggregationJobId jobId, Optional<URI> location,
        Instant deadline) throws InterruptedException {
      real.delete(task, jobId, location, deadline);
    }
  }

  private static AggregationJobHelper realHelper() {
    return new Dap09AggregationJobHelper(new PeerHttpConfig(5, 10, 10, 20, 100).client(pair.leader.clock(),
        d -> pair.leader.clock().advanceMillis(d.toMillis())));
  }

  @Test
  void aTransientlyFailingJobIsRetriedAfterEachBackoffAndThenSucceeds() throws Exception {
    Tasks t = pair.tasks(new QueryType.TimeInterval(), new VdafInstance.Prio3Count());
    Time time = reportTime();
    AggregationJobId jobId = pair.createJob(t, List.of(pair.report(t, time, 1), pair.report(t, time, 1)),
        Optional.empty());
    FlakyHelper helper = new FlakyHelper(realHelper(), 2);
    meters = new SimpleMeterRegistry();
    AggregationJobDriver d = new AggregationJobDriver(pair.leader.datastore(), pair.leader.clock(),
        io.janus.core.vdaf.TaskVdafs.byInstance(LeaderHelperPair.VDAFS), helper, new AggregationJobDriver.Settings(4, 5, 2,
            new FailureBackoff(Duration.ofSeconds(2), Duration.ofSeconds(3))),
        new Random(pair.seed), meters);

    Lease<AcquiredAggregationJob> first = acquireOne(d, jobId);
    assertThatThrownBy(() -> d.step(first, FAR)).isInstanceOf(DapRequestException.class);
    // First failure: 2 s backoff, not one second less.
    pair.leader.clock().advance(DapDuration.ofSeconds(1));
    assertThat(d.acquire(LEASE, 100)).noneMatch(l -> l.leased().jobId().equals(jobId));
    pair.leader.clock().advance(DapDuration.ofSeconds(1));
    Lease<AcquiredAggregationJob> second = acquireOne(d, jobId);
    assertThat(second.attempts()).isEqualTo(2);
    assertThatThrownBy(() -> d.step(second, FAR)).isInstanceOf(DapRequestException.class);
    // Second failure: 4 s doubled, capped at 3 s.
    pair.leader.clock().advance(DapDuration.ofSeconds(2));
    assertThat(d.acquire(LEASE, 100)).noneMatch(l -> l.leased().jobId().equals(jobId));
    pair.leader.clock().advance(DapDuration.ofSeconds(1));
    Lease<AcquiredAggregationJob> third = acquireOne(d, jobId);
    assertThat(third.attempts()).isEqualTo(3);
    d.step(third, FAR);

    assertThat(helper.calls.get()).isEqualTo(3);
    assertThat(job(t.id(), jobId).state()).isEqualTo(AggregationJobState.FINISHED);
    assertThat(reportCount(LeaderHelperPair.shards(pair.leader, t.id(), hourOf(time)))).isEqualTo(2);
    assertThat(reportCount(LeaderHelperPair.shards(pair.helper, t.id(), hourOf(time)))).isEqualTo(2);
    assertThat(meters.get("janus_aggregation_jobs").tag("status", "finished").counter().count()).isEqualTo(1.0);
  }

  @Test
  void aJobFailingEveryTimeIsAbandonedAfterMaximumAttempts() throws Exception {
    Tasks t = pair.tasks(new QueryType.TimeInterval(), new VdafInstance.Prio3Count());
    Time time = reportTime();
    AggregationJobId jobId = pair.createJob(t, List.of(pair.report(t, time, 1)), Optional.empty());
    FlakyHelper helper = new FlakyHelper(realHelper(), Integer.MAX_VALUE);
    int maxAttempts = 4;
    meters = new SimpleMeterRegistry();
    FailureBackoff backoff = new FailureBackoff(Duration.ofSeconds(1), Duration.ofSeconds(5));
    AggregationJobDriver d = new AggregationJobDriver(pair.leader.datastore(), pair.leader.clock(),
        io.janus.core.vdaf.TaskVdafs.byInstance(LeaderHelperPair.VDAFS), helper, new AggregationJobDriver.Settings(4, maxAttempts, 2, backoff),
        new Random(pair.seed), meters);

    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      Lease<AcquiredAggregationJob> lease = acquireOne(d, jobId);
      assertThat(lease.attempts()).isEqualTo(attempt);
      assertThatThrownBy(() -> d.step(lease, FAR)).isInstanceOf(DapRequestException.class);
      assertThat(job(t.id(), jobId).state()).isEqualTo(AggregationJobState.IN_PROGRESS);
      pair.leader.clock().advance(DapDuration.ofSeconds(backoff.delay(attempt).toSeconds()));
    }
    Lease<AcquiredAggregationJob> last = acquireOne(d, jobId);
    assertThat(last.attempts()).isEqualTo(maxAttempts + 1);
    d.step(last, FAR);

    assertThat(helper.calls.get()).isEqualTo(maxAttempts);
    assertThat(job(t.id(), jobId).state()).isEqualTo(AggregationJobState.ABANDONED);
    assertThat(counts(t.id(), hourOf(time))).isEqualTo(new AggregationJobCounts(1, 1));
    assertThat(meters.get("janus_aggregation_jobs").tag("status", "abandoned").counter().count()).isEqualTo(1.0);
    pair.leader.clock().advance(DapDuration.ofSeconds(LEASE.toSeconds() + 1));
    assertThat(d.acquire(LEASE, 100)).noneMatch(l -> l.leased().jobId().equals(jobId));
  }

  @Test
  void aJobTheHelperRefusesIsAbandonedAtOnceAndDeletedAtTheHelper() throws Exception {
    Tasks t = pair.tasks(new QueryType.TimeInterval(), new VdafInstance.Prio3Count());
    Time time = reportTime();
    AggregationJobId jobId = pair.createJob(t, List.of(pair.report(t, time, 1)), Optional.empty());
    AggregationJobHelper real = realHelper();
    java.util.concurrent.atomic.AtomicInteger deletes = new java.util.concurrent.atomic.AtomicInteger();
    byte[] problem = ("{\"type\":\"" + io.janus.messages.DapProblemType.INVALID_MESSAGE.urn() + "\"}")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    // The Helper creates the job, then a 400 reaches the Leader (as when a proxy or a newer Helper refuses).
    AggregationJobHelper refusing = new AggregationJobHelper() {
      @Override
      public Initialized initialize(io.janus.core.task.Task task, AggregationJobId id, byte[] param,
          Optional<BatchId> batchId, List<PrepareInit> inits, Instant deadline) throws InterruptedException {
        real.initialize(task, id, param, batchId, inits, deadline);
        throw new DapRequestException("refused", java.util.OptionalInt.of(400), false, problem, null);
      }

      @Override
      public List<PrepareResponse> continueJob(io.janus.core.task.Task task, AggregationJobId id,
          Optional<URI> location, int step, List<PrepareContinue> continues, Instant deadline) {
        throw new AssertionError("no continuation expected");
      }

      @Override
      public void delete(io.janus.core.task.Task task, AggregationJobId id, Optional<URI> location,
          Instant deadline) throws InterruptedException {
        deletes.incrementAndGet();
        real.delete(task, id, location, deadline);
      }
    };
    meters = new SimpleMeterRegistry();
    AggregationJobDriver d = new AggregationJobDriver(pair.leader.datastore(), pair.leader.clock(),
        io.janus.core.vdaf.TaskVdafs.byInstance(LeaderHelperPair.VDAFS), refusing, new AggregationJobDriver.Settings(4, 10, 2), new Random(pair.seed),
        meters);

    d.step(acquireOne(d, jobId), FAR);

    assertThat(job(t.id(), jobId).state()).isEqualTo(AggregationJobState.ABANDONED);
    assertThat(counts(t.id(), hourOf(time))).isEqualTo(new AggregationJobCounts(1, 1));
    assertThat(deletes.get()).isEqualTo(1);
    assertThat(pair.helper.datastore().run("test_helper_job", tx -> tx.aggregationJobs().get(t.id(), jobId))
        .orElseThrow().state()).isEqualTo(AggregationJobState.DELETED);
    assertThat(meters.get("janus_aggregation_jobs").tag("status", "abandoned").counter().count()).isEqualTo(1.0);
  }

  @Test
  void twoJobDriversShareTheJobsWithoutCountingAnyReportTwice() throws Exception {
    Tasks t = pair.tasks(new QueryType.TimeInterval(), new VdafInstance.Prio3Count());
    Time time = reportTime();
    List<AggregationJobId> jobs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      jobs.add(pair.createJob(t, List.of(pair.report(t, time, 1), pair.report(t, time, 0)), Optional.empty()));
    }
    // Two processes' worth of drivers, three workers each, stepping the same task's jobs at once.
    java.util.Set<AggregationJobId> finished = java.util.concurrent.ConcurrentHashMap.newKeySet();
    CountDownLatch allFinished = new CountDownLatch(jobs.size());
    Stopper stopper = new Stopper();
    List<CompletableFuture<Void>> runs = new ArrayList<>();
    for (int n = 0; n < 2; n++) {
      AggregationJobDriver d = driver(3);
      JobDriver<AcquiredAggregationJob> jd = new JobDriver<>("test" + n, new JobDriver.Settings(
          Duration.ofMillis(5), 3, LEASE, Duration.ofSeconds(60)), d::acquire,
          (lease, deadline) -> {
            d.step(lease, deadline);
            AggregationJobId id = lease.leased().jobId();
            if (jobs.contains(id) && job(t.id(), id).state() == AggregationJobState.FINISHED && finished.add(id)) {
              allFinished.countDown();
            }
          }, new SimpleMeterRegistry());
      runs.add(CompletableFuture.runAsync(() -> {
        try {
          jd.run(stopper);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    allFinished.await();
    stopper.stop();
    for (CompletableFuture<Void> r : runs) {
      r.get();
    }
    assertThat(reportCount(LeaderHelperPair.shards(pair.leader, t.id(), hourOf(time)))).isEqualTo(16);
    assertThat(counts(t.id(), hourOf(time))).isEqualTo(new AggregationJobCounts(8, 8));
    assertThat(reportCount(LeaderHelperPair.shards(pair.helper, t.id(), hourOf(time)))).isEqualTo(16);
  }

  @Test
  void aHelperThatRefusesTheRequestFailsTheStepWithoutRetrying() throws Exception {
    Tasks t = pair.tasks(new QueryType.TimeInterval(), new VdafInstance.Prio3Count());
    // The Helper knows another token for this task: it answers 403 unauthorizedRequest.
    io.janus.core.task.Task wrongToken = t.leaderTask().toBuilder().aggregatorAuthToken(
        new io.janus.core.auth.AuthenticationToken(io.janus.core.auth.AuthenticationTokenType.BEARER, "not-it"))
        .build();
    Time time = reportTime();
    LeaderStoredReport r = pair.report(t, time, 1);
    AggregationJobHelper helper = new Dap09AggregationJobHelper(new PeerHttpConfig(5, 10, 10, 20, 100).client(
        pair.leader.clock(), w -> {
          throw new AssertionError("a refused request must not be retried");
        }));
    assertThatThrownBy(() -> helper.initialize(wrongToken, new AggregationJobId(pair.bytes(16)), new byte[0],
        Optional.empty(), List.of(new AggregationJobHelper.PrepareInit(r.reportId(), r.time(), r.publicShare(),
            r.helperEncryptedInputShare(), new byte[] {0})), FAR))
        .isInstanceOfSatisfying(DapRequestException.class, e -> {
          assertThat(e.isTransient()).isFalse();
          assertThat(e.status()).hasValue(403);
        });
  }

  @Test
  void leaderPendingRoundTrips() {
    LeaderPending p = new LeaderPending(true, new byte[] {1, 2, 3}, new byte[] {9});
    LeaderPending q = LeaderPending.decode(p.encode());
    assertThat(q.finished()).isTrue();
    assertThat(q.stateOrOutputShare()).containsExactly(1, 2, 3);
    assertThat(q.outbound()).containsExactly(9);
    assertThatThrownBy(() -> LeaderPending.decode(new byte[] {7})).isInstanceOf(IllegalStateException.class);
  }
}
