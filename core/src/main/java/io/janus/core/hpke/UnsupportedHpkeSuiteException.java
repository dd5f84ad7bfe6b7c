package io.janus.core.hpke;

/**
 * Thrown when an HPKE config names a KEM, KDF or AEAD this implementation does not support.
 *
 * <p>Unchecked: suites are checked when a key is generated or a task is provisioned, so meeting one later is a
 * configuration error rather than a per-report condition.
 */
public final class UnsupportedHpkeSuiteException extends IllegalArgumentException {
  private final int kemId;
  private final int kdfId;
  private final int aeadId;

  /** Creates an exception naming the rejected algorithm identifiers. */
  public UnsupportedHpkeSuiteException(int kemId, int kdfId, int aeadId) {
    super(String.format("unsupported HPKE suite: kem=0x%04x, kdf=0x%04x, aead=0x%04x", kemId, kdfId, aeadId));
    this.kemId = kemId;
    this.kdfId = kdfId;
    this.aeadId = aeadId;
  }

  /** The KEM identifier of the rejected suite. */
  public int kemId() {
    return kemId;
  }

  /** The KDF identifier of the rejected suite. */
  public int kdfId() {
    return kdfId;
  }

  /** The AEAD identifier of the rejected suite. */
  public int aeadId() {
    return aeadId;
  }
}
