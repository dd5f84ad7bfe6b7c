package io.janus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.core.MockClock;
import io.janus.core.auth.AuthenticationToken;
import io.janus.server.binary.CommonOptions;
import io.janus.server.datastore.Crypter;
import io.janus.server.datastore.Datastore;
import io.janus.server.datastore.Tx;
import io.janus.server.datastore.model.GlobalHpkeKeypair;
import io.janus.server.datastore.model.HpkeKeyState;
import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.Task;
import io.janus.server.testing.TestDatabase;
import io.janus.messages.Base64Url;
import io.janus.messages.HpkeAlgorithms;
import io.janus.messages.HpkeConfig;
import io.janus.messages.Role;
import io.janus.messages.Time;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine;

/** Runs every command end to end against a real PostgreSQL database, as an operator would. */
class JanusCliTest {
  private static TestDatabase db;
  private static String datastoreKey;
  private static Path configFile;

  @TempDir
  static Path dir;

  private CliRunner cli;
  private Datastore readBack;

  @BeforeAll
  static void setUpDatabase() throws Exception {
    db = TestDatabase.create();
    datastoreKey = Crypter.generateKey(new SecureRandom());
    configFile = dir.resolve("janus_cli.yaml");
    Files.writeString(configFile, "database:\n  url: \"" + db.jdbcUrl() + "\"\n  connection_pool_timeouts_s: 5\n");
  }

  @AfterAll
  static void tearDownDatabase() {
    db.close();
  }

  @BeforeEach
  void setUp() {
    long seed = new SecureRandom().nextLong();
    System.out.println("JanusCliTest seed: " + seed);
    cli = new CliRunner(Map.of(CommonOptions.CONFIG_FILE_ENV, configFile.toString(),
        CommonOptions.DATASTORE_KEYS_ENV, datastoreKey), seed);
    readBack = new Datastore(db.dataSource(), Crypter.fromDatastoreKeys(datastoreKey), new MockClock(), 10,
        new SimpleMeterRegistry());
    readBack.run("test_reset", tx -> {
      for (Task t : tx.tasks().getAll()) {
        tx.tasks().delete(t.id());
      }
      for (GlobalHpkeKeypair k : tx.hpkeKeys().getAll()) {
        tx.hpkeKeys().delete(k.keypair().config().id());
      }
      return null;
    });
  }

