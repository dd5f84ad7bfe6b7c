package io.janus.collectionjobdriver;

import io.helidon.webserver.WebServer;
import io.janus.aggregationjobcreator.AggregationJobCreator;
import io.janus.aggregationjobdriver.AggregationJobDriver;
import io.janus.aggregationjobdriver.dap09.Dap09AggregationJobHelper;
import io.janus.aggregator.Aggregator;
import io.janus.aggregator.AggregatorServer;
import io.janus.collectionjobdriver.dap09.Dap09AggregateShareHelper;
import io.janus.core.auth.AuthenticationHeader;
import io.janus.core.auth.AuthenticationHeaders;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenType;
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
import io.janus.core.vdaf.PingPongVdaf;
import io.janus.core.vdaf.VdafDispatch;
import io.janus.messages.CollectionJobId;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeAlgorithms;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.ReportId;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.messages.dap09.CollectionReq;
import io.janus.messages.dap09.Dap09;
import io.janus.messages.dap09.InputShareAad;
import io.janus.messages.dap09.PlaintextInputShare;
import io.janus.messages.dap09.Query;
import io.janus.messages.dap09.Report;
import io.janus.messages.dap09.ReportMetadata;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * The whole Leader over real HTTP and real PostgreSQL: the production aggregator serving upload and collection,
 * the job creator, the aggregation job driver and the collection job driver on the Leader's database, and a
 * second production aggregator as the Helper on its own database. Clients and the collector speak DAP-09.
 */
final class LeaderPipeline implements AutoCloseable {
  static final DapDuration PRECISION = DapDuration.ofSeconds(3600);
  static final Duration LEASE = Duration.ofSeconds(600);
  static final Instant FAR = Instant.parse("2100-01-01T00:00:00Z");
  private static final int SHARDS = 4;

  final TestDatabase leaderDb = TestDatabase.create();
  final TestDatabase helperDb = TestDatabase.create();
  final Aggregator leader;
  final Aggregator helper;
  final WebServer leaderServer;
  final WebServer helperServer;
  final HttpClient http = HttpClient.newHttpClient();
  final SplittableRandom random;
  final long seed;
  final HpkeKeypair collectorKey;
  final AggregationJobCreator creator;
  final AggregationJobDriver aggregationDriver;
  SimpleMeterRegistry collectionMeters;

  LeaderPipeline() {
    seed = System.nanoTime();
    System.out.println("LeaderPipeline seed: " + seed);
    random = new SplittableRandom(seed);
    Aggregator.Settings settings = new Aggregator.Settings(10, 5, SHARDS, 4, 0, 100, 0);
    leader = new Aggregator(leaderDb.datastore(), leaderDb.clock(), io.janus.core.vdaf.TaskVdafs.PRODUCTION, settings);
    helper = new Aggregator(helperDb.datastore(), helperDb.clock(), io.janus.core.vdaf.TaskVdafs.PRODUCTION, settings);
    leaderServer = WebServer.builder().host("127.0.0.1").port(0)
        .routing(r -> AggregatorServer.routing(r, leader, new SimpleMeterRegistry())).build().start();
    helperServer = WebServer.builder().host("127.0.0.1").port(0)
        .routing(r -> AggregatorServer.routing(r, helper, new SimpleMeterRegistry())).build().start();
    collectorKey = keypair(200);
    creator = new AggregationJobCreator(leaderDb.datastore(), leaderDb.clock(),
        new AggregationJobCreator.Settings(SHARDS, 1, 10, 100, 1), new Random(seed), new SimpleMeterRegistry());
    aggregationDriver = new AggregationJobDriver(leaderDb.datastore(), leaderDb.clock(), io.janus.core.vdaf.TaskVdafs.PRODUCTION,
        new Dap09AggregationJobHelper(retryingClient()), new AggregationJobDriver.Settings(SHARDS, 5, 2),
        new Random(seed), new SimpleMeterRegistry());
  }

  /** A retrying client that waits by moving the Leader's mock clock, never by sleeping. */
  DapHttpClient retryingClient() {
    return new PeerHttpConfig(5, 10, 10, 20, 100).client(leaderDb.clock(),
        d -> leaderDb.clock().advanceMillis(d.toMillis()));
  }

