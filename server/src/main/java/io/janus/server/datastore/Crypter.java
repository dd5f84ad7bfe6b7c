package io.janus.server.datastore;

import io.janus.messages.Base64Url;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secret columns with AES-128-GCM under the datastore keys.
 *
 * <p>A stored value is {@code ciphertext || tag (16 bytes) || nonce (12 bytes)} with a random nonce. The AAD binds
 * the value to its place: {@code u64(len(table)) || table || u64(len(row)) || row || u64(len(column)) || column},
 * so a ciphertext copied to another row or column does not decrypt. The first key encrypts; decryption tries every
 * key, so keys can be rotated by prepending a new one and keeping the old ones until their data is gone.
 * Thread-safe.
 */
public final class Crypter {
  private static final int KEY_LENGTH = 16;
  private static final int NONCE_LENGTH = 12;
  private static final int TAG_LENGTH = 16;

  private final List<SecretKeySpec> keys;
  private final SecureRandom random = new SecureRandom();

  /**
   * Creates a crypter from raw 16-byte keys; the first one encrypts.
   *
   * @throws IllegalArgumentException if there is no key or a key is not 16 bytes
   */
  public Crypter(List<byte[]> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("at least one datastore key is required");
    }
    List<SecretKeySpec> specs = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      byte[] k = keys.get(i);
      if (k.length != KEY_LENGTH) {
        throw new IllegalArgumentException(
            "datastore key #" + (i + 1) + " must be 16 bytes (AES-128), got " + k.length);
      }
      specs.add(new SecretKeySpec(k, "AES"));
    }
    this.keys = List.copyOf(specs);
  }

  /**
   * Parses {@code DATASTORE_KEYS}: comma-separated unpadded base64url 16-byte keys, the first being the primary.
   *
   * @throws IllegalArgumentException naming the offending key's position if a key is empty, not base64url, or not
   *     16 bytes long (the key itself is never echoed)
   */
  public static Crypter fromDatastoreKeys(String commaSeparatedBase64Url) {
    List<byte[]> keys = new ArrayList<>();
    String[] parts = commaSeparatedBase64Url.split(",", -1);
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i].strip();
      if (p.isEmpty()) {
        throw new IllegalArgumentException("datastore key #" + (i + 1) + " is empty");
      }
      byte[] k;
      try {
        k = Base64Url.decode(p);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("datastore key #" + (i + 1) + " is not unpadded base64url");
      }
      if (k.length != KEY_LENGTH) {
        throw new IllegalArgumentException(
            "datastore key #" + (i + 1) + " must decode to 16 bytes (AES-128), got " + k.length);
      }
      keys.add(k);
    }
    return new Crypter(keys);
  }

  /** A new random key in the {@code DATASTORE_KEYS} text form. */
  public static String generateKey(SecureRandom random) {
    byte[] k = new byte[KEY_LENGTH];
    random.nextBytes(k);
    return Base64Url.encode(k);
  }

  /** Encrypts {@code plaintext} for storage in {@code table.column} of the row identified by {@code row}. */
  public byte[] encrypt(String table, byte[] row, String column, byte[] plaintext) {
    byte[] nonce = new byte[NONCE_LENGTH];
    random.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, keys.get(0), new GCMParameterSpec(TAG_LENGTH * 8, nonce));
      c.updateAAD(aad(table, row, column));
      byte[] ct = c.doFinal(plaintext);
      byte[] out = new byte[ct.length + NONCE_LENGTH];
      System.arraycopy(ct, 0, out, 0, ct.length);
      System.arraycopy(nonce, 0, out, ct.length, NONCE_LENGTH);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  /**
   * Decrypts a value written by {@link #encrypt} for the same table, row and column.
   *
   * @throws DatastoreException if no key decrypts it (wrong keys, tampering, or a value moved from elsewhere)
   */
  public byte[] decrypt(String table, byte[] row, String column, byte[] stored) {
    if (stored.length < NONCE_LENGTH + TAG_LENGTH) {
      throw new DatastoreException("encrypted " + table + "." + column + " is too short");
    }
    int ctLen = stored.length - NONCE_LENGTH;
    GCMParameterSpec spec = new GCMParameterSpec(TAG_LENGTH * 8, stored, ctLen, NONCE_LENGTH);
    byte[] aad = aad(table, row, column);
    for (SecretKeySpec key : keys) {
      try {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, key, spec);
        c.updateAAD(aad);
        return c.doFinal(stored, 0, ctLen);
      } catch (javax.crypto.AEADBadTagException e) {
        // Try the next key: the value may predate a key rotation.
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM is unavailable", e);
      }
    }
    throw new DatastoreException("no datastore key decrypts " + table + "." + column
        + " (wrong DATASTORE_KEYS, or the value was altered or moved)");
  }

  private static byte[] aad(String table, byte[] row, String column) {
    byte[] t = table.getBytes(StandardCharsets.UTF_8);
    byte[] c = column.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(24 + t.length + row.length + c.length)
        .putLong(t.length).put(t)
        .putLong(row.length).put(row)
        .putLong(c.length).put(c)
        .array();
  }

  @Override
  public String toString() {
    return "Crypter[" + keys.size() + " keys]";
  }
}
