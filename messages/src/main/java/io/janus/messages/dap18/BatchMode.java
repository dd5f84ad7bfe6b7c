package io.janus.messages.dap18;

import io.janus.messages.DecodeException;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Optional;

/** The batch modes of draft-ietf-ppm-dap-18 (section 5, registry in section 9.2.1), u8 coded. */
public enum BatchMode {
  /** {@code time_interval(1)}: batches are unions of time-precision buckets (section 5.1). */
  TIME_INTERVAL(1),
  /** {@code leader_selected(2)}: the Leader assigns reports to batches it names by ID (section 5.2). */
  LEADER_SELECTED(2);

  private final int code;

  BatchMode(int code) {
    this.code = code;
  }

  /** The u8 wire code. */
  public int code() {
    return code;
  }

  /** The batch mode with wire code {@code code}, if this implementation knows it. */
  public static Optional<BatchMode> fromCode(int code) {
    for (BatchMode m : values()) {
      if (m.code == code) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  /** Reads the u8 code; fails on {@code reserved(0)} and on modes this implementation does not know. */
  static BatchMode decode(WireReader r, String field) {
    int at = r.position();
    int c = r.u8(field);
    return fromCode(c).orElseThrow(() -> new DecodeException(at, field + ": unknown batch mode " + c));
  }

  /** Writes the u8 code. */
  public void encode(WireWriter w) {
    w.u8(code);
  }
}