  CollectionJobDriver collectionDriver(int maxAttempts) {
    collectionMeters = new SimpleMeterRegistry();
    return new CollectionJobDriver(leaderDb.datastore(), leaderDb.clock(), io.janus.core.vdaf.TaskVdafs.PRODUCTION,
        new Dap09AggregateShareHelper(retryingClient()), new CollectionJobDriver.Settings(SHARDS, maxAttempts,
            Duration.ofSeconds(600), Duration.ofSeconds(3600), 1.25), collectionMeters);
  }

  /** A collection job driver talking to the Helper through {@code helper}, with its own failure backoff. */
  CollectionJobDriver collectionDriver(int maxAttempts, AggregateShareHelper helper,
      io.janus.server.job.FailureBackoff backoff) {
    collectionMeters = new SimpleMeterRegistry();
    return new CollectionJobDriver(leaderDb.datastore(), leaderDb.clock(), io.janus.core.vdaf.TaskVdafs.PRODUCTION, helper,
        new CollectionJobDriver.Settings(SHARDS, maxAttempts, Duration.ofSeconds(600),
            Duration.ofSeconds(3600), 1.25, backoff), collectionMeters);
  }

  /** The production DAP-09 Helper client over {@link #retryingClient()}. */
  AggregateShareHelper realShareHelper() {
    return new Dap09AggregateShareHelper(retryingClient());
  }

  byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  HpkeKeypair keypair(int configId) {
    return Hpke.derive(configId, HpkeAlgorithms.KEM_X25519_HKDF_SHA256, HpkeAlgorithms.KDF_HKDF_SHA256,
        HpkeAlgorithms.AEAD_AES_128_GCM, bytes(32));
  }

  /**
   * One task as its participants hold it.
   *
   * @param leaderTask the Leader's view
   * @param leaderKey the Leader's HPKE key
   * @param helperKey the Helper's HPKE key
   * @param collectorToken what the collector presents to the Leader
   */
  record Tasks(Task leaderTask, HpkeKeypair leaderKey, HpkeKeypair helperKey, AuthenticationToken collectorToken) {
    TaskId id() {
      return leaderTask.id();
    }
  }

  Tasks tasks(QueryType queryType, VdafInstance vdaf, long minBatchSize) {
    TaskId id = new TaskId(bytes(TaskId.LENGTH));
    byte[] verifyKey = bytes(VdafDispatch.forInstance(vdaf).verifyKeyLength());
    HpkeKeypair leaderKey = keypair(1);
    HpkeKeypair helperKey = keypair(2);
    AuthenticationToken aggregatorToken = new AuthenticationToken(AuthenticationTokenType.BEARER,
        HexFormat.of().formatHex(bytes(16)));
    AuthenticationToken collectorToken = new AuthenticationToken(AuthenticationTokenType.DAP_AUTH,
        HexFormat.of().formatHex(bytes(16)));
    Task l = Task.builder(id, Role.LEADER, URI.create("http://127.0.0.1:" + helperServer.port() + "/"), queryType,
            vdaf, verifyKey, PRECISION, collectorKey.config())
        .aggregatorAuthToken(aggregatorToken).collectorAuthTokenHash(collectorToken.hash())
        .minBatchSize(minBatchSize).maxBatchQueryCount(1).tolerableClockSkew(DapDuration.ofSeconds(60))
        .hpkeKeys(List.of(leaderKey)).build();
    Task h = Task.builder(id, Role.HELPER, URI.create("http://127.0.0.1:" + leaderServer.port() + "/"), queryType,
            vdaf, verifyKey, PRECISION, collectorKey.config())
        .aggregatorAuthTokenHash(aggregatorToken.hash()).minBatchSize(minBatchSize).maxBatchQueryCount(1)
        .tolerableClockSkew(DapDuration.ofSeconds(60)).hpkeKeys(List.of(helperKey)).build();
    leaderDb.datastore().run("test_put_task", tx -> tx.tasks().put(l));
    helperDb.datastore().run("test_put_task", tx -> tx.tasks().put(h));
    return new Tasks(l, leaderKey, helperKey, collectorToken);
  }

