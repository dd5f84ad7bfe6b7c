package io.janus.messages.dap18;

import io.janus.messages.Encodable;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.List;

/**
 * A bulk upload (draft-ietf-ppm-dap-18 section 4.4.2): {@code Report reports[message_length]}, the reports laid
 * end to end with no length prefix, filling the whole HTTP body. The draft sets no minimum, so an empty body
 * decodes to no reports.
 *
 * @param reports the uploaded reports, in request order
 */
public record UploadRequest(List<Report> reports) implements Encodable {
  /** The request media type. */
  public static final String MEDIA_TYPE = Dap18.MEDIA_TYPE_UPLOAD_REQ;

  /** Copies the list. */
  public UploadRequest {
    reports = List.copyOf(reports);
  }

  /** Reads reports until {@code r} is exhausted: the request body must be the whole of {@code r}. */
  public static UploadRequest decode(WireReader r) {
    return new UploadRequest(Wire.items(r, "UploadRequest.reports", Report::decode));
  }

  /** Decodes a whole request body. */
  public static UploadRequest decode(byte[] bytes) {
    return Wire.whole(bytes, "UploadRequest", UploadRequest::decode);
  }

  @Override
  public void encode(WireWriter w) {
    Wire.writeItems(w, reports);
  }
}
