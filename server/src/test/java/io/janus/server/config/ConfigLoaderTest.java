package io.janus.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  /** A binary's config in the Janus shape: the common keys flattened next to the binary's own. */
  public record WorkerConfig(
      @ConfigFlatten CommonConfig common,
      ListenAddress listenAddress,
      @ConfigDefault("10") int maxConcurrentJobWorkers,
      Optional<Mode> mode,
      List<Suite> suites,
      Map<String, Integer> weights) implements BinaryConfig {
    public WorkerConfig {
      if (maxConcurrentJobWorkers < 1) {
        throw new InvalidConfigValueException("max_concurrent_job_workers", "must be at least 1");
      }
    }
  }

  /** An enum as Janus spells its YAML variants. */
  public enum Mode {
    TIME_INTERVAL,
    FIXED_SIZE
  }

  /** A list element record. */
  public record Suite(int kemId, @ConfigKey("aead") int aeadId) {}

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(ConfigLoaderTest.class.getResource("/config/" + name).toURI());
  }

  @Test
  void minimalFileTakesJanusDefaults() throws Exception {
    CommonConfig c = ConfigLoader.load(resource("common-minimal.yaml"), CommonConfig.class);
    assertThat(c.database().url().jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/postgres");
    assertThat(c.database().url().user()).contains("postgres");
    assertThat(c.database().url().password()).isEmpty();
    assertThat(c.database().jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/postgres?user=postgres");
    assertThat(c.database().connectionPoolTimeoutsS()).isEqualTo(60);
    assertThat(c.database().connectionPoolMaxSize()).isEmpty();
    assertThat(c.database().effectiveConnectionPoolMaxSize())
        .isEqualTo(4 * Runtime.getRuntime().availableProcessors());
    assertThat(c.database().checkSchemaVersion()).isTrue();
    assertThat(c.database().tlsTrustStorePath()).isEmpty();
    assertThat(c.maxTransactionRetries()).isEqualTo(1000);
    assertThat(c.healthCheckListenAddress()).isEqualTo(new ListenAddress("127.0.0.1", 9001));
    assertThat(c.loggingConfig().forceJsonOutput()).isFalse();
    assertThat(c.loggingConfig().stackdriverJsonOutput()).isFalse();
    assertThat(c.loggingConfig().openTelemetryConfig()).isEmpty();
    assertThat(c.metricsConfig().exporter()).isEmpty();
    assertThat(c.common()).isSameAs(c);
  }

  @Test
  void fullFileBindsEveryKey() throws Exception {
    CommonConfig c = ConfigLoader.load(resource("common-full.yaml"), CommonConfig.class);
    DatabaseConfig db = c.database();
    assertThat(db.url().jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:6543/janus?sslmode=require");
    assertThat(db.url().password()).contains("s3cret");
    assertThat(db.jdbcUrl()).isEqualTo(
        "jdbc:postgresql://db.example.com:6543/janus?sslmode=require&user=janus&sslrootcert=%2Fetc%2Fjanus%2Fdb-ca.pem");
    assertThat(db.connectionPoolTimeoutsS()).isEqualTo(30);
    assertThat(db.connectionPoolMaxSize()).hasValue(12);
    assertThat(db.checkSchemaVersion()).isFalse();
    assertThat(c.maxTransactionRetries()).isEqualTo(50);
    assertThat(c.healthCheckListenAddress()).isEqualTo(new ListenAddress("0.0.0.0", 8000));
    assertThat(c.loggingConfig().forceJsonOutput()).isTrue();
    assertThat(c.loggingConfig().stackdriverJsonOutput()).isTrue();
    LoggingConfig.OtlpConfig otlp = c.loggingConfig().openTelemetryConfig().orElseThrow().otlp();
    assertThat(otlp.endpoint()).isEqualTo("http://otel-collector:4317");
    assertThat(otlp.metadata()).containsExactly(Map.entry("authorization", "Basic b3RlbDpzZWNyZXQ="));
    assertThat(c.metricsConfig().exporter().orElseThrow().prometheus().orElseThrow().listenAddress())
        .isEqualTo(new ListenAddress("127.0.0.1", 9465));
    // Secrets never appear in the logged form of the config.
    assertThat(c.toString()).doesNotContain("s3cret").doesNotContain("b3RlbDpzZWNyZXQ=")
        .contains("janus:REDACTED@db.example.com", "metadata=[authorization]");
  }

  @Test
  void flattenedBinaryConfig() {
    WorkerConfig w = ConfigLoader.parse("""
        database:
          url: postgres://localhost/janus
        listen_address: "[::1]:8080"
        mode: FixedSize
        suites:
          - kem_id: 32
            aead: 1
          - {kem_id: 16, aead: 3}
        weights: {a: 1, b: 2}
        """, "worker.yaml", WorkerConfig.class);
    assertThat(w.common().database().url().jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/janus");
    assertThat(w.listenAddress()).isEqualTo(new ListenAddress("::1", 8080));
    assertThat(w.listenAddress().toString()).isEqualTo("[::1]:8080");
    assertThat(w.maxConcurrentJobWorkers()).isEqualTo(10);
    assertThat(w.mode()).contains(Mode.FIXED_SIZE);
    assertThat(w.suites()).containsExactly(new Suite(32, 1), new Suite(16, 3));
    assertThat(w.weights()).containsExactly(Map.entry("a", 1), Map.entry("b", 2));
    assertThatThrownBy(() -> w.suites().add(new Suite(1, 1))).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void unknownKeysAreRejectedWithPathAndLine() {
    assertThatThrownBy(() -> ConfigLoader.parse("""
        database:
          url: postgres://localhost/janus
          urll: postgres://localhost/janus
        """, "/etc/janus.yaml", CommonConfig.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("/etc/janus.yaml:3:3: database.urll: unknown key (expected one of: url, "
            + "connection_pool_timeouts_s, connection_pool_max_size, check_schema_version, tls_trust_store_path)");
    assertThatThrownBy(() -> ConfigLoader.parse("""
        database: {url: postgres://localhost/janus}
        listen_address: 127.0.0.1:1
        max_job_workers: 3
        """, "w.yaml", WorkerConfig.class))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.keyPath()).isEqualTo("max_job_workers");
          assertThat(e.source()).isEqualTo("w.yaml:3:1");
          assertThat(e.getMessage()).doesNotContain("\n").contains("max_concurrent_job_workers");
        });
    assertThatThrownBy(() -> ConfigLoader.parse("""
        database: {url: postgres://localhost/janus}
        metrics_config:
          exporter:
            otlp:
              endpoint: http://x
        """, "c.yaml", CommonConfig.class))
        .hasMessageStartingWith("c.yaml:4:5: metrics_config.exporter.otlp: unknown key");
  }

  @Test
  void missingRequiredKeysNameTheFullPath() {
    assertThatThrownBy(() -> ConfigLoader.parse("max_transaction_retries: 3\n", "c.yaml", CommonConfig.class))
        .hasMessage("c.yaml:1:1: database.url: missing required key");
    assertThatThrownBy(() -> ConfigLoader.parse("", "empty.yaml", CommonConfig.class))
        .hasMessage("empty.yaml: database.url: missing required key");
    assertThatThrownBy(() -> ConfigLoader.parse("database:\n  url: ~\n", "c.yaml", CommonConfig.class))
        .hasMessage("c.yaml:2:8: database.url: missing required key");
    assertThatThrownBy(() -> ConfigLoader.parse("""
        database: {url: postgres://localhost/janus}
        metrics_config:
          exporter: {}
        """, "c.yaml", CommonConfig.class))
        .hasMessage("c.yaml:3:13: metrics_config.exporter.prometheus: missing required key (the supported exporter)");
  }

  @Test
  void wrongTypesAreRejected() {
    assertThatThrownBy(() -> ConfigLoader.parse("""
        database: {url: postgres://localhost/janus}
        max_transaction_retries: lots
        """, "c.yaml", CommonConfig.class))
        .hasMessage("c.yaml:2:26: max_transaction_retries: expected an integer, got 'lots'");
    assertThatThrownBy(() -> ConfigLoader.parse("""
        database: {url: postgres://localhost/janus, check_schema_version: maybe}
        """, "c.yaml", CommonConfig.class))
        .hasMessageContaining("database.check_schema_version: expected true or false, got 'maybe'");
    assertThatThrownBy(() -> ConfigLoader.parse("database: postgres://localhost/janus\n", "c.yaml",
        CommonConfig.class))
        .hasMessage("c.yaml:1:11: database: expected a mapping, got 'postgres://localhost/janus'");
    assertThatThrownBy(() -> ConfigLoader.parse("""
        database: {url: postgres://localhost/janus}
        health_check_listen_address: [1, 2]
        """, "c.yaml", CommonConfig.class))
        .hasMessageContaining("health_check_listen_address: expected a single value, got a list");
    assertThatThrownBy(() -> ConfigLoader.parse("""
        database: {url: postgres://localhost/janus, connection_pool_max_size: 99999999999}
        """, "c.yaml", CommonConfig.class))
        .hasMessageContaining("database.connection_pool_max_size: integer 99999999999 is out of range");
    assertThatThrownBy(() -> ConfigLoader.parse("""
        database: {url: postgres://localhost/janus}
        listen_address: 127.0.0.1:1
        mode: sideways
        """, "w.yaml", WorkerConfig.class))
        .hasMessageContaining("mode: expected one of [TIME_INTERVAL, FIXED_SIZE], got 'sideways'");
  }

  @Test
  void invalidValuesNameTheKey() {
    assertThatThrownBy(() -> ConfigLoader.parse("""
        database:
          url: postgres://localhost/janus
          connection_pool_max_size: 0
        """, "c.yaml", CommonConfig.class))
        .hasMessage("c.yaml:3:29: database.connection_pool_max_size: must be at least 1");
    assertThatThrownBy(() -> ConfigLoader.parse("""
        database: {url: postgres://localhost/janus}
        listen_address: 127.0.0.1:1
        max_concurrent_job_workers: 0
        """, "w.yaml", WorkerConfig.class))
        .hasMessage("w.yaml:3:29: max_concurrent_job_workers: must be at least 1");
    assertThatThrownBy(() -> ConfigLoader.parse("""
        database: {url: postgres://localhost/janus}
        health_check_listen_address: localhost
        """, "c.yaml", CommonConfig.class))
        .hasMessage("c.yaml:2:30: health_check_listen_address: expected host:port, got 'localhost'");
    assertThatThrownBy(() -> ConfigLoader.parse("""
        database: {url: postgres://localhost/janus}
        logging_config: {open_telemetry_config: {otlp: {endpoint: "localhost:4317"}}}
        """, "c.yaml", CommonConfig.class))
        .hasMessageContaining("logging_config.open_telemetry_config.otlp.endpoint: must be an http:// or https://");
  }

  @Test
  void badDatabaseUrlNeverEchoesThePassword() {
    assertThatThrownBy(() -> ConfigLoader.parse("database: {url: 'mysql://root:hunter2@db/x'}\n", "c.yaml",
        CommonConfig.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("database.url: expected a postgres://")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> ConfigLoader.parse("database: {url: 'postgres://:hunter2@/x'}\n", "c.yaml",
        CommonConfig.class))
        .hasMessageContaining("database.url: database URL has no host")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void invalidYamlIsOneLine() {
    assertThatThrownBy(() -> ConfigLoader.parse("database:\n  url: [unclosed\n", "bad.yaml", CommonConfig.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("bad.yaml:3:1: invalid YAML: ")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> ConfigLoader.parse("""
        database: {url: postgres://localhost/janus}
        database: {url: postgres://localhost/other}
        """, "dup.yaml", CommonConfig.class))
        .hasMessage("dup.yaml:2:1: database: duplicate key");
  }

  @Test
  void missingOrUnreadableFile(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> ConfigLoader.load(missing, CommonConfig.class))
        .hasMessage(missing + ": config file does not exist");
    Path binary = dir.resolve("binary.yaml");
    Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0});
    assertThatThrownBy(() -> ConfigLoader.load(binary, CommonConfig.class))
        .hasMessage(binary + ": config file is not valid UTF-8");
  }

  @Test
  void databaseUrls() {
    DatabaseUrl u = DatabaseUrl.parse("postgresql://us%40er:p%3Ass+word@[::1]/db?password=ignored&sslmode=disable");
    assertThat(u.user()).contains("us@er");
    // The query parameter comes after the user info, so it wins, as in libpq.
    assertThat(u.password()).contains("ignored");
    assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5432/db?sslmode=disable");
    assertThat(u.toString()).doesNotContain("ignored").doesNotContain("p%3Ass");

    DatabaseUrl j = DatabaseUrl.parse("jdbc:postgresql://h:1/d?user=u&password=pw");
    assertThat(j.jdbcUrl()).isEqualTo("jdbc:postgresql://h:1/d?user=u&password=pw");
    assertThat(j.toString()).isEqualTo("jdbc:postgresql://h:1/d?user=u&password=REDACTED");

    assertThatThrownBy(() -> DatabaseUrl.parse("postgres://h/a/b")).hasMessageContaining("single database");
    assertThatThrownBy(() -> DatabaseUrl.parse("not a url")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void listenAddresses() {
    assertThat(ListenAddress.parse("0.0.0.0:0")).isEqualTo(new ListenAddress("0.0.0.0", 0));
    assertThat(ListenAddress.parse("[::]:9001").toSocketAddress().getHostString()).isEqualTo("::");
    assertThatThrownBy(() -> ListenAddress.parse("::1:9001")).hasMessageContaining("bracketed");
    assertThatThrownBy(() -> ListenAddress.parse("h:70000")).hasMessageContaining("0..65535");
    assertThatThrownBy(() -> ListenAddress.parse("h:")).hasMessageContaining("host:port");
  }

  @Test
  void snakeCaseKeys() throws Exception {
    assertThat(ConfigLoader.key(CommonConfig.class.getRecordComponents()[2]))
        .isEqualTo("health_check_listen_address");
    assertThat(ConfigLoader.key(DatabaseConfig.class.getRecordComponents()[1]))
        .isEqualTo("connection_pool_timeouts_s");
    assertThat(ConfigLoader.key(Suite.class.getRecordComponents()[1])).isEqualTo("aead");
  }
}
