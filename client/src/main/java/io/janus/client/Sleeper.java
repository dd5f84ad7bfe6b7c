package io.janus.client;

import java.time.Duration;

/**
 * Waits between retries and polls. Production code uses {@link #SYSTEM}; tests pass one that advances a mock
 * clock instead of sleeping, so backoff logic is exercised without real waiting.
 */
@FunctionalInterface
public interface Sleeper {
  /** Sleeps on the current thread. */
  Sleeper SYSTEM = d -> Thread.sleep(d);

  /**
   * Blocks the calling thread for {@code duration}.
   *
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  void sleep(Duration duration) throws InterruptedException;
}
