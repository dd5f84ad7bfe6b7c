package io.janus.messages.dap18;

import io.janus.messages.Encodable;
import io.janus.messages.ReportId;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Objects;

/**
 * Why the Leader refused one uploaded report (draft-ietf-ppm-dap-18 section 4.4.2.2): {@code ReportID id;
 * ReportError error} (17 bytes).
 *
 * @param id the refused report
 * @param error why
 */
public record ReportUploadStatus(ReportId id, ReportError error) implements Encodable {
  /** Encoded length in bytes. */
  public static final int LENGTH = ReportId.LENGTH + 1;

  /** Rejects null components. */
  public ReportUploadStatus {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(error, "error");
  }

  /** Reads a {@code ReportUploadStatus}. */
  public static ReportUploadStatus decode(WireReader r) {
    return new ReportUploadStatus(ReportId.decode(r), ReportError.decode(r));
  }

  /** Decodes exactly one value from {@code bytes}. */
  public static ReportUploadStatus decode(byte[] bytes) {
    return Wire.whole(bytes, "ReportUploadStatus", ReportUploadStatus::decode);
  }

  @Override
  public void encode(WireWriter w) {
    id.encode(w);
    error.encode(w);
  }
}
