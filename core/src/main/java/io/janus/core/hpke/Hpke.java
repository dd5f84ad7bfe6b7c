package io.janus.core.hpke;

import io.janus.core.hpke.internal.X25519;
import io.janus.core.hpke.internal.X25519Hpke;
import io.janus.core.hpke.internal.X25519Providers;
import io.janus.messages.HpkeAlgorithms;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.HpkeConfig;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;

/**
 * Single-shot HPKE in base mode (RFC 9180 section 6.1), as DAP uses it to encrypt input shares and aggregate
 * shares.
 *
 * <p>Supported suites: KEM DHKEM(X25519, HKDF-SHA256) or DHKEM(P-256, HKDF-SHA256); KDF HKDF-SHA256; AEAD
 * AES-128-GCM, AES-256-GCM or ChaCha20-Poly1305. Anything else raises {@link UnsupportedHpkeSuiteException}.
 *
 * <p>The X25519 suites, which DAP deployments use, run on {@link X25519Hpke}: the key schedule and AEAD in the
 * JDK, and the X25519 function from OpenSSL 3's libcrypto where it loads, else from BouncyCastle ({@link
 * X25519Providers} chooses once per JVM and logs the choice). P-256 suites run on BouncyCastle's HPKE.
 *
 * <p>{@link #open} parses a keypair's private key once and keeps it in the {@link HpkeKeypair}, so a key cached
 * by the caller is parsed once for all the reports it opens.
 *
 * <p>The {@code info} and {@code aad} strings belong to the caller: each DAP draft defines its own labels, which
 * live with that draft's messages, never here. All methods are thread-safe; each call builds its own AEAD and
 * BouncyCastle state because that state is mutable, and parsed keys are shared read-only.
 */
public final class Hpke {
  /** AES-256-GCM (RFC 9180 section 7.3); not named in {@link HpkeAlgorithms} because DAP does not require it. */
  public static final int AEAD_AES_256_GCM = 0x0002;

  private Hpke() {}

  /**
   * Describes the X25519 implementation in use, choosing it (and logging the choice) if no HPKE call has yet:
   * servers call this at startup so that the log line comes first.
   */
  public static String x25519Implementation() {
    return X25519Suites.HPKE.dh().description();
  }

  /** True if this class can seal and open with the given RFC 9180 algorithm identifiers. */
  public static boolean isSupported(int kemId, int kdfId, int aeadId) {
    boolean kem = kemId == HpkeAlgorithms.KEM_X25519_HKDF_SHA256 || kemId == HpkeAlgorithms.KEM_P256_HKDF_SHA256;
    boolean kdf = kdfId == HpkeAlgorithms.KDF_HKDF_SHA256;
    boolean aead = aeadId == HpkeAlgorithms.AEAD_AES_128_GCM
        || aeadId == AEAD_AES_256_GCM
        || aeadId == HpkeAlgorithms.AEAD_CHACHA20_POLY1305;
    return kem && kdf && aead;
  }

  /** True if this class can seal to and open for {@code config}'s suite. */
  public static boolean isSupported(HpkeConfig config) {
    return isSupported(config.kemId(), config.kdfId(), config.aeadId());
  }

  /**
   * Generates a fresh keypair from the system's secure random source.
   *
   * @param configId the u8 HPKE config id to advertise with the key
   * @throws UnsupportedHpkeSuiteException if the suite is not supported
   * @throws IllegalArgumentException if {@code configId} does not fit in a u8
   */
  public static HpkeKeypair generate(int configId, int kemId, int kdfId, int aeadId) {
    if (isX25519(kemId, kdfId, aeadId)) {
      return x25519Keypair(configId, kemId, kdfId, aeadId, X25519Hpke.generatePrivateKey());
    }
    HPKE hpke = suite(kemId, kdfId, aeadId);
    return keypair(hpke, configId, kemId, kdfId, aeadId, hpke.generatePrivateKey());
  }

