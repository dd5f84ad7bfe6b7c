package io.janus.core.job;

import java.util.Arrays;
import java.util.OptionalInt;

/**
 * A request to the peer aggregator failed for good: it was rejected with a status that retrying cannot fix, or it
 * kept failing transiently until the retry budget or the lease deadline ran out.
 */
public final class PeerRequestException extends RuntimeException {
  private final OptionalInt status;
  private final boolean transientFailure;
  private final byte[] body;

  /**
   * Creates the exception.
   *
   * @param message what was attempted and why it failed
   * @param status the last HTTP status received, if any response came
   * @param transientFailure true if the last failure was one a later attempt may not see (5xx, 429, IO error)
   * @param body the last response body (a problem document, usually), empty if none
   * @param cause the last IO failure, or null when the peer answered
   */
  public PeerRequestException(String message, OptionalInt status, boolean transientFailure, byte[] body,
      Throwable cause) {
    super(message, cause);
    this.status = status;
    this.transientFailure = transientFailure;
    this.body = body.clone();
  }

  /** The last HTTP status received, if the peer answered at all. */
  public OptionalInt status() {
    return status;
  }

  /** True if the request failed only transiently (and ran out of retries), so a later job attempt may succeed. */
  public boolean isTransient() {
    return transientFailure;
  }

  /** The last response body, empty if none. */
  public byte[] body() {
    return Arrays.copyOf(body, body.length);
  }
}
