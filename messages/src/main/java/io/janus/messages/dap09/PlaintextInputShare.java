package io.janus.messages.dap09;

import io.janus.messages.Encodable;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What an input-share ciphertext decrypts to (draft-ietf-ppm-dap-09 section 4.3.2):
 * {@code Extension extensions<0..2^16-1>; opaque payload<0..2^32-1>}.
 *
 * @param extensions the report extensions, in wire order (duplicates are decoded; rejecting them is the
 *     Aggregator's job)
 * @param payload the VDAF input share
 */
public record PlaintextInputShare(List<Extension> extensions, byte[] payload) implements Encodable {
  /** Copies the list and the payload. */
  public PlaintextInputShare {
    extensions = List.copyOf(extensions);
    payload = payload.clone();
  }

  /** Reads a {@code PlaintextInputShare}. */
  public static PlaintextInputShare decode(WireReader r) {
    List<Extension> extensions =
        Wire.items(r.vector16("PlaintextInputShare.extensions"), "PlaintextInputShare.extensions", Extension::decode);
    byte[] payload = r.opaque32("PlaintextInputShare.payload");
    return new PlaintextInputShare(extensions, payload);
  }

  /** Decodes a whole decrypted plaintext; trailing bytes are an error. */
  public static PlaintextInputShare decode(byte[] bytes) {
    return Wire.whole(bytes, "PlaintextInputShare", PlaintextInputShare::decode);
  }

  @Override
  public void encode(WireWriter w) {
    Wire.writeItems16(w, extensions);
    w.opaque32(payload);
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PlaintextInputShare x && x.extensions.equals(extensions) && Arrays.equals(x.payload, payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(extensions, Wire.hash(payload));
  }

  @Override
  public String toString() {
    return "PlaintextInputShare[extensions=" + extensions + ", payload=" + Wire.show(payload) + "]";
  }
}
