package io.janus.collectionjobdriver;

import static io.janus.collectionjobdriver.LeaderPipeline.FAR;
import static io.janus.collectionjobdriver.LeaderPipeline.LEASE;
import static io.janus.collectionjobdriver.LeaderPipeline.PRECISION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.collectionjobdriver.LeaderPipeline.Tasks;
import io.janus.server.datastore.model.AcquiredCollectionJob;
import io.janus.server.datastore.model.BatchAggregation;
import io.janus.server.datastore.model.BatchAggregationState;
import io.janus.server.datastore.model.BatchIdentifier;
import io.janus.server.datastore.model.CollectionJob;
import io.janus.server.datastore.model.CollectionJobState;
import io.janus.server.datastore.model.Lease;
import io.janus.core.hpke.Hpke;
import io.janus.server.job.FailureBackoff;
import io.janus.core.http.DapRequestException;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.core.task.VdafInstance;
import io.janus.core.vdaf.PingPongVdaf;
import io.janus.core.vdaf.VdafDispatch;
import io.janus.messages.BatchId;
import io.janus.messages.CollectionJobId;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.Interval;
import io.janus.messages.Role;
import io.janus.messages.Time;
import io.janus.messages.dap09.AggregateShareAad;
import io.janus.messages.dap09.BatchSelector;
import io.janus.messages.dap09.Collection;
import io.janus.messages.dap09.Dap09;
import io.janus.messages.dap09.FixedSizeQuery;
import io.janus.messages.dap09.PartialBatchSelector;
import io.janus.messages.dap09.Query;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The collection job driver inside the whole Leader pipeline (upload, job creation, aggregation, collection, poll)
 * against the production Helper, over real HTTP and real PostgreSQL, with real Prio3 and HPKE.
 */
class CollectionJobDriverTest {
  private static LeaderPipeline p;

  @BeforeAll
  static void setUp() {
    p = new LeaderPipeline();
  }

  @AfterAll
  static void tearDown() {
    p.close();
  }

  private static CollectionJobId collectionJobId() {
    return new CollectionJobId(p.bytes(CollectionJobId.LENGTH));
  }

  private static Time hourAgo() {
    return p.hourAgo();
  }

  private static Lease<AcquiredCollectionJob> acquireOne(CollectionJobDriver d, CollectionJobId id) {
    return p.acquireOne(d, id);
  }

  private static Optional<Lease<AcquiredCollectionJob>> acquire(CollectionJobDriver d, CollectionJobId id) {
    return p.acquire(d, id);
  }

  private static CollectionJob job(Tasks t, CollectionJobId id) {
    return p.collectionJob(t, id);
  }

  private static void uploadAll(Tasks t, Time time, long... measurements) {
    for (long m : measurements) {
      assertThat(p.upload(t, time, m)).isBetween(200, 299);
    }
  }

  /** Polls until finished (the driver has run), decrypts both shares as the collector does and unshards them. */
  private static long[] collect(Tasks t, CollectionJobId id, BatchSelector selector, Collection[] out)
      throws Exception {
    HttpResponse<byte[]> r = p.poll(t, id);
    assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
    Collection c = Collection.decode(r.body());
    out[0] = c;
    byte[] aad = new AggregateShareAad(t.id(), new byte[0], selector).toBytes();
    byte[] leaderShare = Hpke.open(p.collectorKey, Dap09.aggregateShareInfo(Role.LEADER),
        c.leaderEncryptedAggregateShare(), aad);
    byte[] helperShare = Hpke.open(p.collectorKey, Dap09.aggregateShareInfo(Role.HELPER),
        c.helperEncryptedAggregateShare(), aad);
    PingPongVdaf vdaf = VdafDispatch.forInstance(t.leaderTask().vdaf());
    return vdaf.unshard(new byte[0], List.of(leaderShare, helperShare), c.reportCount());
  }