  /**
   * Derives a keypair deterministically from input keying material (RFC 9180 section 7.1.3, DeriveKeyPair).
   *
   * <p>For tests and reproducible fixtures; production keys come from {@link #generate}.
   *
   * @param ikm input keying material, at least as long as the KEM's private key (32 bytes for both KEMs)
   * @throws UnsupportedHpkeSuiteException if the suite is not supported
   * @throws IllegalArgumentException if {@code ikm} is too short or {@code configId} does not fit in a u8
   */
  public static HpkeKeypair derive(int configId, int kemId, int kdfId, int aeadId, byte[] ikm) {
    // RFC 9180 section 7.1.3: ikm SHOULD have at least Nsk bytes of entropy; both KEMs have Nsk = 32.
    if (ikm.length < 32) {
      throw new IllegalArgumentException("HPKE ikm must be at least 32 bytes, got " + ikm.length);
    }
    if (isX25519(kemId, kdfId, aeadId)) {
      return x25519Keypair(configId, kemId, kdfId, aeadId, X25519Hpke.derivePrivateKey(ikm));
    }
    HPKE hpke = suite(kemId, kdfId, aeadId);
    return keypair(hpke, configId, kemId, kdfId, aeadId, hpke.deriveKeyPair(ikm));
  }

  /**
   * Encrypts {@code plaintext} to {@code recipient} (SealBase).
   *
   * @param recipient the recipient's public config; its id becomes the ciphertext's config id
   * @param info the application's context label (may be empty)
   * @param aad additional authenticated data (may be empty)
   * @return the encapsulated key and AEAD ciphertext
   * @throws UnsupportedHpkeSuiteException if the recipient's suite is not supported
   * @throws IllegalArgumentException if the recipient's public key is malformed for its KEM
   */
  public static HpkeCiphertext seal(HpkeConfig recipient, byte[] info, byte[] aad, byte[] plaintext) {
    if (isX25519(recipient)) {
      byte[][] out = X25519Suites.HPKE.seal(recipient.aeadId(), x25519PublicKey(recipient), info, aad, plaintext);
      return new HpkeCiphertext(recipient.id(), out[0], out[1]);
    }
    HPKE hpke = suite(recipient.kemId(), recipient.kdfId(), recipient.aeadId());
    AsymmetricKeyParameter pkR = publicKey(hpke, recipient);
    return seal(hpke, recipient.id(), hpke.setupBaseS(pkR, info), aad, plaintext);
  }

  /**
   * Encrypts with an ephemeral key derived from {@code ikmE}, which makes the output reproducible; only the RFC
   * 9180 known-answer tests may use this, since a fixed ephemeral key destroys confidentiality.
   */
  static HpkeCiphertext sealDeterministic(
      HpkeConfig recipient, byte[] info, byte[] aad, byte[] plaintext, byte[] ikmE) {
    if (isX25519(recipient)) {
      byte[][] out = X25519Suites.HPKE.seal(recipient.aeadId(), x25519PublicKey(recipient), info, aad, plaintext,
          X25519Hpke.derivePrivateKey(ikmE));
      return new HpkeCiphertext(recipient.id(), out[0], out[1]);
    }
    HPKE hpke = suite(recipient.kemId(), recipient.kdfId(), recipient.aeadId());
    AsymmetricKeyParameter pkR = publicKey(hpke, recipient);
    return seal(hpke, recipient.id(), hpke.setupBaseS(pkR, info, hpke.deriveKeyPair(ikmE)), aad, plaintext);
  }

  /**
   * Decrypts {@code ciphertext} with {@code keypair} (OpenBase).
   *
   * @param keypair the recipient's keypair; its config id must equal the ciphertext's
   * @param info the context label the sender used
   * @param aad the additional authenticated data the sender used
   * @return the plaintext
   * @throws HpkeException if the config ids differ, the encapsulated key is malformed, or authentication fails
   * @throws UnsupportedHpkeSuiteException if the keypair's suite is not supported
   */
  public static byte[] open(HpkeKeypair keypair, byte[] info, HpkeCiphertext ciphertext, byte[] aad)
      throws HpkeException {
    HpkeConfig config = keypair.config();
    if (ciphertext.configId() != config.id()) {
      throw new HpkeException(
          "ciphertext is for HPKE config " + ciphertext.configId() + ", keypair is config " + config.id());
    }
    if (isX25519(config)) {
      return X25519Suites.HPKE.open(config.aeadId(), x25519PrivateKey(keypair), config.publicKey(), info,
          ciphertext.encapsulatedKey(), aad, ciphertext.payload());
    }
    HPKE hpke = suite(config.kemId(), config.kdfId(), config.aeadId());
    AsymmetricCipherKeyPair kpR;
    if (keypair.parsed() instanceof AsymmetricCipherKeyPair cached) {
      kpR = cached;
    } else {
      try {
        kpR = hpke.deserializePrivateKey(keypair.privateKeyBytes(), config.publicKey());
      } catch (RuntimeException e) {
        // Our own stored key is unusable: not a per-report condition, so it stays unchecked.
        throw new IllegalStateException("HPKE private key for config " + config.id() + " is malformed", e);
      }
      keypair.parsed(kpR);
    }
    HPKEContext ctx;
    try {
      ctx = hpke.setupBaseR(ciphertext.encapsulatedKey(), kpR, info);
    } catch (RuntimeException e) {
      // BouncyCastle reports a wrong-length or off-curve encapsulated key, or an all-zero X25519 shared secret,
      // with unchecked exceptions; all are properties of the untrusted ciphertext.
      throw new HpkeException("malformed HPKE encapsulated key", e);
    }
    try {
      return ctx.open(aad, ciphertext.payload());
    } catch (InvalidCipherTextException e) {
      throw new HpkeException("HPKE ciphertext failed authentication", e);
    }
  }

