package io.janus.messages.dap18;

import io.janus.messages.DecodeException;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Optional;

/**
 * Why a report failed upload or aggregation (draft-ietf-ppm-dap-18 section 4.1, registry in section 9.2.6), u8
 * coded. The codes are not draft 09's {@code PrepareError} codes: draft 18 reserves 0 and shifts the rest by one.
 */
public enum ReportError {
  BATCH_COLLECTED(1),
  REPORT_REPLAYED(2),
  REPORT_DROPPED(3),
  HPKE_UNKNOWN_CONFIG_ID(4),
  HPKE_DECRYPT_ERROR(5),
  VDAF_VERIFY_ERROR(6),
  TASK_EXPIRED(7),
  INVALID_MESSAGE(8),
  REPORT_TOO_EARLY(9),
  TASK_NOT_STARTED(10),
  OUTDATED_CONFIG(11);

  private final int code;

  ReportError(int code) {
    this.code = code;
  }

  /** The u8 wire code. */
  public int code() {
    return code;
  }

  /** The error with wire code {@code code}, if there is one ({@code reserved(0)} is not). */
  public static Optional<ReportError> fromCode(int code) {
    for (ReportError e : values()) {
      if (e.code == code) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /** Reads the u8 code; fails on {@code reserved(0)} and on values above 11. */
  public static ReportError decode(WireReader r) {
    int at = r.position();
    int c = r.u8("ReportError");
    return fromCode(c).orElseThrow(() -> new DecodeException(at, "unknown ReportError " + c));
  }

  /** Writes the u8 code. */
  public void encode(WireWriter w) {
    w.u8(code);
  }
}
