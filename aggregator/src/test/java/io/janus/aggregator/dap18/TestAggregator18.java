package io.janus.aggregator.dap18;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.WebServer;
import io.janus.aggregator.Aggregator;
import io.janus.aggregator.AggregatorServer;
import io.janus.aggregator.HelperAggregationMode;
import io.janus.core.MockClock;
import io.janus.core.auth.AuthenticationHeader;
import io.janus.core.auth.AuthenticationHeaders;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.core.dap18.Dap18TaskConfigurations;
import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.AgreedTerms;
import io.janus.core.task.DapVersion;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.core.task.VdafInstance;
import io.janus.core.vdaf.FakeVdaf;
import io.janus.core.vdaf.PingPongVdaf;
import io.janus.core.vdaf.TaskVdafs;
import io.janus.core.vdaf.VdafDispatch;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeAlgorithms;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.ReportId;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.messages.dap18.Dap18;
import io.janus.messages.dap18.Extension;
import io.janus.messages.dap18.InputShareAad;
import io.janus.messages.dap18.PlaintextInputShare;
import io.janus.messages.dap18.Report;
import io.janus.messages.dap18.ReportMetadata;
import io.janus.messages.dap18.ReportShare;
import io.janus.messages.dap18.VerifyInit;
import io.janus.server.datastore.Datastore;
import io.janus.server.datastore.model.HpkeKeyState;
import io.janus.server.testing.TestDatabase;
import io.janus.vdaf.VdafException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One aggregator under test for DAP-18: a fresh database, the production routing (both drafts) on an ephemeral
 * port, a mock clock, an active global HPKE key and seeded tokens. Tasks of {@link #ONE_ROUND} run the real
 * VDAF-18 Prio3Count (so the client library's reports are accepted); tasks of {@link #TWO_ROUNDS} run
 * {@link FakeVdaf} with two rounds, so that continuation can be exercised.
 */
final class TestAggregator18 implements AutoCloseable {
  /** Time precision of the test tasks. */
  static final DapDuration PRECISION = DapDuration.ofSeconds(100);
  /** Tolerable clock skew of the test tasks. */
  static final DapDuration SKEW = DapDuration.ofSeconds(60);
  /** A one-round task's VDAF: the real Prio3Count. */
  static final VdafInstance ONE_ROUND = new VdafInstance.Prio3Count();
  /** A two-round task's VDAF: a fake. */
  static final VdafInstance TWO_ROUNDS = new VdafInstance.Prio3Histogram(4, 2);

  private static final ObjectMapper JSON = new ObjectMapper();

  final TestDatabase db;
  final MockClock clock;
  final Aggregator aggregator;
  final WebServer server;
  final HttpClient http = HttpClient.newHttpClient();
  final SplittableRandom random;
  final HpkeKeypair collectorKey;
  /** The active global key every DAP-18 test report is sealed to. */
  final HpkeKeypair globalKey;
  final AuthenticationToken leaderToken;
  final AuthenticationToken collectorToken;

  /** The test VDAFs: the fake for {@link #TWO_ROUNDS}, production otherwise. */
  static final TaskVdafs VDAFS = (version, taskId, instance) -> instance.equals(TWO_ROUNDS) ? new FakeVdaf(2)
      : TaskVdafs.PRODUCTION.vdaf(version, taskId, instance);

  TestAggregator18() {
    this(HelperAggregationMode.SYNCHRONOUS);
  }

  /**
   * An aggregator whose DAP-18 Helper answers in {@code mode}; an asynchronous one starts no polling thread, so a
   * test does the deferred work with {@code aggregator.runHelperWork()}.
   */
  TestAggregator18(HelperAggregationMode mode) {
    long seed = Long.getLong("janus.test.seed", System.nanoTime());
    System.out.println("TestAggregator18 seed: " + seed);
    random = new SplittableRandom(seed);
    db = TestDatabase.create();
    clock = db.clock();
    Datastore served = new Datastore(db.dataSource(), db.crypter(), clock, 10, db.meterRegistry(),
        OpenTelemetry.noop().getTracer(Datastore.INSTRUMENTATION_SCOPE));
    aggregator = new Aggregator(served, clock, VDAFS, new Aggregator.Settings(10, 5, 4, 4, 600_000, 1000, 1_800_000)
        .withHelperAggregationMode(mode, java.time.Duration.ZERO));
    server = WebServer.builder().host("127.0.0.1").port(0)
        .routing(r -> AggregatorServer.routing(r, aggregator, new SimpleMeterRegistry(), OpenTelemetry.noop()))
        .build().start();
    collectorKey = keypair(250);
    globalKey = keypair(7);
    datastore().run("test_keys", tx -> {
      tx.hpkeKeys().put(globalKey);
      tx.hpkeKeys().setState(globalKey.config().id(), HpkeKeyState.ACTIVE);
      return null;
    });
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

  ReportId reportId() {
    return new ReportId(bytes(ReportId.LENGTH));
  }

  HpkeKeypair keypair(int configId) {
    return Hpke.derive(configId, HpkeAlgorithms.KEM_X25519_HKDF_SHA256, HpkeAlgorithms.KDF_HKDF_SHA256,
        HpkeAlgorithms.AEAD_AES_128_GCM, bytes(32));
  }

  /** The URL of this aggregator's API. */
  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.port() + "/");
  }

  /** A DAP-18 task builder with the test defaults for {@code role}; this aggregator's endpoint is the agreed one. */
  Task.Builder task(Role role, QueryType queryType, VdafInstance vdaf) {
    return task(role, queryType, vdaf, DapVersion.DAP_18);
  }

  /** A task builder of draft {@code version}; only DAP-18 tasks get agreed terms. */
  Task.Builder task(Role role, QueryType queryType, VdafInstance vdaf, DapVersion version) {
    TaskId id = new TaskId(bytes(TaskId.LENGTH));
    byte[] verifyKey = bytes(VDAFS.vdaf(DapVersion.DAP_18, id, vdaf).verifyKeyLength());
    Task.Builder b = Task.builder(id, role, URI.create("https://peer.example/"), queryType, vdaf, verifyKey,
            PRECISION, collectorKey.config())
        .protocol(version)
        .tolerableClockSkew(SKEW)
        .minBatchSize(1)
        .maxBatchQueryCount(1);
    if (version == DapVersion.DAP_18) {
      b.agreedTerms(new AgreedTerms(bytes(8), endpoint(), Optional.empty()));
    }
    if (role == Role.LEADER) {
      b.aggregatorAuthToken(leaderToken).collectorAuthTokenHash(collectorToken.hash());
    } else {
      b.aggregatorAuthTokenHash(leaderToken.hash());
    }
    return b;
  }

  Task put(Task task) {
    datastore().run("test_put_task", tx -> tx.tasks().put(task));
    return task;
  }

  /** Now, rounded down to the time precision, in precision units as draft 18 sends times. */
  long reportUnits() {
    return clock.now().seconds() / PRECISION.seconds();
  }

  /** What a test report is made of. */
  record Parts(ReportMetadata metadata, byte[] publicShare, HpkeCiphertext leaderShare, HpkeCiphertext helperShare,
      byte[] leaderMessage) {
    Report report() {
      return new Report(metadata, publicShare, leaderShare, helperShare);
    }

    VerifyInit verifyInit() {
      return new VerifyInit(new ReportShare(metadata, publicShare, helperShare), leaderMessage);
    }
  }

  /**
   * A report of {@code measurement} for {@code task} at {@code units}, sealed to {@code key} as a DAP-18 Client
   * does, with the given extensions in both plaintext input shares.
   */
  Parts report(Task task, HpkeKeypair key, long units, long measurement, List<Extension> publicExtensions,
      List<Extension> privateExtensions) {
    ReportId id = reportId();
    PingPongVdaf vdaf = VDAFS.of(task);
    PingPongVdaf.Sharded s = vdaf.shard(new long[] {measurement}, id.bytes(), bytes(vdaf.randomnessLength()));
    ReportMetadata metadata = new ReportMetadata(id, units, publicExtensions);
    byte[] aad = new InputShareAad(task.id(), Dap18TaskConfigurations.toTaskConfiguration(task.agreement().get()),
        metadata, s.publicShare()).toBytes();
    HpkeCiphertext leader = Hpke.seal(key.config(), Dap18.inputShareInfo(Role.LEADER), aad,
        new PlaintextInputShare(privateExtensions, s.leaderInputShare()).toBytes());
    HpkeCiphertext helper = Hpke.seal(key.config(), Dap18.inputShareInfo(Role.HELPER), aad,
        new PlaintextInputShare(privateExtensions, s.helperInputShare()).toBytes());
    byte[] message;
    try {
      message = vdaf.leaderInitialized(task.vdafVerifyKey(), new byte[0], id.bytes(), s.publicShare(),
          s.leaderInputShare()).outbound();
    } catch (VdafException e) {
      throw new IllegalStateException(e);
    }
    return new Parts(metadata, s.publicShare(), leader, helper, message);
  }

  /** {@link #report} now, sealed to the global key, without extensions. */
  Parts report(Task task, long measurement) {
    return report(task, globalKey, reportUnits(), measurement, List.of(), List.of());
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  HttpResponse<byte[]> send(String method, String path, Optional<String> contentType, byte[] body,
      Optional<AuthenticationToken> auth) {
    return send(method, path, contentType, body, auth, Map.of());
  }

  HttpResponse<byte[]> send(String method, String path, Optional<String> contentType, byte[] body,
      Optional<AuthenticationToken> auth, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
        .timeout(java.time.Duration.ofSeconds(30))
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

  /** Asserts a problem document of {@code status} and {@code type} (a DAP name, or a full URI). */
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
    assertThat(response.body().length).isLessThan(2000);
    return doc;
  }

  /** A draft-18 DAP problem: 400 and the type. */
  static JsonNode assertDapProblem(HttpResponse<byte[]> response, String type) {
    return assertProblem(response, 400, type);
  }

  @Override
  public void close() {
    server.stop();
    aggregator.close();
    db.close();
  }
}
