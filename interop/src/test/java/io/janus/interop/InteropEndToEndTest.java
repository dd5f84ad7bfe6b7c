package io.janus.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.WebServer;
import io.janus.client.DapHttp;
import io.janus.core.Clock;
import io.janus.server.datastore.Crypter;
import io.janus.server.datastore.Datastore;
import io.janus.core.task.VdafInstance;
import io.janus.messages.Base64Url;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeConfig;
import io.janus.messages.Interval;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.messages.Query;
import io.janus.messages.dap09.QueryType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Plays the draft's test runner (draft-dcook-ppm-dap-interop-test-design-07 section 4.6) against one interop
 * client, two interop aggregators (Leader and Helper, each with its own embedded PostgreSQL) and one interop
 * collector, all in this JVM on separate ports and talking to each other only over HTTP: ready, endpoint_for_task,
 * add_task (collector, Leader, Helper), uploads, collection_start and collection_poll until complete, for every
 * Prio3 VDAF and both query types, in the DAP-09 form and in the DAP-18 form of Janus main's interop binaries;
 * then bad requests to each participant.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InteropEndToEndTest {
  private static final long PRECISION = InteropScenario.PRECISION;

  private final long seed = new SecureRandom().nextLong();
  private final TestRunner runner = new TestRunner();
  private final List<AutoCloseable> resources = new ArrayList<>();
  private InteropAggregator leader;
  private InteropAggregator helper;
  private int clientPort;
  private int collectorPort;
  private InteropScenario scenario;

  @BeforeAll
  void start() {
    System.out.println("InteropEndToEndTest seed " + seed);
    InteropAggregator.Settings settings = new InteropAggregator.Settings(Duration.ofMillis(100), 100, 2,
        DapDuration.ofSeconds(60));
    leader = aggregator(settings);
    helper = aggregator(settings);
    WebServer client = WebServer.builder().host("localhost").port(0)
        .routing(new InteropClient(DapHttp.defaultHttpClient(), Clock.SYSTEM)::routing).build().start();
    resources.add(client::stop);
    clientPort = client.port();
    WebServer collector = WebServer.builder().host("localhost").port(0)
        .routing(new InteropCollector(DapHttp.defaultHttpClient(), Clock.SYSTEM, new SecureRandom())::routing)
        .build().start();
    resources.add(collector::stop);
    collectorPort = collector.port();
    scenario = InteropScenario.of(clientPort, leader.port(), helper.port(), collectorPort, seed);
  }

  private InteropAggregator aggregator(InteropAggregator.Settings settings) {
    InteropDatabase db = InteropDatabase.open(Optional.empty());
    resources.add(db);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    Datastore datastore = new Datastore(db.dataSource(),
        Crypter.fromDatastoreKeys(Crypter.generateKey(new SecureRandom())), Clock.SYSTEM, 10, meters);
    InteropAggregator a = InteropAggregator.start(datastore, Clock.SYSTEM, meters, settings, "localhost", 0);
    resources.add(a);
    return a;
  }

  @AfterAll
  void stop() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("io.janus.interop.InteropScenario#cases")
  void aggregatesAndCollectsExactly(VdafInstance vdaf, QueryType queryType) throws InterruptedException {
    scenario.run(vdaf, queryType);
  }

  /**
   * The same flow with every request in the DAP-18 form of Janus main's interop binaries, for each VDAF of that
   * form and both batch modes.
   */
  @ParameterizedTest(name = "DAP-18 {0} {1} task interval {2}")
  @MethodSource("io.janus.interop.InteropScenario#cases18")
  void dap18AggregatesAndCollectsExactly(VdafInstance vdaf, io.janus.core.task.QueryType batchMode,
      boolean taskInterval) throws InterruptedException {
    scenario.run18(vdaf, batchMode, taskInterval);
  }

  @Test
  void dap18RequestsAreReadOverHttpAndTheirRefusalsNameTheFields() {
    TaskId taskId = TaskId.random(new SecureRandom());
    URI leaderEndpoint = URI.create("http://localhost:1/");
    URI helperEndpoint = URI.create("http://localhost:" + helper.port() + "/");
    VdafInstance vdaf = new VdafInstance.Prio3SumMaxMeasurement(100);
    CollectorAddTaskRequest collectorTask = new CollectorAddTaskRequest(taskId, leaderEndpoint, vdaf,
        scenario.token(), Dap18Fields.leaderSelected(), Optional.of(new CollectorAddTaskRequest.Dap18(helperEndpoint,
        1, new DapDuration(PRECISION), Optional.empty())));
    HpkeConfig collectorConfig = HpkeConfig.decode(Base64Url.decode(
        runner.success(collectorPort, "add_task", collectorTask.toJson()).path("collector_hpke_config").asText()));
    runner.error(collectorPort, "add_task", collectorTask.toJson().toString(), "already added");
    // The task was added as DAP-18, so its queries are batch modes, and there is no query by batch ID.
    runner.error(collectorPort, "collection_start", new CollectionStartRequest(taskId, new byte[0],
        new Query.FixedSizeByBatchId(new io.janus.messages.BatchId(new byte[32]))).toJson().toString(),
        "DAP-18's leader_selected batch mode has no query by batch ID");
    // Like Janus, the collector rounds a DAP-18 batch interval down to the time precision; one shorter than the
    // precision is then empty.
    runner.error(collectorPort, "collection_start", new CollectionStartRequest(taskId, new byte[0],
        new Query.TimeInterval(new Interval(new Time(PRECISION), new DapDuration(PRECISION - 1)))).toJson()
        .toString(), "field \"query.batch_interval_duration\" must be at least the task's time precision (3600 s),"
        + " got 3599");

    int keyLength = io.janus.core.vdaf.VdafDispatch.forTask(io.janus.core.task.DapVersion.DAP_18, taskId, vdaf)
        .verifyKeyLength();
    AggregatorAddTaskRequest helperTask = AggregatorAddTaskRequest.dap18(taskId, leaderEndpoint, helperEndpoint,
        vdaf, scenario.token(), Optional.empty(), Role.HELPER, new byte[keyLength], Dap18Fields.leaderSelected(), 1,
        new DapDuration(PRECISION), collectorConfig, Optional.empty());
    ObjectNode shortKey = helperTask.toJson().put("vdaf_verify_key", "AAAA");
    runner.error(helper.port(), "add_task", shortKey.toString(),
        "field \"vdaf_verify_key\" must encode " + keyLength + " bytes");
    runner.success(helper.port(), "add_task", helperTask.toJson());
    runner.error(helper.port(), "add_task", helperTask.toJson().toString(), "already exists");

    runner.error(leader.port(), "add_task", helperTask.toJson().put("query_type", 2).toString(),
        "request carries both \"query_type\" (DAP-09) and \"batch_mode\" (DAP-18)");
    ObjectNode bits = helperTask.toJson();
    bits.set("vdaf", TestRunner.object().put("type", "Prio3Sum").put("bits", "8"));
    runner.error(leader.port(), "add_task", bits.toString(), "field \"vdaf.bits\" is the DAP-09 form");
    UploadRequest upload = new UploadRequest(taskId, leaderEndpoint, helperEndpoint, vdaf, new long[] {7},
        Optional.empty(), new DapDuration(PRECISION),
        Optional.of(new UploadRequest.Dap18(Dap18Fields.leaderSelected(), 1, Optional.empty())));
    runner.error(clientPort, "upload", upload.toJson().put("query_type", 2).toString(),
        "request carries both \"query_type\" (DAP-09) and \"batch_mode\" (DAP-18)");
    ObjectNode multiproof = upload.toJson();
    multiproof.set("vdaf", TestRunner.object().put("type", "Prio3SumVecField64MultiproofHmacSha256Aes128")
        .put("proofs", "2").put("max_measurement", "9").put("length", "2").put("chunk_length", "1"));
    runner.error(clientPort, "upload", multiproof.toString(), "has no VDAF-18 form here");
    runner.error(clientPort, "upload", upload.toJson().put("measurement", "101").toString(),
        "field \"measurement\" must be in 0..100, got 101");
  }

  @Test
  void eachAggregatorOffersAnActiveGlobalHpkeKey() throws Exception {
    // DAP-18 has no per-task keys: clients of a DAP-18 task seal to the aggregator's global key.
    for (InteropAggregator a : List.of(leader, helper)) {
      java.net.http.HttpResponse<byte[]> res = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(URI.create("http://localhost:" + a.port() + "/hpke_config")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofByteArray());
      assertThat(res.statusCode()).as("GET /hpke_config: %s", new String(res.body())).isEqualTo(200);
      assertThat(io.janus.messages.HpkeConfigList.decode(res.body()).configs()).hasSize(1);
    }
  }

  @Test
  void badRequestsGetErrorBodiesAndServingContinues() {
    for (int port : new int[] {clientPort, leader.port(), collectorPort}) {
      runner.error(port, "ready", "[]", "request body must be a JSON object");
      runner.error(port, "ready", "{\"unterminated\":", "request body is not valid JSON");
      TestRunner.Response missing = runner.postRaw(port, TestApi.PREFIX + "no_such_command", "{}");
      assertThat(missing.status()).isEqualTo(404);
      runner.command(port, "ready", TestRunner.object());
    }
    runner.error(leader.port(), "add_task", "{}", "missing field \"task_id\"");
    ObjectNode poplar = TestRunner.object().put("task_id", TaskId.random(new SecureRandom()).toBase64Url())
        .put("leader", "http://localhost/").put("helper", "http://localhost/");
    poplar.set("vdaf", TestRunner.object().put("type", "Poplar1").put("bits", "8"));
    runner.error(leader.port(), "add_task", poplar.toString(), "unsupported VDAF type \"Poplar1\"");
    runner.error(leader.port(), "endpoint_for_task", "{\"task_id\":\"!!\",\"role\":\"leader\",\"hostname\":\"h\"}",
        "field \"task_id\" is not valid base64url");
    runner.error(clientPort, "upload", "{\"task_id\":\"AAAA\"}", "field \"task_id\" must encode 32 bytes");
    runner.error(collectorPort, "collection_poll", "{\"handle\":\"nope\"}", "unknown collection handle \"nope\"");
    runner.error(collectorPort, "collection_start", new CollectionStartRequest(TaskId.random(new SecureRandom()),
        new byte[0], new Query.FixedSizeCurrentBatch()).toJson().toString(), "was not added");
    // A well-formed upload for a task the Leader does not know fails at the DAP level.
    URI leaderEndpoint = URI.create("http://localhost:" + leader.port() + "/");
    runner.error(clientPort, "upload", new UploadRequest(TaskId.random(new SecureRandom()), leaderEndpoint,
        URI.create("http://localhost:" + helper.port() + "/"), new VdafInstance.Prio3Count(), new long[] {1},
        Optional.empty(), new DapDuration(PRECISION)).toJson().toString(), "unrecognizedTask");
    // Each participant still serves after its bad requests.
    for (int port : new int[] {clientPort, leader.port(), helper.port(), collectorPort}) {
      runner.command(port, "ready", TestRunner.object());
    }
  }

  @Test
  void aggregatorRejectsAVerifyKeyOfTheWrongLengthAndDuplicateTasks() {
    TaskId taskId = TaskId.random(new SecureRandom());
    CollectorAddTaskRequest collectorTask = new CollectorAddTaskRequest(taskId, URI.create("http://localhost:1/"),
        new VdafInstance.Prio3Count(), scenario.token(), QueryType.TIME_INTERVAL);
    HpkeConfig collectorConfig = HpkeConfig.decode(Base64Url.decode(
        runner.success(collectorPort, "add_task", collectorTask.toJson()).path("collector_hpke_config").asText()));
    runner.error(collectorPort, "add_task", collectorTask.toJson().toString(), "already added");

    AggregatorAddTaskRequest shortKey = helperTask(taskId, new byte[3], collectorConfig);
    runner.error(helper.port(), "add_task", shortKey.toJson().toString(), "field \"vdaf_verify_key\" must encode 16");
    AggregatorAddTaskRequest ok = helperTask(taskId, new byte[16], collectorConfig);
    runner.success(helper.port(), "add_task", ok.toJson());
    runner.error(helper.port(), "add_task", ok.toJson().toString(), "already exists");
  }

  private AggregatorAddTaskRequest helperTask(TaskId taskId, byte[] verifyKey, HpkeConfig collectorConfig) {
    return new AggregatorAddTaskRequest(taskId, URI.create("http://localhost:1/"), URI.create("http://localhost:2/"),
        new VdafInstance.Prio3Count(), scenario.token(), Optional.empty(), Role.HELPER, verifyKey, 1,
        QueryType.TIME_INTERVAL, 1, OptionalLong.empty(), new DapDuration(PRECISION), collectorConfig, Optional.empty());
  }

  @Test
  void leaderRefusesACollectorWithTheWrongToken() {
    TaskId taskId = TaskId.random(new SecureRandom());
    URI leaderEndpoint = URI.create("http://localhost:" + leader.port() + "/");
    CollectorAddTaskRequest collectorTask = new CollectorAddTaskRequest(taskId, leaderEndpoint,
        new VdafInstance.Prio3Count(), scenario.token(), QueryType.TIME_INTERVAL);
    HpkeConfig collectorConfig = HpkeConfig.decode(Base64Url.decode(
        runner.success(collectorPort, "add_task", collectorTask.toJson()).path("collector_hpke_config").asText()));
    // The Leader is given another collector token than the collector holds.
    runner.success(leader.port(), "add_task", new AggregatorAddTaskRequest(taskId, leaderEndpoint,
        URI.create("http://localhost:" + helper.port() + "/"), new VdafInstance.Prio3Count(), scenario.token(),
        Optional.of(scenario.token()), Role.LEADER, new byte[16], 1, QueryType.TIME_INTERVAL, 1,
        OptionalLong.empty(), new DapDuration(PRECISION), collectorConfig, Optional.empty()).toJson());
    long start = (System.currentTimeMillis() / 1000 / PRECISION - 1) * PRECISION;
    runner.error(collectorPort, "collection_start", new CollectionStartRequest(taskId, new byte[0],
        new Query.TimeInterval(new Interval(new Time(start), new DapDuration(PRECISION)))).toJson().toString(),
        "unauthorizedRequest");
  }
}
