package io.janus.collector;

import io.janus.client.DapClientException;

/**
 * Thrown by {@link Collector#collect} and {@link Collector#pollUntilComplete} when a job is still not ready at the
 * end of the allowed wait, or the Leader asks to wait past it. The job stays on the Leader: poll it again later
 * with {@link #job()}, or delete it.
 */
public final class CollectionTimeoutException extends DapClientException {
  private static final long serialVersionUID = 1L;

  private final transient CollectionJob job;

  /** Creates an exception for {@code job}. */
  public CollectionTimeoutException(CollectionJob job, String message) {
    super(message);
    this.job = job;
  }

  /** The job that is not ready. */
  public CollectionJob job() {
    return job;
  }
}
