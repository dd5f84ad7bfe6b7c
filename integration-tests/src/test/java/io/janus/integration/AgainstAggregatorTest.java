package io.janus.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helidon.webserver.WebServer;
import io.janus.aggregator.Aggregator;
import io.janus.aggregator.AggregatorServer;
import io.janus.client.Client;
import io.janus.client.DapHttpException;
import io.janus.client.DapProtocolException;
import io.janus.core.http.RetryPolicy;
import io.janus.client.TestRandom;
import io.janus.collector.CollectionJob;
import io.janus.collector.Collector;
import io.janus.collector.PollResult;
import io.janus.core.MockClock;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.server.config.ListenAddress;
import io.janus.server.datastore.model.AcquiredCollectionJob;
import io.janus.server.datastore.model.CollectionJobState;
import io.janus.server.datastore.model.Lease;
import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.core.task.VdafInstance;
import io.janus.server.testing.TestDatabase;
import io.janus.messages.DapProblemType;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeAlgorithms;
import io.janus.messages.Interval;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.dap09.AggregateShareAad;
import io.janus.messages.dap09.BatchSelector;
import io.janus.messages.dap09.Dap09;
import io.janus.messages.Query;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client and the collector against the real DAP-09 Leader ({@code janus-aggregator}'s production routing over
 * HTTP, on embedded PostgreSQL). No job drivers run here, so the test plays the collection job driver by writing
 * the finished job into the datastore, as the aggregator's own tests do.
 */
class AgainstAggregatorTest {
  private static final DapDuration PRECISION = DapDuration.ofSeconds(100);
  private static final VdafInstance VDAF = new VdafInstance.Prio3Count();

  private static long seed;
  private static Random random;
  private static SecureRandom secureRandom;
  private static TestDatabase db;
  private static MockClock clock;
  private static Aggregator aggregator;
  private static WebServer server;
  private static HpkeKeypair leaderKey;
  private static HpkeKeypair helperKey;
  private static HpkeKeypair collectorKey;
  private static AuthenticationToken collectorToken;