  private static HpkeCiphertext seal(
      HPKE hpke, int configId, HPKEContextWithEncapsulation ctx, byte[] aad, byte[] plaintext) {
    try {
      return new HpkeCiphertext(configId, ctx.getEncapsulation(), ctx.seal(aad, plaintext));
    } catch (InvalidCipherTextException e) {
      // Sealing a single message with a fresh context cannot exhaust the nonce space.
      throw new IllegalStateException("HPKE seal failed for AEAD 0x" + Integer.toHexString(hpke.getAeadId()), e);
    }
  }

  private static AsymmetricKeyParameter publicKey(HPKE hpke, HpkeConfig recipient) {
    try {
      return hpke.deserializePublicKey(recipient.publicKey());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "HPKE public key of config " + recipient.id() + " is malformed for KEM 0x"
              + Integer.toHexString(recipient.kemId()), e);
    }
  }

  /** The keypair's X25519 private key, parsed at first use and then shared by every thread that opens with it. */
  private static X25519.PrivateKey x25519PrivateKey(HpkeKeypair keypair) {
    if (keypair.parsed() instanceof X25519.PrivateKey cached) {
      return cached;
    }
    X25519.PrivateKey k;
    try {
      k = X25519Suites.HPKE.dh().privateKey(keypair.privateKeyBytes());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("HPKE private key for config " + keypair.config().id() + " is malformed", e);
    }
    // Two threads may both get here; each uses its own key, and the loser's is freed once unreachable.
    keypair.parsed(k);
    return k;
  }

  private static byte[] x25519PublicKey(HpkeConfig recipient) {
    byte[] pk = recipient.publicKey();
    if (pk.length != X25519.LENGTH) {
      throw new IllegalArgumentException("HPKE public key of config " + recipient.id()
          + " is malformed for KEM 0x" + Integer.toHexString(recipient.kemId()));
    }
    return pk;
  }

  private static HpkeKeypair x25519Keypair(int configId, int kemId, int kdfId, int aeadId, byte[] sk) {
    try (X25519.PrivateKey k = X25519Suites.HPKE.dh().privateKey(sk)) {
      return new HpkeKeypair(new HpkeConfig(configId, kemId, kdfId, aeadId, k.publicKey()), sk);
    }
  }

  private static boolean isX25519(HpkeConfig c) {
    return isX25519(c.kemId(), c.kdfId(), c.aeadId());
  }

  /** True for the suites {@link X25519Hpke} serves, which are all the supported X25519 ones. */
  private static boolean isX25519(int kemId, int kdfId, int aeadId) {
    return kemId == HpkeAlgorithms.KEM_X25519_HKDF_SHA256 && isSupported(kemId, kdfId, aeadId);
  }

  /** Holder idiom: the X25519 provider is chosen, and native code loaded, at the first X25519 operation. */
  private static final class X25519Suites {
    static final X25519Hpke HPKE = new X25519Hpke(X25519Providers.selected());
  }

  private static HpkeKeypair keypair(
      HPKE hpke, int configId, int kemId, int kdfId, int aeadId, AsymmetricCipherKeyPair kp) {
    byte[] pk = hpke.serializePublicKey(kp.getPublic());
    byte[] sk = hpke.serializePrivateKey(kp.getPrivate());
    return new HpkeKeypair(new HpkeConfig(configId, kemId, kdfId, aeadId, pk), sk);
  }

  private static HPKE suite(int kemId, int kdfId, int aeadId) {
    if (!isSupported(kemId, kdfId, aeadId)) {
      throw new UnsupportedHpkeSuiteException(kemId, kdfId, aeadId);
    }
    return new HPKE(HPKE.mode_base, (short) kemId, (short) kdfId, (short) aeadId);
  }
}
