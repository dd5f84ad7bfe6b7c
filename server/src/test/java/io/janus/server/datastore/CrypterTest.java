package io.janus.server.datastore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.server.testing.Fixtures;
import io.janus.messages.Base64Url;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class CrypterTest {
  private final Fixtures f = new Fixtures();
  private final byte[] row = f.bytes(32);
  private final byte[] secret = f.bytes(40);

  @Test
  void roundTripsAndLaysOutCiphertextTagNonce() {
    Crypter c = Crypter.fromDatastoreKeys(Crypter.generateKey(new SecureRandom()));
    byte[] stored = c.encrypt("tasks", row, "vdaf_verify_key", secret);
    assertThat(stored).hasSize(secret.length + 16 + 12);
    assertThat(c.decrypt("tasks", row, "vdaf_verify_key", stored)).isEqualTo(secret);
    // A fresh random nonce each time.
    assertThat(c.encrypt("tasks", row, "vdaf_verify_key", secret)).isNotEqualTo(stored);
  }

  @Test
  void wrongKeyFails() {
    Crypter a = new Crypter(java.util.List.of(f.bytes(16)));
    Crypter b = new Crypter(java.util.List.of(f.bytes(16)));
    byte[] stored = a.encrypt("tasks", row, "vdaf_verify_key", secret);
    assertThatThrownBy(() -> b.decrypt("tasks", row, "vdaf_verify_key", stored))
        .isInstanceOf(DatastoreException.class)
        .hasMessageContaining("no datastore key decrypts tasks.vdaf_verify_key");
  }

  @Test
  void ciphertextMovedToAnotherRowColumnOrTableFails() {
    Crypter c = new Crypter(java.util.List.of(f.bytes(16)));
    byte[] stored = c.encrypt("tasks", row, "vdaf_verify_key", secret);
    byte[] otherRow = row.clone();
    otherRow[0] ^= 1;
    assertThatThrownBy(() -> c.decrypt("tasks", otherRow, "vdaf_verify_key", stored))
        .isInstanceOf(DatastoreException.class);
    assertThatThrownBy(() -> c.decrypt("tasks", row, "aggregator_auth_token", stored))
        .isInstanceOf(DatastoreException.class);
    assertThatThrownBy(() -> c.decrypt("hpke_keys", row, "vdaf_verify_key", stored))
        .isInstanceOf(DatastoreException.class);
    byte[] tampered = stored.clone();
    tampered[0] ^= 1;
    assertThatThrownBy(() -> c.decrypt("tasks", row, "vdaf_verify_key", tampered))
        .isInstanceOf(DatastoreException.class);
  }

  @Test
  void lengthPrefixedAadSeparatesFieldBoundaries() {
    // Without length prefixes ("ab","c") and ("a","bc") would give the same AAD.
    Crypter c = new Crypter(java.util.List.of(f.bytes(16)));
    byte[] stored = c.encrypt("ab", new byte[] {1}, "c", secret);
    assertThatThrownBy(() -> c.decrypt("a", new byte[] {'b', 1}, "c", stored))
        .isInstanceOf(DatastoreException.class);
  }

  @Test
  void rotationDecryptsWithOldKeysAndEncryptsWithTheFirst() {
    String oldKey = Base64Url.encode(f.bytes(16));
    String newKey = Base64Url.encode(f.bytes(16));
    Crypter before = Crypter.fromDatastoreKeys(oldKey);
    Crypter after = Crypter.fromDatastoreKeys(newKey + "," + oldKey);
    byte[] old = before.encrypt("hpke_keys", row, "private_key", secret);
    assertThat(after.decrypt("hpke_keys", row, "private_key", old)).isEqualTo(secret);
    byte[] fresh = after.encrypt("hpke_keys", row, "private_key", secret);
    assertThat(Crypter.fromDatastoreKeys(newKey).decrypt("hpke_keys", row, "private_key", fresh))
        .isEqualTo(secret);
    assertThatThrownBy(() -> before.decrypt("hpke_keys", row, "private_key", fresh))
        .isInstanceOf(DatastoreException.class);
  }

  @Test
  void badKeysAreRejectedWithoutEchoingThem() {
    String good = Base64Url.encode(f.bytes(16));
    assertThatThrownBy(() -> Crypter.fromDatastoreKeys(""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("#1 is empty");
    assertThatThrownBy(() -> Crypter.fromDatastoreKeys(good + ",not*base64"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("#2 is not unpadded base64url")
        .hasMessageNotContaining("not*base64");
    assertThatThrownBy(() -> Crypter.fromDatastoreKeys(Base64Url.encode(f.bytes(32))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must decode to 16 bytes");
    assertThatThrownBy(() -> Crypter.fromDatastoreKeys(good + "="))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
