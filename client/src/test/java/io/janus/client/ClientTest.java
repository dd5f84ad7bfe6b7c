package io.janus.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.core.MockClock;
import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeException;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.http.RetryPolicy;
import io.janus.core.task.VdafInstance;
import io.janus.messages.DapProblemType;
import io.janus.messages.HpkeAlgorithms;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeConfig;
import io.janus.messages.HpkeConfigList;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.messages.dap09.Dap09;
import io.janus.messages.dap09.InputShareAad;
import io.janus.messages.dap09.PlaintextInputShare;
import io.janus.messages.dap09.Report;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

class ClientTest {
  private static final DapDuration PRECISION = DapDuration.ofSeconds(3600);

  private long seed;
  private TaskId taskId;
  private MockClock clock;
  private FakeAggregators aggregators;
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp(TestInfo info) {
    seed = TestRandom.seed(info.getDisplayName());
    taskId = new TaskId(bytes(32));
    clock = new MockClock(new Time(1_735_689_600L + 1234));
  }

  @AfterEach
  void tearDown() {
    if (aggregators != null) {
      aggregators.close();
    }
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    new java.util.Random(seed).nextBytes(b);
    return b;
  }

  private FakeAggregators start(VdafInstance vdaf) {
    aggregators = new FakeAggregators(taskId, vdaf, seed);
    return aggregators;
  }

