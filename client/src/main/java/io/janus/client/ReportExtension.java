package io.janus.client;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A report extension a client attaches to every report it prepares (DAP-18 section 4.4.3): public ones travel in
 * the report metadata for both aggregators to read, private ones inside each aggregator's sealed input share.
 *
 * @param type the extension's u16 code point; 0 is reserved
 * @param data the extension's data, at most 2^16-1 bytes
 */
public record ReportExtension(int type, byte[] data) {
  /** Validates the range and copies the data. */
  public ReportExtension {
    if (type < 1 || type > 0xffff) {
      throw new IllegalArgumentException("extension type must be in 1..65535, got " + type);
    }
    if (data.length > 0xffff) {
      throw new IllegalArgumentException("extension data must be at most 65535 bytes, got " + data.length);
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
    return "ReportExtension[type=" + type + ", data=" + HexFormat.of().formatHex(data) + "]";
  }
}
