package io.janus.keyrotator;

import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeAlgorithmNames;
import io.janus.server.config.BinaryConfig;
import io.janus.server.config.CommonConfig;
import io.janus.server.config.ConfigDefault;
import io.janus.server.config.ConfigFlatten;
import io.janus.server.config.InvalidConfigValueException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The {@code key_rotator} binary's configuration, with Janus 0.7's keys.
 *
 * @param common the keys every binary shares (database, logging, metrics, health check address)
 * @param keyRotator the {@code key_rotator} section
 */
public record KeyRotatorConfig(@ConfigFlatten CommonConfig common, Section keyRotator) implements BinaryConfig {

  /**
   * The {@code key_rotator} section.
   *
   * @param frequencyS if set, rotate every this many seconds until stopped; if absent, rotate once and exit (as
   *     Janus's binary does, for a cron job)
   * @param hpke the rotation policy of the global HPKE keys
   */
  public record Section(OptionalLong frequencyS, HpkeSection hpke) {
    /** Validates the frequency. */
    public Section {
      if (frequencyS.isPresent() && frequencyS.getAsLong() < 1) {
        throw new InvalidConfigValueException("frequency_s", "must be at least 1");
      }
    }
  }

  /**
   * The {@code key_rotator.hpke} section: Janus's defaults are 1 hour pending, 12 weeks active, 1 week expired, and
   * one X25519/HKDF-SHA256/AES-128-GCM key.
   *
   * @param pendingDurationS how long a new key stays pending before it becomes active; keep it above every
   *     aggregator's {@code hpke_configs_refresh_interval}, so each has the key before clients are given it
   * @param activeDurationS how long a key is active before a successor is made
   * @param expiredDurationS how long an expired key still decrypts before it is deleted; keep it above how long
   *     clients cache HPKE configurations
   * @param ciphersuites one key of each is kept active; keys of other suites are phased out
   */
  public record HpkeSection(
      @ConfigDefault("3600") long pendingDurationS,
      @ConfigDefault("7257600") long activeDurationS,
      @ConfigDefault("604800") long expiredDurationS,
      @ConfigDefault("[{kem_id: X25519HkdfSha256, kdf_id: HkdfSha256, aead_id: Aes128Gcm}]")
      List<Ciphersuite> ciphersuites) {
    /** Validates the durations and that there is at least one suite, each named once. */
    public HpkeSection {
      if (pendingDurationS < 0) {
        throw new InvalidConfigValueException("pending_duration_s", "must not be negative");
      }
      if (activeDurationS < 1) {
        throw new InvalidConfigValueException("active_duration_s", "must be at least 1");
      }
      if (expiredDurationS < 0) {
        throw new InvalidConfigValueException("expired_duration_s", "must not be negative");
      }
      if (ciphersuites.isEmpty()) {
        throw new InvalidConfigValueException("ciphersuites", "must name at least one ciphersuite");
      }
      if (new HashSet<>(ciphersuites).size() != ciphersuites.size()) {
        throw new InvalidConfigValueException("ciphersuites", "names a ciphersuite twice");
      }
      ciphersuites = List.copyOf(ciphersuites);
    }

    /** The rotation policy these keys describe. */
    public RotationPolicy policy() {
      return new RotationPolicy(Duration.ofSeconds(pendingDurationS), Duration.ofSeconds(activeDurationS),
          Duration.ofSeconds(expiredDurationS), ciphersuites.stream().map(Ciphersuite::suite).toList());
    }
  }

  /**
   * One entry of {@code ciphersuites}, by Janus's algorithm names ({@code X25519HkdfSha256}, {@code HkdfSha256},
   * {@code Aes128Gcm}, ...).
   *
   * @param kemId the KEM
   * @param kdfId the KDF
   * @param aeadId the AEAD
   */
  public record Ciphersuite(String kemId, String kdfId, String aeadId) {
    /** Checks that each name is known and that the suite is one this project can generate keys for. */
    public Ciphersuite {
      int kem = id("kem_id", HpkeAlgorithmNames.KEMS, kemId);
      int kdf = id("kdf_id", HpkeAlgorithmNames.KDFS, kdfId);
      int aead = id("aead_id", HpkeAlgorithmNames.AEADS, aeadId);
      if (!Hpke.isSupported(kem, kdf, aead)) {
        throw new InvalidConfigValueException("kem_id", kemId + "/" + kdfId + "/" + aeadId
            + " is not a supported HPKE suite");
      }
    }

    private static int id(String key, Map<Integer, String> names, String name) {
      return HpkeAlgorithmNames.idOf(names, name).orElseThrow(() -> new InvalidConfigValueException(key,
          "must be one of " + new java.util.TreeSet<>(names.values()) + ", got " + name));
    }

    RotationPolicy.Suite suite() {
      return new RotationPolicy.Suite(HpkeAlgorithmNames.idOf(HpkeAlgorithmNames.KEMS, kemId).orElseThrow(),
          HpkeAlgorithmNames.idOf(HpkeAlgorithmNames.KDFS, kdfId).orElseThrow(),
          HpkeAlgorithmNames.idOf(HpkeAlgorithmNames.AEADS, aeadId).orElseThrow());
    }
  }
}
