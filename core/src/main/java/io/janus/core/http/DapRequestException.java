package io.janus.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.janus.messages.DapProblemType;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A DAP request failed for good: it was refused with a status that retrying cannot fix, or it kept failing
 * transiently until the retry policy or the caller's deadline ran out.
 */
public final class DapRequestException extends RuntimeException {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Problem documents are small; a larger body is not one worth parsing. */
  private static final int MAX_PROBLEM_DOCUMENT_BYTES = 64 * 1024;

  private final OptionalInt status;
  private final boolean transientFailure;
  private final byte[] body;
  private final Optional<String> contentType;

  /**
   * Creates the exception.
   *
   * @param message what was attempted and why it failed
   * @param status the last HTTP status received, if any response came
   * @param transientFailure true if the last failure was one a later attempt may not see (5xx, 429, IO error)
   * @param body the last response body (a problem document, usually), empty if none
   * @param contentType the last response's Content-Type, if any
   * @param cause the last IO failure, or null when the server answered
   */
  public DapRequestException(String message, OptionalInt status, boolean transientFailure, byte[] body,
      Optional<String> contentType, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.transientFailure = transientFailure;
    this.body = body.clone();
    this.contentType = contentType;
  }

  /** The same, without a Content-Type. */
  public DapRequestException(String message, OptionalInt status, boolean transientFailure, byte[] body,
      Throwable cause) {
    this(message, status, transientFailure, body, Optional.empty(), cause);
  }

  /** The last HTTP status received, if the server answered at all. */
  public OptionalInt status() {
    return status;
  }

  /** True if the request failed only transiently (and ran out of retries), so a later attempt may succeed. */
  public boolean isTransient() {
    return transientFailure;
  }

  /** The last response body, empty if none. */
  public byte[] body() {
    return Arrays.copyOf(body, body.length);
  }

  /** The last response's Content-Type header, if any. */
  public Optional<String> contentType() {
    return contentType;
  }

  /**
   * True if the server refused the request for good: it answered a 4xx status other than 429, which the same
   * request would get again.
   */
  public boolean isRefusal() {
    return !transientFailure && status.isPresent() && status.getAsInt() >= 400 && status.getAsInt() < 500
        && status.getAsInt() != 429;
  }

  /**
   * True if the same request will be refused again whatever happens: a {@link #isRefusal refusal} other than
   * {@code unauthorizedRequest}, which an operator may fix by correcting a token. Callers stop retrying on it.
   */
  public boolean isFinalRefusal() {
    return isRefusal() && problemType().filter(t -> t == DapProblemType.UNAUTHORIZED_REQUEST).isEmpty();
  }

  /**
   * The DAP problem type of the answer, when the body is a problem document (RFC 9457) whose {@code type} is one
   * of DAP's; empty for any other body.
   */
  public Optional<DapProblemType> problemType() {
    if (body.length == 0 || body.length > MAX_PROBLEM_DOCUMENT_BYTES) {
      return Optional.empty();
    }
    try {
      JsonNode type = JSON.readTree(body).path("type");
      return type.isTextual() ? DapProblemType.fromUrn(type.textValue()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
