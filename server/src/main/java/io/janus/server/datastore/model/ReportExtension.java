package io.janus.server.datastore.model;

import java.util.Arrays;

/**
 * A report extension: a type code point and opaque data.
 *
 * @param type the u16 extension type
 * @param data the extension's payload, up to 65535 bytes
 */
public record ReportExtension(int type, byte[] data) {
  /** Validates ranges and copies the data. */
  public ReportExtension {
    if ((type & ~0xffff) != 0) {
      throw new IllegalArgumentException("extension type must fit in a u16: " + type);
    }
    if (data.length > 0xffff) {
      throw new IllegalArgumentException("extension data must be at most 65535 bytes");
    }
    data = data.clone();
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReportExtension e && e.type == type && Arrays.equals(e.data, data);
  }

  @Override
  public int hashCode() {
    return type * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "ReportExtension[type=0x" + Integer.toHexString(type) + ", " + data.length + " bytes]";
  }
}
