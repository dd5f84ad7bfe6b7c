package io.janus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.Task;
import io.janus.messages.Base64Url;
import io.janus.messages.HpkeAlgorithms;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.Role;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TaskProvisioningTest {
  static final String LEADER_BARE = """
      - peer_aggregator_endpoint: https://helper.example.net/
        query_type: TimeInterval
        vdaf: !Prio3Histogram {length: 4, chunk_length: 2}
        role: Leader
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
      """;
  static final String HELPER_BARE = LEADER_BARE.replace("role: Leader", "role: Helper");

  private SecureRandom random;

  @BeforeEach
  void seed() {
    long seed = new SecureRandom().nextLong();
    System.out.println("TaskProvisioningTest seed: " + seed);
    random = CliRunner.seeded(seed);
  }

  private ProvisionedTask resolve(String yaml, boolean generate) {
    return TaskProvisioning.resolve(TaskFileReader.parse(yaml, "t.yaml").get(0), generate, random);
  }

  @Test
  void generatesEverythingMissingForALeader() throws Exception {
    ProvisionedTask p = resolve(LEADER_BARE, true);
    Task t = p.task();
    assertThat(t.role()).isEqualTo(Role.LEADER);
    assertThat(t.vdafVerifyKey()).hasSize(16);
    assertThat(p.aggregatorAuthToken()).isEqualTo(t.aggregatorAuthToken());
    assertThat(t.aggregatorAuthToken()).hasValueSatisfying(tok -> {
      assertThat(tok.type()).isEqualTo(AuthenticationTokenType.BEARER);
      assertThat(Base64Url.decode(tok.token())).hasSize(TaskProvisioning.TOKEN_BYTES);
    });
    // The collector's token is not stored, only its hash, which must match the token handed out.
    AuthenticationToken collector = p.collectorAuthToken().orElseThrow();
    assertThat(t.collectorAuthTokenHash().orElseThrow().matches(collector.type(), collector.token())).isTrue();
    assertThat(t.hpkeKeys()).hasSize(1);
    assertThat(sealAndOpen(t.hpkeKeys().get(0))).isEqualTo("hello");
    assertThat(t.hpkeKeys().get(0).config().kemId()).isEqualTo(HpkeAlgorithms.KEM_X25519_HKDF_SHA256);
  }

  @Test
  void generatesAHashedTokenForAHelper() {
    ProvisionedTask p = resolve(HELPER_BARE, true);
    Task t = p.task();
    assertThat(t.aggregatorAuthToken()).isEmpty();
    assertThat(p.collectorAuthToken()).isEmpty();
    AuthenticationToken token = p.aggregatorAuthToken().orElseThrow();
    assertThat(t.aggregatorAuthTokenHash().orElseThrow().matches(token.type(), token.token())).isTrue();
  }

  @Test
  void generatedValuesDifferBetweenTasks() {
    Task a = resolve(LEADER_BARE, true).task();
    Task b = resolve(LEADER_BARE, true).task();
    assertThat(a.id()).isNotEqualTo(b.id());
    assertThat(a.vdafVerifyKey()).isNotEqualTo(b.vdafVerifyKey());
    assertThat(a.aggregatorAuthToken()).isNotEqualTo(b.aggregatorAuthToken());
  }

  @Test
  void withoutGenerationEachMissingSecretIsNamed() {
    assertThatThrownBy(() -> resolve(LEADER_BARE, false))
        .isInstanceOf(TaskFileException.class)
        .hasMessageContaining("[0].task_id: missing required key (or pass --generate-missing-parameters)");
    String withId = LEADER_BARE.replace("- peer", "- task_id: s5spqAJEddoOaTB1qlnid1QSX_YuhoHLnveNvVNCVh0\n  peer");
    assertThatThrownBy(() -> resolve(withId, false)).hasMessageContaining("[0].vdaf_verify_key: missing");
    String withKey = withId + "  vdaf_verify_key: CIOryQx7bLkTYnbavbbBHA\n";
    assertThatThrownBy(() -> resolve(withKey, false)).hasMessageContaining("[0].aggregator_auth_token: missing");
    String withToken = withKey + "  aggregator_auth_token: {type: Bearer, token: abc}\n";
    assertThatThrownBy(() -> resolve(withToken, false)).hasMessageContaining("[0].collector_auth_token_hash: missing");
    String complete = withToken + "  collector_auth_token: {type: Bearer, token: def}\n";
    // Absent hpke_keys without generation: the task uses global keys.
    assertThat(resolve(complete, false).task().hpkeKeys()).isEmpty();
  }

  @Test
  void anExplicitEmptyKeyListIsKeptEvenWhenGenerating() {
    assertThat(resolve(LEADER_BARE + "  hpke_keys: []\n", true).task().hpkeKeys()).isEmpty();
  }

  @Test
  void plainTokensAreStoredAsHashesAndMustMatchAGivenHash() {
    String token = "  aggregator_auth_token: {type: DapAuth, token: helper-secret}\n";
    ProvisionedTask p = resolve(HELPER_BARE + token, true);
    assertThat(p.task().aggregatorAuthTokenHash()).contains(
        new AuthenticationToken(AuthenticationTokenType.DAP_AUTH, "helper-secret").hash());

    String otherHash = "  aggregator_auth_token_hash: {type: DapAuth, hash: "
        + Base64Url.encode(new AuthenticationToken(AuthenticationTokenType.DAP_AUTH, "other").hash().hash()) + "}\n";
    assertThatThrownBy(() -> resolve(HELPER_BARE + token + otherHash, true))
        .hasMessageContaining("[0].aggregator_auth_token_hash: does not match aggregator_auth_token");
    String wrongType = "  aggregator_auth_token_hash: {type: Bearer, hash: " + Base64Url.encode(
        new AuthenticationToken(AuthenticationTokenType.DAP_AUTH, "helper-secret").hash().hash()) + "}\n";
    assertThatThrownBy(() -> resolve(HELPER_BARE + token + wrongType, true)).hasMessageContaining("does not match");
  }

  @Test
  void roleMismatchedTokensAreRejected() {
    String hash = "{type: Bearer, hash: WqCpyAmWuKXdyjnd2nZBWuRu7q292QhvgPpOC--8DO0}";
    assertThatThrownBy(() -> resolve(LEADER_BARE + "  aggregator_auth_token_hash: " + hash + "\n", true))
        .hasMessageContaining("[0].aggregator_auth_token_hash: a Leader task sends the token");
    assertThatThrownBy(() -> resolve(HELPER_BARE + "  collector_auth_token_hash: " + hash + "\n", true))
        .hasMessageContaining("[0].collector_auth_token_hash: only a Leader task authenticates the collector");
    assertThatThrownBy(() -> resolve(HELPER_BARE + "  collector_auth_token: {type: Bearer, token: x}\n", true))
        .hasMessageContaining("[0].collector_auth_token:");
  }

  @Test
  void verifyKeyLengthMustFitTheVdaf() {
    assertThatThrownBy(() -> resolve(LEADER_BARE + "  vdaf_verify_key: AAAA\n", true))
        .isInstanceOf(TaskFileException.class)
        .hasMessageContaining("[0].vdaf_verify_key: must be 16 bytes for this VDAF, got 3");
    String multiproof = LEADER_BARE.replace("vdaf: !Prio3Histogram {length: 4, chunk_length: 2}",
        "vdaf: !Prio3SumVecField64MultiproofHmacSha256Aes128 {proofs: 2, bits: 1, length: 4, chunk_length: 2}");
    assertThat(multiproof).isNotEqualTo(LEADER_BARE);
    assertThat(resolve(multiproof, true).task().vdafVerifyKey()).hasSize(32);
    assertThatThrownBy(() -> resolve(multiproof + "  vdaf_verify_key: CIOryQx7bLkTYnbavbbBHA\n", true))
        .hasMessageContaining("[0].vdaf_verify_key: must be 32 bytes for this VDAF, got 16");
  }

  @Test
  void resolveAllStopsAtTheFirstInvalidTask() {
    String yaml = LEADER_BARE + LEADER_BARE.replace("min_batch_size: 10", "min_batch_size: 10\n  hpke_keys: 5");
    assertThatThrownBy(() -> TaskProvisioning.resolveAll(TaskFileReader.parse(yaml, "t.yaml"), true, random))
        .hasMessageContaining("[1].hpke_keys");
    List<ProvisionedTask> ok = TaskProvisioning.resolveAll(
        TaskFileReader.parse(LEADER_BARE + HELPER_BARE, "t.yaml"), true, random);
    assertThat(ok).extracting(p -> p.task().role()).containsExactly(Role.LEADER, Role.HELPER);
  }

  private static String sealAndOpen(HpkeKeypair k) throws Exception {
    byte[] info = "info".getBytes(StandardCharsets.US_ASCII);
    HpkeCiphertext ct = Hpke.seal(k.config(), info, new byte[0], "hello".getBytes(StandardCharsets.US_ASCII));
    return new String(Hpke.open(k, info, ct, new byte[0]), StandardCharsets.US_ASCII);
  }
}
