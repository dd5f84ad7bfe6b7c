package io.janus.messages.dap09;

import io.janus.messages.Encodable;
import io.janus.messages.ReportId;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Arrays;
import java.util.Objects;

/**
 * One report's next preparation message from the Leader (draft-ietf-ppm-dap-09 section 4.4.2):
 * {@code ReportID report_id; opaque payload<0..2^32-1>}.
 *
 * @param reportId the report
 * @param payload the Leader's ping-pong message
 */
public record PrepareContinue(ReportId reportId, byte[] payload) implements Encodable {
  /** Rejects a null ID and copies the payload. */
  public PrepareContinue {
    Objects.requireNonNull(reportId, "reportId");
    payload = payload.clone();
  }

  /** Reads a {@code PrepareContinue}. */
  public static PrepareContinue decode(WireReader r) {
    ReportId id = ReportId.decode(r);
    return new PrepareContinue(id, r.opaque32("PrepareContinue.payload"));
  }

  /** Decodes exactly one value from {@code bytes}. */
  public static PrepareContinue decode(byte[] bytes) {
    return Wire.whole(bytes, "PrepareContinue", PrepareContinue::decode);
  }

  @Override
  public void encode(WireWriter w) {
    reportId.encode(w);
    w.opaque32(payload);
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PrepareContinue x && x.reportId.equals(reportId) && Arrays.equals(x.payload, payload);
  }

  @Override
  public int hashCode() {
    return reportId.hashCode() * 31 + Wire.hash(payload);
  }

  @Override
  public String toString() {
    return "PrepareContinue[reportId=" + reportId + ", payload=" + Wire.show(payload) + "]";
  }
}
