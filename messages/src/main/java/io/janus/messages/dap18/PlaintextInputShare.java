package io.janus.messages.dap18;

import io.janus.messages.Encodable;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a Client seals to one Aggregator (draft-ietf-ppm-dap-18 section 4.4.2.1): {@code Extension
 * private_extensions<0..2^16-1>; opaque payload<1..2^32-1>}.
 *
 * @param privateExtensions report extensions only this Aggregator sees, in the order read
 * @param payload the VDAF input share; not empty
 */
public record PlaintextInputShare(List<Extension> privateExtensions, byte[] payload) implements Encodable {
  /** Copies the list and the payload; the payload must not be empty. */
  public PlaintextInputShare {
    privateExtensions = Wire.extensionList(privateExtensions, "PlaintextInputShare.private_extensions");
    payload = Wire.nonEmptyCopy(payload, "PlaintextInputShare.payload");
  }

  /** Reads a {@code PlaintextInputShare}. */
  public static PlaintextInputShare decode(WireReader r) {
    List<Extension> extensions = Wire.items(r.vector16("PlaintextInputShare.private_extensions"),
        "PlaintextInputShare.private_extensions", Extension::decode);
    return new PlaintextInputShare(extensions, Wire.nonEmptyOpaque32(r, "PlaintextInputShare.payload"));
  }

  /** Decodes exactly one value from {@code bytes}. */
  public static PlaintextInputShare decode(byte[] bytes) {
    return Wire.whole(bytes, "PlaintextInputShare", PlaintextInputShare::decode);
  }

  @Override
  public void encode(WireWriter w) {
    Wire.writeItems16(w, privateExtensions);
    w.opaque32(payload);
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PlaintextInputShare x
        && x.privateExtensions.equals(privateExtensions)
        && Arrays.equals(x.payload, payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(privateExtensions, Wire.hash(payload));
  }

  @Override
  public String toString() {
    return "PlaintextInputShare[privateExtensions=" + privateExtensions + ", payload=" + Wire.show(payload) + "]";
  }
}
