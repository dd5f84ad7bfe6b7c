package io.janus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.core.auth.AuthenticationTokenType;
import io.janus.core.task.QueryType;
import io.janus.core.task.VdafInstance;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeAlgorithms;
import io.janus.messages.Role;
import io.janus.messages.Time;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TaskFileReaderTest {
  /** The repository's sample, which operators copy; it must always parse. */
  static final Path SAMPLE = Path.of("..", "samples", "tasks.yaml");

  /** A minimal valid Leader task; the error cases below each break one thing in it. */
  static final String VALID = """
      - task_id: s5spqAJEddoOaTB1qlnid1QSX_YuhoHLnveNvVNCVh0
        peer_aggregator_endpoint: https://helper.example.net
        query_type: TimeInterval
        vdaf: Prio3Count
        role: Leader
        vdaf_verify_key: CIOryQx7bLkTYnbavbbBHA
        max_batch_query_count: 1
        min_batch_size: 10
        time_precision: 300
        tolerable_clock_skew: 60
        collector_hpke_config:
          id: 183
          kem_id: X25519HkdfSha256
          kdf_id: HkdfSha256
          aead_id: Aes128Gcm
          public_key: Kjr4H3GhrkhIdPiAxbTKPPAwDTUTxOHJB6EJEJCiIyI
        aggregator_auth_token:
          type: DapAuth
          token: aggregator-token
        collector_auth_token_hash:
          type: Bearer
          hash: WqCpyAmWuKXdyjnd2nZBWuRu7q292QhvgPpOC--8DO0
        hpke_keys:
        - config:
            id: 164
            kem_id: X25519HkdfSha256
            kdf_id: HkdfSha256
            aead_id: Aes128Gcm
            public_key: 9_n1D4ur1JcR2ngqyzMR0RAG_IIg5emO0BEu9vCqTRM
          private_key: oAdHFOS97TBBnUtOPY-Gt9y6Vzcn9af1u5lyc9dPuHA
      """;

  @Test
  void aDap18TaskKeepsWhatItsTaskConfigurationBinds() {
    String withOwnKeys = VALID.replace("role: Leader", """
        role: Leader
          protocol: DAP-18
          task_info: ZmxlZXQgY3B1LCAyMDI2
          own_aggregator_endpoint: https://leader.example.net/dap/
          task_start: 600
          task_expiration: 3000""").replace("vdaf_verify_key: CIOryQx7bLkTYnbavbbBHA",
        "vdaf_verify_key: " + "A".repeat(43));
    TaskSpec spec = TaskFileReader.parse(withOwnKeys.replaceAll("(?s)hpke_keys:.*", "hpke_keys: []\n"),
        "tasks.yaml").get(0);
    assertThat(spec.protocol()).isEqualTo(io.janus.core.task.DapVersion.DAP_18);
    io.janus.core.task.AgreedTerms terms = spec.agreedTerms().orElseThrow();
    assertThat(new String(terms.taskInfo(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("fleet cpu, 2026");
    assertThat(terms.ownEndpoint()).hasToString("https://leader.example.net/dap/");
    assertThat(terms.taskStart()).contains(new io.janus.messages.Time(600));

    ProvisionedTask p = TaskProvisioning.resolve(spec, false, new java.security.SecureRandom());
    io.janus.core.task.TaskAgreement agreement = p.task().agreement().orElseThrow();
    assertThat(agreement.leaderEndpoint()).hasToString("https://leader.example.net/dap/");
    // Both endpoints are read as every URL of a tasks file is, ending in "/", so the parties encode the same bytes.
    assertThat(agreement.helperEndpoint()).hasToString("https://helper.example.net/");
    assertThat(agreement.taskInterval().orElseThrow().duration().seconds()).isEqualTo(2400);
    // What --echo-tasks writes reads back as the same task.
    TaskSpec again = TaskFileReader.parse(TaskFileWriter.render(List.of(p)), "echo.yaml").get(0);
    assertThat(TaskProvisioning.resolve(again, false, new java.security.SecureRandom()).task()).isEqualTo(p.task());
    // Its clients encrypt to the aggregator's global keys: keys of its own are refused, none are generated.
    TaskSpec withKeys = TaskFileReader.parse(withOwnKeys, "keys.yaml").get(0);
    assertThatThrownBy(() -> TaskProvisioning.resolve(withKeys, false, new java.security.SecureRandom()))
        .hasMessageContaining("[0].hpke_keys").hasMessageContaining("global keys");
    assertThat(TaskProvisioning.resolve(spec, true, new java.security.SecureRandom()).task().hpkeKeys()).isEmpty();
  }

  @Test
  void sampleParses() throws Exception {
    List<TaskSpec> specs = TaskFileReader.read(SAMPLE);
    assertThat(specs).hasSize(3);

    TaskSpec leader = specs.get(0);
    assertThat(leader.role()).isEqualTo(Role.LEADER);
    assertThat(leader.vdaf()).isEqualTo(new VdafInstance.Prio3Sum(16));
    assertThat(leader.queryType()).isEqualTo(new QueryType.TimeInterval());
    assertThat(leader.taskExpiration()).contains(new Time(1893456000));
    assertThat(leader.reportExpiryAge()).contains(DapDuration.ofSeconds(7776000));
    assertThat(leader.timePrecision()).isEqualTo(DapDuration.ofSeconds(1800));
    assertThat(leader.aggregatorAuthToken()).hasValueSatisfying(
        t -> assertThat(t.type()).isEqualTo(AuthenticationTokenType.BEARER));
    assertThat(leader.collectorAuthTokenHash()).isPresent();
    assertThat(leader.hpkeKeys()).hasValueSatisfying(k -> assertThat(k).hasSize(1));

    TaskSpec helper = specs.get(1);
    assertThat(helper.role()).isEqualTo(Role.HELPER);
    assertThat(helper.vdaf()).isEqualTo(new VdafInstance.Prio3Count());
    assertThat(helper.queryType()).isEqualTo(new QueryType.FixedSize(OptionalLong.of(500), Optional.empty()));
    assertThat(helper.taskExpiration()).isEmpty();
    assertThat(helper.reportExpiryAge()).isEmpty();
    assertThat(helper.aggregatorAuthTokenHash()).isPresent();
    assertThat(helper.collectorAuthTokenHash()).isEmpty();

    TaskSpec dap18 = specs.get(2);
    assertThat(dap18.protocol()).isEqualTo(io.janus.core.task.DapVersion.DAP_18);
    assertThat(dap18.vdaf()).isEqualTo(new VdafInstance.Prio3SumMaxMeasurement(1000));
    assertThat(dap18.agreedTerms().orElseThrow().taskStart()).contains(new Time(1767225600));
    io.janus.core.task.TaskAgreement agreement = TaskProvisioning.resolve(dap18, false,
        new java.security.SecureRandom()).task().agreement().orElseThrow();
    assertThat(agreement.taskInfo()).isEqualTo("fleet metrics".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(agreement.queryType()).isEqualTo(new QueryType.FixedSize(OptionalLong.empty(), Optional.empty()));
  }

  @Test
  void readsEveryVdafAndOptionalForm() {
    String yaml = VALID
        .replace("vdaf: Prio3Count", "vdaf: !Prio3SumVec {bits: 8, length: 10, chunk_length: 3}")
        .replace("query_type: TimeInterval", "query_type: !FixedSize")
        .replace("kem_id: X25519HkdfSha256\n    kdf_id: HkdfSha256\n    aead_id: Aes128Gcm\n    public_key: Kjr4",
            "kem_id: 32\n    kdf_id: 1\n    aead_id: 1\n    public_key: Kjr4");
    assertThat(yaml).contains("kem_id: 32", "query_type: !FixedSize\n");
    TaskSpec s = TaskFileReader.parse(yaml, "t.yaml").get(0);
    assertThat(s.vdaf()).isEqualTo(new VdafInstance.Prio3SumVec(8, 10, 3));
    assertThat(s.queryType()).isEqualTo(new QueryType.FixedSize(OptionalLong.empty(), Optional.empty()));
    assertThat(s.collectorHpkeConfig().kemId()).isEqualTo(HpkeAlgorithms.KEM_X25519_HKDF_SHA256);
    assertThat(s.peerAggregatorEndpoint().toString()).isEqualTo("https://helper.example.net/");

    String histogram = VALID.replace("vdaf: Prio3Count", "vdaf: !Prio3Histogram {length: 4, chunk_length: 2}");
    assertThat(TaskFileReader.parse(histogram, "t.yaml").get(0).vdaf())
        .isEqualTo(new VdafInstance.Prio3Histogram(4, 2));

    // Janus writes its VDAFs' differential privacy strategy; "none" is the one served here.
    String withDp = VALID.replace("vdaf: Prio3Count", "vdaf: !Prio3Histogram {length: 4, chunk_length: 2, "
        + "dp_strategy: {dp_strategy: NoDifferentialPrivacy}}");
    assertThat(TaskFileReader.parse(withDp, "t.yaml").get(0).vdaf()).isEqualTo(new VdafInstance.Prio3Histogram(4, 2));
    assertThatThrownBy(() -> TaskFileReader.parse(withDp.replace("NoDifferentialPrivacy", "PureDpDiscreteLaplace"),
        "t.yaml")).isInstanceOf(TaskFileException.class).hasMessageContaining("vdaf.dp_strategy")
        .hasMessageContaining("only NoDifferentialPrivacy");

    // Janus 0.7's name and fields for its Field64 multiproof SumVec.
    String multiproof = VALID.replace("vdaf: Prio3Count",
        "vdaf: !Prio3SumVecField64MultiproofHmacSha256Aes128 {proofs: 2, bits: 16, length: 15, chunk_length: 16}");
    assertThat(TaskFileReader.parse(multiproof, "t.yaml").get(0).vdaf())
        .isEqualTo(new VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128(2, 16, 15, 16));
    assertThatThrownBy(() -> TaskFileReader.parse(multiproof.replace("proofs: 2", "proofs: 1"), "t.yaml"))
        .isInstanceOf(TaskFileException.class).hasMessageContaining("proofs");
    assertThatThrownBy(() -> TaskFileReader.parse(multiproof.replace("proofs: 2, ", ""), "t.yaml"))
        .isInstanceOf(TaskFileException.class).hasMessageContaining("proofs");
  }

  @Test
  void refusesVdaf18ParameterisationsForDap09Tasks() {
    // Janus main's VDAF-18 fields (a maximum instead of a bit count) describe a task DAP-09 cannot run.
    for (String vdaf : List.of("!Prio3Sum {max_measurement: 255}",
        "!Prio3SumVec {max_measurement: 1000, length: 10, chunk_length: 3}",
        "!Prio3MultihotCountVec {length: 10, max_weight: 3, chunk_length: 4}")) {
      assertThatThrownBy(() -> TaskFileReader.parse(VALID.replace("vdaf: Prio3Count", "vdaf: " + vdaf), "t.yaml"))
          .isInstanceOf(TaskFileException.class)
          .hasMessageContaining("[0].vdaf")
          .hasMessageContaining("a DAP-09 task cannot run this VDAF");
    }
  }

  @Test
  void optionalGeneratableKeysMayBeAbsent() {
    String yaml = VALID
        .replace("- task_id: s5spqAJEddoOaTB1qlnid1QSX_YuhoHLnveNvVNCVh0\n  peer", "- peer")
        .replace("  vdaf_verify_key: CIOryQx7bLkTYnbavbbBHA\n", "")
        .replaceAll("(?s)  hpke_keys:.*", "");
    TaskSpec s = TaskFileReader.parse(yaml, "t.yaml").get(0);
    assertThat(s.taskId()).isEmpty();
    assertThat(s.vdafVerifyKey()).isEmpty();
    assertThat(s.hpkeKeys()).isEmpty();
  }

  @Test
  void anEmptyListIsValid() {
    assertThat(TaskFileReader.parse("[]", "t.yaml")).isEmpty();
  }

  static Stream<Arguments> invalidFiles() {
    return Stream.of(
        Arguments.of("not YAML", "- task_id: [unclosed", "t.yaml:", "invalid YAML"),
        Arguments.of("empty file", "", "t.yaml", "tasks file is empty"),
        Arguments.of("not a list", "task_id: x", "t.yaml:1:1", "expected a list of tasks"),
        Arguments.of("unknown key", VALID.replace("min_batch_size:", "min_batch_sise:"),
            "[0].min_batch_sise", "unknown key"),
        Arguments.of("missing key", VALID.replace("  time_precision: 300\n", ""),
            "[0].time_precision", "missing required key"),
        Arguments.of("duplicate key", VALID.replace("  role: Leader\n", "  role: Leader\n  role: Helper\n"),
            "t.yaml:", "duplicate key"),
        Arguments.of("bad base64 task ID", VALID.replace("s5spqAJEddoOaTB1", "s5spq*JEddoOaTB1"),
            "[0].task_id", "base64url"),
        Arguments.of("short task ID", VALID.replace("s5spqAJEddoOaTB1qlnid1QSX_YuhoHLnveNvVNCVh0", "AAAA"),
            "[0].task_id", "32 bytes"),
        Arguments.of("padded verify key", VALID.replace("CIOryQx7bLkTYnbavbbBHA", "CIOryQx7bLkTYnbavbbBHA=="),
            "[0].vdaf_verify_key", "padded"),
        Arguments.of("unknown VDAF", VALID.replace("vdaf: Prio3Count", "vdaf: Poplar1"),
            "[0].vdaf", "unknown or unsupported VDAF \"Poplar1\""),
        Arguments.of("VDAF parameter out of range", VALID.replace("vdaf: Prio3Count", "vdaf: !Prio3Sum {bits: 65}"),
            "[0].vdaf.bits", "between 1 and 64"),
        Arguments.of("unknown VDAF parameter",
            VALID.replace("vdaf: Prio3Count", "vdaf: !Prio3Sum {bits: 8, length: 2}"), "[0].vdaf.length",
            "unknown key"),
        Arguments.of("parameters on Prio3Count", VALID.replace("vdaf: Prio3Count", "vdaf: !Prio3Count {bits: 8}"),
            "[0].vdaf", "takes no parameters"),
        Arguments.of("unknown query type", VALID.replace("query_type: TimeInterval", "query_type: LeaderSelected"),
            "[0].query_type", "unknown query type"),
        Arguments.of("bad role", VALID.replace("role: Leader", "role: Collector"), "[0].role", "Leader or Helper"),
        Arguments.of("unknown protocol", VALID.replace("role: Leader", "role: Leader\n  protocol: DAP-07"),
            "[0].protocol", "protocol must be one of [DAP-09, DAP-18], got DAP-07"),
        Arguments.of("a DAP-18 task without task_info",
            VALID.replace("role: Leader", "role: Leader\n  protocol: DAP-18\n"
                + "  own_aggregator_endpoint: https://leader.example.net"), "[0].task_info",
            "a DAP-18 task needs task_info"),
        Arguments.of("a DAP-18 task without its own endpoint",
            VALID.replace("role: Leader", "role: Leader\n  protocol: DAP-18\n  task_info: ZmxlZXQ"),
            "[0].own_aggregator_endpoint", "a DAP-18 task needs own_aggregator_endpoint"),
        Arguments.of("task_info on a DAP-09 task", VALID.replace("role: Leader", "role: Leader\n  task_info: x"),
            "[0].task_info", "only a DAP-18 task takes task_info"),
        Arguments.of("task_info too long", VALID.replace("role: Leader", "role: Leader\n  protocol: DAP-18\n"
                + "  own_aggregator_endpoint: https://leader.example.net\n  task_info: " + "A".repeat(344)),
            "[0].task_info", "must be 1 to 255 bytes, got 258"),
        Arguments.of("a DAP-18 task start without an end", VALID.replace("role: Leader", "role: Leader\n"
                + "  protocol: DAP-18\n  own_aggregator_endpoint: https://leader.example.net\n  task_info: ZmxlZXQ\n"
                + "  task_start: 600"),
            "[0].task_start", "needs both task_start and task_expiration"),
        Arguments.of("zero time precision", VALID.replace("time_precision: 300", "time_precision: 0"),
            "[0].time_precision", "at least 1"),
        Arguments.of("zero max batch query count",
            VALID.replace("max_batch_query_count: 1", "max_batch_query_count: 0"), "[0].max_batch_query_count",
            "at least 1"),
        Arguments.of("text where a number belongs", VALID.replace("min_batch_size: 10", "min_batch_size: ten"),
            "[0].min_batch_size", "expected an integer"),
        Arguments.of("bad URL", VALID.replace("https://helper.example.net", "ftp://helper.example.net"),
            "[0].peer_aggregator_endpoint", "http:// or https://"),
        Arguments.of("unknown KEM name", VALID.replace("kem_id: X25519HkdfSha256\n    kdf_id: HkdfSha256\n"
            + "    aead_id: Aes128Gcm\n    public_key: Kjr4", "kem_id: X25519\n    kdf_id: HkdfSha256\n"
            + "    aead_id: Aes128Gcm\n    public_key: Kjr4"), "[0].collector_hpke_config.kem_id",
            "unknown algorithm \"X25519\""),
        Arguments.of("unsupported collector suite", VALID.replace("kdf_id: HkdfSha256\n    aead_id: Aes128Gcm\n"
            + "    public_key: Kjr4", "kdf_id: HkdfSha512\n    aead_id: Aes128Gcm\n    public_key: Kjr4"),
            "[0].collector_hpke_config", "cannot be encrypted to this HPKE suite"),
        Arguments.of("malformed collector key",
            VALID.replace("Kjr4H3GhrkhIdPiAxbTKPPAwDTUTxOHJB6EJEJCiIyI", "Kjr4H3Ghrkg"),
            "[0].collector_hpke_config.public_key", "not a valid key"),
        Arguments.of("bad token type", VALID.replace("type: DapAuth", "type: Basic"),
            "[0].aggregator_auth_token.type", "DapAuth or Bearer"),
        Arguments.of("bad token characters", VALID.replace("token: aggregator-token", "token: \"a b\""),
            "[0].aggregator_auth_token.token", "character not allowed"),
        Arguments.of("short token hash", VALID.replace("WqCpyAmWuKXdyjnd2nZBWuRu7q292QhvgPpOC--8DO0", "WqCp"),
            "[0].collector_auth_token_hash.hash", "32 bytes"),
        Arguments.of("mismatched HPKE keypair",
            VALID.replace("oAdHFOS97TBBnUtOPY-Gt9y6Vzcn9af1u5lyc9dPuHA", "0BsjbdcJaUx5RlBfGEKujIeQK-FFeFKCX43hgBCLkEE"),
            "[0].hpke_keys[0]", "private key does not match"),
        Arguments.of("hpke_keys not a list", VALID.replaceAll("(?s)  hpke_keys:.*", "  hpke_keys: 3\n"),
            "[0].hpke_keys", "expected a list"),
        Arguments.of("duplicate task IDs", VALID + VALID.replace("- task_id", "- task_id"), "[1].task_id",
            "also used by task [0]"),
        Arguments.of("aliases refused", "- &a {role: Leader}\n- *a\n", "t.yaml", "invalid YAML"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidFiles")
  void rejectsWithFileKeyAndReason(String name, String yaml, String where, String reason) {
    assertThatThrownBy(() -> TaskFileReader.parse(yaml, "t.yaml"))
        .isInstanceOf(TaskFileException.class)
        .hasMessageStartingWith("t.yaml")
        .hasMessageContaining(where)
        .hasMessageContaining(reason)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void errorsNameTheLineOfTheTask() {
    String second = VALID.replace("role: Leader", "role: Boss");
    assertThatThrownBy(() -> TaskFileReader.parse(VALID.replace("s5spq", "t5spq") + second, "t.yaml"))
        .hasMessageStartingWith("t.yaml:" + (VALID.lines().count() + 5) + ":")
        .hasMessageContaining("[1].role");
  }

  @Test
  void errorsNeverRepeatSecrets() {
    String yaml = VALID.replace("token: aggregator-token", "token: \"secret value\"");
    assertThatThrownBy(() -> TaskFileReader.parse(yaml, "t.yaml")).message().doesNotContain("secret");
  }

  @Test
  void missingFileIsNamed(@TempDir Path dir) {
    Path missing = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> TaskFileReader.read(missing))
        .isInstanceOf(TaskFileException.class)
        .hasMessage(missing + ": tasks file does not exist");
  }

  @Test
  void invalidUtf8IsNamed(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.write(bad, new byte[] {'-', ' ', (byte) 0xff, (byte) 0xfe});
    assertThatThrownBy(() -> TaskFileReader.read(bad)).hasMessageContaining("not valid UTF-8");
  }
}