  @BeforeAll
  static void startLeader() {
    seed = TestRandom.seed("AgainstAggregatorTest");
    random = new Random(seed);
    secureRandom = TestRandom.secureRandom(seed);
    db = TestDatabase.create();
    clock = db.clock();
    // Upload batches of one with no delay, so a report is stored before its PUT is answered.
    aggregator = new Aggregator(db.datastore(), clock, io.janus.core.vdaf.TaskVdafs.PRODUCTION,
        new Aggregator.Settings(1, 0, 2, 2, 600_000, 1000, 1_800_000));
    server = AggregatorServer.start(new ListenAddress("127.0.0.1", 0), aggregator, new SimpleMeterRegistry());
    leaderKey = keypair(1);
    helperKey = keypair(2);
    collectorKey = keypair(3);
    collectorToken = new AuthenticationToken(AuthenticationTokenType.BEARER, HexFormat.of().formatHex(bytes(16)));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop();
    }
    if (aggregator != null) {
      aggregator.close();
    }
    if (db != null) {
      db.close();
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

  private static URI leaderEndpoint() {
    return URI.create("http://127.0.0.1:" + server.port() + "/");
  }

  private static Task newLeaderTask() {
    Task task = Task.builder(TaskId.random(secureRandom), Role.LEADER, URI.create("https://helper.example/"),
            new QueryType.TimeInterval(), VDAF, bytes(16), PRECISION, collectorKey.config())
        .tolerableClockSkew(DapDuration.ofSeconds(60))
        .minBatchSize(1)
        .maxBatchQueryCount(1)
        .aggregatorAuthToken(new AuthenticationToken(AuthenticationTokenType.BEARER, "leader-to-helper"))
        .collectorAuthTokenHash(collectorToken.hash())
        .hpkeKeys(List.of(leaderKey))
        .build();
    db.datastore().run("test_put_task", tx -> tx.tasks().put(task));
    return task;
  }

  private static Client.Builder client(Task task) {
    return Client.builder(task.id(), leaderEndpoint(), URI.create("https://helper.example/"), PRECISION, VDAF)
        .helperHpkeConfig(helperKey.config())
        .clock(clock)
        .random(secureRandom)
        .retryPolicy(RetryPolicy.NONE);
  }

  private static Collector.Builder collector(Task task, AuthenticationToken token) {
    return Collector.builder(task.id(), leaderEndpoint(), token, collectorKey, VDAF)
        .clock(clock)
        .random(secureRandom)
        .retryPolicy(RetryPolicy.NONE);
  }

  private static Interval batch() {
    return new Interval(clock.now().truncateTo(PRECISION), DapDuration.ofSeconds(2 * PRECISION.seconds()));
  }

  @Test
  void clientUploadsReachTheLeader() {
    Task task = newLeaderTask();
    Client client = client(task).build();

    for (int i = 0; i < 5; i++) {
      client.upload(i % 2);
    }

    long stored = db.datastore().run("test_count",
        tx -> tx.clientReports().countUnaggregatedInInterval(task.id(), batch()));
    assertThat(stored).isEqualTo(5);
  }

  @Test
  void leaderProblemsReachTheClientTyped() {
    Task task = newLeaderTask();
    HpkeKeypair stale = keypair(77);
    Client outdated = client(task).leaderHpkeConfig(stale.config()).build();
    assertThatThrownBy(() -> outdated.upload(1)).isInstanceOfSatisfying(DapHttpException.class,
        e -> assertThat(e.dapProblemType()).contains(DapProblemType.OUTDATED_CONFIG));

    MockClock future = new MockClock(clock.now().plus(DapDuration.ofSeconds(3600)));
    Client early = client(task).clock(future).build();
    assertThatThrownBy(() -> early.upload(1)).isInstanceOfSatisfying(DapHttpException.class,
        e -> assertThat(e.dapProblemType()).contains(DapProblemType.REPORT_TOO_EARLY));

    Client unknownTask = Client.builder(TaskId.random(secureRandom), leaderEndpoint(),
        URI.create("https://helper.example/"), PRECISION, VDAF).helperHpkeConfig(helperKey.config())
        .retryPolicy(RetryPolicy.NONE).build();
    assertThatThrownBy(() -> unknownTask.upload(1)).isInstanceOfSatisfying(DapHttpException.class,
        e -> assertThat(e.dapProblemType()).contains(DapProblemType.UNRECOGNIZED_TASK));
  }

  @Test
  void collectorCreatesPollsAndReadsAFinishedJob() throws Exception {
    Task task = newLeaderTask();
    client(task).build().upload(1);
    Collector collector = collector(task, collectorToken).build();
    Interval batch = batch();

    CollectionJob job = collector.startCollection(new Query.TimeInterval(batch));
    PollResult pending = collector.poll(job);
    assertThat(pending).isEqualTo(new PollResult.NotReady(
        Optional.of(Duration.ofSeconds(AggregatorServer.COLLECTION_POLL_RETRY_AFTER_SECONDS))));

    // The collection job driver's part: Leader share 5 (plaintext, sealed at poll time by the Leader) and Helper
    // share 7 (sealed to the collector under the same AAD the Leader uses), over one reports' interval.
    Interval reports = new Interval(batch.start().plus(DapDuration.ofSeconds(10)), DapDuration.ofSeconds(1));
    byte[] aad = new AggregateShareAad(task.id(), new byte[0], new BatchSelector.TimeInterval(batch)).toBytes();
    finish(task.id(), job, new CollectionJobState.Finished(12, reports, field64(5),
        Hpke.seal(collectorKey.config(), Dap09.aggregateShareInfo(Role.HELPER), aad, field64(7))));

    PollResult ready = collector.poll(job);
    assertThat(ready).isInstanceOfSatisfying(PollResult.Ready.class, r -> {
      assertThat(r.result().aggregateResult()).containsExactly(12);
      assertThat(r.result().reportCount()).isEqualTo(12);
      assertThat(r.result().batchId()).isEmpty();
      assertThat(r.result().interval().start()).isEqualTo(batch.start());
    });

    collector.delete(job);
    assertThatThrownBy(() -> collector.poll(job)).isInstanceOf(DapProtocolException.class)
        .hasMessageContaining("deleted (HTTP 204)");
  }

  @Test
  void leaderProblemsReachTheCollectorTyped() {
    Task task = newLeaderTask();
    Collector wrongToken = collector(task,
        new AuthenticationToken(AuthenticationTokenType.BEARER, "not-the-collector")).build();
    assertThatThrownBy(() -> wrongToken.startCollection(new Query.TimeInterval(batch())))
        .isInstanceOfSatisfying(DapHttpException.class,
            e -> assertThat(e.dapProblemType()).contains(DapProblemType.UNAUTHORIZED_REQUEST));

    Collector collector = collector(task, collectorToken).build();
    Interval misaligned = new Interval(batch().start().plus(DapDuration.ofSeconds(1)), DapDuration.ofSeconds(100));
    assertThatThrownBy(() -> collector.startCollection(new Query.TimeInterval(misaligned)))
        .isInstanceOfSatisfying(DapHttpException.class,
            e -> assertThat(e.dapProblemType()).contains(DapProblemType.BATCH_INVALID));
  }

  /** A Prio3Count aggregate share: one Field64 element, little-endian. */
  private static byte[] field64(long v) {
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (v >>> (8 * i));
    }
    return b;
  }

  private static void finish(TaskId taskId, CollectionJob job, CollectionJobState state) {
    db.datastore().run("test_finish", tx -> {
      // A zero-length lease leaves every other job acquirable at once.
      for (Lease<AcquiredCollectionJob> lease : tx.collectionJobs().acquireIncomplete(Duration.ZERO, 100)) {
        if (lease.leased().taskId().equals(taskId) && lease.leased().jobId().equals(job.id())) {
          var stored = tx.collectionJobs().get(taskId, job.id()).orElseThrow();
          tx.collectionJobs().update(stored.withState(state), lease);
          return null;
        }
      }
      throw new AssertionError("collection job not acquirable");
    });
  }
}
