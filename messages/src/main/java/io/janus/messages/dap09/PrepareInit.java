package io.janus.messages.dap09;

import io.janus.messages.Encodable;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Arrays;
import java.util.Objects;

/**
 * One report's first preparation step from the Leader (draft-ietf-ppm-dap-09 section 4.4.1.1):
 * {@code ReportShare report_share; opaque payload<0..2^32-1>}.
 *
 * @param reportShare the report
 * @param payload the Leader's first ping-pong message
 */
public record PrepareInit(ReportShare reportShare, byte[] payload) implements Encodable {
  /** Rejects a null share and copies the payload. */
  public PrepareInit {
    Objects.requireNonNull(reportShare, "reportShare");
    payload = payload.clone();
  }

  /** Reads a {@code PrepareInit}. */
  public static PrepareInit decode(WireReader r) {
    ReportShare share = ReportShare.decode(r);
    byte[] payload = r.opaque32("PrepareInit.payload");
    return new PrepareInit(share, payload);
  }

  /** Decodes exactly one value from {@code bytes}. */
  public static PrepareInit decode(byte[] bytes) {
    return Wire.whole(bytes, "PrepareInit", PrepareInit::decode);
  }

  @Override
  public void encode(WireWriter w) {
    reportShare.encode(w);
    w.opaque32(payload);
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PrepareInit x && x.reportShare.equals(reportShare) && Arrays.equals(x.payload, payload);
  }

  @Override
  public int hashCode() {
    return reportShare.hashCode() * 31 + Wire.hash(payload);
  }

  @Override
  public String toString() {
    return "PrepareInit[reportShare=" + reportShare + ", payload=" + Wire.show(payload) + "]";
  }
}
