package io.janus.aggregator.dap09;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.core.task.Taskprov;
import io.janus.core.vdaf.FakeVdaf;
import io.janus.core.vdaf.PingPongVdaf;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.HpkeConfigList;
import io.janus.messages.ReportId;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.messages.Url;
import io.janus.messages.dap09.Dap09;
import io.janus.messages.dap09.DpConfig;
import io.janus.messages.dap09.DpMechanism;
import io.janus.messages.dap09.Extension;
import io.janus.messages.dap09.PrepareError;
import io.janus.messages.dap09.PrepareResp;
import io.janus.messages.dap09.QueryConfig;
import io.janus.messages.dap09.Report;
import io.janus.messages.dap09.ReportMetadata;
import io.janus.messages.dap09.TaskConfig;
import io.janus.messages.dap09.VdafConfig;
import io.janus.messages.dap09.VdafType;
import io.janus.server.config.TaskprovConfig;
import io.janus.server.datastore.model.HpkeKeyState;
import io.janus.server.datastore.model.TaskprovPeerAggregator;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * In-band task provisioning over HTTP: the Leader provisions on upload, the Helper on aggregation job
 * initialization, and every way a request can be refused, with the problem type Janus 0.7 answers.
 */
class Dap09TaskprovTest {
  private static final URI LEADER = URI.create("https://leader.example/");
  private static final URI HELPER = URI.create("https://helper.example/");
  private static final FakeVdaf VDAF = new FakeVdaf();
  private static final Extension TASKPROV = new Extension(Dap09.EXTENSION_TASKPROV, new byte[0]);

  private static TestAggregator agg;
  private static HpkeKeypair globalKey;
  private static byte[] verifyKeyInit;
  private static AuthenticationToken helperPeerToken;
  private static AuthenticationToken collectorToken;
  private static int configs;

  @BeforeAll
  static void setUp() {
    agg = new TestAggregator(1, new TaskprovConfig(true, false));
    globalKey = agg.newKeypair();
    verifyKeyInit = agg.bytes(32);
    helperPeerToken = new AuthenticationToken(AuthenticationTokenType.BEARER, "helper-peer-token");
    collectorToken = new AuthenticationToken(AuthenticationTokenType.BEARER, "collector-token");
    agg.datastore().run("test_setup", tx -> {
      tx.hpkeKeys().put(globalKey);
      tx.hpkeKeys().setState(globalKey.config().id(), HpkeKeyState.ACTIVE);
      // As Leader: the Helper peer. As Helper: the Leader peer, whose token the Leader must present.
      tx.taskprovPeers().put(new TaskprovPeerAggregator(HELPER, Role.HELPER, verifyKeyInit,
          agg.collectorKey.config(), Optional.empty(), DapDuration.ofSeconds(60), List.of(helperPeerToken),
          List.of(collectorToken)));
      return tx.taskprovPeers().put(new TaskprovPeerAggregator(LEADER, Role.LEADER, verifyKeyInit,
          agg.collectorKey.config(), Optional.empty(), DapDuration.ofSeconds(60), List.of(agg.leaderToken),
          List.of()));
    });
  }

  @AfterAll
  static void tearDown() {
    agg.close();
  }

  /** A fresh configuration (distinct task info, hence task ID) between {@code leader} and {@code helper}. */
  private static TaskConfig config(URI leader, URI helper, DpMechanism dp, VdafType vdaf) {
    byte[] info = ("task " + ++configs).getBytes(StandardCharsets.US_ASCII);
    return new TaskConfig(info, new Url(leader.toString()), new Url(helper.toString()),
        new QueryConfig(TestAggregator.PRECISION, 1, 1, new QueryConfig.TimeInterval()),
        agg.clock.now().plus(DapDuration.ofSeconds(86_400)), new VdafConfig(new DpConfig(dp), vdaf));
  }

  private static TaskConfig config() {
    return config(LEADER, HELPER, new DpMechanism.None(), new VdafType.Prio3Count());
  }

