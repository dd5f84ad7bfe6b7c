package io.janus.server.binary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.janus.server.config.CommonConfig;
import io.janus.server.datastore.Crypter;
import io.janus.server.testing.TestDatabase;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.LogManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Option;

/** The harness in-process: start-up failures and their one-line messages, and a full run over real HTTP. */
class BinaryHarnessTest {
  private static final String NAME = "test_binary";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static TestDatabase db;

  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final Map<String, String> env = new HashMap<>(Map.of(
      "DATASTORE_KEYS", Crypter.generateKey(new SecureRandom())));

  @BeforeAll
  static void setUp() {
    db = TestDatabase.create();
  }

  @AfterAll
  static void tearDown() throws IOException {
    db.close();
    // The harness replaced the root log handler with one writing to a test buffer; restore the JDK default.
    LogManager.getLogManager().readConfiguration();
  }

  private BinaryHarness.Builder<CommonConfig> harness() {
    return BinaryHarness.builder(NAME, CommonConfig.class)
        .environment(env)
        .streams(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
        .installShutdownHook(false);
  }

  private Path config(String yaml) throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private Path dbConfig(String extra) throws IOException {
    return config("database:\n  url: \"" + db.jdbcUrl() + "\"\n  connection_pool_max_size: 2\n"
        + "health_check_listen_address: 127.0.0.1:0\n" + extra);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** Runs a binary whose body must not be reached, and returns the single stderr line. */
  private String failedStart(BinaryHarness.Builder<CommonConfig> h, String... args) {
    int code = h.run(args, ctx -> {
      throw new AssertionError("the body must not run after a failed start");
    });
    assertThat(code).isEqualTo(1);
    assertThat(stderr()).endsWith(System.lineSeparator());
    assertThat(stderr().lines().toList()).hasSize(1);
    return stderr().strip();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void missingConfigFileOption() {
    assertThat(failedStart(harness())).isEqualTo(
        "test_binary: no configuration file: pass --config-file or set CONFIG_FILE");
  }

  @Test
  void configFileFromEnvironmentThatDoesNotExist() {
    env.put("CONFIG_FILE", dir.resolve("absent.yaml").toString());
    assertThat(failedStart(harness())).isEqualTo(
        "test_binary: " + dir.resolve("absent.yaml") + ": config file does not exist");
  }

  @Test
  void unknownKey() throws IOException {
    Path file = config("database:\n  url: postgres://localhost/janus\nhealth_check_listen_addres: 1.2.3.4:5\n");
    assertThat(failedStart(harness(), "--config-file", file.toString())).startsWith(
        "test_binary: " + file + ":3:1: health_check_listen_addres: unknown key (expected one of: database, ");
  }

  @Test
  void badYaml() throws IOException {
    Path file = config("database: {url: postgres://localhost/janus\n");
    assertThat(failedStart(harness(), "--config-file", file.toString()))
        .startsWith("test_binary: " + file + ":2:1: invalid YAML: ");
  }

  @Test
  void badDatabaseUrl() throws IOException {
    Path file = config("database:\n  url: \"mysql://root:hunter2@localhost/janus\"\n");
    assertThat(failedStart(harness(), "--config-file", file.toString())).isEqualTo("test_binary: " + file
        + ":2:8: database.url: expected a postgres://user:password@host:port/dbname or jdbc:postgresql:// URL");
  }

  @Test
  void missingDatastoreKeys() throws IOException {
    env.remove("DATASTORE_KEYS");
    assertThat(failedStart(harness(), "--config-file", dbConfig("").toString())).isEqualTo(
        "test_binary: no datastore keys: pass --datastore-keys or set DATASTORE_KEYS");
  }

  @Test
  void invalidDatastoreKeysNeverEchoed() throws IOException {
    assertThat(failedStart(harness(), "--config-file", dbConfig("").toString(), "--datastore-keys",
        "c2VjcmV0LWtleS1tYXRlcmlhbA,!!"))
        .isEqualTo("test_binary: invalid datastore keys: datastore key #1 must decode to 16 bytes (AES-128), got 19");
  }

  @Test
  void unreachableDatabase() throws IOException {
    int port = freePort();
    Path file = config("database:\n  url: \"postgres://janus:hunter2@127.0.0.1:" + port + "/janus\"\n"
        + "health_check_listen_address: 127.0.0.1:0\n");
    assertThat(failedStart(harness(), "--config-file", file.toString()))
        .startsWith("test_binary: cannot connect to the database at postgres://janus:REDACTED@127.0.0.1:" + port
            + "/janus: ")
        .doesNotContain("hunter2");
    assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("hunter2");
  }

  @Test
  void missingDatabaseIsReportedWithoutThePassword() throws IOException {
    // The embedded server trusts local connections; a missing database is the failure we can provoke, and the
    // password from PGPASSWORD must not show up in the line.
    env.put("PGPASSWORD", "not-needed");
    Path file = config("database:\n  url: \"" + db.jdbcUrl().replaceFirst("/janus_test_[0-9_]+", "/no_such_db")
        + "\"\nhealth_check_listen_address: 127.0.0.1:0\n");
    assertThat(failedStart(harness(), "--config-file", file.toString()))
        .startsWith("test_binary: cannot connect to the database at ")
        .contains("no_such_db")
        .doesNotContain("not-needed");
  }

  @Test
  void unsupportedSchemaVersion() throws IOException {
    try (TestDatabase empty = TestDatabase.createUnmigrated()) {
      Path file = config("database:\n  url: \"" + empty.jdbcUrl() + "\"\n"
          + "health_check_listen_address: 127.0.0.1:0\n");
      assertThat(failedStart(harness(), "--config-file", file.toString()))
          .startsWith("test_binary: the database has no janus schema (expected version ");

      // With the check off, the same database is accepted.
      err.reset();
      Path unchecked = config("database:\n  url: \"" + empty.jdbcUrl() + "\"\n  check_schema_version: false\n"
          + "health_check_listen_address: 127.0.0.1:0\n");
      assertThat(harness().run(new String[] {"--config-file", unchecked.toString()}, ctx -> { })).isZero();
      assertThat(stderr()).isEmpty();
    }
  }

  @Test
  void healthPortInUse() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Path file = dbConfig("").resolveSibling("taken.yaml");
      Files.writeString(file, "database:\n  url: \"" + db.jdbcUrl() + "\"\nhealth_check_listen_address: 127.0.0.1:"
          + taken.getLocalPort() + "\n");
      assertThat(failedStart(harness(), "--config-file", file.toString()))
          .startsWith("test_binary: cannot listen on health_check_listen_address 127.0.0.1:" + taken.getLocalPort()
              + ": ");
    }
  }

  @Test
  void unknownOption() {
    assertThat(failedStart(harness(), "--config-fil", "x.yaml")).startsWith("test_binary: Unknown option")
        .endsWith("(see --help)");
  }

  @Test
  void helpPrintsUsage() {
    int code = harness().run(new String[] {"--help"}, ctx -> {
      throw new AssertionError("not reached");
    });
    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: test_binary", "--config-file=FILE",
        "env: CONFIG_FILE", "--datastore-keys=KEYS", "--database-password=PASSWORD");
    assertThat(stderr()).isEmpty();
  }

