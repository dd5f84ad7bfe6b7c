package io.janus.messages;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An aggregator's or collector's HPKE public key with its algorithm identifiers (RFC 9180 registry values).
 *
 * <p>Algorithm IDs are kept as raw u16 values: a peer may advertise suites this implementation does not know, and
 * decoding must not fail on them; {@link HpkeAlgorithms} names the ones we support.
 *
 * @param id the u8 config id a ciphertext refers to
 * @param kemId KEM identifier
 * @param kdfId KDF identifier
 * @param aeadId AEAD identifier
 * @param publicKey the serialized public key, 1 to 65535 bytes
 */
public record HpkeConfig(int id, int kemId, int kdfId, int aeadId, byte[] publicKey) implements Encodable {
  /** Validates ranges and copies the key. */
  public HpkeConfig {
    if ((id & ~0xff) != 0) {
      throw new IllegalArgumentException("HPKE config id must fit in a u8: " + id);
    }
    if ((kemId & ~0xffff) != 0 || (kdfId & ~0xffff) != 0 || (aeadId & ~0xffff) != 0) {
      throw new IllegalArgumentException("HPKE algorithm ids must fit in a u16");
    }
    if (publicKey.length == 0 || publicKey.length > 0xffff) {
      throw new IllegalArgumentException("HPKE public key must be 1..65535 bytes, got " + publicKey.length);
    }
    publicKey = publicKey.clone();
  }

  /** Reads {@code HpkeConfig}. */
  public static HpkeConfig decode(WireReader r) {
    int id = r.u8("HpkeConfig.id");
    int kem = r.u16("HpkeConfig.kem_id");
    int kdf = r.u16("HpkeConfig.kdf_id");
    int aead = r.u16("HpkeConfig.aead_id");
    int at = r.position();
    byte[] pk = r.opaque16("HpkeConfig.public_key");
    if (pk.length == 0) {
      throw new DecodeException(at, "HpkeConfig.public_key must not be empty");
    }
    return new HpkeConfig(id, kem, kdf, aead, pk);
  }

  /** Decodes exactly one config from {@code bytes}. */
  public static HpkeConfig decode(byte[] bytes) {
    WireReader r = WireReader.of(bytes);
    HpkeConfig c = decode(r);
    r.expectEnd("HpkeConfig");
    return c;
  }

  @Override
  public void encode(WireWriter w) {
    w.u8(id).u16(kemId).u16(kdfId).u16(aeadId).opaque16(publicKey);
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HpkeConfig c
        && c.id == id
        && c.kemId == kemId
        && c.kdfId == kdfId
        && c.aeadId == aeadId
        && Arrays.equals(c.publicKey, publicKey);
  }

  @Override
  public int hashCode() {
    return ((id * 31 + kemId) * 31 + kdfId) * 31 + aeadId + 17 * Arrays.hashCode(publicKey);
  }

  @Override
  public String toString() {
    return "HpkeConfig[id=" + id + ", kem=0x" + Integer.toHexString(kemId) + ", kdf=0x" + Integer.toHexString(kdfId)
        + ", aead=0x" + Integer.toHexString(aeadId) + ", publicKey=" + HexFormat.of().formatHex(publicKey) + "]";
  }
}
