package io.janus.client;

import io.janus.messages.ReportId;
import io.janus.messages.Time;
import java.util.Arrays;

/**
 * A report sharded, sealed and encoded in the task's DAP draft, ready to upload.
 *
 * @param reportId the report's ID
 * @param time its timestamp, rounded down to the task's time precision
 * @param mediaType the media type to upload it with
 * @param encoded the encoded report
 */
public record PreparedReport(ReportId reportId, Time time, String mediaType, byte[] encoded) {
  /** Copies the encoding. */
  public PreparedReport {
    encoded = encoded.clone();
  }

  @Override
  public byte[] encoded() {
    return encoded.clone();
  }

  /** The encoded report (the body of its upload). */
  public byte[] toBytes() {
    return encoded.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PreparedReport r && r.reportId.equals(reportId) && r.time.equals(time)
        && r.mediaType.equals(mediaType) && Arrays.equals(r.encoded, encoded);
  }

  @Override
  public int hashCode() {
    return reportId.hashCode();
  }
}