  @Test
  void timeIntervalCollectionEndToEnd() throws Exception {
    Tasks t = p.tasks(new QueryType.TimeInterval(), new VdafInstance.Prio3Sum(8), 3);
    Time time = hourAgo();
    // Reports in both hours of the queried interval: two batches, merged by the driver.
    uploadAll(t, time, 10, 20, 30);
    uploadAll(t, new Time(time.seconds() + PRECISION.seconds()), 40, 5);
    p.aggregateEverything(t);
    Interval interval = new Interval(time, DapDuration.ofSeconds(2 * PRECISION.seconds()));
    CollectionJobId id = collectionJobId();
    assertThat(p.createCollectionJob(t, id, new Query.TimeInterval(interval))).isEqualTo(201);
    assertThat(p.poll(t, id).statusCode()).isEqualTo(202);

    CollectionJobDriver d = p.collectionDriver(3);
    d.step(acquireOne(d, id), FAR);

    assertThat(job(t, id).state()).isInstanceOf(CollectionJobState.Finished.class);
    Collection[] c = new Collection[1];
    long[] result = collect(t, id, new BatchSelector.TimeInterval(interval), c);
    assertThat(result).containsExactly(105);
    assertThat(c[0].reportCount()).isEqualTo(5);
    assertThat(c[0].interval()).isEqualTo(interval);
    assertThat(c[0].partialBatchSelector()).isEqualTo(new PartialBatchSelector.TimeInterval());
    // Every shard of both batches is collected, so an aggregation job finishing later cannot add to them unseen.
    List<BatchAggregation> shards = p.leaderDb.datastore().run("test_shards", tx -> tx.batchAggregations()
        .getAllInInterval(t.id(), interval, new byte[0]));
    assertThat(shards).hasSize(8).allSatisfy(b -> assertThat(b.state()).isEqualTo(BatchAggregationState.COLLECTED));
    // A finished job is not acquired again.
    assertThat(acquire(d, id)).isEmpty();
  }

  @Test
  void anIncompleteBatchIsRetriedWithAGrowingDelay() throws Exception {
    Tasks t = p.tasks(new QueryType.TimeInterval(), new VdafInstance.Prio3Count(), 1);
    Time time = hourAgo();
    uploadAll(t, time, 1, 1, 0);
    Interval interval = new Interval(time, PRECISION);
    CollectionJobId id = collectionJobId();
    assertThat(p.createCollectionJob(t, id, new Query.TimeInterval(interval))).isEqualTo(201);
    CollectionJobDriver d = p.collectionDriver(3);

    // No aggregation job yet: three reports still wait for one.
    d.step(acquireOne(d, id), FAR);
    assertThat(job(t, id).state()).isEqualTo(new CollectionJobState.Start());
    assertThat(acquire(d, id)).isEmpty();
    p.leaderDb.clock().advance(DapDuration.ofSeconds(599));
    assertThat(acquire(d, id)).isEmpty();
    p.leaderDb.clock().advance(DapDuration.ofSeconds(2));
    Lease<AcquiredCollectionJob> second = acquireOne(d, id);
    assertThat(second.leased().stepAttempts()).isEqualTo(1);

    // Jobs created but not yet run: still not ready, and the next wait is 600 * 1.25 seconds.
    p.creator.createJobs(t.leaderTask());
    d.step(second, FAR);
    p.leaderDb.clock().advance(DapDuration.ofSeconds(749));
    assertThat(acquire(d, id)).isEmpty();
    p.leaderDb.clock().advance(DapDuration.ofSeconds(2));
    Lease<AcquiredCollectionJob> third = acquireOne(d, id);

    p.aggregateEverything(t);
    d.step(third, FAR);
    Collection[] c = new Collection[1];
    assertThat(collect(t, id, new BatchSelector.TimeInterval(interval), c)).containsExactly(2);
    assertThat(p.collectionMeters.get("janus_collection_jobs").tag("status", "not_ready").counter().count())
        .isEqualTo(2.0);
  }

  @Test
  void fixedSizeCurrentBatchCollectionEndToEnd() throws Exception {
    Tasks t = p.tasks(new QueryType.FixedSize(OptionalLong.of(10), Optional.empty()), new VdafInstance.Prio3Count(),
        3);
    Time time = hourAgo();
    uploadAll(t, time, 1, 0, 1, 1);
    p.aggregateEverything(t);
    CollectionJobId id = collectionJobId();
    assertThat(p.createCollectionJob(t, id, new Query.FixedSize(new FixedSizeQuery.CurrentBatch()))).isEqualTo(201);
    CollectionJob created = job(t, id);
    BatchId batchId = ((BatchIdentifier.FixedSize) created.batchIdentifier()).batchId();

    CollectionJobDriver d = p.collectionDriver(3);
    d.step(acquireOne(d, id), FAR);

    Collection[] c = new Collection[1];
    assertThat(collect(t, id, new BatchSelector.FixedSize(batchId), c)).containsExactly(3);
    assertThat(c[0].reportCount()).isEqualTo(4);
    assertThat(c[0].partialBatchSelector()).isEqualTo(new PartialBatchSelector.FixedSize(batchId));
  }

