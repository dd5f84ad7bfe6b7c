package io.janus.messages;

/** RFC 9180 algorithm identifiers that DAP deployments use. */
public final class HpkeAlgorithms {
  private HpkeAlgorithms() {}

  /** DHKEM(P-256, HKDF-SHA256). */
  public static final int KEM_P256_HKDF_SHA256 = 0x0010;
  /** DHKEM(X25519, HKDF-SHA256), DAP's mandatory KEM. */
  public static final int KEM_X25519_HKDF_SHA256 = 0x0020;
  /** HKDF-SHA256. */
  public static final int KDF_HKDF_SHA256 = 0x0001;
  /** AES-128-GCM, DAP's mandatory AEAD. */
  public static final int AEAD_AES_128_GCM = 0x0001;
  /** ChaCha20-Poly1305. */
  public static final int AEAD_CHACHA20_POLY1305 = 0x0003;
}
