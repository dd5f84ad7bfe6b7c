package io.janus.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.client.Client;
import io.janus.client.DapHttpException;
import io.janus.client.DapProtocolException;
import io.janus.client.FakeAggregators;
import io.janus.core.http.RetryPolicy;
import io.janus.client.TestDapServer;
import io.janus.client.TestDapServer.Reply;
import io.janus.client.TestRandom;
import io.janus.core.MockClock;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.VdafInstance;
import io.janus.messages.BatchId;
import io.janus.messages.CollectionJobId;
import io.janus.messages.DapProblemType;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeConfig;
import io.janus.messages.Interval;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.messages.dap09.BatchSelector;
import io.janus.messages.dap09.Collection;
import io.janus.messages.dap09.CollectionReq;
import io.janus.messages.dap09.Dap09;
import io.janus.messages.dap09.PartialBatchSelector;
import io.janus.messages.Query;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

class CollectorTest {
  private static final DapDuration PRECISION = DapDuration.ofSeconds(3600);
  private static final Time START = new Time(1_735_689_600L);
  private static final Interval BATCH = new Interval(START, DapDuration.ofSeconds(7200));

  private long seed;
  private SecureRandom random;
  private TaskId taskId;
  private MockClock clock;
  private FakeAggregators aggregators;
  private HpkeKeypair collectorKey;
  private final AuthenticationToken token = new AuthenticationToken(AuthenticationTokenType.BEARER, "c0llect0r-t0ken");
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp(TestInfo info) {
    seed = TestRandom.seed(info.getDisplayName());
    random = TestRandom.secureRandom(seed);
    taskId = TaskId.random(random);
    clock = new MockClock(new Time(START.seconds() + 600));
  }

  @AfterEach
  void tearDown() {
    if (aggregators != null) {
      aggregators.close();
    }
  }

  private void start(VdafInstance vdaf) {
    aggregators = new FakeAggregators(taskId, vdaf, seed);
    collectorKey = aggregators.keypair(42);
  }

  private Collector.Builder collector(VdafInstance vdaf) {
    return Collector.builder(taskId, aggregators.leader().endpoint(), token, collectorKey, vdaf)
        .clock(clock)
        .random(random)
        .retryPolicy(RetryPolicy.NONE)
        .sleeper(d -> {
          sleeps.add(d);
          clock.advanceMillis(d.toMillis());
        });
  }

  private Client client(VdafInstance vdaf) {
    return Client.builder(taskId, aggregators.leader().endpoint(), aggregators.helper().endpoint(), PRECISION, vdaf)
        .clock(clock)
        .random(random)
        .build();
  }

  /** Serves collection jobs: creation answers 201, polls answer {@code poll} (given the poll number from 1). */
  private void serveJobs(Function<Integer, Reply> poll) {
    AtomicInteger polls = new AtomicInteger();
    aggregators.leader().handle("PUT", "/tasks/" + taskId.toBase64Url() + "/collection_jobs/*", r -> Reply.status(201));
    aggregators.leader().handle("POST", "/tasks/" + taskId.toBase64Url() + "/collection_jobs/*",
        r -> poll.apply(polls.incrementAndGet()));
  }

  private Reply ready(Collection collection) {
    return Reply.of(200, Dap09.MEDIA_TYPE_COLLECTION, collection.toBytes());
  }

  @Test
  void collectsWhatTheClientUploadedOverATimeInterval() {
    VdafInstance vdaf = new VdafInstance.Prio3Histogram(4, 2);
    start(vdaf);
    Client client = client(vdaf);
    Random r = new Random(seed);
    long[] expected = new long[4];
    for (int i = 0; i < 25; i++) {
      int bucket = r.nextInt(4);
      expected[bucket]++;
      client.upload(bucket);
    }
    serveJobs(n -> n < 3
        ? Reply.status(202).withHeader("Retry-After", "3")
        : ready(aggregators.collection(collectorKey.config(), new byte[0], new BatchSelector.TimeInterval(BATCH),
            PartialBatchSelector.TIME_INTERVAL)));

    CollectionResult result = collector(vdaf).build().collect(new Query.TimeInterval(BATCH));

    assertThat(result.aggregateResult()).containsExactly(expected);
    assertThat(result.reportCount()).isEqualTo(25);
    assertThat(result.interval()).isEqualTo(aggregators.interval());
    assertThat(result.batchId()).isEmpty();
    // Retry-After (3 s) beats the backoff (1 s, then 2 s).
    assertThat(sleeps).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(3));

