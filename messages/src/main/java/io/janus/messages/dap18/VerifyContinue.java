package io.janus.messages.dap18;

import io.janus.messages.Encodable;
import io.janus.messages.ReportId;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Arrays;
import java.util.Objects;

/**
 * The Leader's next verification message for one report (draft-ietf-ppm-dap-18 section 4.5.4.1):
 * {@code ReportID report_id; opaque payload<1..2^32-1>}. Draft 09 called it {@code PrepareContinue}.
 *
 * @param reportId the report
 * @param payload the Leader's outbound ping-pong message; not empty
 */
public record VerifyContinue(ReportId reportId, byte[] payload) implements Encodable {
  /** Rejects a null ID and an empty payload; copies the payload. */
  public VerifyContinue {
    Objects.requireNonNull(reportId, "reportId");
    payload = Wire.nonEmptyCopy(payload, "VerifyContinue.payload");
  }

  /** Reads a {@code VerifyContinue}. */
  public static VerifyContinue decode(WireReader r) {
    ReportId id = ReportId.decode(r);
    return new VerifyContinue(id, Wire.nonEmptyOpaque32(r, "VerifyContinue.payload"));
  }

  /** Decodes exactly one value from {@code bytes}. */
  public static VerifyContinue decode(byte[] bytes) {
    return Wire.whole(bytes, "VerifyContinue", VerifyContinue::decode);
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
    return o instanceof VerifyContinue x && x.reportId.equals(reportId) && Arrays.equals(x.payload, payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(reportId, Wire.hash(payload));
  }

  @Override
  public String toString() {
    return "VerifyContinue[reportId=" + reportId + ", payload=" + Wire.show(payload) + "]";
  }
}
