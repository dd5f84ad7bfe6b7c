package io.janus.messages.dap09;

import io.janus.messages.DecodeException;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;

/** Why an Aggregator rejected one report during preparation (draft-ietf-ppm-dap-09 section 4.4.1.2), u8 coded. */
public enum PrepareError {
  BATCH_COLLECTED(0),
  REPORT_REPLAYED(1),
  REPORT_DROPPED(2),
  HPKE_UNKNOWN_CONFIG_ID(3),
  HPKE_DECRYPT_ERROR(4),
  VDAF_PREP_ERROR(5),
  BATCH_SATURATED(6),
  TASK_EXPIRED(7),
  INVALID_MESSAGE(8),
  REPORT_TOO_EARLY(9);

  // Declaration order is wire-code order; KnownAnswerTest pins it.
  private static final PrepareError[] BY_CODE = values();

  private final int code;

  PrepareError(int code) {
    this.code = code;
  }

  /** The u8 wire code. */
  public int code() {
    return code;
  }

  /** The error with wire code {@code code}, if there is one (e.g. when reading a stored code back). */
  public static java.util.Optional<PrepareError> fromCode(int code) {
    return code >= 0 && code < BY_CODE.length ? java.util.Optional.of(BY_CODE[code]) : java.util.Optional.empty();
  }

  /** Reads the u8 code; fails on a value outside 0..9. */
  public static PrepareError decode(WireReader r) {
    int at = r.position();
    int c = r.u8("PrepareError");
    if (c >= BY_CODE.length) {
      throw new DecodeException(at, "unknown PrepareError " + c);
    }
    return BY_CODE[c];
  }

  /** Writes the u8 code. */
  public void encode(WireWriter w) {
    w.u8(code);
  }
}