  private Client.Builder builder(VdafInstance vdaf) {
    return Client.builder(taskId, aggregators.leader().endpoint(), aggregators.helper().endpoint(), PRECISION, vdaf)
        .clock(clock)
        .random(TestRandom.secureRandom(seed))
        .sleeper(sleeps::add)
        // No jitter, so the waits are exact.
        .retryPolicy(new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(4)).withJitter(0));
  }

  @Test
  void uploadSendsAReportBothAggregatorsCanOpenAndPrepare() throws Exception {
    VdafInstance vdaf = new VdafInstance.Prio3Sum(8);
    start(vdaf);
    Client client = builder(vdaf).build();

    client.upload(7);
    client.upload(200);
    client.upload(new long[] {0});

    assertThat(aggregators.reports()).hasSize(3);
    assertThat(aggregators.aggregateResult()).containsExactly(207);
    List<TestDapServer.Request> puts = aggregators.leader().requests("PUT", "/tasks/");
    assertThat(puts).hasSize(3);
    for (TestDapServer.Request put : puts) {
      assertThat(put.path()).isEqualTo("/tasks/" + taskId.toBase64Url() + "/reports");
      assertThat(put.header("Content-Type")).contains("application/dap-report");
    }
    Report report = Report.decode(puts.get(0).body());
    // 1_735_689_600 + 1234 rounded down to the hour.
    assertThat(report.metadata().time()).isEqualTo(new Time(1_735_689_600L));
    assertThat(report.leaderEncryptedInputShare().configId()).isEqualTo(1);
    assertThat(report.helperEncryptedInputShare().configId()).isEqualTo(2);
    assertThat(aggregators.reports().stream().map(r -> r.metadata().reportId()).distinct()).hasSize(3);
  }

  @Test
  void sealsEachShareUnderItsOwnRoleInfoAndTheInputShareAad() throws Exception {
    VdafInstance vdaf = new VdafInstance.Prio3Count();
    start(vdaf);
    Client client = builder(vdaf).build();

    PreparedReport prepared = client.prepareReport(new long[] {1}, new Time(7200 + 3599));
    Report report = Report.decode(prepared.toBytes());

    assertThat(prepared.mediaType()).isEqualTo(Report.MEDIA_TYPE);
    assertThat(prepared.reportId()).isEqualTo(report.metadata().reportId());
    assertThat(report.metadata().time()).isEqualTo(new Time(7200));
    byte[] aad = new InputShareAad(taskId, report.metadata(), report.publicShare()).toBytes();
    HpkeKeypair leader = aggregators.leaderKey();
    HpkeKeypair helper = aggregators.helperKey();
    PlaintextInputShare leaderShare = PlaintextInputShare.decode(
        Hpke.open(leader, Dap09.inputShareInfo(Role.LEADER), report.leaderEncryptedInputShare(), aad));
    assertThat(leaderShare.extensions()).isEmpty();
    // The Helper's share does not open under the Leader's info: the role is bound in.
    assertThatThrownBy(() -> Hpke.open(helper, Dap09.inputShareInfo(Role.LEADER),
        report.helperEncryptedInputShare(), aad)).isInstanceOf(HpkeException.class);
    assertThat(Hpke.open(helper, Dap09.inputShareInfo(Role.HELPER), report.helperEncryptedInputShare(), aad))
        .isNotEmpty();
    assertThat(aggregators.leader().requests("PUT", "/")).isEmpty();
  }

  @Test
  void fetchesEachHpkeConfigOnceWithTheTaskIdAndCachesIt() {
    VdafInstance vdaf = new VdafInstance.Prio3Count();
    start(vdaf);
    Client client = builder(vdaf).build();
    assertThat(aggregators.leader().requests()).isEmpty();

    for (int i = 0; i < 5; i++) {
      client.upload(1);
    }

    for (TestDapServer server : List.of(aggregators.leader(), aggregators.helper())) {
      List<TestDapServer.Request> gets = server.requests("GET", "/hpke_config");
      assertThat(gets).hasSize(1);
      assertThat(gets.get(0).query()).isEqualTo("task_id=" + taskId.toBase64Url());
    }
  }

  @Test
  void honoursCacheControlMaxAge() {
    VdafInstance vdaf = new VdafInstance.Prio3Count();
    start(vdaf);
    aggregators.leader().handle("GET", "/hpke_config", r -> TestDapServer.Reply.of(200,
        Dap09.MEDIA_TYPE_HPKE_CONFIG_LIST, new HpkeConfigList(List.of(aggregators.leaderKey().config())).toBytes())
        .withHeader("Cache-Control", "public, max-age=60"));
    Client client = builder(vdaf).build();

    client.upload(1);
    clock.advanceMillis(59_999);
    client.upload(1);
    assertThat(aggregators.leader().requests("GET", "/hpke_config")).hasSize(1);
    clock.advanceMillis(1);
    client.upload(1);
    assertThat(aggregators.leader().requests("GET", "/hpke_config")).hasSize(2);
    assertThat(aggregators.helper().requests("GET", "/hpke_config")).hasSize(1);
  }

  @Test
  void outdatedConfigRefetchesAndResendsOnce() throws Exception {
    VdafInstance vdaf = new VdafInstance.Prio3Count();
    start(vdaf);
    Client client = builder(vdaf).build();
    client.upload(1);

    aggregators.rotateLeaderKey(9);
    client.upload(1);

    List<TestDapServer.Request> puts = aggregators.leader().requests("PUT", "/");
    assertThat(puts).hasSize(3);
    Report rejected = Report.decode(puts.get(1).body());
    Report resent = Report.decode(puts.get(2).body());
    assertThat(rejected.leaderEncryptedInputShare().configId()).isEqualTo(1);
    assertThat(resent.leaderEncryptedInputShare().configId()).isEqualTo(9);
    assertThat(resent.metadata()).isEqualTo(rejected.metadata());
    assertThat(aggregators.leader().requests("GET", "/hpke_config")).hasSize(2);
    assertThat(aggregators.aggregateResult()).containsExactly(2);
  }

  @Test
  void outdatedConfigTwiceSurfacesTheProblem() {
    VdafInstance vdaf = new VdafInstance.Prio3Count();
    start(vdaf);
    aggregators.leader().handle("PUT", "/tasks/*",
        r -> TestDapServer.Reply.problem(400, DapProblemType.OUTDATED_CONFIG, "still outdated"));
    Client client = builder(vdaf).build();

    assertThatThrownBy(() -> client.upload(1))
        .isInstanceOfSatisfying(DapHttpException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.dapProblemType()).contains(DapProblemType.OUTDATED_CONFIG);
        });
    // Each config is refetched once; they come back unchanged, so resending could not help and nothing is resent.
    assertThat(aggregators.leader().requests("PUT", "/")).hasSize(1);
    assertThat(aggregators.leader().requests("GET", "/hpke_config")).hasSize(2);
  }

  @Test
  void problemDocumentsBecomeTypedErrors() {
    VdafInstance vdaf = new VdafInstance.Prio3Count();
    start(vdaf);
    aggregators.leader().handle("PUT", "/tasks/*",
        r -> TestDapServer.Reply.problem(400, DapProblemType.REPORT_TOO_EARLY, "report is from the future"));
    Client client = builder(vdaf).build();

    assertThatThrownBy(() -> client.upload(1))
        .isInstanceOfSatisfying(DapHttpException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.method()).isEqualTo("PUT");
          assertThat(e.dapProblemType()).contains(DapProblemType.REPORT_TOO_EARLY);
          assertThat(e.problem().orElseThrow().detail()).contains("report is from the future");
          assertThat(e.problem().orElseThrow().taskId()).contains("dGFzaw");
          assertThat(e.getMessage()).contains("reportTooEarly").contains("report is from the future");
        });
    assertThat(sleeps).isEmpty();
  }

  @Test
  void errorWithoutProblemDocumentKeepsTheStatus() {
    VdafInstance vdaf = new VdafInstance.Prio3Count();
    start(vdaf);
    aggregators.leader().handle("PUT", "/tasks/*",
        r -> TestDapServer.Reply.of(403, "text/html", "<h1>no</h1>".getBytes()));
    Client client = builder(vdaf).build();

    assertThatThrownBy(() -> client.upload(1))
        .isInstanceOfSatisfying(DapHttpException.class, e -> {
          assertThat(e.status()).isEqualTo(403);
          assertThat(e.problem()).isEmpty();
        });
  }

  @Test
  void transientStatusesAreRetriedWithBackoff() throws Exception {
    VdafInstance vdaf = new VdafInstance.Prio3Count();
    start(vdaf);
    AtomicInteger calls = new AtomicInteger();
    aggregators.leader().handle("PUT", "/tasks/*", r -> calls.incrementAndGet() < 3
        ? TestDapServer.Reply.status(calls.get() == 1 ? 503 : 429)
        : TestDapServer.Reply.status(200));
    Client client = builder(vdaf).build();

    client.upload(1);

    assertThat(calls).hasValue(3);
    assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  @Test
  void theDefaultPolicyJittersItsWaits() throws Exception {
    VdafInstance vdaf = new VdafInstance.Prio3Count();
    start(vdaf);
    AtomicInteger calls = new AtomicInteger();
    aggregators.leader().handle("PUT", "/tasks/*", r -> calls.incrementAndGet() < 3
        ? TestDapServer.Reply.status(503) : TestDapServer.Reply.status(201));
    Client client = builder(vdaf).retryPolicy(RetryPolicy.DEFAULT).build();

    client.upload(1);

    // RetryPolicy.DEFAULT: 1 s then 2 s, each cut by up to a quarter at random.
    assertThat(sleeps).hasSize(2);
    assertThat(sleeps.get(0)).isBetween(Duration.ofMillis(750), Duration.ofSeconds(1));
    assertThat(sleeps.get(1)).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(2));
  }

  @Test
  void retryAfterOnTransientStatusesIsHonouredUpToTheLongestBackoff() {
    VdafInstance vdaf = new VdafInstance.Prio3Count();
    start(vdaf);
    AtomicInteger calls = new AtomicInteger();
    aggregators.leader().handle("PUT", "/tasks/*", r -> switch (calls.incrementAndGet()) {
      case 1 -> TestDapServer.Reply.status(503).withHeader("Retry-After", "3");
      case 2 -> TestDapServer.Reply.status(429).withHeader("Retry-After", "3600");
      default -> TestDapServer.Reply.status(201);
    });
    Client client = builder(vdaf).build();

    client.upload(1);

    // 3 s beats the 1 s backoff; an hour is cut to the policy's 4 s cap.
    assertThat(sleeps).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(4));
  }

  @Test
  void sumVecMeasurementsAreVectors() throws Exception {
    VdafInstance vdaf = new VdafInstance.Prio3SumVec(4, 3, 2);
    start(vdaf);
    Client client = builder(vdaf).build();

    client.upload(new long[] {1, 15, 0});
    client.upload(new long[] {2, 0, 7});
    assertThatThrownBy(() -> client.upload(new long[] {16, 0, 0})).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.upload(new long[] {1, 2})).isInstanceOf(IllegalArgumentException.class);

    assertThat(aggregators.aggregateResult()).containsExactly(3, 15, 7);
  }

  @Test
  void field64MultiproofSumVecUploadsThroughBothAggregators() throws Exception {
    VdafInstance vdaf = new VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128(2, 4, 3, 2);
    start(vdaf);
    Client client = builder(vdaf).build();

    client.upload(new long[] {1, 15, 0});
    client.upload(new long[] {2, 0, 7});
    assertThatThrownBy(() -> client.upload(new long[] {16, 0, 0})).isInstanceOf(IllegalArgumentException.class);

    assertThat(aggregators.aggregateResult()).containsExactly(3, 15, 7);
  }

  @Test
  void retriesStopAfterTheLastAttempt() {
    VdafInstance vdaf = new VdafInstance.Prio3Count();
    start(vdaf);
    aggregators.leader().handle("PUT", "/tasks/*", r -> TestDapServer.Reply.status(500));
    Client client = builder(vdaf).build();

    assertThatThrownBy(() -> client.upload(1))
        .isInstanceOfSatisfying(DapHttpException.class, e -> assertThat(e.status()).isEqualTo(500));
    assertThat(aggregators.leader().requests("PUT", "/")).hasSize(3);
    assertThat(sleeps).hasSize(2);
  }

  @Test
  void noResponseIsATransportError() throws Exception {
    VdafInstance vdaf = new VdafInstance.Prio3Count();
    start(vdaf);
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    HpkeKeypair key = aggregators.keypair(3);
    Client client = Client.builder(taskId, URI.create("http://127.0.0.1:" + closedPort + "/"),
            URI.create("http://127.0.0.1:" + closedPort + "/"), PRECISION, vdaf)
        .leaderHpkeConfig(key.config())
        .helperHpkeConfig(key.config())
        .sleeper(sleeps::add)
        .retryPolicy(new RetryPolicy(2, Duration.ofMillis(5), Duration.ofMillis(5)).withJitter(0))
        .build();

    assertThatThrownBy(() -> client.upload(1)).isInstanceOf(DapTransportException.class)
        .hasMessageContaining("PUT http://127.0.0.1:" + closedPort + "/tasks/");
    assertThat(sleeps).containsExactly(Duration.ofMillis(5));
  }

  @Test
  void fixedHpkeConfigsAreNeverFetched() {
    VdafInstance vdaf = new VdafInstance.Prio3Count();
    start(vdaf);
    Client client = builder(vdaf)
        .leaderHpkeConfig(aggregators.leaderKey().config())
        .helperHpkeConfig(aggregators.helperKey().config())
        .build();

    client.upload(1);
    client.refreshHpkeConfigs();

    assertThat(aggregators.leader().requests("GET", "/")).isEmpty();
    assertThat(aggregators.helper().requests("GET", "/")).isEmpty();
    assertThat(aggregators.reports()).hasSize(1);
  }

  @Test
  void picksTheFirstSupportedSuite() {
    VdafInstance vdaf = new VdafInstance.Prio3Count();
    start(vdaf);
    HpkeConfig unsupported = new HpkeConfig(7, 0x0021, 0x0003, 0x0002, new byte[56]);
    aggregators.leader().handle("GET", "/hpke_config", r -> TestDapServer.Reply.of(200,
        Dap09.MEDIA_TYPE_HPKE_CONFIG_LIST,
        new HpkeConfigList(List.of(unsupported, aggregators.leaderKey().config())).toBytes()));
    Client client = builder(vdaf).build();

    client.upload(1);

    assertThat(aggregators.reports()).hasSize(1);
    assertThat(aggregators.reports().get(0).leaderEncryptedInputShare().configId()).isEqualTo(1);
  }

  @Test
  void unusableHpkeConfigResponsesAreProtocolErrors() {
    VdafInstance vdaf = new VdafInstance.Prio3Count();
    start(vdaf);
    HpkeConfig unsupported = new HpkeConfig(7, 0x0021, 0x0003, 0x0002, new byte[56]);
    byte[] onlyUnsupported = new HpkeConfigList(List.of(unsupported)).toBytes();
    List<TestDapServer.Reply> replies = List.of(
        TestDapServer.Reply.of(200, Dap09.MEDIA_TYPE_HPKE_CONFIG_LIST, onlyUnsupported),
        TestDapServer.Reply.of(200, "application/octet-stream", aggregators.leaderKey().config().toBytes()),
        TestDapServer.Reply.of(200, Dap09.MEDIA_TYPE_HPKE_CONFIG_LIST, new byte[] {0, 9, 1}),
        TestDapServer.Reply.of(200, Dap09.MEDIA_TYPE_HPKE_CONFIG_LIST, new HpkeConfigList(List.of(new HpkeConfig(4,
            HpkeAlgorithms.KEM_X25519_HKDF_SHA256, HpkeAlgorithms.KDF_HKDF_SHA256, HpkeAlgorithms.AEAD_AES_128_GCM,
            new byte[5]))).toBytes()));
    List<String> messages = new ArrayList<>();
    for (TestDapServer.Reply reply : replies) {
      aggregators.helper().handle("GET", "/hpke_config", r -> reply);
      Client client = builder(vdaf).build();
      assertThatThrownBy(() -> client.upload(1)).isInstanceOfSatisfying(DapProtocolException.class,
          e -> messages.add(e.getMessage()));
    }
    assertThat(messages.get(0)).contains("helper offers no HPKE config with a supported suite");
    assertThat(messages.get(1)).contains("expected application/dap-hpke-config-list");
    assertThat(messages.get(2)).contains("malformed HPKE config list");
    assertThat(messages.get(3)).contains("cannot seal to the HELPER's HPKE config 4");
    assertThat(aggregators.leader().requests("PUT", "/")).isEmpty();
  }

  @Test
  void measurementsOutOfRangeAreRejectedBeforeAnyRequest() {
    VdafInstance vdaf = new VdafInstance.Prio3Histogram(4, 2);
    start(vdaf);
    Client client = builder(vdaf).build();

    assertThatThrownBy(() -> client.upload(4)).isInstanceOf(IllegalArgumentException.class);
    assertThat(aggregators.leader().requests()).isEmpty();
  }

  @Test
  void builderRejectsBadSettings() {
    VdafInstance vdaf = new VdafInstance.Prio3Count();
    start(vdaf);
    URI ok = aggregators.leader().endpoint();
    assertThatThrownBy(() -> Client.builder(taskId, URI.create("ftp://x/"), ok, PRECISION, vdaf).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http or https");
    assertThatThrownBy(() -> Client.builder(taskId, ok, ok, DapDuration.ZERO, vdaf).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("time precision");
    HpkeConfig unsupported = new HpkeConfig(7, 0x0021, 0x0001, 0x0001, new byte[56]);
    assertThatThrownBy(() -> Client.builder(taskId, ok, ok, PRECISION, vdaf).leaderHpkeConfig(unsupported).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unsupported suite");
  }
}
