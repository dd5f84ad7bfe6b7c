package io.janus.core.task;

import io.janus.messages.TaskId;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two derivations of in-band task provisioning (draft-wang-ppm-dap-taskprov-04, as Janus release/0.7 deploys
 * it with DAP-09): a task's ID from its encoded configuration, and its VDAF verify key from the secret the two
 * aggregators share ({@code verify_key_init}). Both aggregators derive the same values, so nothing secret about the
 * task travels on the wire.
 */
public final class Taskprov {
  /** Length of a peer's {@code verify_key_init}, in bytes. */
  public static final int VERIFY_KEY_INIT_LENGTH = 32;

  /** The HKDF salt of the verify key derivation: SHA-256 of the ASCII string {@code dap-taskprov} (section 3.2). */
  static final byte[] SALT = sha256("dap-taskprov".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

  private static final String HMAC = "HmacSHA256";
  private static final int HASH_LENGTH = 32;

  private Taskprov() {}

  /** The task ID of a task provisioned in-band: SHA-256 of its encoded configuration (the header's bytes). */
  public static TaskId taskId(byte[] encodedTaskConfig) {
    return new TaskId(sha256(encodedTaskConfig));
  }

  /**
   * The VDAF verify key of a task: {@code HKDF-Expand(HKDF-Extract(salt = SHA-256("dap-taskprov"), ikm =
   * verify_key_init), info = task_id, L = length)} with HKDF-SHA256 (RFC 5869), as Janus 0.7's
   * {@code PeerAggregator::derive_vdaf_verify_key} computes it.
   *
   * @param verifyKeyInit the peer's 32-byte pre-shared secret
   * @param taskId the task
   * @param length the VDAF's verify key length in bytes, 1 to 8160
   * @throws IllegalArgumentException if {@code verifyKeyInit} or {@code length} is out of range
   */
  public static byte[] deriveVerifyKey(byte[] verifyKeyInit, TaskId taskId, int length) {
    if (verifyKeyInit.length != VERIFY_KEY_INIT_LENGTH) {
      throw new IllegalArgumentException("verify_key_init must be " + VERIFY_KEY_INIT_LENGTH + " bytes, got "
          + verifyKeyInit.length);
    }
    if (length < 1 || length > 255 * HASH_LENGTH) {
      throw new IllegalArgumentException("verify key length out of range: " + length);
    }
    try {
      Mac extract = Mac.getInstance(HMAC);
      extract.init(new SecretKeySpec(SALT, HMAC));
      byte[] prk = extract.doFinal(verifyKeyInit);
      Mac expand = Mac.getInstance(HMAC);
      expand.init(new SecretKeySpec(prk, HMAC));
      byte[] out = new byte[length];
      byte[] block = new byte[0];
      for (int done = 0, counter = 1; done < length; counter++) {
        expand.update(block);
        expand.update(taskId.bytes());
        expand.update((byte) counter);
        block = expand.doFinal();
        int n = Math.min(block.length, length - done);
        System.arraycopy(block, 0, out, done, n);
        done += n;
      }
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is missing from the JDK", e);
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
  }
}
