package io.janus.messages.dap09;

import io.janus.messages.Encodable;
import io.janus.messages.ReportId;
import io.janus.messages.Time;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Objects;

/**
 * A report's public metadata: {@code ReportID report_id; Time time} (24 bytes).
 *
 * @param reportId the report's ID, also the VDAF nonce
 * @param time the client's timestamp
 */
public record ReportMetadata(ReportId reportId, Time time) implements Encodable {
  /** Encoded length in bytes. */
  public static final int LENGTH = ReportId.LENGTH + 8;

  /** Rejects null components. */
  public ReportMetadata {
    Objects.requireNonNull(reportId, "reportId");
    Objects.requireNonNull(time, "time");
  }

  /** Reads {@code ReportMetadata}. */
  public static ReportMetadata decode(WireReader r) {
    return new ReportMetadata(ReportId.decode(r), Time.decode(r));
  }

  /** Decodes exactly one value from {@code bytes}. */
  public static ReportMetadata decode(byte[] bytes) {
    return Wire.whole(bytes, "ReportMetadata", ReportMetadata::decode);
  }

  @Override
  public void encode(WireWriter w) {
    reportId.encode(w);
    time.encode(w);
  }
}
