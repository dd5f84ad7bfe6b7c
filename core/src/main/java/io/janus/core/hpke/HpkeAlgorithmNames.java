package io.janus.core.hpke;

import java.util.Map;
import java.util.Optional;

/**
 * The names Janus's YAML and JSON give to HPKE algorithm identifiers (RFC 9180 section 7), such as
 * {@code X25519HkdfSha256} for KEM 0x0020 (tasks files, the admin API). Unknown identifiers are written as plain
 * integers.
 */
public final class HpkeAlgorithmNames {
  /** KEM names by RFC 9180 identifier. */
  public static final Map<Integer, String> KEMS = Map.of(
      0x0010, "P256HkdfSha256",
      0x0011, "P384HkdfSha384",
      0x0012, "P521HkdfSha512",
      0x0020, "X25519HkdfSha256",
      0x0021, "X448HkdfSha512");
  /** KDF names by RFC 9180 identifier. */
  public static final Map<Integer, String> KDFS = Map.of(
      0x0001, "HkdfSha256",
      0x0002, "HkdfSha384",
      0x0003, "HkdfSha512");
  /** AEAD names by RFC 9180 identifier. */
  public static final Map<Integer, String> AEADS = Map.of(
      0x0001, "Aes128Gcm",
      0x0002, "Aes256Gcm",
      0x0003, "ChaCha20Poly1305");

  private HpkeAlgorithmNames() {}

  /** The identifier named {@code name} in {@code names}, if any. */
  public static Optional<Integer> idOf(Map<Integer, String> names, String name) {
    for (Map.Entry<Integer, String> e : names.entrySet()) {
      if (e.getValue().equals(name)) {
        return Optional.of(e.getKey());
      }
    }
    return Optional.empty();
  }

  /** The name of {@code id} in {@code names}, or its decimal form if it has none. */
  public static String nameOf(Map<Integer, String> names, int id) {
    String n = names.get(id);
    return n == null ? Integer.toString(id) : n;
  }
}
