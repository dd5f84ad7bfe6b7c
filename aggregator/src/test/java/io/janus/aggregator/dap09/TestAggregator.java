package io.janus.aggregator.dap09;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.WebServer;
import io.janus.aggregator.Aggregator;
import io.janus.aggregator.AggregatorServer;
import io.janus.core.MockClock;
import io.janus.core.auth.AuthenticationHeader;
import io.janus.core.auth.AuthenticationHeaders;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.server.datastore.Datastore;
import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.core.task.VdafInstance;
import io.janus.server.testing.TestDatabase;
import io.janus.core.vdaf.FakeVdaf;
import io.janus.core.vdaf.PingPongVdaf;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeAlgorithms;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.ReportId;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.messages.dap09.Dap09;
import io.janus.messages.dap09.Extension;
import io.janus.messages.dap09.InputShareAad;
import io.janus.messages.dap09.PlaintextInputShare;
import io.janus.messages.dap09.ReportMetadata;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * One aggregator under test: a fresh database, the production routing on an ephemeral port, a mock clock, an
 * HTTP client and seeded keys. Unless a test passes real VDAFs, the VDAF of every task is {@link FakeVdaf}: one
 * round for {@code Prio3Count} tasks, two rounds for {@code Prio3Sum} tasks (so continuation can be exercised).
 */
final class TestAggregator implements AutoCloseable {
  /** Time precision of the test tasks. */
  static final DapDuration PRECISION = DapDuration.ofSeconds(100);
  /** Tolerable clock skew of the test tasks. */
  static final DapDuration SKEW = DapDuration.ofSeconds(60);
  /** A one-round task's VDAF. */
  static final VdafInstance ONE_ROUND = new VdafInstance.Prio3Count();
  /** A two-round task's VDAF. */
  static final VdafInstance TWO_ROUNDS = new VdafInstance.Prio3Sum(8);

  private static final ObjectMapper JSON = new ObjectMapper();

  final TestDatabase db;
  final MockClock clock;
  final Aggregator aggregator;
  final WebServer server;
  final HttpClient http = HttpClient.newHttpClient();

  /** How long {@link #send} waits for an answer: no request here should take a fraction of it (a hang). */
  static final java.time.Duration REQUEST_TIMEOUT = java.time.Duration.ofSeconds(30);
  /** Where the server records request metrics. */
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final SplittableRandom random;
  /** The Collector's keypair; every test task seals aggregate shares to it. */
  final HpkeKeypair collectorKey;
  /** The token the Leader presents to the Helper in every helper test task. */
  final AuthenticationToken leaderToken;
  /** The token the Collector presents to the Leader in every leader test task. */
  final AuthenticationToken collectorToken;
  private int nextConfigId = 1;

  /** A VDAF whose lookup fails, to drive the internal-error path. */
  static final VdafInstance BROKEN = new VdafInstance.Prio3Histogram(2, 1);

  /** The test VDAFs: {@link FakeVdaf} with one round, two for {@link #TWO_ROUNDS} tasks, none for {@link #BROKEN}. */
  static final Function<VdafInstance, PingPongVdaf> FAKE_VDAFS = v -> {
    if (v.equals(BROKEN)) {
      throw new IllegalStateException("no VDAF for " + v + " (on purpose)");
    }
    return v.equals(TWO_ROUNDS) ? new FakeVdaf(2) : new FakeVdaf(1);
  };

  TestAggregator(int maxUploadBatchSize) {
    this(maxUploadBatchSize, FAKE_VDAFS);
  }

  TestAggregator(int maxUploadBatchSize, Function<VdafInstance, PingPongVdaf> vdafs) {
    this(maxUploadBatchSize, vdafs, OpenTelemetry.noop());
  }

  /**
   * An aggregator whose routing and datastore record spans through {@code openTelemetry}; the test's own
   * {@link #datastore()} (for fixtures) records none.
   */
  TestAggregator(int maxUploadBatchSize, Function<VdafInstance, PingPongVdaf> vdafs, OpenTelemetry openTelemetry) {
    this(maxUploadBatchSize, vdafs, openTelemetry, io.janus.server.config.TaskprovConfig.DISABLED);
  }

  /** An aggregator with the test VDAFs and {@code taskprov} settings. */
  TestAggregator(int maxUploadBatchSize, io.janus.server.config.TaskprovConfig taskprov) {
    this(maxUploadBatchSize, FAKE_VDAFS, OpenTelemetry.noop(), taskprov);
  }

