package io.janus.collectionjobdriver.dap18;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.collectionjobdriver.AggregateShareHelpers;
import io.janus.collectionjobdriver.CollectionJobDriver;
import io.janus.collectionjobdriver.dap18.ScriptedHelper.Reply;
import io.janus.collectionjobdriver.dap18.ScriptedHelper.Request;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.AgreedTerms;
import io.janus.core.task.DapVersion;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.core.task.VdafInstance;
import io.janus.core.vdaf.TaskVdafs;
import io.janus.messages.BatchId;
import io.janus.messages.CollectionJobId;
import io.janus.messages.DapDuration;
import io.janus.messages.DapProblemType;
import io.janus.messages.HpkeAlgorithms;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.Interval;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.messages.dap18.AggregateShare;
import io.janus.messages.dap18.AggregateShareReq;
import io.janus.messages.dap18.BatchSelector;
import io.janus.messages.dap18.CollectionJobReq;
import io.janus.messages.dap18.Dap18;
import io.janus.messages.dap18.Query;
import io.janus.server.datastore.model.AcquiredCollectionJob;
import io.janus.server.datastore.model.BatchIdentifier;
import io.janus.server.datastore.model.CollectionJob;
import io.janus.server.datastore.model.CollectionJobState;
import io.janus.server.datastore.model.CollectionQueryKind;
import io.janus.server.datastore.model.Lease;
import io.janus.server.job.PeerHttpConfig;
import io.janus.server.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Leader's DAP-18 aggregate-share requests ({@link Dap18AggregateShareHelper} under the production
 * {@link CollectionJobDriver}), over real HTTP against a scripted Helper, the Leader on real PostgreSQL. Each job is
 * stored with its batch already frozen (state COLLECTING), as the driver's readiness step leaves it.
 */
class Dap18AggregateShareHelperTest {
  private static final Duration LEASE = Duration.ofSeconds(600);
  private static final Instant FAR = Instant.parse("2100-01-01T00:00:00Z");
  private static final DapDuration PRECISION = DapDuration.ofSeconds(3600);

  private static TestDatabase leader;
  private static ScriptedHelper helper;
  private static SplittableRandom random;
  private static AuthenticationToken token;
  private static List<Duration> sleeps;

  @BeforeAll
  static void setUp() {
    leader = TestDatabase.create();
    helper = new ScriptedHelper();
    long seed = System.nanoTime();
    System.out.println("Dap18AggregateShareHelperTest seed: " + seed);
    random = new SplittableRandom(seed);
    token = new AuthenticationToken(AuthenticationTokenType.BEARER, HexFormat.of().formatHex(bytes(16)));
    sleeps = new CopyOnWriteArrayList<>();
  }

