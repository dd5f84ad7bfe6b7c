package io.janus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.client.Client;
import io.janus.client.FakeAggregators;
import io.janus.client.TestDapServer;
import io.janus.client.TestDapServer.Reply;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.VdafInstance;
import io.janus.messages.Base64Url;
import io.janus.messages.BatchId;
import io.janus.messages.DapProblemType;
import io.janus.messages.DapDuration;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Collects from fake aggregators that seal real aggregate shares of real uploaded reports. */
class CollectCommandTest {
  private static final Interval BATCH = new Interval(new Time(1_699_999_200), DapDuration.ofSeconds(7200));
  private static final String TOKEN = "c0llect0r-t0ken";

  private long seed;
  private TaskId taskId;
  private FakeAggregators aggregators;
  private HpkeKeypair collectorKey;
  private CliRunner cli;

  @BeforeEach
  void setUp() {
    seed = new SecureRandom().nextLong();
    System.out.println("CollectCommandTest seed: " + seed);
    taskId = TaskId.random(CliRunner.seeded(seed));
  }

  @AfterEach
  void tearDown() {
    if (aggregators != null) {
      aggregators.close();
    }
  }

  private void start(VdafInstance vdaf, long... measurements) {
    aggregators = new FakeAggregators(taskId, vdaf, seed);
    collectorKey = aggregators.keypair(42);
    cli = new CliRunner(Map.of(CollectCommand.HPKE_PRIVATE_KEY_ENV, Base64Url.encode(collectorKey.privateKey())),
        seed);
    Client client = Client.builder(taskId, aggregators.leader().endpoint(), aggregators.helper().endpoint(),
        DapDuration.ofSeconds(3600), vdaf).clock(cli.clock()).random(CliRunner.seeded(seed)).build();
    for (long m : measurements) {
      client.upload(m);
    }
  }

  /** Serves collection jobs: creation answers 201, every poll answers {@code poll}. */
  private void serveJobs(Supplier<Reply> poll) {
    TestDapServer leader = aggregators.leader();
    leader.handle("PUT", "/tasks/" + taskId.toBase64Url() + "/collection_jobs/*", r -> Reply.status(201));
    leader.handle("POST", "/tasks/" + taskId.toBase64Url() + "/collection_jobs/*", r -> poll.get());
  }

  private Reply ready(BatchSelector selector, PartialBatchSelector partial) {
    Collection c = aggregators.collection(collectorKey.config(), new byte[0], selector, partial);
    return Reply.of(200, Dap09.MEDIA_TYPE_COLLECTION, c.toBytes());
  }

  private List<String> args(String... rest) {
    List<String> a = new ArrayList<>(List.of("collect", "--task-id=" + taskId.toBase64Url(),
        "--leader", aggregators.leader().endpoint().toString(),
        "--hpke-config", Base64Url.encode(collectorKey.config().toBytes()),
        "--authorization-bearer-token", TOKEN));
    a.addAll(List.of(rest));
    return a;
  }

  private CliRunner.Result run(List<String> args) {
    return cli.run(args.toArray(String[]::new));
  }

  /** The one collection job creation sent to the Leader. */
  private TestDapServer.Request creation() {
    List<TestDapServer.Request> puts = aggregators.leader().requests("PUT", "/tasks/" + taskId.toBase64Url()
        + "/collection_jobs/");
    assertThat(puts).hasSize(1);
    return puts.get(0);
  }

