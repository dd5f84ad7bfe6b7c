package io.janus.messages.dap18;

import io.janus.messages.Encodable;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Arrays;
import java.util.Objects;

/**
 * The Leader's first verification message for one report (draft-ietf-ppm-dap-18 section 4.5.3.1):
 * {@code ReportShare report_share; opaque payload<1..2^32-1>}. Draft 09 called it {@code PrepareInit}.
 *
 * @param reportShare the Helper's report share
 * @param payload the Leader's first ping-pong message; not empty
 */
public record VerifyInit(ReportShare reportShare, byte[] payload) implements Encodable {
  /** Rejects a null share and an empty payload; copies the payload. */
  public VerifyInit {
    Objects.requireNonNull(reportShare, "reportShare");
    payload = Wire.nonEmptyCopy(payload, "VerifyInit.payload");
  }

  /** Reads a {@code VerifyInit}. */
  public static VerifyInit decode(WireReader r) {
    ReportShare share = ReportShare.decode(r);
    return new VerifyInit(share, Wire.nonEmptyOpaque32(r, "VerifyInit.payload"));
  }

  /** Decodes exactly one value from {@code bytes}. */
  public static VerifyInit decode(byte[] bytes) {
    return Wire.whole(bytes, "VerifyInit", VerifyInit::decode);
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
    return o instanceof VerifyInit x && x.reportShare.equals(reportShare) && Arrays.equals(x.payload, payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(reportShare, Wire.hash(payload));
  }

  @Override
  public String toString() {
    return "VerifyInit[reportShare=" + reportShare + ", payload=" + Wire.show(payload) + "]";
  }
}
