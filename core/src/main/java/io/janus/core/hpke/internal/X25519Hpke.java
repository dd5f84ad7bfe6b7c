package io.janus.core.hpke.internal;

import io.janus.core.hpke.HpkeException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * HPKE base mode (RFC 9180 sections 4, 5.1 and 6.1, single-shot, sequence number 0) for DHKEM(X25519,
 * HKDF-SHA256) with HKDF-SHA256 and AES-128-GCM, AES-256-GCM or ChaCha20-Poly1305.
 *
 * <p>Only the Diffie-Hellman step is pluggable ({@link X25519}): it is nearly all of the cost. HKDF and the AEADs
 * stay in the JDK, whose SHA-256, AES-GCM and ChaCha20-Poly1305 are intrinsics; a native call for a few hundred
 * bytes would cost more in transitions than it saves. Thread-safe: every call builds its own {@link Mac} and
 * {@link Cipher}.
 */
public final class X25519Hpke {
  /** RFC 9180 section 7.1: DHKEM(X25519, HKDF-SHA256). */
  public static final int KEM_ID = 0x0020;
  /** RFC 9180 section 7.2: HKDF-SHA256, the only KDF supported. */
  public static final int KDF_ID = 0x0001;
  /** RFC 9180 section 7.3 AEAD identifiers. */
  public static final int AEAD_AES_128_GCM = 0x0001;
  public static final int AEAD_AES_256_GCM = 0x0002;
  public static final int AEAD_CHACHA20_POLY1305 = 0x0003;

  private static final int HASH_LENGTH = 32;
  private static final int NONCE_LENGTH = 12;
  private static final int TAG_BITS = 128;
  private static final byte[] ZERO_SALT = new byte[HASH_LENGTH];
  private static final byte[] EMPTY = new byte[0];
  private static final byte[] VERSION = ascii("HPKE-v1");
  private static final byte[] KEM_SUITE = {'K', 'E', 'M', 0x00, 0x20};
  private static final byte[] EAE_PRK = ascii("eae_prk");
  private static final byte[] SHARED_SECRET = ascii("shared_secret");
  private static final byte[] PSK_ID_HASH = ascii("psk_id_hash");
  private static final byte[] INFO_HASH = ascii("info_hash");
  private static final byte[] SECRET = ascii("secret");
  private static final byte[] KEY = ascii("key");
  private static final byte[] BASE_NONCE = ascii("base_nonce");
  private static final byte[] DKP_PRK = ascii("dkp_prk");
  private static final byte[] SK = ascii("sk");
  private static final SecureRandom RANDOM = new SecureRandom();
  /** psk_id_hash (section 5.1) is LabeledExtract("", "psk_id_hash", "") per suite: fixed, so computed once. */
  private static final byte[][] PSK_ID_HASHES = new byte[4][];

  static {
    Mac mac = hmac();
    for (int aeadId = AEAD_AES_128_GCM; aeadId <= AEAD_CHACHA20_POLY1305; aeadId++) {
      PSK_ID_HASHES[aeadId] = labeledExtract(mac, suite(aeadId), ZERO_SALT, PSK_ID_HASH, EMPTY);
    }
  }

  private final X25519 dh;

  /** HPKE over {@code dh}. */
  public X25519Hpke(X25519 dh) {
    this.dh = dh;
  }

  /** The Diffie-Hellman implementation in use. */
  public X25519 dh() {
    return dh;
  }

  /** True if {@code aeadId} is one of the three AEADs this class implements. */
  public static boolean isSupportedAead(int aeadId) {
    return aeadId == AEAD_AES_128_GCM || aeadId == AEAD_AES_256_GCM || aeadId == AEAD_CHACHA20_POLY1305;
  }

  /**
   * DeriveKeyPair's private half (RFC 9180 section 7.1.3), clamped as SerializePrivateKey requires (section 7.1.2).
   */
  public static byte[] derivePrivateKey(byte[] ikm) {
    Mac mac = hmac();
    byte[] prk = labeledExtract(mac, KEM_SUITE, ZERO_SALT, DKP_PRK, ikm);
    return clamp(labeledExpand(mac, KEM_SUITE, prk, SK, EMPTY, X25519.LENGTH));
  }

