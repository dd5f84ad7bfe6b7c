package io.janus.messages.dap18;

import io.janus.messages.WireReader;
import java.util.Arrays;

/**
 * A report extension, public (in {@link ReportMetadata}) or private (in {@link PlaintextInputShare})
 * (draft-ietf-ppm-dap-18 section 4.4.3): {@code u16 extension_type; opaque extension_data<0..2^16-1>}.
 *
 * <p>Any type code decodes, in any order: what an unknown type or a misordered list means is the receiver's call
 * (see {@link TypedExtension}). Draft 18 registers no report extension type besides {@code reserved(0)}.
 *
 * @param extensionType u16 type code
 * @param extensionData the uninterpreted payload, at most 65535 bytes
 */
public record Extension(int extensionType, byte[] extensionData) implements TypedExtension {
  /** Validates ranges and copies the payload. */
  public Extension {
    Wire.checkU16(extensionType, "Extension.extension_type");
    Wire.checkOpaque16(extensionData, "Extension.extension_data");
    extensionData = extensionData.clone();
  }

  /** Reads one {@code Extension}. */
  public static Extension decode(WireReader r) {
    return TypedExtension.read(r, "Extension", Extension::new);
  }

  /** Decodes exactly one extension from {@code bytes}. */
  public static Extension decode(byte[] bytes) {
    return Wire.whole(bytes, "Extension", Extension::decode);
  }

  @Override
  public byte[] extensionData() {
    return extensionData.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Extension e
        && e.extensionType == extensionType
        && Arrays.equals(e.extensionData, extensionData);
  }

  @Override
  public int hashCode() {
    return extensionType * 31 + Wire.hash(extensionData);
  }

  @Override
  public String toString() {
    return "Extension[type=0x" + Integer.toHexString(extensionType) + ", data=" + Wire.show(extensionData)
        + "]";
  }
}