  private CollectionReq creationRequest() {
    assertThat(creation().header("Authorization")).contains("Bearer " + TOKEN);
    return CollectionReq.decode(creation().body());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(String text) {
    return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
  }

  @Test
  void collectsATimeIntervalAndPrintsTheResult() {
    start(new VdafInstance.Prio3Sum(8), 5, 7, 200);
    serveJobs(() -> ready(new BatchSelector.TimeInterval(BATCH), PartialBatchSelector.TIME_INTERVAL));

    CliRunner.Result r = run(args("--vdaf", "sum", "--bits", "8",
        "--batch-interval-start", Long.toString(BATCH.start().seconds()),
        "--batch-interval-duration", Long.toString(BATCH.duration().seconds())));

    assertThat(r.exitCode()).as(r.err()).isZero();
    Map<String, Object> out = yaml(r.out());
    assertThat(out).containsEntry("report_count", 3).containsEntry("aggregate_result", 212)
        .doesNotContainKey("batch_id");
    assertThat(creationRequest().query().toNeutral()).isEqualTo(new Query.TimeInterval(BATCH));
  }

  @Test
  void collectsTheCurrentFixedSizeBatchAsAVector() {
    start(new VdafInstance.Prio3Histogram(3, 2), 0, 2, 2, 1, 2);
    BatchId batch = BatchId.random(CliRunner.seeded(seed));
    serveJobs(() -> ready(new BatchSelector.FixedSize(batch), new PartialBatchSelector.FixedSize(batch)));

    CliRunner.Result r = run(args("--vdaf", "histogram", "--length", "3", "--chunk-length", "2",
        "--current-batch"));

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("aggregate_result: [1, 1, 3]\n", "batch_id: " + batch.toBase64Url());
    assertThat(creationRequest().query().toNeutral()).isEqualTo(new Query.FixedSizeCurrentBatch());
  }

  @Test
  void collectsAField64MultiproofVector() {
    start(new VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128(2, 4, 1, 1), 3, 15, 1);
    serveJobs(() -> ready(new BatchSelector.TimeInterval(BATCH), PartialBatchSelector.TIME_INTERVAL));

    CliRunner.Result r = run(args("--vdaf", "sumvecfield64multiproofhmacsha256aes128", "--proofs", "2",
        "--bits", "4", "--length", "1", "--chunk-length", "1",
        "--batch-interval-start", Long.toString(BATCH.start().seconds()),
        "--batch-interval-duration", Long.toString(BATCH.duration().seconds())));

    assertThat(r.exitCode()).as(r.err()).isZero();
    // A one-entry vector still prints as a list.
    assertThat(r.out()).contains("aggregate_result: [19]\n");
  }

  @Test
  void collectsAFixedSizeBatchById() {
    start(new VdafInstance.Prio3Count(), 1, 1, 0);
    BatchId batch = BatchId.random(CliRunner.seeded(seed));
    serveJobs(() -> ready(new BatchSelector.FixedSize(batch), new PartialBatchSelector.FixedSize(batch)));

    List<String> a = args("--vdaf", "count", "--batch-id=" + batch.toBase64Url());
    a.set(a.indexOf("--authorization-bearer-token"), "--dap-auth-token");
    CliRunner.Result r = run(a);

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(yaml(r.out())).containsEntry("aggregate_result", 2).containsEntry("report_count", 3);
    assertThat(creation().header("DAP-Auth-Token")).contains(TOKEN);
    assertThat(creation().header("Authorization")).isEmpty();
  }

  @Test
  void aLeaderErrorFailsTheCommand() {
    start(new VdafInstance.Prio3Count(), 1);
    aggregators.leader().handle("PUT", "/tasks/" + taskId.toBase64Url() + "/collection_jobs/*",
        r -> Reply.problem(400, DapProblemType.BATCH_INVALID, "bad interval"));

    CliRunner.Result r = run(args("--vdaf", "count", "--batch-interval-start", "0",
        "--batch-interval-duration", "3600"));

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("janus_cli: collection failed: ").hasLineCount(1);
  }

  @Test
  void aJobThatIsNotReadyInTimeFails() {
    start(new VdafInstance.Prio3Count(), 1);
    serveJobs(() -> Reply.status(202));

    CliRunner.Result r = run(args("--vdaf", "count", "--current-batch", "--max-wait", "0"));

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("janus_cli: collection failed: ").contains("not ready");
  }

  @Test
  void usageMistakesExitWithTwoAndSendNothing() {
    start(new VdafInstance.Prio3Count());
    assertThat(run(args("--vdaf", "count")).err()).contains("give exactly one batch selection");
    assertThat(run(args("--vdaf", "count", "--current-batch", "--batch-id", "AAAA")).exitCode()).isEqualTo(2);
    assertThat(run(args("--vdaf", "count", "--batch-interval-start", "0")).err())
        .contains("--batch-interval-start and --batch-interval-duration go together");
    assertThat(run(args("--vdaf", "count", "--batch-id", "AAAA")).err()).contains("--batch-id: BatchId");
    assertThat(run(args("--vdaf", "count", "--current-batch", "--dap-auth-token", "x")).err())
        .contains("give exactly one of --authorization-bearer-token and --dap-auth-token");

    List<String> wrongKey = args("--vdaf", "count", "--current-batch",
        "--hpke-private-key=" + Base64Url.encode(aggregators.keypair(7).privateKey()));
    CliRunner.Result r = run(wrongKey);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--hpke-private-key: private key does not match the public key");

    List<String> badConfig = args("--vdaf", "count", "--current-batch");
    badConfig.set(badConfig.indexOf("--hpke-config") + 1, "AAAA");
    assertThat(run(badConfig).err()).contains("--hpke-config is not an encoded HpkeConfig");

    CliRunner noKey = new CliRunner(Map.of(), seed);
    r = noKey.run(args("--vdaf", "count", "--current-batch").toArray(String[]::new));
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("missing --hpke-private-key (or set HPKE_PRIVATE_KEY)");

    assertThat(aggregators.leader().requests("PUT", "/tasks/")).isEmpty();
  }

  @Test
  void dap18OptionsAreCheckedBeforeAnythingIsSent() {
    start(new VdafInstance.Prio3Count());
    String[] interval = {"--batch-interval-start", Long.toString(BATCH.start().seconds()),
        "--batch-interval-duration", Long.toString(BATCH.duration().seconds())};
    List<String> dap18 = args("--vdaf", "count", "--dap-version", "18", "--helper", "https://helper.example/",
        "--time-precision", "3600", "--min-batch-size", "1");
    assertThat(run(with(dap18, interval)).err()).contains("--dap-version 18 needs --task-info");
    assertThat(run(with(args("--vdaf", "count", "--task-info", "x"), interval)).err())
        .contains("--task-info is a DAP-18 option; add --dap-version 18");
    assertThat(run(with(args("--vdaf", "count", "--helper", "https://h.example/"), interval)).err())
        .contains("--helper and --time-precision are DAP-18 options");
    assertThat(run(with(dap18, "--task-info", "dA", "--batch-id", "A".repeat(43))).err())
        .contains("draft 18 has no query by batch ID");
    assertThat(run(with(dap18, "--task-info", "dA", "--batch-mode", "leader_selected", interval[0], interval[1],
        interval[2], interval[3])).err()).contains("--batch-mode leader_selected does not match the batch selection");
    assertThat(run(with(dap18, "--task-info", "dA", "--task-start", "0", "--current-batch")).err())
        .contains("--task-start and --task-end go together");
    assertThat(run(with(args("--vdaf", "sum", "--max-measurement", "9"), interval)).err())
        .contains("a DAP-09 task cannot run this VDAF");
    assertThat(run(with(args("--vdaf", "count", "--dap-version", "17"), interval)).err())
        .contains("--dap-version must be 09 or 18, got 17");
    assertThat(run(with(args("--vdaf", "multihotcountvec", "--length", "4", "--chunk-length", "2"), interval))
        .err()).contains("--vdaf multihotcountvec needs --max-weight");
    assertThat(aggregators.leader().requests("PUT", "/tasks/")).isEmpty();
    assertThat(aggregators.leader().requests("POST", "/tasks/")).isEmpty();
  }

  private static List<String> with(List<String> args, String... more) {
    List<String> out = new ArrayList<>(args);
    out.addAll(List.of(more));
    return out;
  }
}