  private List<Task> storedTasks() {
    return readBack.run("test_tasks", (Tx tx) -> tx.tasks().getAll());
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  // provision-tasks

  @Test
  void provisionsTheSampleAndReadsItBack() throws Exception {
    CliRunner.Result r = cli.run("provision-tasks", TaskFileReaderTest.SAMPLE.toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("provisioned 3 task(s)");
    List<Task> expected = TaskProvisioning.resolveAll(TaskFileReader.read(TaskFileReaderTest.SAMPLE), false,
        new SecureRandom()).stream().map(ProvisionedTask::task).toList();
    assertThat(storedTasks()).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void generatedParametersAreStoredAndEchoed() throws Exception {
    Path file = write("bare.yaml", TaskProvisioningTest.LEADER_BARE + TaskProvisioningTest.HELPER_BARE);

    CliRunner.Result r = cli.run("provision-tasks", file.toString(), "--generate-missing-parameters",
        "--echo-tasks");

    assertThat(r.exitCode()).as(r.err()).isZero();
    List<ProvisionedTask> echoed = TaskProvisioning.resolveAll(TaskFileReader.parse(r.out(), "stdout"), false,
        new SecureRandom());
    assertThat(echoed).hasSize(2);
    List<Task> stored = storedTasks();
    assertThat(stored).containsExactlyInAnyOrderElementsOf(echoed.stream().map(ProvisionedTask::task).toList());

    ProvisionedTask leader = echoed.get(0);
    Task storedLeader = stored.stream().filter(t -> t.role() == Role.LEADER).findFirst().orElseThrow();
    // Reading back decrypted the verify key, the Leader's token and the HPKE private key with DATASTORE_KEYS;
    // the stored HPKE key must also still work as a key.
    assertThat(storedLeader.aggregatorAuthToken()).isEqualTo(leader.aggregatorAuthToken());
    assertThat(openWith(storedLeader.hpkeKeys().get(0))).isEqualTo("report");
    AuthenticationToken collectorToken = leader.collectorAuthToken().orElseThrow();
    assertThat(storedLeader.collectorAuthTokenHash().orElseThrow()
        .matches(collectorToken.type(), collectorToken.token())).isTrue();

    ProvisionedTask helper = echoed.get(1);
    Task storedHelper = stored.stream().filter(t -> t.role() == Role.HELPER).findFirst().orElseThrow();
    AuthenticationToken helperToken = helper.aggregatorAuthToken().orElseThrow();
    assertThat(storedHelper.aggregatorAuthTokenHash().orElseThrow()
        .matches(helperToken.type(), helperToken.token())).isTrue();
    assertThat(storedHelper.aggregatorAuthToken()).isEmpty();
  }

  @Test
  void replacesTasksWithTheSameId() throws Exception {
    assertThat(cli.run("provision-tasks", TaskFileReaderTest.SAMPLE.toString()).exitCode()).isZero();
    String changed = Files.readString(TaskFileReaderTest.SAMPLE)
        .replace("min_batch_size: 100", "min_batch_size: 7")
        .replaceAll("(?s)  hpke_keys:\\n  - config:\\n      id: 164.*?(?=\\n\\n)", "  hpke_keys: []");
    Path file = write("changed.yaml", changed);

    CliRunner.Result r = cli.run("provision-tasks", file.toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).contains("replaced existing task s5spqAJEddoOaTB1qlnid1QSX_YuhoHLnveNvVNCVh0",
        "replaced existing task 0tqEIHARcv3__Poe-tbEyfQ5P_5mjRLm-Afg0lwuq9M",
        "replaced existing task 8xWl0tQzDSrPPHyl1jyvV0ADuRDlfPnmuVslDVs2T0k");
    List<Task> stored = storedTasks();
    assertThat(stored).hasSize(3).allSatisfy(t -> assertThat(t.minBatchSize()).isEqualTo(7));
    // The replaced Leader task lost its per-task key along with the old row.
    assertThat(stored).filteredOn(t -> t.id().toBase64Url().equals("s5spqAJEddoOaTB1qlnid1QSX_YuhoHLnveNvVNCVh0"))
        .singleElement()
        .satisfies(t -> assertThat(t.hpkeKeys()).isEmpty());
  }

  @Test
  void anInvalidTaskWritesNothingAndNamesFileTaskAndKey() throws Exception {
    String secondBroken = TaskProvisioningTest.HELPER_BARE.replace("vdaf: !Prio3Histogram", "vdaf: !Prio3Histo");
    Path file = write("broken.yaml", TaskProvisioningTest.LEADER_BARE + secondBroken);

    CliRunner.Result r = cli.run("provision-tasks", file.toString(), "--generate-missing-parameters");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("janus_cli: " + file + ":").contains("[1].vdaf", "unknown or unsupported VDAF")
        .hasLineCount(1);
    assertThat(storedTasks()).isEmpty();
  }

  @Test
  void aMissingTasksFileFails() {
    CliRunner.Result r = cli.run("provision-tasks", dir.resolve("absent.yaml").toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("janus_cli: " + dir.resolve("absent.yaml") + ": tasks file does not exist\n");
  }

  @Test
  void aDryRunNeedsNoDatabaseAndWritesNothing() throws Exception {
    CliRunner offline = new CliRunner(Map.of(), 1);
    CliRunner.Result r = offline.run("provision-tasks", TaskFileReaderTest.SAMPLE.toString(), "--dry-run",
        "--echo-tasks");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("task_id: s5spqAJEddoOaTB1qlnid1QSX_YuhoHLnveNvVNCVh0");
    assertThat(r.err()).contains("dry run");
    assertThat(storedTasks()).isEmpty();
  }

  // Options and configuration shared by the database commands

  @Test
  void databaseCommandsNeedAConfigurationFileAndKeys() {
    CliRunner none = new CliRunner(Map.of(), 1);
    CliRunner.Result r = none.run("hpke", "list");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("janus_cli: no configuration file: pass --config-file or set CONFIG_FILE\n");

    r = none.run("hpke", "list", "--config-file", configFile.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("no datastore keys: pass --datastore-keys or set DATASTORE_KEYS");

    // Flags work without any environment.
    r = none.run("hpke", "list", "--config-file", configFile.toString(), "--datastore-keys", datastoreKey);
    assertThat(r.exitCode()).as(r.err()).isZero();
  }

  @Test
  void badDatastoreKeysAreRejectedWithoutEchoingThem() {
    CliRunner.Result r = cli.run("hpke", "list", "--datastore-keys", "not*base64");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("invalid datastore keys: datastore key #1 is not unpadded base64url")
        .doesNotContain("not*base64");

    r = cli.run("hpke", "list", "--datastore-keys", Base64Url.encode(new byte[8]));
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("must decode to 16 bytes");
  }

  @Test
  void configurationProblemsNameTheFileAndKey() throws Exception {
    CliRunner.Result r = cli.run("hpke", "list", "--config-file", dir.resolve("nope.yaml").toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("nope.yaml", "config file does not exist");

    Path typo = write("typo.yaml", Files.readString(configFile) + "max_transaction_retrys: 3\n");
    r = cli.run("hpke", "list", "--config-file", typo.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("typo.yaml:", "max_transaction_retrys");

    Path unreachable = write("unreachable.yaml",
        "database:\n  url: \"postgres://janus@127.0.0.1:1/janus\"\n  connection_pool_timeouts_s: 2\n");
    r = cli.run("hpke", "list", "--config-file", unreachable.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("janus_cli: cannot connect to the database").hasLineCount(1);
  }

  @Test
  void theWrongDatastoreKeyCannotReadSecrets() {
    assertThat(cli.run("hpke", "add", "--id", "3").exitCode()).isZero();
    // "=" because a random key may start with "-", which picocli would read as an option.
    CliRunner.Result r = cli.run("hpke", "list", "--datastore-keys=" + Crypter.generateKey(new SecureRandom()));
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("janus_cli: ").contains("no datastore key decrypts").hasLineCount(1);
  }

  // hpke

  @Test
  void hpkeAddStoresAPendingKeyAndPrintsOnlyThePublicPart() {
    cli.clock().set(new Time(1_700_000_123));
    CliRunner.Result r = cli.run("hpke", "add", "--id", "5");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("id: 5", "kem_id: X25519HkdfSha256", "aead_id: Aes128Gcm", "state: PENDING")
        .doesNotContain("private_key");
    GlobalHpkeKeypair stored = readBack.run("test_get", (Tx tx) -> tx.hpkeKeys().get(5)).orElseThrow();
    assertThat(stored.state()).isEqualTo(HpkeKeyState.PENDING);
    assertThat(stored.lastStateChangeAt()).isEqualTo(new Time(1_700_000_123));
    assertThat(r.out()).contains("public_key: " + Base64Url.encode(stored.keypair().config().publicKey()));
    assertThat(openWith(stored.keypair())).isEqualTo("report");
  }

  @Test
  void hpkeAddTakesSuiteAndState() {
    CliRunner.Result r = cli.run("hpke", "add", "--id", "6", "--kem", "p256", "--aead", "chacha20poly1305",
        "--state", "active");
    assertThat(r.exitCode()).as(r.err()).isZero();
    GlobalHpkeKeypair stored = readBack.run("test_get", (Tx tx) -> tx.hpkeKeys().get(6)).orElseThrow();
    HpkeConfig c = stored.keypair().config();
    assertThat(c.kemId()).isEqualTo(HpkeAlgorithms.KEM_P256_HKDF_SHA256);
    assertThat(c.aeadId()).isEqualTo(HpkeAlgorithms.AEAD_CHACHA20_POLY1305);
    assertThat(stored.state()).isEqualTo(HpkeKeyState.ACTIVE);
    assertThat(openWith(stored.keypair())).isEqualTo("report");
  }

  @Test
  void hpkeAddRefusesAnExistingId() {
    assertThat(cli.run("hpke", "add", "--id", "9").exitCode()).isZero();
    HpkeConfig first = readBack.run("test_get", (Tx tx) -> tx.hpkeKeys().get(9)).orElseThrow().keypair().config();

    CliRunner.Result r = cli.run("hpke", "add", "--id", "9");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("janus_cli: a global HPKE key with config id 9 already exists\n");
    assertThat(readBack.run("test_get", (Tx tx) -> tx.hpkeKeys().get(9)).orElseThrow().keypair().config())
        .isEqualTo(first);
  }

  @Test
  void hpkeSetStateMovesAKeyAndRejectsAnUnknownId() {
    assertThat(cli.run("hpke", "add", "--id", "12").exitCode()).isZero();
    cli.clock().set(new Time(1_800_000_000));

    CliRunner.Result r = cli.run("hpke", "set-state", "--id", "12", "--state", "ACTIVE");

    assertThat(r.exitCode()).as(r.err()).isZero();
    GlobalHpkeKeypair stored = readBack.run("test_get", (Tx tx) -> tx.hpkeKeys().get(12)).orElseThrow();
    assertThat(stored.state()).isEqualTo(HpkeKeyState.ACTIVE);
    assertThat(stored.lastStateChangeAt()).isEqualTo(new Time(1_800_000_000));

    r = cli.run("hpke", "set-state", "--id", "13", "--state", "expired");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("janus_cli: no global HPKE key with config id 13\n");

    r = cli.run("hpke", "set-state", "--id", "12", "--state", "retired");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--state");
  }

  @Test
  void hpkeListPrintsEveryKeyWithoutPrivateKeys() {
    assertThat(cli.run("hpke", "list").out()).isEqualTo("[]\n");
    assertThat(cli.run("hpke", "add", "--id", "1").exitCode()).isZero();
    assertThat(cli.run("hpke", "add", "--id", "2", "--state", "expired").exitCode()).isZero();

    CliRunner.Result r = cli.run("hpke", "list");

    assertThat(r.exitCode()).as(r.err()).isZero();
    List<Map<String, Object>> listed = yamlList(r.out());
    assertThat(listed).hasSize(2);
    assertThat(listed).extracting(m -> m.get("state")).containsExactly("PENDING", "EXPIRED");
    assertThat(listed).extracting(m -> (Object) ((Map<?, ?>) m.get("config")).get("id")).containsExactly(1, 2);
    assertThat(r.out()).doesNotContain("private_key");
  }

  @Test
  void hpkeGenerateKeypairPrintsAWorkingKeypair() throws Exception {
    CliRunner offline = new CliRunner(Map.of(), 1);
    CliRunner.Result r = offline.run("hpke", "generate-keypair", "--id", "200", "--aead", "aes256gcm");

    assertThat(r.exitCode()).as(r.err()).isZero();
    // The output is a valid hpke_keys entry: plug it into a task and let the tasks-file reader check the pair.
    String entry = r.out().lines().filter(l -> !l.startsWith("#")).map(l -> "    " + l)
        .reduce("", (a, b) -> a + b + "\n").replaceFirst("^    ", "  - ");
    List<ProvisionedTask> tasks = TaskProvisioning.resolveAll(TaskFileReader.parse(
        TaskProvisioningTest.LEADER_BARE + "  hpke_keys:\n" + entry, "t.yaml"), true, new SecureRandom());
    HpkeKeypair keypair = tasks.get(0).task().hpkeKeys().get(0);
    assertThat(keypair.config().id()).isEqualTo(200);
    assertThat(keypair.config().aeadId()).isEqualTo(Hpke.AEAD_AES_256_GCM);
    assertThat(openWith(keypair)).isEqualTo("report");
    String comment = r.out().lines().findFirst().orElseThrow();
    assertThat(comment).isEqualTo("# HpkeConfig (DAP encoding, base64url): "
        + Base64Url.encode(keypair.config().toBytes()));
  }

  @Test
  void hpkeOptionsOutOfRangeAreUsageErrors() {
    CliRunner offline = new CliRunner(Map.of(), 1);
    CliRunner.Result r = offline.run("hpke", "generate-keypair", "--id", "256");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("janus_cli: --id must be between 0 and 255, got 256\n");

    r = offline.run("hpke", "generate-keypair", "--id", "1", "--kem", "x448");
    assertThat(r.exitCode()).isEqualTo(2);
    r = offline.run("hpke", "generate-keypair");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--id");
    r = cli.run("hpke", "set-state", "--id", "-1", "--state", "active");
    assertThat(r.exitCode()).isEqualTo(2);
  }

  // generate-datastore-key

  @Test
  void generateDatastoreKeyPrintsAUsableKey() {
    CliRunner offline = new CliRunner(Map.of(), 1);
    CliRunner.Result a = offline.run("generate-datastore-key");
    CliRunner.Result b = offline.run("generate-datastore-key");

    assertThat(a.exitCode()).isZero();
    String key = a.out().strip();
    assertThat(Base64Url.decode(key)).hasSize(16);
    assertThat(b.out().strip()).isNotEqualTo(key);
    Crypter crypter = Crypter.fromDatastoreKeys(key);
    byte[] row = {1};
    byte[] sealed = crypter.encrypt("t", row, "c", "secret".getBytes(StandardCharsets.US_ASCII));
    assertThat(new String(crypter.decrypt("t", row, "c", sealed), StandardCharsets.US_ASCII)).isEqualTo("secret");
  }

  // The command tree

  @Test
  void everyCommandHasHelp() {
    CliRunner offline = new CliRunner(Map.of(), 1);
    List<List<String>> paths = new ArrayList<>();
    collect(JanusCli.commandLine(CliContext.system()), new ArrayList<>(), paths);
    assertThat(paths).hasSizeGreaterThanOrEqualTo(7);
    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      CliRunner.Result r = offline.run(args.toArray(String[]::new));
      assertThat(r.exitCode()).as(String.join(" ", args)).isZero();
      assertThat(r.out()).as(String.join(" ", args)).startsWith("Usage: janus_cli");
    }
  }

  @Test
  void commandLineMistakesExitWithTwo() {
    CliRunner offline = new CliRunner(Map.of(), 1);
    assertThat(offline.run().exitCode()).isEqualTo(2);
    assertThat(offline.run("provision-tasks").exitCode()).isEqualTo(2);
    CliRunner.Result r = offline.run("provision-tasks", "x.yaml", "--frobnicate");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--frobnicate", "Try 'janus_cli provision-tasks --help'");
    assertThat(offline.run("collect-everything").exitCode()).isEqualTo(2);
  }

  private static void collect(CommandLine cl, List<String> prefix, List<List<String>> out) {
    out.add(List.copyOf(prefix));
    for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
      List<String> p = new ArrayList<>(prefix);
      p.add(e.getKey());
      collect(e.getValue(), p, out);
    }
  }

  private static String openWith(HpkeKeypair keypair) {
    byte[] info = "info".getBytes(StandardCharsets.US_ASCII);
    try {
      return new String(Hpke.open(keypair, info,
          Hpke.seal(keypair.config(), info, new byte[0], "report".getBytes(StandardCharsets.US_ASCII)),
          new byte[0]), StandardCharsets.US_ASCII);
    } catch (Exception e) {
      throw new AssertionError("stored HPKE key does not open what is sealed to it", e);
    }
  }

  @SuppressWarnings("unchecked")
  // Janus 0.7's flat commands

  @Test
  void janusCommandNamesManageGlobalKeys() {
    CliRunner.Result r = cli.run("generate-hpke-key", "--id", "4");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(cli.run("generate-global-hpke-key", "--id", "5", "--kem", "p256").exitCode()).isZero();
    r = cli.run("set-hpke-key-state", "--id", "4", "--state", "active");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(cli.run("set-global-hpke-key-state", "--id", "6", "--state", "active").err())
        .contains("no global HPKE key with config id 6");
    List<Map<String, Object>> listed = yamlList(cli.run("list-hpke-keys").out());
    assertThat(listed).extracting(m -> m.get("state")).containsExactly("ACTIVE", "PENDING");
  }

  @Test
  void addTaskprovPeerAggregatorTakesSecretsFromTheEnvironment() throws Exception {
    Path collectorConfig = dir.resolve("collector_hpke_config");
    Files.write(collectorConfig, Hpke.generate(7, HpkeAlgorithms.KEM_X25519_HKDF_SHA256,
        HpkeAlgorithms.KDF_HKDF_SHA256, HpkeAlgorithms.AEAD_AES_128_GCM).config().toBytes());
    String keyInit = Base64Url.encode(new byte[32]);
    CliRunner withSecrets = new CliRunner(Map.of(CommonOptions.CONFIG_FILE_ENV, configFile.toString(),
        CommonOptions.DATASTORE_KEYS_ENV, datastoreKey, "VERIFY_KEY_INIT", keyInit,
        "AGGREGATOR_AUTH_TOKEN", "bearer:YWdncmVnYXRvcg"), 1);
    String[] args = {"add-taskprov-peer-aggregator", "--peer-endpoint", "https://leader.example/", "--role",
        "leader", "--collector-hpke-config-file", collectorConfig.toString(), "--tolerable-clock-skew-secs", "60",
        "--collector-auth-token", "dap:Y29sbGVjdG9y"};
    CliRunner.Result r = withSecrets.run(args);
    assertThat(r.exitCode()).as(r.err()).isZero();
    var stored = readBack.run("t", tx -> tx.taskprovPeers().get(java.net.URI.create("https://leader.example/"),
        Role.LEADER)).orElseThrow();
    assertThat(stored.verifyKeyInit()).isEqualTo(new byte[32]);
    assertThat(stored.aggregatorAuthTokens()).extracting(AuthenticationToken::token).containsExactly("YWdncmVnYXRvcg");
    assertThat(stored.collectorAuthTokens()).hasSize(1);
    r = withSecrets.run(args);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("exists already");

    r = cli.run("add-taskprov-peer-aggregator", "--peer-endpoint", "https://helper.example/", "--role", "helper",
        "--collector-hpke-config-file", collectorConfig.toString(), "--tolerable-clock-skew-secs", "60",
        "--verify-key-init", keyInit, "--aggregator-auth-token", "YWdncmVnYXRvcg");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("bearer:VALUE or dap:VALUE").doesNotContain("YWdncmVnYXRvcg");
    r = cli.run("add-taskprov-peer-aggregator", "--peer-endpoint", "https://helper.example/", "--role", "helper",
        "--collector-hpke-config-file", dir.resolve("missing").toString(), "--tolerable-clock-skew-secs", "60",
        "--verify-key-init", keyInit, "--aggregator-auth-token", "bearer:YWdncmVnYXRvcg");
    assertThat(r.err()).contains("cannot read");
    readBack.run("t", tx -> tx.taskprovPeers().delete(java.net.URI.create("https://leader.example/"), Role.LEADER));
  }

  @Test
  void listJobsPrintsATasksJobsAndNamesWhatIsMissing() {
    assertThat(cli.run("provision-tasks", TaskFileReaderTest.SAMPLE.toString()).exitCode()).isZero();
    Task task = storedTasks().stream().filter(t -> t.role() == Role.LEADER).findFirst().orElseThrow();
    var interval = new io.janus.messages.Interval(new Time(1_700_000_000), io.janus.messages.DapDuration
        .ofSeconds(3600));
    var aggregationJobId = new io.janus.messages.AggregationJobId(new byte[16]);
    var collectionJobId = new io.janus.messages.CollectionJobId(new byte[16]);
    readBack.run("t", tx -> {
      tx.aggregationJobs().put(new io.janus.server.datastore.model.AggregationJob(task.id(), aggregationJobId,
          new byte[0], java.util.Optional.empty(), interval,
          io.janus.server.datastore.model.AggregationJobState.IN_PROGRESS, 0, java.util.Optional.empty()));
      tx.collectionJobs().put(new io.janus.server.datastore.model.CollectionJob(task.id(), collectionJobId,
          io.janus.server.datastore.model.CollectionQueryKind.TIME_INTERVAL, new byte[0],
          new io.janus.server.datastore.model.BatchIdentifier.TimeInterval(interval),
          new io.janus.server.datastore.model.CollectionJobState.Start()));
      return null;
    });
    CliRunner.Result r = cli.run("list-aggregation-jobs", "--task=" + task.id().toBase64Url());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(yamlList(r.out())).singleElement().satisfies(m -> {
      assertThat(m.get("aggregation_job_id")).isEqualTo(aggregationJobId.toBase64Url());
      assertThat(m.get("state")).isEqualTo("IN_PROGRESS");
    });
    r = cli.run("list-collection-jobs", "--task=" + task.id().toBase64Url(), "--job=" + collectionJobId.toBase64Url());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(yamlList(r.out())).singleElement().satisfies(m -> assertThat(m.get("state")).isEqualTo("START"));
    r = cli.run("list-collection-jobs", "--task=" + task.id().toBase64Url(), "--job=" +
        Base64Url.encode(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}));
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("no collection job");
    r = cli.run("list-aggregation-jobs", "--task", Base64Url.encode(new byte[32]));
    assertThat(r.err()).contains("no task");
    r = cli.run("list-aggregation-jobs", "--task", "short");
    assertThat(r.err()).contains("--task is not a task ID");
  }

  private static List<Map<String, Object>> yamlList(String text) {
    Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    return (List<Map<String, Object>>) parsed;
  }

}