  /** An hour ago on the Leader's clock, at a time-precision boundary. */
  Time hourAgo() {
    return new Time(leaderDb.clock().now().seconds() - 3600).truncateTo(PRECISION);
  }

  /** The lease of collection job {@code id}, if {@code d} can acquire it now. */
  Optional<Lease<AcquiredCollectionJob>> acquire(CollectionJobDriver d, CollectionJobId id) {
    return d.acquire(LEASE, 100).stream().filter(l -> l.leased().jobId().equals(id)).findFirst();
  }

  /** The lease of collection job {@code id}, which {@code d} must be able to acquire now. */
  Lease<AcquiredCollectionJob> acquireOne(CollectionJobDriver d, CollectionJobId id) {
    return acquire(d, id).orElseThrow(() -> new AssertionError("collection job " + id + " was not acquired"));
  }

  /** The Leader's collection job {@code id}. */
  io.janus.server.datastore.model.CollectionJob collectionJob(Tasks t, CollectionJobId id) {
    return leaderDb.datastore().run("test_job", tx -> tx.collectionJobs().get(t.id(), id).orElseThrow());
  }

  /** Shards, seals and uploads a report as a DAP-09 client does; returns the upload's status. */
  int upload(Tasks t, Time time, long measurement) {
    return uploadResponse(t, time, measurement).statusCode();
  }

  /** Shards, seals and uploads a report as a DAP-09 client does; returns the response. */
  HttpResponse<byte[]> uploadResponse(Tasks t, Time time, long measurement) {
    ReportId id = new ReportId(bytes(ReportId.LENGTH));
    PingPongVdaf vdaf = VdafDispatch.forInstance(t.leaderTask().vdaf());
    PingPongVdaf.Sharded s = vdaf.shard(new long[] {measurement}, id.bytes(), bytes(vdaf.randomnessLength()));
    ReportMetadata metadata = new ReportMetadata(id, time);
    byte[] aad = new InputShareAad(t.id(), metadata, s.publicShare()).toBytes();
    HpkeCiphertext leaderShare = Hpke.seal(t.leaderKey().config(), Dap09.inputShareInfo(Role.LEADER), aad,
        new PlaintextInputShare(List.of(), s.leaderInputShare()).toBytes());
    HpkeCiphertext helperShare = Hpke.seal(t.helperKey().config(), Dap09.inputShareInfo(Role.HELPER), aad,
        new PlaintextInputShare(List.of(), s.helperInputShare()).toBytes());
    byte[] body = new Report(metadata, s.publicShare(), leaderShare, helperShare).toBytes();
    return send(HttpRequest.newBuilder(leaderUri(Dap09.reportsPath(t.id())))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", Report.MEDIA_TYPE).build());
  }

  /** Creates a collection job as the collector does; returns the status. */
  int createCollectionJob(Tasks t, CollectionJobId jobId, Query query) {
    AuthenticationHeader auth = AuthenticationHeaders.header(t.collectorToken());
    byte[] body = new CollectionReq(query, new byte[0]).toBytes();
    return send(HttpRequest.newBuilder(leaderUri(Dap09.collectionJobPath(t.id(), jobId)))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", CollectionReq.MEDIA_TYPE)
        .header(auth.name(), auth.value()).build()).statusCode();
  }

  /** Polls a collection job as the collector does. */
  HttpResponse<byte[]> poll(Tasks t, CollectionJobId jobId) {
    AuthenticationHeader auth = AuthenticationHeaders.header(t.collectorToken());
    return send(HttpRequest.newBuilder(leaderUri(Dap09.collectionJobPath(t.id(), jobId)))
        .POST(HttpRequest.BodyPublishers.noBody()).header(auth.name(), auth.value()).build());
  }

  /** Runs the creator, then steps aggregation jobs until none is left to acquire. */
  void aggregateEverything(Tasks t) throws InterruptedException {
    creator.createJobs(t.leaderTask());
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

  private URI leaderUri(String path) {
    return URI.create("http://127.0.0.1:" + leaderServer.port() + path);
  }

  private HttpResponse<byte[]> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    leaderServer.stop();
    helperServer.stop();
    leader.close();
    helper.close();
    leaderDb.close();
    helperDb.close();
  }
}
