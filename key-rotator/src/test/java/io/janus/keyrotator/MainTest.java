package io.janus.keyrotator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.server.config.ConfigException;
import io.janus.server.config.ConfigLoader;
import io.janus.server.datastore.Crypter;
import io.janus.server.datastore.Datastore;
import io.janus.server.datastore.model.GlobalHpkeKeypair;
import io.janus.server.datastore.model.HpkeKeyState;
import io.janus.server.testing.HarnessRun;
import io.janus.server.testing.TestDatabase;
import io.janus.messages.HpkeAlgorithms;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The binary through the production harness with its YAML, and its configuration's keys and errors. */
class MainTest {
  @TempDir
  Path dir;

  @AfterAll
  static void restoreLogging() throws IOException {
    HarnessRun.restoreLogging();
  }

  @Test
  void aOneShotRunBootstrapsTheKeysAndExitsZero() throws Exception {
    try (TestDatabase db = TestDatabase.create()) {
      String keys = Crypter.generateKey(new SecureRandom());
      HarnessRun.Result r = HarnessRun.stoppedBeforeStart(db, keys, dir, Main.NAME, KeyRotatorConfig.class, """
          key_rotator:
            hpke:
              ciphersuites:
                - {kem_id: X25519HkdfSha256, kdf_id: HkdfSha256, aead_id: Aes128Gcm}
                - {kem_id: P256HkdfSha256, kdf_id: HkdfSha256, aead_id: Aes256Gcm}
          """, Main.BINARY::run);
      assertThat(r.exitCode()).as(r.err()).isZero();
      Datastore datastore = new Datastore(db.dataSource(), Crypter.fromDatastoreKeys(keys), db.clock(), 10,
          new SimpleMeterRegistry());
      List<GlobalHpkeKeypair> stored = datastore.run("check", tx -> tx.hpkeKeys().getAll());
      assertThat(stored).hasSize(2).allMatch(k -> k.state() == HpkeKeyState.ACTIVE);
      assertThat(stored).anyMatch(k -> k.keypair().config().kemId() == HpkeAlgorithms.KEM_P256_HKDF_SHA256
          && k.keypair().config().aeadId() == io.janus.core.hpke.Hpke.AEAD_AES_256_GCM);
    }
  }

  @Test
  void theConfigurationTakesJanusKeysAndDefaults() {
    KeyRotatorConfig c = ConfigLoader.load(Path.of("..", "samples", "key_rotator.yaml"), KeyRotatorConfig.class);
    RotationPolicy p = c.keyRotator().hpke().policy();
    assertThat(p.pending()).isEqualTo(Duration.ofHours(1));
    assertThat(p.active()).isEqualTo(Duration.ofSeconds(7_257_600));
    assertThat(p.expired()).isEqualTo(Duration.ofDays(7));
    assertThat(c.keyRotator().frequencyS()).isEmpty();
    KeyRotatorConfig defaults = ConfigLoader.parse("""
        database: {url: "postgres://localhost/janus"}
        key_rotator: {hpke: {}}
        """, "inline", KeyRotatorConfig.class);
    assertThat(defaults.keyRotator().hpke().policy().suites()).containsExactly(new RotationPolicy.Suite(
        HpkeAlgorithms.KEM_X25519_HKDF_SHA256, HpkeAlgorithms.KDF_HKDF_SHA256, HpkeAlgorithms.AEAD_AES_128_GCM));
  }

  @Test
  void badSuitesAndDurationsAreNamed() {
    assertThatThrownBy(() -> ConfigLoader.parse("""
        database: {url: "postgres://localhost/janus"}
        key_rotator: {hpke: {ciphersuites: [{kem_id: X448HkdfSha512, kdf_id: HkdfSha512, aead_id: Aes256Gcm}]}}
        """, "inline", KeyRotatorConfig.class))
        .isInstanceOf(ConfigException.class).hasMessageContaining("kem_id").hasMessageContaining("not a supported");
    assertThatThrownBy(() -> ConfigLoader.parse("""
        database: {url: "postgres://localhost/janus"}
        key_rotator: {hpke: {ciphersuites: [{kem_id: X25519, kdf_id: HkdfSha256, aead_id: Aes128Gcm}]}}
        """, "inline", KeyRotatorConfig.class))
        .isInstanceOf(ConfigException.class).hasMessageContaining("kem_id").hasMessageContaining("X25519HkdfSha256");
    assertThatThrownBy(() -> ConfigLoader.parse("""
        database: {url: "postgres://localhost/janus"}
        key_rotator: {hpke: {ciphersuites: []}}
        """, "inline", KeyRotatorConfig.class))
        .isInstanceOf(ConfigException.class).hasMessageContaining("at least one");
    assertThatThrownBy(() -> ConfigLoader.parse("""
        database: {url: "postgres://localhost/janus"}
        key_rotator: {frequency_s: 0, hpke: {}}
        """, "inline", KeyRotatorConfig.class))
        .isInstanceOf(ConfigException.class).hasMessageContaining("frequency_s");
  }
}