    List<TestDapServer.Request> puts =
        aggregators.leader().requests("PUT", "/tasks/" + taskId.toBase64Url() + "/collection_jobs/");
    List<TestDapServer.Request> posts = aggregators.leader().requests("POST", "/");
    assertThat(puts).hasSize(1);
    assertThat(posts).hasSize(3);
    TestDapServer.Request put = puts.get(0);
    assertThat(put.header("Content-Type")).contains("application/dap-collect-req");
    assertThat(put.header("Authorization")).contains("Bearer c0llect0r-t0ken");
    CollectionReq req = CollectionReq.decode(put.body());
    assertThat(req.query().toNeutral()).isEqualTo(new Query.TimeInterval(BATCH));
    assertThat(req.aggregationParameter()).isEmpty();
    for (TestDapServer.Request post : posts) {
      assertThat(post.path()).isEqualTo(put.path());
      assertThat(post.body()).isEmpty();
      assertThat(post.header("Authorization")).contains("Bearer c0llect0r-t0ken");
    }
  }

  @Test
  void collectsAField64MultiproofSumVec() {
    VdafInstance vdaf = new VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128(3, 8, 4, 5);
    start(vdaf);
    Client client = client(vdaf);
    Random r = new Random(seed);
    long[] expected = new long[4];
    for (int i = 0; i < 10; i++) {
      long[] m = new long[4];
      for (int j = 0; j < 4; j++) {
        m[j] = r.nextInt(256);
        expected[j] += m[j];
      }
      client.upload(m);
    }
    serveJobs(n -> ready(aggregators.collection(collectorKey.config(), new byte[0],
        new BatchSelector.TimeInterval(BATCH), PartialBatchSelector.TIME_INTERVAL)));

    CollectionResult result = collector(vdaf).build().collect(new Query.TimeInterval(BATCH));

    assertThat(result.aggregateResult()).containsExactly(expected);
    assertThat(result.reportCount()).isEqualTo(10);
  }

  @Test
  void fixedSizeCollectionsUseTheLeadersBatchId() {
    VdafInstance vdaf = new VdafInstance.Prio3Sum(16);
    start(vdaf);
    Client client = client(vdaf);
    client.upload(1000);
    client.upload(65535);
    BatchId batch = BatchId.random(random);
    serveJobs(n -> ready(aggregators.collection(collectorKey.config(), new byte[0], new BatchSelector.FixedSize(batch),
        new PartialBatchSelector.FixedSize(batch))));
    Collector collector = collector(vdaf).build();

    CollectionResult current = collector.collect(new Query.FixedSizeCurrentBatch());
    CollectionResult byId = collector.collect(new Query.FixedSizeByBatchId(batch));

    assertThat(current.aggregateResult()).containsExactly(66535);
    assertThat(current.batchId()).contains(batch);
    assertThat(byId).isEqualTo(current);
    Query other = new Query.FixedSizeByBatchId(BatchId.random(random));
    assertThatThrownBy(() -> collector.collect(other))
        .isInstanceOf(DapProtocolException.class).hasMessageContaining("the Leader answered for");
  }

  @Test
  void dapAuthTokensTravelInTheirOwnHeader() {
    VdafInstance vdaf = new VdafInstance.Prio3Count();
    start(vdaf);
    serveJobs(n -> Reply.status(202));
    aggregators.leader().handle("DELETE", "/tasks/*", r -> Reply.status(204));
    Collector collector = Collector.builder(taskId, aggregators.leader().endpoint(),
            new AuthenticationToken(AuthenticationTokenType.DAP_AUTH, "dap-token"), collectorKey, vdaf)
        .retryPolicy(RetryPolicy.NONE).build();

    CollectionJob job = collector.startCollection(new Query.TimeInterval(BATCH));
    assertThat(collector.poll(job)).isEqualTo(new PollResult.NotReady(Optional.empty()));
    collector.delete(job);

    assertThat(aggregators.leader().requests()).hasSize(3)
        .allSatisfy(r -> {
          assertThat(r.header("DAP-Auth-Token")).contains("dap-token");
          assertThat(r.header("Authorization")).isEmpty();
        });
  }

  @Test
  void resendingACreationUsesTheSameJob() {
    VdafInstance vdaf = new VdafInstance.Prio3Count();
    start(vdaf);
    serveJobs(n -> Reply.status(202));
    Collector collector = collector(vdaf).build();
    CollectionJob job = collector.startCollection(new Query.TimeInterval(BATCH));

    collector.startCollection(job);

    List<TestDapServer.Request> puts = aggregators.leader().requests("PUT", "/");
    assertThat(puts).hasSize(2);
    assertThat(puts.get(1).path()).isEqualTo(puts.get(0).path()).isEqualTo(Dap09.collectionJobPath(taskId, job.id()));
    assertThat(puts.get(1).body()).isEqualTo(puts.get(0).body());
  }

  @Test
  void deleteSendsDeleteForTheJob() {
    VdafInstance vdaf = new VdafInstance.Prio3Count();
    start(vdaf);
    serveJobs(n -> Reply.status(202));
    aggregators.leader().handle("DELETE", "/tasks/*", r -> Reply.status(204));
    Collector collector = collector(vdaf).build();
    CollectionJob job = collector.startCollection(new Query.TimeInterval(BATCH));

    collector.delete(job);

    List<TestDapServer.Request> deletes = aggregators.leader().requests("DELETE", "/");
    assertThat(deletes).hasSize(1);
    assertThat(deletes.get(0).path()).isEqualTo(Dap09.collectionJobPath(taskId, job.id()));
    assertThat(deletes.get(0).header("Authorization")).contains("Bearer c0llect0r-t0ken");
  }

  @Test
  void givesUpAfterTheTotalWaitWithTheJob() {
    VdafInstance vdaf = new VdafInstance.Prio3Count();
    start(vdaf);
    serveJobs(n -> Reply.status(202));
    Collector collector = collector(vdaf)
        .pollBackoff(Duration.ofSeconds(1), Duration.ofSeconds(4))
        .maxCollectWait(Duration.ofSeconds(10))
        .build();

    assertThatThrownBy(() -> collector.collect(new Query.TimeInterval(BATCH)))
        .isInstanceOfSatisfying(CollectionTimeoutException.class,
            e -> assertThat(e.job().query()).isEqualTo(new Query.TimeInterval(BATCH)));
    // 1 + 2 + 4, then only the 3 s left, then out of time.
    assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2),
        Duration.ofSeconds(4), Duration.ofSeconds(3));
    assertThat(aggregators.leader().requests("POST", "/")).hasSize(5);
  }

  @Test
  void retryAfterBeyondTheDeadlineIsATimeoutAtOnce() {
    VdafInstance vdaf = new VdafInstance.Prio3Count();
    start(vdaf);
    serveJobs(n -> Reply.status(202).withHeader("Retry-After", "3600"));
    Collector collector = collector(vdaf).maxCollectWait(Duration.ofMinutes(5)).build();

    assertThatThrownBy(() -> collector.collect(new Query.TimeInterval(BATCH)))
        .isInstanceOf(CollectionTimeoutException.class).hasMessageContaining("asks to wait PT1H");
    assertThat(sleeps).isEmpty();
  }

  @Test
  void pollReportsADatedRetryAfter() {
    VdafInstance vdaf = new VdafInstance.Prio3Count();
    start(vdaf);
    // The mock clock is at 2025-01-01T00:10:00Z.
    serveJobs(n -> Reply.status(202).withHeader("Retry-After", "Wed, 01 Jan 2025 00:10:45 GMT"));
    Collector collector = collector(vdaf).build();
    CollectionJob job = collector.startCollection(new Query.TimeInterval(BATCH));

    assertThat(collector.poll(job))
        .isEqualTo(new PollResult.NotReady(Optional.of(Duration.ofSeconds(45))));
  }

  @Test
  void sharesSealedForAnotherBatchDoNotOpen() {
    VdafInstance vdaf = new VdafInstance.Prio3Count();
    start(vdaf);
    client(vdaf).upload(1);
    Interval other = new Interval(START, DapDuration.ofSeconds(3600));
    serveJobs(n -> ready(aggregators.collection(collectorKey.config(), new byte[0],
        new BatchSelector.TimeInterval(other), PartialBatchSelector.TIME_INTERVAL)));

    assertThatThrownBy(() -> collector(vdaf).build().collect(new Query.TimeInterval(BATCH)))
        .isInstanceOf(DapProtocolException.class).hasMessageContaining("cannot open the LEADER's aggregate share");
  }

  @Test
  void unusableAnswersAreProtocolErrors() {
    VdafInstance vdaf = new VdafInstance.Prio3Count();
    start(vdaf);
    client(vdaf).upload(1);
    Collection good = aggregators.collection(collectorKey.config(), new byte[0], new BatchSelector.TimeInterval(BATCH),
        PartialBatchSelector.TIME_INTERVAL);
    Collection fixed = aggregators.collection(collectorKey.config(), new byte[0],
        new BatchSelector.FixedSize(BatchId.random(random)),
        new PartialBatchSelector.FixedSize(BatchId.random(random)));
    List<Reply> replies = List.of(
        Reply.of(200, "application/octet-stream", good.toBytes()),
        Reply.status(200),
        Reply.of(200, Dap09.MEDIA_TYPE_COLLECTION, new byte[] {1, 2, 3}),
        Reply.status(204),
        ready(fixed),
        Reply.status(201));
    AtomicReference<Reply> next = new AtomicReference<>();
    serveJobs(n -> next.get());
    Collector collector = collector(vdaf).build();
    CollectionJob job = collector.startCollection(new Query.TimeInterval(BATCH));
    List<String> messages = new ArrayList<>();
    for (Reply reply : replies) {
      next.set(reply);
      assertThatThrownBy(() -> collector.poll(job)).isInstanceOfSatisfying(DapProtocolException.class,
          e -> messages.add(e.getMessage()));
    }
    assertThat(messages.get(0)).contains("expected application/dap-collection");
    assertThat(messages.get(1)).contains("no Content-Type");
    assertThat(messages.get(2)).contains("malformed Collection");
    assertThat(messages.get(3)).contains("deleted (HTTP 204)");
    assertThat(messages.get(4)).contains("time-interval query answered for batch");
    assertThat(messages.get(5)).contains("unexpected status 201");
    next.set(ready(good));
    assertThat(collector.poll(job)).isInstanceOfSatisfying(PollResult.Ready.class,
        ready -> assertThat(ready.result().aggregateResult()).containsExactly(1));
  }

  @Test
  void problemDocumentsFromTheLeaderAreTypedErrors() {
    VdafInstance vdaf = new VdafInstance.Prio3Count();
    start(vdaf);
    aggregators.leader().handle("PUT", "/tasks/*",
        r -> Reply.problem(400, DapProblemType.BATCH_INVALID, "interval not aligned"));
    aggregators.leader().handle("POST", "/tasks/*",
        r -> Reply.problem(403, DapProblemType.UNAUTHORIZED_REQUEST, "bad token"));
    Collector collector = collector(vdaf).build();

    assertThatThrownBy(() -> collector.startCollection(new Query.TimeInterval(BATCH)))
        .isInstanceOfSatisfying(DapHttpException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.dapProblemType()).contains(DapProblemType.BATCH_INVALID);
          assertThat(e.getMessage()).contains("interval not aligned");
        });
    CollectionJob job = new CollectionJob(CollectionJobId.random(random),
        new Query.TimeInterval(BATCH), new byte[0]);
    assertThatThrownBy(() -> collector.poll(job))
        .isInstanceOfSatisfying(DapHttpException.class, e -> {
          assertThat(e.status()).isEqualTo(403);
          assertThat(e.dapProblemType()).contains(DapProblemType.UNAUTHORIZED_REQUEST);
        });
  }

  @Test
  void prio3TakesOnlyTheEmptyAggregationParameter() {
    VdafInstance vdaf = new VdafInstance.Prio3Count();
    start(vdaf);
    serveJobs(n -> Reply.status(202));
    Collector collector = collector(vdaf).build();

    assertThatThrownBy(() -> collector.startCollection(new Query.TimeInterval(BATCH), new byte[] {1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aggregation parameter");
    assertThat(aggregators.leader().requests()).isEmpty();
  }

  @Test
  void builderRejectsAnUnsupportedKeypair() {
    VdafInstance vdaf = new VdafInstance.Prio3Count();
    start(vdaf);
    HpkeKeypair odd = new HpkeKeypair(
        new HpkeConfig(1, 0x0021, 0x0001, 0x0001, new byte[56]), new byte[56]);
    assertThatThrownBy(() -> Collector.builder(taskId, aggregators.leader().endpoint(), token, odd, vdaf).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unsupported suite");
  }
}