  @Test
  void fullRunServesHealthAndMetricsAndStopsCleanly() throws Exception {
    int metricsPort = freePort();
    Path file = dbConfig("""
        logging_config:
          force_json_output: true
        metrics_config:
          exporter:
            prometheus:
              host: 127.0.0.1
              port: %d
        """.formatted(metricsPort));
    env.put("PGPASSWORD", "pg-secret-value");
    CompletableFuture<BinaryContext<CommonConfig>> started = new CompletableFuture<>();
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> harness().run(
        new String[] {"--config-file", file.toString()}, ctx -> {
          int keys = ctx.datastore().run("harness_test_read", tx -> tx.hpkeKeys().getAll().size());
          assertThat(keys).isZero();
          started.complete(ctx);
          ctx.stopper().awaitStop();
        }));
    BinaryContext<CommonConfig> ctx = started.get();
    int health = ctx.healthCheckPort();
    assertThat(ctx.metricsPort()).hasValue(metricsPort);
    assertThat(ctx.name()).isEqualTo(NAME);
    assertThat(ctx.config().database().connectionPoolMaxSize()).hasValue(2);

    HttpResponse<String> h = get(health, "/healthz");
    assertThat(h.statusCode()).isEqualTo(200);
    HttpResponse<Void> head = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health
        + "/healthz")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.discarding());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(get(health, "/metrics").statusCode()).isEqualTo(404);

    HttpResponse<String> m = get(metricsPort, "/metrics");
    assertThat(m.statusCode()).isEqualTo(200);
    assertThat(m.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith(
        "text/plain; version=0.0.4"));
    assertThat(m.body()).contains("janus_database_transactions", "tx=\"harness_test_read\"", "jvm_memory_used_bytes");

    ctx.stopper().stop();
    assertThat(exit.get()).isZero();
    assertThat(stderr()).isEmpty();
    assertThatThrownBy(() -> get(health, "/healthz")).isInstanceOf(ConnectException.class);
    assertThatThrownBy(() -> get(metricsPort, "/metrics")).isInstanceOf(ConnectException.class);

    // Forced JSON: every log line is one JSON object; secrets never appear.
    ObjectMapper json = new ObjectMapper();
    String logs = out.toString(StandardCharsets.UTF_8);
    assertThat(logs).doesNotContain("pg-secret-value").doesNotContain(env.get("DATASTORE_KEYS"));
    boolean sawStart = false;
    for (String line : logs.lines().toList()) {
      JsonNode n = json.readTree(line);
      assertThat(n.has("timestamp") && n.has("level") && n.has("message")).as(line).isTrue();
      sawStart |= n.get("message").asText().startsWith("starting test_binary with CommonOptions[");
    }
    assertThat(sawStart).as(logs).isTrue();
  }

  @Test
  void healthAndMetricsShareOneAddress() throws Exception {
    int port = freePort();
    Path file = config("""
        database:
          url: postgres://localhost/unused
        health_check_listen_address: 127.0.0.1:%d
        metrics_config:
          exporter:
            prometheus: {host: 127.0.0.1, port: %d}
        """.formatted(port, port));
    AtomicReference<String> metrics = new AtomicReference<>();
    AtomicReference<Integer> health = new AtomicReference<>();
    int code = harness().withoutDatastore().run(new String[] {"--config-file", file.toString()}, ctx -> {
      assertThat(ctx.metricsPort()).hasValue(port);
      assertThat(ctx.healthCheckPort()).isEqualTo(port);
      health.set(get(port, "/healthz").statusCode());
      metrics.set(get(port, "/metrics").body());
      assertThatThrownBy(ctx::datastore).isInstanceOf(IllegalStateException.class)
          .hasMessage("test_binary runs without a datastore");
    });
    assertThat(code).isZero();
    assertThat(health.get()).isEqualTo(200);
    assertThat(metrics.get()).contains("jvm_memory_used_bytes");
  }

  @Test
  void otlpEndpointEnablesTracing() throws Exception {
    int closed = freePort();
    Path file = config("""
        database: {url: postgres://localhost/unused}
        health_check_listen_address: 127.0.0.1:0
        logging_config:
          open_telemetry_config:
            otlp:
              endpoint: http://127.0.0.1:%d
        """.formatted(closed));
    AtomicReference<String> traceId = new AtomicReference<>();
    int code = harness().withoutDatastore().run(new String[] {"--config-file", file.toString()}, ctx -> {
      assertThat(ctx.openTelemetry()).isInstanceOf(OpenTelemetrySdk.class);
      // A real SDK issues valid trace ids. The span is left open on purpose: an ended span would be queued for
      // export, and flushing it to the unreachable collector would only make this test wait out the retries.
      Span span = ctx.openTelemetry().getTracer("test").spanBuilder("work").startSpan();
      traceId.set(span.getSpanContext().getTraceId());
    });
    assertThat(code).isZero();
    assertThat(traceId.get()).hasSize(32).isNotEqualTo("0".repeat(32));
    assertThat(stderr()).isEmpty();
  }

  @Test
  void noOtlpEndpointMeansNoopTracing() throws Exception {
    Path file = config("database: {url: postgres://localhost/unused}\nhealth_check_listen_address: 127.0.0.1:0\n");
    AtomicReference<Boolean> valid = new AtomicReference<>();
    int code = harness().withoutDatastore().run(new String[] {"--config-file", file.toString()}, ctx ->
        valid.set(ctx.openTelemetry().getTracer("test").spanBuilder("work").startSpan().getSpanContext().isValid()));
    assertThat(code).isZero();
    assertThat(valid.get()).isFalse();
  }

  /** Options a binary adds to the common ones. */
  static final class ExtraOptions {
    @Option(names = "--dry-run")
    boolean dryRun;
  }

  @Test
  void withoutDatastoreNeedsNoKeysAndParsesBinaryOptions() throws IOException {
    env.clear();
    env.put("CONFIG_FILE", config("database:\n  url: postgres://localhost/unused\n"
        + "health_check_listen_address: 127.0.0.1:0\n").toString());
    ExtraOptions extra = new ExtraOptions();
    AtomicReference<Boolean> ran = new AtomicReference<>(false);
    int code = harness().withoutDatastore().options(extra).run(new String[] {"--dry-run"}, ctx -> {
      assertThat(ctx.options().datastoreKeys()).isEmpty();
      assertThat(ctx.openTelemetry()).isNotNull();
      ran.set(true);
    });
    assertThat(code).isZero();
    assertThat(ran.get()).isTrue();
    assertThat(extra.dryRun).isTrue();
  }

  @Test
  void failingBodyExitsOneWithOneLine() throws IOException {
    Path file = config("database:\n  url: postgres://localhost/unused\nhealth_check_listen_address: 127.0.0.1:0\n");
    int code = harness().withoutDatastore().run(new String[] {"--config-file", file.toString()}, ctx -> {
      throw new IllegalStateException("boom", new IOException("disk on fire"));
    });
    assertThat(code).isEqualTo(1);
    assertThat(stderr()).isEqualTo("test_binary: failed: disk on fire" + System.lineSeparator());
  }

  @Test
  void optionsRedactSecrets() {
    CommonOptions o = new CommonOptions(java.util.Optional.of(Path.of("c.yaml")), java.util.Optional.of("KEYS"),
        java.util.Optional.of("PASSWORD"));
    assertThat(o.toString()).contains("c.yaml").doesNotContain("KEYS,").doesNotContain("PASSWORD]")
        .contains("datastoreKeys=<redacted>", "databasePassword=<redacted>");
    o.applyEnvironment(Map.of("DATASTORE_KEYS", "other"));
    assertThat(o.datastoreKeys()).contains("KEYS");
  }
}
