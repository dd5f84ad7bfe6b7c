package io.janus.client;

/**
 * Thrown by a single-report upload when the Leader accepted the request but refused the report (DAP-18's
 * {@code UploadErrors}). The bulk {@link Client#uploadReports} returns such refusals instead of throwing.
 */
public final class ReportRejectedException extends DapClientException {
  private static final long serialVersionUID = 1L;

  private final transient ReportRejection rejection;

  /** Creates the exception for {@code rejection}. */
  public ReportRejectedException(ReportRejection rejection) {
    super("the Leader refused report " + rejection.reportId() + ": " + rejection.error());
    this.rejection = rejection;
  }

  /** The report and the Leader's reason. */
  public ReportRejection rejection() {
    return rejection;
  }
}
