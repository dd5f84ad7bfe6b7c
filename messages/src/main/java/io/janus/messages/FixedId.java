package io.janus.messages;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An identifier made of a fixed number of opaque bytes. Subclasses fix the length; equality is by content, and the
 * text form is unpadded base64url as DAP uses it in URLs.
 */
public abstract sealed class FixedId implements Encodable
    permits TaskId, ReportId, BatchId, AggregationJobId, CollectionJobId {
  private final byte[] bytes;

  FixedId(byte[] bytes, int length, String name) {
    if (bytes.length != length) {
      throw new IllegalArgumentException(name + " must be " + length + " bytes, got " + bytes.length);
    }
    this.bytes = bytes.clone();
  }

  static byte[] decodeText(String text, int length, String name) {
    byte[] b;
    try {
      b = Base64Url.decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage());
    }
    if (b.length != length) {
      throw new IllegalArgumentException(name + " must be " + length + " bytes, got " + b.length);
    }
    return b;
  }

  /** A copy of the identifier's bytes. */
  public final byte[] bytes() {
    return bytes.clone();
  }

  /** The identifier as unpadded base64url. */
  public final String toBase64Url() {
    return Base64Url.encode(bytes);
  }

  @Override
  public final void encode(WireWriter writer) {
    writer.fixed(bytes);
  }

  @Override
  public final boolean equals(Object o) {
    return o != null && o.getClass() == getClass() && Arrays.equals(bytes, ((FixedId) o).bytes);
  }

  @Override
  public final int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Hex, as in logs and test fixtures. */
  @Override
  public final String toString() {
    return getClass().getSimpleName() + "(" + HexFormat.of().formatHex(bytes) + ")";
  }
}
