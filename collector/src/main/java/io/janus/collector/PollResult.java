package io.janus.collector;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** The answer to one poll of a collection job: not ready yet, or the result. */
public sealed interface PollResult permits PollResult.NotReady, PollResult.Ready {
  /**
   * The Leader has not finished the job (HTTP 202).
   *
   * @param retryAfter how long the Leader asked the collector to wait, if it said
   */
  record NotReady(Optional<Duration> retryAfter) implements PollResult {
    /** Rejects a null wait. */
    public NotReady {
      Objects.requireNonNull(retryAfter, "retryAfter");
    }
  }

  /**
   * The job is finished (HTTP 200) and its aggregate shares opened and unsharded.
   *
   * @param result the collection result
   */
  record Ready(CollectionResult result) implements PollResult {
    /** Rejects a null result. */
    public Ready {
      Objects.requireNonNull(result, "result");
    }
  }
}