  @AfterAll
  static void tearDown() {
    helper.close();
    leader.close();
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /** The production dispatch; the Helper may ask to be polled again within 2 s (longer waits end the step). */
  private static CollectionJobDriver driver() {
    sleeps.clear();
    AggregateShareHelpers helpers = AggregateShareHelpers.all(new PeerHttpConfig(5, 10, 100, 2000, 10000).client(
        leader.clock(), d -> {
          sleeps.add(d);
          leader.clock().advanceMillis(d.toMillis());
        }));
    return new CollectionJobDriver(leader.datastore(), leader.clock(), TaskVdafs.PRODUCTION, helpers,
        new CollectionJobDriver.Settings(2, 3, Duration.ofSeconds(600), Duration.ofSeconds(3600), 1.25),
        new SimpleMeterRegistry());
  }

  private static Task task(QueryType queryType) {
    TaskId id = new TaskId(bytes(TaskId.LENGTH));
    HpkeKeypair collector = keypair(200);
    Task t = Task.builder(id, Role.LEADER, helper.endpoint(), queryType, new VdafInstance.Prio3Count(), bytes(32),
            PRECISION, collector.config())
        .protocol(DapVersion.DAP_18)
        .agreedTerms(new AgreedTerms(new byte[] {4, 5}, URI.create("https://leader.example/"), Optional.empty()))
        .aggregatorAuthToken(token).collectorAuthTokenHash(token.hash()).minBatchSize(1).maxBatchQueryCount(1)
        .tolerableClockSkew(DapDuration.ofSeconds(60)).build();
    leader.datastore().run("test_put_task", tx -> tx.tasks().put(t));
    return t;
  }

  private static HpkeKeypair keypair(int configId) {
    return Hpke.derive(configId, HpkeAlgorithms.KEM_X25519_HKDF_SHA256, HpkeAlgorithms.KDF_HKDF_SHA256,
        HpkeAlgorithms.AEAD_AES_128_GCM, bytes(32));
  }

  /** A job whose batch the driver already froze: 7 reports and a checksum. */
  private static CollectionJob frozenJob(Task t, CollectionQueryKind kind, BatchIdentifier batch, byte[] checksum) {
    Time start = new Time(leader.clock().now().seconds() - 7200).truncateTo(PRECISION);
    CollectionJob job = new CollectionJob(t.id(), new CollectionJobId(bytes(CollectionJobId.LENGTH)), kind,
        new byte[0], batch, new CollectionJobState.Collecting(7, new Interval(start, DapDuration.ofSeconds(1)),
            TaskVdafs.PRODUCTION.of(t).emptyAggregateShare(new byte[0]), checksum));
    leader.datastore().run("test_put_job", tx -> tx.collectionJobs().put(job));
    return job;
  }

  private static Lease<AcquiredCollectionJob> acquireOne(CollectionJobDriver d, CollectionJobId id) {
    return d.acquire(LEASE, 100).stream().filter(l -> l.leased().jobId().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError("collection job " + id + " was not acquired"));
  }

  private static CollectionJobState state(Task t, CollectionJobId id) {
    return leader.datastore().run("test_job", tx -> tx.collectionJobs().get(t.id(), id).orElseThrow()).state();
  }

  private static String sharesPath(Task t) {
    return "/helper" + Dap18.aggregateSharesPath(t.id());
  }

  private static void assertAuthenticated(Request r) {
    assertThat(r.authorization()).contains("Bearer " + token.token());
  }

  @Test
  void aTimeIntervalShareIsAnsweredSynchronouslyForTheCollectorsRequestRebuilt() throws Exception {
    Task t = task(new QueryType.TimeInterval());
    Time start = new Time(leader.clock().now().seconds() - 3 * 3600).truncateTo(PRECISION);
    Interval interval = new Interval(start, DapDuration.ofSeconds(2 * PRECISION.seconds()));
    byte[] checksum = bytes(32);
    CollectionJob job = frozenJob(t, CollectionQueryKind.TIME_INTERVAL, new BatchIdentifier.TimeInterval(interval),
        checksum);
    HpkeCiphertext share = new HpkeCiphertext(200, bytes(32), bytes(40));
    helper.script(r -> Reply.body(201, new AggregateShare(share).toBytes(), "Location", sharesPath(t) + "/s1",
        "Content-Type", AggregateShare.MEDIA_TYPE));
    CollectionJobDriver d = driver();

    d.step(acquireOne(d, job.id()), FAR);

    assertThat(helper.requests).hasSize(1);
    Request post = helper.requests.get(0);
    assertThat(post.method()).isEqualTo("POST");
    assertThat(post.path()).isEqualTo(sharesPath(t));
    assertThat(post.contentType()).contains(Dap18.MEDIA_TYPE_AGGREGATE_SHARE_REQ);
    assertAuthenticated(post);
    AggregateShareReq sent = AggregateShareReq.decode(post.body());
    // The Collector's request as Dap18CollectorProtocol encodes it: the interval in time-precision units, the
    // aggregation parameter, no extensions.
    io.janus.messages.dap18.Interval units = new io.janus.messages.dap18.Interval(
        start.seconds() / PRECISION.seconds(), 2);
    assertThat(sent.collectionJobReq()).isEqualTo(new CollectionJobReq(new Query.TimeInterval(units), new byte[0],
        List.of()));
    assertThat(sent.batchSelector()).isEqualTo(new BatchSelector.TimeInterval(units));
    assertThat(sent.reportCount()).isEqualTo(7);
    assertThat(sent.checksum()).isEqualTo(checksum);
    assertThat(state(t, job.id())).isInstanceOfSatisfying(CollectionJobState.Finished.class,
        f -> assertThat(f.helperEncryptedAggregateShare()).isEqualTo(share));
  }

  @Test
  void aDeferredLeaderSelectedShareIsPolledAtItsLocation() throws Exception {
    Task t = task(new QueryType.FixedSize(OptionalLong.empty(), Optional.empty()));
    BatchId batchId = new BatchId(bytes(BatchId.LENGTH));
    CollectionJob job = frozenJob(t, CollectionQueryKind.CURRENT_BATCH, new BatchIdentifier.FixedSize(batchId),
        bytes(32));
    HpkeCiphertext share = new HpkeCiphertext(200, bytes(32), bytes(40));
    helper.script(
        r -> Reply.deferred(201, "Location", sharesPath(t) + "/s2", "Retry-After", "1"),
        r -> Reply.deferred(200, "Retry-After", "2"),
        r -> Reply.body(200, new AggregateShare(share).toBytes(), "Content-Type", AggregateShare.MEDIA_TYPE));
    CollectionJobDriver d = driver();

    d.step(acquireOne(d, job.id()), FAR);

    assertThat(helper.requests).extracting(Request::method).containsExactly("POST", "GET", "GET");
    AggregateShareReq sent = AggregateShareReq.decode(helper.requests.get(0).body());
    assertThat(sent.collectionJobReq().query()).isEqualTo(new Query.LeaderSelected());
    assertThat(sent.batchSelector()).isEqualTo(new BatchSelector.LeaderSelected(batchId));
    for (Request get : helper.requests.subList(1, 3)) {
      assertThat(get.path()).isEqualTo(sharesPath(t) + "/s2");
      assertThat(get.body()).isEmpty();
      assertAuthenticated(get);
    }
    assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertThat(state(t, job.id())).isInstanceOfSatisfying(CollectionJobState.Finished.class,
        f -> assertThat(f.helperEncryptedAggregateShare()).isEqualTo(share));
  }

  @Test
  void aShareStillDeferredAtTheDeadlineReleasesTheJobAndTheRetryPostsTheSameBytes() throws Exception {
    Task t = task(new QueryType.TimeInterval());
    Time start = new Time(leader.clock().now().seconds() - 3 * 3600).truncateTo(PRECISION);
    CollectionJob job = frozenJob(t, CollectionQueryKind.TIME_INTERVAL, new BatchIdentifier.TimeInterval(
        new Interval(start, PRECISION)), bytes(32));
    helper.script(r -> Reply.deferred(201, "Location", sharesPath(t) + "/s3", "Retry-After", "90"));
    CollectionJobDriver d = driver();

    d.step(acquireOne(d, job.id()), FAR);

    assertThat(helper.requests).hasSize(1);
    byte[] firstBody = helper.requests.get(0).body();
    assertThat(state(t, job.id())).isInstanceOf(CollectionJobState.Collecting.class);
    leader.clock().advance(DapDuration.ofSeconds(89));
    assertThat(d.acquire(LEASE, 100)).noneMatch(l -> l.leased().jobId().equals(job.id()));
    leader.clock().advance(DapDuration.ofSeconds(1));
    Lease<AcquiredCollectionJob> again = acquireOne(d, job.id());
    // Waiting for the Helper is not a failed attempt.
    assertThat(again.attempts()).isEqualTo(1);

    HpkeCiphertext share = new HpkeCiphertext(200, bytes(32), bytes(40));
    helper.script(r -> Reply.body(201, new AggregateShare(share).toBytes(), "Location", sharesPath(t) + "/s3"));
    d.step(again, FAR);
    assertThat(helper.requests).hasSize(1);
    assertThat(helper.requests.get(0).body()).isEqualTo(firstBody);
    assertThat(state(t, job.id())).isInstanceOf(CollectionJobState.Finished.class);
  }

  @Test
  void aBatchMismatchProblemFailsTheCollectionJobWithThatType() throws Exception {
    Task t = task(new QueryType.TimeInterval());
    Time start = new Time(leader.clock().now().seconds() - 3 * 3600).truncateTo(PRECISION);
    CollectionJob job = frozenJob(t, CollectionQueryKind.TIME_INTERVAL, new BatchIdentifier.TimeInterval(
        new Interval(start, PRECISION)), bytes(32));
    helper.script(r -> Reply.problem(400, DapProblemType.BATCH_MISMATCH.urn()));
    CollectionJobDriver d = driver();

    d.step(acquireOne(d, job.id()), FAR);

    assertThat(helper.requests).hasSize(1);
    assertThat(state(t, job.id())).isInstanceOfSatisfying(CollectionJobState.Failed.class,
        f -> assertThat(f.problemType()).isEqualTo(DapProblemType.BATCH_MISMATCH.errorName()));
  }
}