  private TestAggregator(int maxUploadBatchSize, Function<VdafInstance, PingPongVdaf> vdafs,
      OpenTelemetry openTelemetry, io.janus.server.config.TaskprovConfig taskprov) {
    // Replay a failing run with -Djanus.test.seed=<the printed seed>.
    long seed = Long.getLong("janus.test.seed", System.nanoTime());
    System.out.println("TestAggregator seed: " + seed);
    random = new SplittableRandom(seed);
    db = TestDatabase.create();
    clock = db.clock();
    Datastore served = new Datastore(db.dataSource(), db.crypter(), clock, 10, db.meterRegistry(),
        openTelemetry.getTracer(Datastore.INSTRUMENTATION_SCOPE));
    aggregator = new Aggregator(served, clock, io.janus.core.vdaf.TaskVdafs.byInstance(vdafs), new Aggregator.Settings(maxUploadBatchSize, 5, 4, 4, 600_000, 1000, 1_800_000)
        .withTaskprov(taskprov));
    server = WebServer.builder().host("127.0.0.1").port(0)
        .routing(r -> AggregatorServer.routing(r, aggregator, meters, openTelemetry)).build().start();
    collectorKey = keypair(250);
    leaderToken = new AuthenticationToken(AuthenticationTokenType.BEARER, HexFormat.of().formatHex(bytes(16)));
    collectorToken = new AuthenticationToken(AuthenticationTokenType.DAP_AUTH, HexFormat.of().formatHex(bytes(16)));
  }

  Datastore datastore() {
    return db.datastore();
  }

  byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  TaskId taskId() {
    return new TaskId(bytes(TaskId.LENGTH));
  }

  ReportId reportId() {
    return new ReportId(bytes(ReportId.LENGTH));
  }

  /** A real X25519 keypair derived from seeded bytes. */
  HpkeKeypair keypair(int configId) {
    return Hpke.derive(configId, HpkeAlgorithms.KEM_X25519_HKDF_SHA256, HpkeAlgorithms.KDF_HKDF_SHA256,
        HpkeAlgorithms.AEAD_AES_128_GCM, bytes(32));
  }

  /** A fresh keypair with a config ID no other test key uses. */
  HpkeKeypair newKeypair() {
    return keypair(nextConfigId++);
  }

  /** A task builder with the test defaults for {@code role}; the caller adds keys and stores it. */
  Task.Builder task(Role role, QueryType queryType, VdafInstance vdaf) {
    Task.Builder b = Task.builder(taskId(), role, URI.create("https://peer.example/"), queryType, vdaf, bytes(16),
            PRECISION, collectorKey.config())
        .tolerableClockSkew(SKEW)
        .minBatchSize(1)
        .maxBatchQueryCount(1);
    if (role == Role.LEADER) {
      b.aggregatorAuthToken(leaderToken).collectorAuthTokenHash(collectorToken.hash());
    } else {
      b.aggregatorAuthTokenHash(leaderToken.hash());
    }
    return b;
  }

  /** Stores {@code task}. */
  Task put(Task task) {
    datastore().run("test_put_task", tx -> tx.tasks().put(task));
    return task;
  }

  /** Now, rounded down to the task time precision, as clients report it. */
  Time reportTime() {
    return clock.now().truncateTo(PRECISION);
  }

  /** Seals {@code payload} (with {@code extensions}) as the Client does for {@code recipient}. */
  static HpkeCiphertext seal(HpkeKeypair key, Role recipient, TaskId taskId, ReportId reportId, Time time,
      byte[] publicShare, byte[] payload, List<Extension> extensions) {
    byte[] plaintext = new PlaintextInputShare(extensions, payload).toBytes();
    byte[] aad = new InputShareAad(taskId, new ReportMetadata(reportId, time), publicShare).toBytes();
    return Hpke.seal(key.config(), Dap09.inputShareInfo(recipient), aad, plaintext);
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  /** Sends a request; {@code contentType} and {@code auth} are added when present. */
  HttpResponse<byte[]> send(String method, String path, Optional<String> contentType, byte[] body,
      Optional<AuthenticationToken> auth) {
    return send(method, path, contentType, body, auth, java.util.Map.of());
  }

  /** {@link #send(String, String, Optional, byte[], Optional)} with extra request headers. */
  HttpResponse<byte[]> send(String method, String path, Optional<String> contentType, byte[] body,
      Optional<AuthenticationToken> auth, java.util.Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
        .timeout(REQUEST_TIMEOUT)
        .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    contentType.ifPresent(c -> b.header("Content-Type", c));
    headers.forEach(b::header);
    auth.ifPresent(t -> {
      AuthenticationHeader h = AuthenticationHeaders.header(t);
      b.header(h.name(), h.value());
    });
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Asserts that {@code response} is a problem document of DAP type {@code dapType} for {@code taskId}. */
  static JsonNode assertProblem(HttpResponse<byte[]> response, int status, String type) {
    assertThat(response.statusCode()).as("status; body %s", new String(response.body())).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode doc;
    try {
      doc = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + new String(response.body()), e);
    }
    String expected = type.contains(":") ? type : "urn:ietf:params:ppm:dap:error:" + type;
    assertThat(doc.get("type").asText()).isEqualTo(expected);
    assertThat(doc.get("status").asInt()).isEqualTo(status);
    return doc;
  }

  /** Asserts a DAP problem with status 400 (403 for unauthorizedRequest) that names {@code taskId}. */
  static void assertDapProblem(HttpResponse<byte[]> response, String type, TaskId taskId) {
    int status = type.equals("unauthorizedRequest") ? 403 : 400;
    JsonNode doc = assertProblem(response, status, type);
    assertThat(doc.get("taskid").asText()).isEqualTo(taskId.toBase64Url());
  }

  @Override
  public void close() {
    server.stop();
    aggregator.close();
    db.close();
  }
}
