package io.janus.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.janus.messages.DapProblemType;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * An RFC 9457 problem document as an aggregator sends it with an error status (draft-ietf-ppm-dap-09 section
 * 3.2). Only the members DAP uses are kept.
 *
 * @param type the problem type URI; {@code about:blank} when the document names none
 * @param title the short human-readable summary, if given
 * @param detail the explanation specific to this occurrence, if given
 * @param taskId the {@code taskid} member (base64url task ID) DAP asks for, if given
 */
public record ProblemDocument(String type, Optional<String> title, Optional<String> detail, Optional<String> taskId) {
  /** The media type of a problem document. */
  public static final String MEDIA_TYPE = "application/problem+json";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Rejects null members. */
  public ProblemDocument {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(taskId, "taskId");
  }

  /** The DAP problem type {@link #type()} names, if it is one of the {@code urn:ietf:params:ppm:dap:error:*}. */
  public Optional<DapProblemType> dapProblemType() {
    return DapProblemType.fromUrn(type);
  }

  /**
   * Parses an error response body as a problem document.
   *
   * @param contentType the response's {@code Content-Type}, if any
   * @param body the response body
   * @return the document, or empty if the body is not a JSON object with the problem media type (servers and
   *     proxies also answer errors with plain text or HTML, which is not a protocol violation worth failing on)
   */
  public static Optional<ProblemDocument> parse(Optional<String> contentType, byte[] body) {
    if (contentType.isEmpty() || !DapHttp.mediaTypeMatches(contentType.get(), MEDIA_TYPE) || body.length == 0) {
      return Optional.empty();
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (root == null || !root.isObject()) {
      return Optional.empty();
    }
    String type = text(root, "type").orElse("about:blank");
    return Optional.of(new ProblemDocument(type, text(root, "title"), text(root, "detail"), text(root, "taskid")));
  }

  private static Optional<String> text(JsonNode root, String member) {
    JsonNode n = root.get(member);
    return n != null && n.isTextual() ? Optional.of(n.textValue()) : Optional.empty();
  }

  @Override
  public String toString() {
    return "ProblemDocument[type=" + type + title.map(t -> ", title=" + t).orElse("")
        + detail.map(d -> ", detail=" + d).orElse("") + taskId.map(t -> ", taskid=" + t).orElse("") + "]";
  }
}