  private static String header(byte[] encoded) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(encoded);
  }

  private static byte[] report(TaskId taskId, List<Extension> extensions) {
    ReportId id = agg.reportId();
    Time time = agg.reportTime();
    PingPongVdaf.Sharded s = VDAF.shard(new long[] {1}, id.bytes(), new byte[0]);
    HpkeCiphertext leader = TestAggregator.seal(globalKey, Role.LEADER, taskId, id, time, s.publicShare(),
        s.leaderInputShare(), extensions);
    HpkeCiphertext helper = TestAggregator.seal(globalKey, Role.HELPER, taskId, id, time, s.publicShare(),
        s.helperInputShare(), extensions);
    return new Report(new ReportMetadata(id, time), s.publicShare(), leader, helper).toBytes();
  }

  private static HttpResponse<byte[]> upload(TaskId taskId, byte[] report, Optional<String> header) {
    return agg.send("PUT", Dap09.reportsPath(taskId), Optional.of(Dap09.MEDIA_TYPE_REPORT), report,
        Optional.empty(), header.map(h -> Map.of(Dap09.HEADER_TASKPROV, h)).orElse(Map.of()));
  }

  private static HttpResponse<byte[]> upload(TaskConfig config, List<Extension> extensions) {
    byte[] encoded = config.toBytes();
    TaskId id = Taskprov.taskId(encoded);
    return upload(id, report(id, extensions), Optional.of(header(encoded)));
  }

  private static HttpResponse<byte[]> aggregationInit(TaskConfig config, List<Extension> extensions,
      Optional<AuthenticationToken> auth) {
    byte[] encoded = config.toBytes();
    TaskId id = Taskprov.taskId(encoded);
    HelperRequests helper = new HelperRequests(agg);
    byte[] body = HelperRequests.init(HelperRequests.prepareInit(globalKey, id, agg.reportId(), agg.reportTime(), 1,
        extensions)).toBytes();
    return agg.send("PUT", Dap09.aggregationJobPath(id, helper.jobId()),
        Optional.of(Dap09.MEDIA_TYPE_AGGREGATION_JOB_INIT_REQ), body, auth,
        Map.of(Dap09.HEADER_TASKPROV, header(encoded)));
  }

  private static Optional<Task> stored(TaskId id) {
    return agg.datastore().run("test_get", tx -> tx.tasks().get(id));
  }

  @Test
  void hpkeConfigServesGlobalKeysForAnyTask() {
    HttpResponse<byte[]> r = agg.send("GET", "/hpke_config?task_id=" + agg.taskId().toBase64Url(),
        Optional.empty(), new byte[0], Optional.empty());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(HpkeConfigList.decode(r.body()).configs()).containsExactly(globalKey.config());
  }

  @Test
  void leaderProvisionsOnFirstUpload() {
    TaskConfig config = config();
    byte[] encoded = config.toBytes();
    TaskId id = Taskprov.taskId(encoded);
    assertThat(upload(config, List.of(TASKPROV)).statusCode()).isEqualTo(201);

    Task task = stored(id).orElseThrow();
    assertThat(task.role()).isEqualTo(Role.LEADER);
    assertThat(task.peerAggregatorEndpoint()).isEqualTo(HELPER);
    assertThat(task.queryType()).isEqualTo(new QueryType.TimeInterval());
    assertThat(task.vdafVerifyKey()).isEqualTo(Taskprov.deriveVerifyKey(verifyKeyInit, id, VDAF.verifyKeyLength()));
    assertThat(task.taskExpiration()).contains(config.taskExpiration());
    assertThat(task.timePrecision()).isEqualTo(TestAggregator.PRECISION);
    assertThat(task.tolerableClockSkew()).isEqualTo(DapDuration.ofSeconds(60));
    assertThat(task.aggregatorAuthToken()).contains(helperPeerToken);
    assertThat(task.collectorAuthTokenHash()).contains(collectorToken.hash());
    assertThat(task.taskprovConfig().orElseThrow().encoded()).isEqualTo(encoded);
    // The second upload finds the task.
    assertThat(upload(config, List.of(TASKPROV)).statusCode()).isEqualTo(201);
  }

  @Test
  void taskprovReportsNeedTheExtensionWithEmptyData() {
    TaskConfig config = config();
    TestAggregator.assertDapProblem(upload(config, List.of()), "invalidMessage", Taskprov.taskId(config.toBytes()));
    TestAggregator.assertDapProblem(upload(config, List.of(new Extension(Dap09.EXTENSION_TASKPROV, new byte[] {1}))),
        "invalidMessage", Taskprov.taskId(config.toBytes()));
  }

  @Test
  void otherTasksRefuseTheTaskprovExtension() {
    Task task = agg.put(agg.task(Role.LEADER, new QueryType.TimeInterval(), TestAggregator.ONE_ROUND).build());
    TestAggregator.assertDapProblem(upload(task.id(), report(task.id(), List.of(TASKPROV)), Optional.empty()),
        "invalidMessage", task.id());
  }

  @Test
  void malformedHeadersAreInvalidMessages() {
    TaskConfig config = config();
    TaskId id = Taskprov.taskId(config.toBytes());
    byte[] report = report(id, List.of(TASKPROV));
    TestAggregator.assertDapProblem(upload(id, report, Optional.of("not base64!")), "invalidMessage", id);
    // A configuration whose SHA-256 is not the task ID in the path.
    TestAggregator.assertDapProblem(upload(id, report, Optional.of(header(config().toBytes()))), "invalidMessage",
        id);
    // The right hash of bytes that are no TaskConfig.
    byte[] garbage = {0, 1, 2};
    TaskId garbageId = Taskprov.taskId(garbage);
    TestAggregator.assertDapProblem(upload(garbageId, report(garbageId, List.of(TASKPROV)),
        Optional.of(header(garbage))), "invalidMessage", garbageId);
    assertThat(stored(id)).isEmpty();
  }

  @Test
  void optsOutWithInvalidTask() {
    TaskConfig unknownPeer = config(LEADER, URI.create("https://stranger.example/"), new DpMechanism.None(),
        new VdafType.Prio3Count());
    TaskConfig poplar = config(LEADER, HELPER, new DpMechanism.None(), new VdafType.Poplar1(8));
    TaskConfig dp = config(LEADER, HELPER, new DpMechanism.Unrecognized(7, new byte[] {1}),
        new VdafType.Prio3Count());
    for (TaskConfig c : List.of(unknownPeer, poplar, dp)) {
      TaskId id = Taskprov.taskId(c.toBytes());
      TestAggregator.assertDapProblem(upload(c, List.of(TASKPROV)), "invalidTask", id);
      assertThat(stored(id)).as("%s", c).isEmpty();
    }
  }

  @Test
  void helperProvisionsOnAggregationInitWithThePeersToken() {
    TaskConfig config = config();
    TaskId id = Taskprov.taskId(config.toBytes());
    HttpResponse<byte[]> r = aggregationInit(config, List.of(TASKPROV), Optional.of(agg.leaderToken));
    assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(201);
    assertThat(HelperRequests.resp(r).prepareResps().get(0).result()).isNotInstanceOf(PrepareResp.Reject.class);

    Task task = stored(id).orElseThrow();
    assertThat(task.role()).isEqualTo(Role.HELPER);
    assertThat(task.peerAggregatorEndpoint()).isEqualTo(LEADER);
    assertThat(task.aggregatorAuthTokenHash()).contains(agg.leaderToken.hash());
    assertThat(task.vdafVerifyKey()).isEqualTo(Taskprov.deriveVerifyKey(verifyKeyInit, id, VDAF.verifyKeyLength()));
    // A report without the extension is rejected on its own, as Janus does (invalid_message).
    HttpResponse<byte[]> second = aggregationInit(config, List.of(), Optional.of(agg.leaderToken));
    assertThat(HelperRequests.resp(second).prepareResps().get(0).result())
        .isEqualTo(new PrepareResp.Reject(PrepareError.INVALID_MESSAGE));
  }

  @Test
  void helperAuthenticatesBeforeProvisioning() {
    TaskConfig config = config();
    TaskId id = Taskprov.taskId(config.toBytes());
    AuthenticationToken wrong = new AuthenticationToken(AuthenticationTokenType.BEARER, "wrong");
    TestAggregator.assertDapProblem(aggregationInit(config, List.of(TASKPROV), Optional.of(wrong)),
        "unauthorizedRequest", id);
    TestAggregator.assertDapProblem(aggregationInit(config, List.of(TASKPROV), Optional.empty()),
        "unauthorizedRequest", id);
    assertThat(stored(id)).isEmpty();
    // A Leader this Helper is not peered with.
    TaskConfig stranger = config(URI.create("https://stranger.example/"), HELPER, new DpMechanism.None(),
        new VdafType.Prio3Count());
    TestAggregator.assertDapProblem(aggregationInit(stranger, List.of(TASKPROV), Optional.of(agg.leaderToken)),
        "invalidTask", Taskprov.taskId(stranger.toBytes()));
  }

  @Test
  void headerIsIgnoredWhenTaskprovIsOff() {
    try (TestAggregator off = new TestAggregator(1, TaskprovConfig.DISABLED)) {
      TaskConfig config = config();
      byte[] encoded = config.toBytes();
      TaskId id = Taskprov.taskId(encoded);
      HttpResponse<byte[]> r = off.send("PUT", Dap09.reportsPath(id), Optional.of(Dap09.MEDIA_TYPE_REPORT),
          report(id, List.of(TASKPROV)), Optional.empty(), Map.of(Dap09.HEADER_TASKPROV, header(encoded)));
      TestAggregator.assertDapProblem(r, "unrecognizedTask", id);
    }
  }
}
