package io.janus.messages.dap18;

import io.janus.messages.Encodable;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.List;

/**
 * The Leader's answer to an upload some of whose reports failed (draft-ietf-ppm-dap-18 section 4.4.2.2):
 * {@code ReportUploadStatus status[message_length]}, one entry per failed report in request order, filling the whole
 * body. When every report is accepted the Leader sends an empty body instead, which decodes to an empty list.
 *
 * @param status the failed reports, in request order
 */
public record UploadErrors(List<ReportUploadStatus> status) implements Encodable {
  /** The response media type. */
  public static final String MEDIA_TYPE = Dap18.MEDIA_TYPE_UPLOAD_ERRORS;

  /** Copies the list. */
  public UploadErrors {
    status = List.copyOf(status);
  }

  /** Reads entries until {@code r} is exhausted: the response body must be the whole of {@code r}. */
  public static UploadErrors decode(WireReader r) {
    return new UploadErrors(Wire.items(r, "UploadErrors.status", ReportUploadStatus::decode));
  }

  /** Decodes a whole response body. */
  public static UploadErrors decode(byte[] bytes) {
    return Wire.whole(bytes, "UploadErrors", UploadErrors::decode);
  }

  @Override
  public void encode(WireWriter w) {
    Wire.writeItems(w, status);
  }
}