  /** A fresh private key from the system's secure random source, clamped (RFC 9180 section 7.1.2). */
  public static byte[] generatePrivateKey() {
    byte[] sk = new byte[X25519.LENGTH];
    RANDOM.nextBytes(sk);
    return clamp(sk);
  }

  /**
   * SealBase with a fresh ephemeral key.
   *
   * @return the encapsulated key and the ciphertext, in that order
   * @throws IllegalArgumentException if {@code pkR} is malformed or of small order, or {@code aeadId} unsupported
   */
  public byte[][] seal(int aeadId, byte[] pkR, byte[] info, byte[] aad, byte[] plaintext) {
    byte[] skE = generatePrivateKey();
    try {
      return seal(aeadId, pkR, info, aad, plaintext, skE);
    } finally {
      Arrays.fill(skE, (byte) 0);
    }
  }

  /**
   * SealBase with the ephemeral private key {@code skE}; a fixed {@code skE} destroys confidentiality, so only
   * fresh keys and known-answer tests may come here.
   */
  public byte[][] seal(int aeadId, byte[] pkR, byte[] info, byte[] aad, byte[] plaintext, byte[] skE) {
    checkAead(aeadId);
    byte[] dhOut = new byte[X25519.LENGTH];
    byte[] enc;
    try (X25519.PrivateKey e = dh.privateKey(skE)) {
      enc = e.publicKey();
      if (!e.agree(pkR, dhOut)) {
        throw new IllegalArgumentException("HPKE recipient X25519 public key is malformed or of small order");
      }
    }
    Mac mac = hmac();
    byte[] sharedSecret = extractAndExpand(mac, dhOut, enc, pkR);
    try {
      return new byte[][] {enc, aead(Cipher.ENCRYPT_MODE, mac, aeadId, sharedSecret, info, aad, plaintext)};
    } catch (GeneralSecurityException e) {
      // Encrypting with a valid key and nonce has no failure mode; this is a broken JDK.
      throw new IllegalStateException("HPKE seal failed for AEAD 0x" + Integer.toHexString(aeadId), e);
    }
  }

  /**
   * OpenBase.
   *
   * @param skR the recipient's parsed private key, typically cached for the keypair's lifetime
   * @param pkR the recipient's serialized public key, which the KEM context binds
   * @throws HpkeException if {@code enc} is malformed or of small order, or the ciphertext fails authentication
   * @throws IllegalArgumentException if {@code aeadId} is unsupported
   */
  public byte[] open(int aeadId, X25519.PrivateKey skR, byte[] pkR, byte[] info, byte[] enc, byte[] aad,
      byte[] ciphertext) throws HpkeException {
    checkAead(aeadId);
    byte[] dhOut = new byte[X25519.LENGTH];
    if (!skR.agree(enc, dhOut)) {
      throw new HpkeException("malformed HPKE encapsulated key");
    }
    Mac mac = hmac();
    byte[] sharedSecret = extractAndExpand(mac, dhOut, enc, pkR);
    try {
      return aead(Cipher.DECRYPT_MODE, mac, aeadId, sharedSecret, info, aad, ciphertext);
    } catch (GeneralSecurityException e) {
      // A bad tag (AEADBadTagException), or a ciphertext too short to hold one: both are the sender's doing.
      throw new HpkeException("HPKE ciphertext failed authentication", e);
    }
  }

  /** DHKEM ExtractAndExpand (RFC 9180 section 4.1), with kem_context = enc || pkR. */
  private static byte[] extractAndExpand(Mac mac, byte[] dhOut, byte[] enc, byte[] pkR) {
    byte[] eaePrk = labeledExtract(mac, KEM_SUITE, ZERO_SALT, EAE_PRK, dhOut);
    Arrays.fill(dhOut, (byte) 0);
    byte[] kemContext = new byte[enc.length + pkR.length];
    System.arraycopy(enc, 0, kemContext, 0, enc.length);
    System.arraycopy(pkR, 0, kemContext, enc.length, pkR.length);
    return labeledExpand(mac, KEM_SUITE, eaePrk, SHARED_SECRET, kemContext, HASH_LENGTH);
  }

