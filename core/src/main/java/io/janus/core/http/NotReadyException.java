package io.janus.core.http;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The peer deferred a request (it accepted it and answers later, as draft-ietf-ppm-dap-18 section 3.1 allows) and
 * its answer was not ready by the caller's deadline, or the peer asked to be polled later than the caller waits
 * within one attempt. Nothing failed: the caller should try again after {@link #retryAfter()}. A job driver
 * releases the job's lease for that long without counting a failed attempt.
 */
public final class NotReadyException extends RuntimeException {
  private final Optional<URI> location;
  private final Duration retryAfter;

  /**
   * Creates the exception.
   *
   * @param message what was deferred
   * @param location where the peer keeps the deferred resource, if it said
   * @param retryAfter when to ask again: the peer's {@code Retry-After}, or the caller's own backoff
   */
  public NotReadyException(String message, Optional<URI> location, Duration retryAfter) {
    super(message);
    this.location = location;
    this.retryAfter = retryAfter;
  }

  /** Where the peer keeps the deferred resource ({@code Location}, resolved), if it named it. */
  public Optional<URI> location() {
    return location;
  }

  /** How long to wait before asking again. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
