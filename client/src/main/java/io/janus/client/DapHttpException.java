package io.janus.client;

import io.janus.messages.DapProblemType;
import java.net.URI;
import java.util.Optional;

/**
 * Thrown when an aggregator answers a request with an HTTP error status (after retries of transient statuses are
 * used up). Carries the status and, when the body was an RFC 9457 problem document, its contents, so a caller can
 * tell for example {@code reportTooEarly} from {@code unrecognizedTask}.
 */
public final class DapHttpException extends DapClientException {
  private static final long serialVersionUID = 1L;

  private final String method;
  private final URI uri;
  private final int status;
  private final transient ProblemDocument problemOrNull;

  /**
   * Creates an exception for an error response.
   *
   * @param method the request method
   * @param uri the request URI
   * @param status the HTTP status code
   * @param problem the parsed problem document, if the body was one
   */
  public DapHttpException(String method, URI uri, int status, Optional<ProblemDocument> problem) {
    super(describe(method, uri, status, problem));
    this.method = method;
    this.uri = uri;
    this.status = status;
    this.problemOrNull = problem.orElse(null);
  }

  private static String describe(String method, URI uri, int status, Optional<ProblemDocument> problem) {
    StringBuilder sb = new StringBuilder().append(method).append(' ').append(uri).append(": HTTP ").append(status);
    problem.ifPresent(p -> {
      sb.append(", ").append(p.type());
      p.detail().or(p::title).ifPresent(d -> sb.append(": ").append(d));
    });
    return sb.toString();
  }

  /** The request method. */
  public String method() {
    return method;
  }

  /** The request URI. */
  public URI uri() {
    return uri;
  }

  /** The HTTP status code. */
  public int status() {
    return status;
  }

  /** The problem document the server sent, if it sent one. */
  public Optional<ProblemDocument> problem() {
    return Optional.ofNullable(problemOrNull);
  }

  /** The DAP problem type named by the problem document, if it names one. */
  public Optional<DapProblemType> dapProblemType() {
    return problem().flatMap(ProblemDocument::dapProblemType);
  }
}