  @Test
  void aDriverWhoseLeaseExpiredCannotWrite() throws Exception {
    Tasks t = p.tasks(new QueryType.TimeInterval(), new VdafInstance.Prio3Count(), 1);
    Time time = hourAgo();
    uploadAll(t, time, 1, 1);
    p.aggregateEverything(t);
    Interval interval = new Interval(time, PRECISION);
    CollectionJobId id = collectionJobId();
    assertThat(p.createCollectionJob(t, id, new Query.TimeInterval(interval))).isEqualTo(201);
    CollectionJobDriver slow = p.collectionDriver(5);
    Lease<AcquiredCollectionJob> stale = acquireOne(slow, id);
    p.leaderDb.clock().advance(DapDuration.ofSeconds(LEASE.toSeconds() + 1));
    CollectionJobDriver fast = p.collectionDriver(5);
    Lease<AcquiredCollectionJob> current = acquireOne(fast, id);

    slow.step(stale, FAR);
    assertThat(job(t, id).state()).isEqualTo(new CollectionJobState.Start());
    List<BatchAggregation> shards = p.leaderDb.datastore().run("test_shards", tx -> tx.batchAggregations().getAll(
        t.id(), new BatchIdentifier.TimeInterval(interval), new byte[0]));
    assertThat(shards).allSatisfy(b -> assertThat(b.state()).isEqualTo(BatchAggregationState.AGGREGATING));

    fast.step(current, FAR);
    Collection[] c = new Collection[1];
    assertThat(collect(t, id, new BatchSelector.TimeInterval(interval), c)).containsExactly(2);
  }

  @Test
  void aJobLeasedTooOftenIsAbandoned() throws Exception {
    Tasks t = p.tasks(new QueryType.TimeInterval(), new VdafInstance.Prio3Count(), 1);
    Time time = hourAgo();
    uploadAll(t, time, 1);
    CollectionJobId id = collectionJobId();
    assertThat(p.createCollectionJob(t, id, new Query.TimeInterval(new Interval(time, PRECISION)))).isEqualTo(201);
    CollectionJobDriver d = p.collectionDriver(1);
    acquireOne(d, id);
    p.leaderDb.clock().advance(DapDuration.ofSeconds(LEASE.toSeconds() + 1));
    Lease<AcquiredCollectionJob> lease = acquireOne(d, id);
    assertThat(lease.attempts()).isEqualTo(2);
    d.step(lease, FAR);
    assertThat(job(t, id).state()).isInstanceOf(CollectionJobState.Abandoned.class);
    HttpResponse<byte[]> poll = p.poll(t, id);
    assertThat(poll.statusCode()).isEqualTo(500);
    assertThat(new String(poll.body())).contains("\"type\":\"urn:janus-java:problem:collectionJobAbandoned\"")
        .contains("could not be prepared for collection in 1 attempt.");
  }

  @Test
  void aTransientHelperFailureIsRetriedAfterTheBackoffAndThenSucceeds() throws Exception {
    Tasks t = p.tasks(new QueryType.TimeInterval(), new VdafInstance.Prio3Count(), 1);
    Time time = hourAgo();
    uploadAll(t, time, 1, 1, 0);
    p.aggregateEverything(t);
    Interval interval = new Interval(time, PRECISION);
    CollectionJobId id = collectionJobId();
    assertThat(p.createCollectionJob(t, id, new Query.TimeInterval(interval))).isEqualTo(201);
    FlakyShareHelper helper = new FlakyShareHelper(p.realShareHelper(), 2);
    CollectionJobDriver d = p.collectionDriver(5, helper,
        new FailureBackoff(Duration.ofSeconds(5), Duration.ofSeconds(8)));

    Lease<AcquiredCollectionJob> first = acquireOne(d, id);
    assertThatThrownBy(() -> d.step(first, FAR)).isInstanceOf(DapRequestException.class);
    p.leaderDb.clock().advance(DapDuration.ofSeconds(4));
    assertThat(acquire(d, id)).isEmpty();
    p.leaderDb.clock().advance(DapDuration.ofSeconds(1));
    Lease<AcquiredCollectionJob> second = acquireOne(d, id);
    assertThat(second.attempts()).isEqualTo(2);
    assertThatThrownBy(() -> d.step(second, FAR)).isInstanceOf(DapRequestException.class);
    // 10 s doubled, capped at 8 s.
    p.leaderDb.clock().advance(DapDuration.ofSeconds(7));
    assertThat(acquire(d, id)).isEmpty();
    p.leaderDb.clock().advance(DapDuration.ofSeconds(1));
    Lease<AcquiredCollectionJob> third = acquireOne(d, id);
    assertThat(third.attempts()).isEqualTo(3);
    d.step(third, FAR);

    assertThat(helper.calls.get()).isEqualTo(3);
    Collection[] c = new Collection[1];
    assertThat(collect(t, id, new BatchSelector.TimeInterval(interval), c)).containsExactly(2);
    assertThat(c[0].reportCount()).isEqualTo(3);
    assertThat(p.collectionMeters.get("janus_collection_jobs").tag("status", "finished").counter().count())
        .isEqualTo(1.0);
  }

