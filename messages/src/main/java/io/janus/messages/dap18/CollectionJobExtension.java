package io.janus.messages.dap18;

import io.janus.messages.WireReader;
import java.util.Arrays;

/**
 * A collection job extension in a {@link CollectionJobReq} (draft-ietf-ppm-dap-18 section 4.6.2): {@code u16
 * extension_type; opaque extension_data<0..2^16-1>}.
 *
 * <p>Any type code decodes, in any order: what an unknown type or a misordered list means is the receiver's call
 * (see {@link TypedExtension}). Draft 18 registers no collection job extension type besides {@code reserved(0)}.
 *
 * @param extensionType u16 type code
 * @param extensionData the uninterpreted payload, at most 65535 bytes
 */
public record CollectionJobExtension(int extensionType, byte[] extensionData) implements TypedExtension {
  /** Validates ranges and copies the payload. */
  public CollectionJobExtension {
    Wire.checkU16(extensionType, "CollectionJobExtension.extension_type");
    Wire.checkOpaque16(extensionData, "CollectionJobExtension.extension_data");
    extensionData = extensionData.clone();
  }

  /** Reads one {@code CollectionJobExtension}. */
  public static CollectionJobExtension decode(WireReader r) {
    return TypedExtension.read(r, "CollectionJobExtension", CollectionJobExtension::new);
  }

  /** Decodes exactly one extension from {@code bytes}. */
  public static CollectionJobExtension decode(byte[] bytes) {
    return Wire.whole(bytes, "CollectionJobExtension", CollectionJobExtension::decode);
  }

  @Override
  public byte[] extensionData() {
    return extensionData.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CollectionJobExtension e
        && e.extensionType == extensionType
        && Arrays.equals(e.extensionData, extensionData);
  }

  @Override
  public int hashCode() {
    return extensionType * 31 + Wire.hash(extensionData);
  }

  @Override
  public String toString() {
    return "CollectionJobExtension[type=0x" + Integer.toHexString(extensionType) + ", data=" + Wire.show(extensionData)
        + "]";
  }
}
