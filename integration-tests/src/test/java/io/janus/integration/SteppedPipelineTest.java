package io.janus.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServer;
import io.janus.aggregationjobcreator.AggregationJobCreator;
import io.janus.aggregationjobdriver.AggregationJobDriver;
import io.janus.aggregationjobdriver.dap09.Dap09AggregationJobHelper;
import io.janus.aggregator.Aggregator;
import io.janus.aggregator.AggregatorServer;
import io.janus.client.Client;
import io.janus.client.TestRandom;
import io.janus.client.UploadProgress;
import io.janus.client.UploadSummary;
import io.janus.collectionjobdriver.CollectionJobDriver;
import io.janus.collectionjobdriver.dap09.Dap09AggregateShareHelper;
import io.janus.collector.CollectionResult;
import io.janus.collector.Collector;
import io.janus.core.MockClock;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.server.config.ListenAddress;
import io.janus.server.datastore.model.AcquiredAggregationJob;
import io.janus.server.datastore.model.AcquiredCollectionJob;
import io.janus.server.datastore.model.Lease;
import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.server.job.PeerHttpConfig;
import io.janus.core.http.DapHttpClient;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.core.task.VdafInstance;
import io.janus.server.testing.TestDatabase;
import io.janus.core.vdaf.VdafDispatch;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeAlgorithms;
import io.janus.messages.Interval;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.messages.Query;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Measurements go in through the client and come out of the collector, with production code in between: a Leader
 * and a Helper ({@code janus-aggregator} over HTTP, each on its own embedded PostgreSQL), the aggregation job
 * creator, the aggregation job driver and the collection job driver. The client fetches both HPKE configurations
 * from the aggregators. The drivers are stepped by hand under the Leader's mock clock; the collector's sleeper
 * steps the collection job driver, so {@link Collector#collect} sees the job finish between two polls.
 *
 * <p>The deployed counterpart, with every binary running on its own through the harness, is {@link EndToEndTest};
 * this one is the deterministic, single-threaded version of the same path.
 */
class SteppedPipelineTest {
  private static final DapDuration PRECISION = DapDuration.ofSeconds(3600);
  private static final Duration LEASE = Duration.ofSeconds(600);
  private static final Instant FAR = Instant.parse("2100-01-01T00:00:00Z");
  private static final int SHARDS = 2;

  private static Random random;
  private static SecureRandom secureRandom;
  private static TestDatabase leaderDb;
  private static TestDatabase helperDb;
  private static MockClock clock;
  private static Aggregator leader;
  private static Aggregator helper;
  private static WebServer leaderServer;
  private static WebServer helperServer;
  private static HpkeKeypair collectorKey;
  private static AggregationJobCreator creator;
  private static AggregationJobDriver aggregationDriver;
  private static CollectionJobDriver collectionDriver;

  @BeforeAll
  static void start() {
    long seed = TestRandom.seed("SteppedPipelineTest");
    random = new Random(seed);
    secureRandom = TestRandom.secureRandom(seed);
    leaderDb = TestDatabase.create();
    helperDb = TestDatabase.create();
    clock = leaderDb.clock();
    Aggregator.Settings settings = new Aggregator.Settings(10, 5, SHARDS, 2, 0, 100, 0);
    leader = new Aggregator(leaderDb.datastore(), clock, io.janus.core.vdaf.TaskVdafs.PRODUCTION, settings);
    helper = new Aggregator(helperDb.datastore(), helperDb.clock(), io.janus.core.vdaf.TaskVdafs.PRODUCTION, settings);
    leaderServer = AggregatorServer.start(new ListenAddress("127.0.0.1", 0), leader, new SimpleMeterRegistry());
    helperServer = AggregatorServer.start(new ListenAddress("127.0.0.1", 0), helper, new SimpleMeterRegistry());
    collectorKey = keypair(200);
    // Peer requests wait by moving the Leader's mock clock, never by sleeping.
    DapHttpClient peer = new PeerHttpConfig(5, 10, 10, 20, 100).client(clock, d -> clock.advanceMillis(d.toMillis()));
    creator = new AggregationJobCreator(leaderDb.datastore(), clock,
        new AggregationJobCreator.Settings(SHARDS, 1, 10, 100, 1), new Random(seed), new SimpleMeterRegistry());
    aggregationDriver = new AggregationJobDriver(leaderDb.datastore(), clock, io.janus.core.vdaf.TaskVdafs.PRODUCTION,
        new Dap09AggregationJobHelper(peer), new AggregationJobDriver.Settings(SHARDS, 5), new Random(seed),
        new SimpleMeterRegistry());
    collectionDriver = new CollectionJobDriver(leaderDb.datastore(), clock, io.janus.core.vdaf.TaskVdafs.PRODUCTION,
        new Dap09AggregateShareHelper(peer), new CollectionJobDriver.Settings(SHARDS, 3,
            Duration.ofSeconds(600), Duration.ofSeconds(3600), 1.25), new SimpleMeterRegistry());
  }

  @AfterAll
  static void stop() {
    for (WebServer s : new WebServer[] {leaderServer, helperServer}) {
      if (s != null) {
        s.stop();
      }
    }
    for (AutoCloseable c : new AutoCloseable[] {leader, helper, leaderDb, helperDb}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static HpkeKeypair keypair(int id) {
    return Hpke.derive(id, HpkeAlgorithms.KEM_X25519_HKDF_SHA256, HpkeAlgorithms.KDF_HKDF_SHA256,
        HpkeAlgorithms.AEAD_AES_128_GCM, bytes(32));
  }

  private static URI endpoint(WebServer server) {
    return URI.create("http://127.0.0.1:" + server.port() + "/");
  }

  /** Provisions one task on both aggregators; returns the Leader's view. */
  private static Task task(QueryType queryType, VdafInstance vdaf, AuthenticationToken collectorToken) {
    TaskId id = TaskId.random(secureRandom);
    byte[] verifyKey = bytes(VdafDispatch.forInstance(vdaf).verifyKeyLength());
    AuthenticationToken aggregatorToken =
        new AuthenticationToken(AuthenticationTokenType.BEARER, HexFormat.of().formatHex(bytes(16)));
    Task l = Task.builder(id, Role.LEADER, endpoint(helperServer), queryType, vdaf, verifyKey, PRECISION,
            collectorKey.config())
        .aggregatorAuthToken(aggregatorToken).collectorAuthTokenHash(collectorToken.hash())
        .minBatchSize(1).maxBatchQueryCount(1).tolerableClockSkew(DapDuration.ofSeconds(60))
        .hpkeKeys(List.of(keypair(1))).build();
    Task h = Task.builder(id, Role.HELPER, endpoint(leaderServer), queryType, vdaf, verifyKey, PRECISION,
            collectorKey.config())
        .aggregatorAuthTokenHash(aggregatorToken.hash()).minBatchSize(1).maxBatchQueryCount(1)
        .tolerableClockSkew(DapDuration.ofSeconds(60)).hpkeKeys(List.of(keypair(2))).build();
    leaderDb.datastore().run("test_put_task", tx -> tx.tasks().put(l));
    helperDb.datastore().run("test_put_task", tx -> tx.tasks().put(h));
    return l;
  }

  private static Client client(Task task) {
    return Client.builder(task.id(), endpoint(leaderServer), endpoint(helperServer), PRECISION, task.vdaf())
        .clock(clock)
        .random(secureRandom)
        .build();
  }

  private static Collector collector(Task task, AuthenticationToken token) {
    return Collector.builder(task.id(), endpoint(leaderServer), token, collectorKey, task.vdaf())
        .clock(clock)
        .random(secureRandom)
        .sleeper(d -> {
          clock.advanceMillis(d.toMillis());
          for (Lease<AcquiredCollectionJob> lease : collectionDriver.acquire(LEASE, 10)) {
            collectionDriver.step(lease, FAR);
          }
        })
        .build();
  }

  /** Runs the job creator, then steps aggregation jobs until none is left. */
  private static void aggregate(Task task) throws InterruptedException {
    creator.createJobs(task);
    for (int round = 0; round < 20; round++) {
      List<Lease<AcquiredAggregationJob>> leases = aggregationDriver.acquire(LEASE, 50);
      if (leases.isEmpty()) {
        return;
      }
      for (Lease<AcquiredAggregationJob> l : leases) {
        aggregationDriver.step(l, FAR);
      }
    }
    throw new AssertionError("aggregation jobs did not finish in 20 rounds");
  }

  @Test
  void histogramOverATimeInterval() throws Exception {
    AuthenticationToken token = new AuthenticationToken(AuthenticationTokenType.DAP_AUTH, "e2e-collector");
    Task task = task(new QueryType.TimeInterval(), new VdafInstance.Prio3Histogram(4, 2), token);
    Client client = client(task);
    List<long[]> measurements = new ArrayList<>();
    long[] expected = new long[4];
    for (int i = 0; i < 30; i++) {
      int bucket = random.nextInt(4);
      expected[bucket]++;
      measurements.add(new long[] {bucket});
    }
    UploadSummary summary = client.uploadAll(measurements, 4, UploadProgress.NONE);
    assertThat(summary.allSucceeded()).as("%s", summary.failures()).isTrue();
    Time now = clock.now();
    aggregate(task);
    Interval batch = new Interval(now.truncateTo(PRECISION), PRECISION);
    clock.advance(PRECISION);

    CollectionResult result = collector(task, token).collect(new Query.TimeInterval(batch));

    assertThat(result.aggregateResult()).containsExactly(expected);
    assertThat(result.reportCount()).isEqualTo(30);
    assertThat(result.interval()).isEqualTo(batch);
    assertThat(result.batchId()).isEmpty();
  }

  @Test
  void sumOverTheCurrentFixedSizeBatch() throws Exception {
    AuthenticationToken token = new AuthenticationToken(AuthenticationTokenType.BEARER, "e2e-collector-fixed");
    Task task = task(new QueryType.FixedSize(OptionalLong.of(10), Optional.empty()), new VdafInstance.Prio3Sum(8),
        token);
    Client client = client(task);
    Time hourAgo = new Time(clock.now().seconds() - PRECISION.seconds());
    long sum = 0;
    for (int i = 0; i < 6; i++) {
      long v = random.nextInt(256);
      sum += v;
      client.uploadWithTime(new long[] {v}, hourAgo);
    }
    aggregate(task);

    CollectionResult result = collector(task, token).collect(new Query.FixedSizeCurrentBatch());

    assertThat(result.aggregateResult()).containsExactly(sum);
    assertThat(result.reportCount()).isEqualTo(6);
    assertThat(result.batchId()).isPresent();
  }
}