  @Test
  void aJobWhoseHelperFailsEveryTimeIsAbandonedAfterMaximumAttempts() throws Exception {
    Tasks t = p.tasks(new QueryType.TimeInterval(), new VdafInstance.Prio3Count(), 1);
    Time time = hourAgo();
    uploadAll(t, time, 1);
    p.aggregateEverything(t);
    CollectionJobId id = collectionJobId();
    assertThat(p.createCollectionJob(t, id, new Query.TimeInterval(new Interval(time, PRECISION)))).isEqualTo(201);
    FlakyShareHelper helper = new FlakyShareHelper(p.realShareHelper(), Integer.MAX_VALUE);
    FailureBackoff backoff = new FailureBackoff(Duration.ofSeconds(1), Duration.ofSeconds(4));
    int maxAttempts = 3;
    CollectionJobDriver d = p.collectionDriver(maxAttempts, helper, backoff);

    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      Lease<AcquiredCollectionJob> lease = acquireOne(d, id);
      assertThat(lease.attempts()).isEqualTo(attempt);
      assertThatThrownBy(() -> d.step(lease, FAR)).isInstanceOf(DapRequestException.class);
      assertThat(job(t, id).state()).isInstanceOf(CollectionJobState.Collecting.class);
      p.leaderDb.clock().advance(DapDuration.ofSeconds(backoff.delay(attempt).toSeconds()));
    }
    Lease<AcquiredCollectionJob> last = acquireOne(d, id);
    assertThat(last.attempts()).isEqualTo(maxAttempts + 1);
    d.step(last, FAR);

    assertThat(helper.calls.get()).isEqualTo(maxAttempts);
    assertThat(job(t, id).state()).isEqualTo(new CollectionJobState.Abandoned(
        "The Helper's aggregate share could not be obtained in 3 attempts."));
    HttpResponse<byte[]> poll = p.poll(t, id);
    assertThat(poll.statusCode()).isEqualTo(500);
    assertThat(new String(poll.body())).contains("urn:janus-java:problem:collectionJobAbandoned")
        .contains("could not be obtained in 3 attempts");
    assertThat(p.collectionMeters.get("janus_collection_jobs").tag("status", "abandoned").counter().count())
        .isEqualTo(1.0);
    p.leaderDb.clock().advance(DapDuration.ofSeconds(LEASE.toSeconds() + 1));
    assertThat(acquire(d, id)).isEmpty();
  }

  @Test
  void retryDelaysGrowGeometricallyUpToTheMaximum() {
    CollectionJobDriver.Settings s = new CollectionJobDriver.Settings(1, 1, Duration.ofSeconds(600),
        Duration.ofSeconds(1000), 1.25);
    assertThat(s.retryDelay(1)).isEqualTo(Duration.ofSeconds(600));
    assertThat(s.retryDelay(2)).isEqualTo(Duration.ofSeconds(750));
    assertThat(s.retryDelay(3)).isEqualTo(Duration.ofMillis(937_500));
    assertThat(s.retryDelay(4)).isEqualTo(Duration.ofSeconds(1000));
    assertThat(s.retryDelay(1_000_000)).isEqualTo(Duration.ofSeconds(1000));
  }
}
