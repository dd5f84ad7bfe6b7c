package io.janus.messages;

import java.util.Arrays;

/**
 * An HPKE ciphertext: {@code u8 config_id; opaque enc<1..2^16-1>; opaque payload<1..2^32-1>}.
 *
 * @param configId the recipient's HPKE config id
 * @param encapsulatedKey the KEM output
 * @param payload the AEAD ciphertext
 */
public record HpkeCiphertext(int configId, byte[] encapsulatedKey, byte[] payload) implements Encodable {
  /** Validates ranges and copies the arrays. */
  public HpkeCiphertext {
    if ((configId & ~0xff) != 0) {
      throw new IllegalArgumentException("HPKE config id must fit in a u8: " + configId);
    }
    if (encapsulatedKey.length == 0 || encapsulatedKey.length > 0xffff) {
      throw new IllegalArgumentException("enc must be 1..65535 bytes, got " + encapsulatedKey.length);
    }
    if (payload.length == 0) {
      throw new IllegalArgumentException("payload must not be empty");
    }
    encapsulatedKey = encapsulatedKey.clone();
    payload = payload.clone();
  }

  /** Reads {@code HpkeCiphertext}. */
  public static HpkeCiphertext decode(WireReader r) {
    int id = r.u8("HpkeCiphertext.config_id");
    int at = r.position();
    byte[] enc = r.opaque16("HpkeCiphertext.enc");
    if (enc.length == 0) {
      throw new DecodeException(at, "HpkeCiphertext.enc must not be empty");
    }
    at = r.position();
    byte[] payload = r.opaque32("HpkeCiphertext.payload");
    if (payload.length == 0) {
      throw new DecodeException(at, "HpkeCiphertext.payload must not be empty");
    }
    return new HpkeCiphertext(id, enc, payload);
  }

  /** Decodes exactly one ciphertext from {@code bytes}. */
  public static HpkeCiphertext decode(byte[] bytes) {
    WireReader r = WireReader.of(bytes);
    HpkeCiphertext c = decode(r);
    r.expectEnd("HpkeCiphertext");
    return c;
  }

  @Override
  public void encode(WireWriter w) {
    w.u8(configId).opaque16(encapsulatedKey).opaque32(payload);
  }

  @Override
  public byte[] encapsulatedKey() {
    return encapsulatedKey.clone();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HpkeCiphertext c
        && c.configId == configId
        && Arrays.equals(c.encapsulatedKey, encapsulatedKey)
        && Arrays.equals(c.payload, payload);
  }

  @Override
  public int hashCode() {
    return configId * 31 * 31 + Arrays.hashCode(encapsulatedKey) * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "HpkeCiphertext[configId=" + configId + ", enc=" + encapsulatedKey.length + " bytes, payload="
        + payload.length + " bytes]";
  }
}