  /** KeyScheduleS/R for mode_base (section 5.1), then the AEAD at sequence number 0 (section 5.2). */
  private static byte[] aead(int mode, Mac mac, int aeadId, byte[] sharedSecret, byte[] info, byte[] aad,
      byte[] input) throws GeneralSecurityException {
    byte[] suite = suite(aeadId);
    byte[] context = new byte[1 + 2 * HASH_LENGTH];
    // context[0] = mode_base = 0.
    System.arraycopy(PSK_ID_HASHES[aeadId], 0, context, 1, HASH_LENGTH);
    System.arraycopy(labeledExtract(mac, suite, ZERO_SALT, INFO_HASH, info), 0, context, 1 + HASH_LENGTH,
        HASH_LENGTH);
    byte[] secret = labeledExtract(mac, suite, sharedSecret, SECRET, EMPTY);
    boolean chacha = aeadId == AEAD_CHACHA20_POLY1305;
    byte[] key = labeledExpand(mac, suite, secret, KEY, context, aeadId == AEAD_AES_128_GCM ? 16 : 32);
    byte[] nonce = labeledExpand(mac, suite, secret, BASE_NONCE, context, NONCE_LENGTH);
    Cipher cipher = Cipher.getInstance(chacha ? "ChaCha20-Poly1305" : "AES/GCM/NoPadding");
    cipher.init(mode, new SecretKeySpec(key, chacha ? "ChaCha20" : "AES"),
        chacha ? new IvParameterSpec(nonce) : new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(aad);
    return cipher.doFinal(input);
  }

  /** LabeledExtract (section 4): HKDF-Extract(salt, "HPKE-v1" || suite_id || label || ikm). */
  private static byte[] labeledExtract(Mac mac, byte[] suite, byte[] salt, byte[] label, byte[] ikm) {
    // An empty salt is HashLen zero bytes (RFC 5869 section 2.2); SecretKeySpec refuses empty keys.
    init(mac, salt);
    mac.update(VERSION);
    mac.update(suite);
    mac.update(label);
    mac.update(ikm);
    return mac.doFinal();
  }

  /**
   * LabeledExpand (section 4) for {@code length <= 32}: HKDF-Expand needs one block, T(1) = HMAC(prk, info || 1),
   * with info = I2OSP(length, 2) || "HPKE-v1" || suite_id || label || info.
   */
  private static byte[] labeledExpand(Mac mac, byte[] suite, byte[] prk, byte[] label, byte[] info, int length) {
    init(mac, prk);
    mac.update((byte) (length >>> 8));
    mac.update((byte) length);
    mac.update(VERSION);
    mac.update(suite);
    mac.update(label);
    mac.update(info);
    mac.update((byte) 1);
    byte[] t = mac.doFinal();
    return length == HASH_LENGTH ? t : Arrays.copyOf(t, length);
  }

  private static void init(Mac mac, byte[] key) {
    try {
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 refused a " + key.length + "-byte key", e);
    }
  }

  private static Mac hmac() {
    try {
      return Mac.getInstance("HmacSHA256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no HmacSHA256", e);
    }
  }

  private static void checkAead(int aeadId) {
    if (!isSupportedAead(aeadId)) {
      throw new IllegalArgumentException("unsupported HPKE AEAD 0x" + Integer.toHexString(aeadId));
    }
  }

  /** suite_id = "HPKE" || I2OSP(kem_id, 2) || I2OSP(kdf_id, 2) || I2OSP(aead_id, 2) (section 5.1). */
  private static byte[] suite(int aeadId) {
    return new byte[] {'H', 'P', 'K', 'E', 0x00, 0x20, 0x00, 0x01, 0x00, (byte) aeadId};
  }

  private static byte[] clamp(byte[] sk) {
    sk[0] &= (byte) 0xf8;
    sk[31] &= 0x7f;
    sk[31] |= 0x40;
    return sk;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
