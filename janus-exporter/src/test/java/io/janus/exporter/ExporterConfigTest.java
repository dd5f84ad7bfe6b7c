package io.janus.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.collector.CollectionResult;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.fleet.ConfigException;
import io.janus.fleet.ManualTimer;
import io.janus.fleet.MetricLayout;
import io.janus.messages.Base64Url;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeAlgorithms;
import io.janus.messages.Interval;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ExporterConfigTest {
  static final String TASK = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
  static final String VDAF = "{\"Prio3SumVec\":{\"bits\":32,\"length\":18,\"chunk_length\":24}}";

  @TempDir
  Path dir;
  Path token;
  Path privateKey;
  String hpkeConfig;

  @BeforeEach
  void secrets() throws Exception {
    HpkeKeypair k = Hpke.generate(1, HpkeAlgorithms.KEM_X25519_HKDF_SHA256, HpkeAlgorithms.KDF_HKDF_SHA256,
        HpkeAlgorithms.AEAD_AES_128_GCM);
    hpkeConfig = Base64Url.encode(k.config().toBytes());
    token = secret("token", "collector-token-123");
    privateKey = secret("key", Base64Url.encode(k.privateKey()));
  }

  private Path secret(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content + "\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    return p;
  }

  String valid() {
    return """
        [global]
        cluster = alpha
        role = master
        [kafka]
        broker-address = localhost:9092
        [dap]
        leader = http://leader.example/
        collector-token-file = %s
        collector-hpke-config = %s
        collector-private-key-file = %s
        [sample]
        task-id = %s
        vdaf = %s
        cadence = 10m
        """.formatted(token, hpkeConfig, privateKey, TASK, VDAF);
  }

  private Path write(String text) throws Exception {
    Path p = dir.resolve("exporter.ini");
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  @Test
  void readsEveryKeyAndDefaults() throws Exception {
    ExporterConfig c = ExporterConfig.read(write(valid()));
    assertThat(c.kafka().brokerAddress()).isEqualTo("localhost:9092");
    assertThat(c.kafka().pollInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.kafka().compression()).isEqualTo("none");
    assertThat(c.kafka().apiToken()).isEmpty();
    assertThat(c.kafka().tls()).isEmpty();
    assertThat(c.dap().token().type()).isEqualTo(AuthenticationTokenType.BEARER);
    assertThat(c.dap().token().token()).isEqualTo("collector-token-123");
    assertThat(c.tasks()).singleElement().satisfies(t -> {
      assertThat(t.layout()).isEqualTo(MetricLayout.SAMPLE);
      assertThat(t.id()).isEqualTo(TaskId.fromBase64Url(TASK));
      assertThat(t.cadence().period()).isEqualTo(Duration.ofMinutes(10));
      assertThat(t.delay()).isEqualTo(Duration.ofMinutes(1));
    });
    assertThat(c.dap().toString()).doesNotContain("collector-token-123");

    ExporterConfig full = ExporterConfig.read(write(valid().replace("broker-address = localhost:9092",
        "broker-address = k1:9092, k2:9093\npoll-interval = 30s\ncompression = snappy")
        .replace("collector-private-key-file", "collector-token-type = dap-auth-token\ncollector-private-key-file")
        + "delay = 2m\n[sysinfo]\ntask-id = " + TASK + "\nvdaf = {\"Prio3SumVec\":{\"bits\":40,\"length\":4,"
        + "\"chunk_length\":4}}\ncadence = 24h\n[slurm]\nx = 1\n[debug]\ndump = true\n"));
    assertThat(full.kafka().pollInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(full.kafka().compression()).isEqualTo("snappy");
    assertThat(full.dap().token().type()).isEqualTo(AuthenticationTokenType.DAP_AUTH);
    assertThat(full.tasks()).extracting(ExporterConfig.CollectedTask::layout)
        .containsExactly(MetricLayout.SAMPLE, MetricLayout.SYSINFO);
    assertThat(full.tasks().get(0).delay()).isEqualTo(Duration.ofMinutes(2));
    assertThat(full.unsupported()).containsExactly("slurm");
    assertThat(full.debug().dump()).isTrue();
    Properties producer = KafkaSettings.producer(full.kafka(), "alpha");
    assertThat(producer).containsEntry("bootstrap.servers", "k1:9092, k2:9093")
        .containsEntry("compression.type", "snappy").containsEntry("acks", "all")
        .doesNotContainKey("security.protocol");
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("broker-address = localhost:9092\n", "", "4: broker-address: required in [kafka]"),
        Arguments.of("broker-address = localhost:9092", "broker-address = localhost",
            "5: broker-address: expected host:port (several separated by commas), got 'localhost'"),
        Arguments.of("broker-address = localhost:9092", "broker-address = localhost:9092\npoll-interval = 0m",
            "6: poll-interval: a duration must not be zero"),
        Arguments.of("broker-address = localhost:9092", "broker-address = localhost:9092\npoll-interval = 5",
            "6: poll-interval: expected a duration such as 30s, 5m or 1h, got '5'"),
        Arguments.of("broker-address = localhost:9092", "broker-address = localhost:9092\ncompression = lz4",
            "6: compression: expected none or gzip or snappy, got 'lz4'"),
        Arguments.of("broker-address = localhost:9092", "broker-address = localhost:9092\napi-token-file = TOKEN",
            "6: api-token-file: a token requires TLS: set cert-file, key-file and ca-file too"),
        Arguments.of("broker-address = localhost:9092", "broker-address = localhost:9092\nca-file = /ca.pem",
            "6: ca-file: cert-file, key-file and ca-file go together: set all three or none"),
        Arguments.of("broker-address = localhost:9092", "broker-address = localhost:9092\nsending-window = 5m",
            "6: sending-window: unknown key in [kafka]"),
        Arguments.of("leader = http://leader.example/", "leader = gopher://x/",
            "7: leader: expected an http or https URL, got 'gopher://x/'"),
        Arguments.of("collector-token-file = TOKEN\n", "", "6: collector-token-file: required in [dap]"),
        Arguments.of("collector-hpke-config = HPKE", "collector-hpke-config = AAAA",
            "9: collector-hpke-config: not an unpadded base64url HpkeConfig"),
        Arguments.of("cadence = 10m", "cadence = 11m",
            "14: cadence: a cadence in minutes must divide an hour and be less than 60"),
        Arguments.of("cadence = 10m", "cadence = 10m\ndelay = soon",
            "15: delay: expected a duration such as 30s, 5m or 1h, got 'soon'"),
        Arguments.of("task-id = " + TASK + "\n", "", "11: task-id: required in [sample] with a cadence"),
        Arguments.of("vdaf = " + VDAF, "vdaf = {\"Prio3Nope\":{}}", "13: vdaf: unknown VDAF"),
        Arguments.of("cadence = 10m\n", "", "13: [sample]: no task to collect: give [sample] or [sysinfo] a"
            + " task-id, vdaf and cadence"),
        Arguments.of("[kafka]", "[kafka]\n[kafka]", "5: [kafka]: section repeated (first at line 4)"),
        Arguments.of("cadence = 10m", "cadence = 10m\n[exporter]", "15: [exporter]: unknown section"));
  }

  @ParameterizedTest
  @MethodSource
  void invalid(String replace, String with, String expected) throws Exception {
    String text = valid().replace("TOKEN", token.toString()).replace("HPKE", hpkeConfig);
    String r = replace.replace("TOKEN", token.toString()).replace("HPKE", hpkeConfig);
    assertThat(text).contains(r);
    Path p = write(text.replace(r, with.replace("TOKEN", token.toString())));
    assertThatThrownBy(() -> ExporterConfig.read(p)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(p + ":" + expected);
  }

  @Test
  void worldReadableSecretsAreRefused() throws Exception {
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
    Path p = write(valid());
    assertThatThrownBy(() -> ExporterConfig.read(p)).hasMessage(p + ":8: collector-token-file: " + token
        + " holds a secret but is readable by every user (chmod o-r " + token + ")");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertThat(Main.run(new String[] {p.toString()}, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true))).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).lines()).containsExactly(p + ":8: collector-token-file: "
        + token + " holds a secret but is readable by every user (chmod o-r " + token + ")");
  }

  @Test
  void tlsAndTokenMakeSaslOverTls() throws Exception {
    Path certs = Path.of(getClass().getResource("/tls/client.pem").toURI());
    Path key = secret("client.key", Files.readString(Path.of(getClass().getResource("/tls/client.key").toURI())));
    Path ca = Path.of(getClass().getResource("/tls/ca.pem").toURI());
    Path apiToken = secret("api-token", "t\"ok");
    ExporterConfig c = ExporterConfig.read(write(valid().replace("broker-address = localhost:9092",
        "broker-address = localhost:9093\napi-token-file = " + apiToken + "\ncert-file = " + certs + "\nkey-file = "
            + key + "\nca-file = " + ca)));
    Properties p = KafkaSettings.consumer(c.kafka(), "alpha");
    assertThat(p).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "PLAIN")
        .containsEntry("ssl.keystore.type", "PEM").containsEntry("ssl.truststore.location", ca.toString())
        .containsEntry("auto.offset.reset", "latest");
    assertThat((String) p.get("sasl.jaas.config")).contains("username=\"alpha\" password=\"t\\\"ok\"");
    assertThat((String) p.get("ssl.keystore.key")).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(c.kafka().toString()).doesNotContain("t\"ok");
    assertThat(c.kafka().tls().orElseThrow().sslContext().getProtocol()).isEqualTo("TLS");

    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-rw-r--"));
    Path bad = write(valid().replace("broker-address = localhost:9092", "broker-address = localhost:9093\n"
        + "cert-file = " + certs + "\nkey-file = " + key + "\nca-file = " + ca));
    assertThatThrownBy(() -> ExporterConfig.read(bad)).hasMessage(bad + ":7: key-file: " + key
        + " holds a secret but is readable by every user (chmod o-r " + key + ")");
  }

  @Test
  void resultJsonNamesTheFields() {
    long[] aggregate = new long[MetricLayout.SAMPLE.length()];
    aggregate[MetricLayout.CGROUP_SAMPLES] = 6;
    aggregate[MetricLayout.MEMORY_CURRENT] = 984;
    Interval window = new Interval(new Time(1_735_689_600L), DapDuration.ofSeconds(60));
    String json = ResultJson.value("alpha", MetricLayout.SAMPLE, TaskId.fromBase64Url(TASK), window,
        new CollectionResult(Optional.empty(), 8, new Interval(new Time(1_735_689_601L), DapDuration.ofSeconds(3)),
            aggregate));
    assertThat(json).startsWith("{\"cluster\":\"alpha\",\"data_type\":\"sample\",\"task_id\":\"" + TASK + "\","
        + "\"batch_interval\":{\"start\":1735689600,\"duration\":60,\"start_utc\":\"2025-01-01T00:00:00Z\","
        + "\"end_utc\":\"2025-01-01T00:01:00Z\"},\"report_count\":8,"
        + "\"reports_interval\":{\"start\":1735689601,\"duration\":3},\"aggregate\":[6,0,")
        .contains("\"fields\":{\"cgroup_samples\":6,\"cpu_util_lt_10pct\":0,")
        .contains("\"memory_current_mib\":984,");
    assertThat(ResultJson.key("alpha", TaskId.fromBase64Url(TASK))).isEqualTo("alpha/" + TASK);
  }

  @Test
  void theSampleConfigurationParsesWithItsFilesInPlace() throws Exception {
    String text = Files.readString(Path.of("..", "samples", "janus-exporter.ini"))
        .replace("/etc/janus/exporter.pem", Path.of(getClass().getResource("/tls/client.pem").toURI()).toString())
        .replace("/etc/janus/exporter.key", secret("exporter.key",
            Files.readString(Path.of(getClass().getResource("/tls/client.key").toURI()))).toString())
        .replace("/etc/janus/ca.pem", Path.of(getClass().getResource("/tls/ca.pem").toURI()).toString())
        .replace("/etc/janus/kafka-token", secret("kafka-token", "k").toString())
        .replace("/etc/janus/collector-token", token.toString())
        .replace("/etc/janus/collector-private-key", privateKey.toString());
    ExporterConfig c = ExporterConfig.read(write(text));
    assertThat(c.kafka().apiToken()).contains("k");
    assertThat(c.tasks()).hasSize(2);
    assertThat(KafkaSettings.producer(c.kafka(), c.global().cluster()))
        .containsEntry("security.protocol", "SASL_SSL").containsEntry("compression.type", "gzip");
  }

  /** The control messages' effects, without a broker (FleetPipelineTest sends them through a real one). */
  @Test
  void controlMessagesToggleDumpIgnoreUnknownKeysAndExit() throws Exception {
    Path p = dir.resolve("control.ini");
    Files.writeString(p, valid());
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    ManualTimer timer = new ManualTimer(0);
    Exporter e = Exporter.create(p, timer, new PrintStream(log, true), new PrintStream(new ByteArrayOutputStream()));
    assertThat(e.controlTopic()).isEqualTo("alpha.control.master");
    assertThat(e.topic(e.config().tasks().get(0))).isEqualTo("alpha.sample");
    assertThat(e.dumping()).isFalse();
    e.control("dump", "true");
    assertThat(e.dumping()).isTrue();
    e.control("dump", "maybe");
    assertThat(e.dumping()).isTrue();
    e.control("dump", " false ");
    assertThat(e.dumping()).isFalse();
    e.control("shutdown", "now");
    e.control(null, null);
    e.control("exit", null);
    assertThat(e.awaitControlMessages(6, Duration.ZERO)).isTrue();
    assertThat(log.toString(StandardCharsets.UTF_8).lines()).containsExactly(
        "janus-exporter: control: dump true",
        "janus-exporter: control: dump wants true or false, got 'maybe'; ignored",
        "janus-exporter: control: dump false",
        "janus-exporter: control: unknown key 'shutdown'; ignored",
        "janus-exporter: control: unknown key 'null'; ignored",
        "janus-exporter: control: exit");
  }
}
