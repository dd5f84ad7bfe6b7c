package io.janus.client;

import io.janus.messages.ReportId;
import java.util.Objects;

/**
 * One report of an upload the Leader refused while accepting the rest of the request (DAP-18's
 * {@code UploadErrors}, section 4.4.2.2).
 *
 * @param reportId the refused report
 * @param error the draft's name of the reason, in snake case as the draft writes it (for example
 *     {@code outdated_config}, {@code report_too_early}, {@code task_expired})
 */
public record ReportRejection(ReportId reportId, String error) {
  /** The reason the Leader gives when the report was sealed to an HPKE configuration it no longer uses. */
  public static final String OUTDATED_CONFIG = "outdated_config";

  /** Rejects null components. */
  public ReportRejection {
    Objects.requireNonNull(reportId, "reportId");
    Objects.requireNonNull(error, "error");
  }
}
