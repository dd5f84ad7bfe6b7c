package io.janus.server.binary;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A one-way stop signal that a binary's work loops poll or wait on. The harness trips it on SIGTERM or SIGINT;
 * tests trip it by hand. Thread-safe, and safe to use from virtual threads (no monitor is held while waiting).
 */
public final class Stopper {
  private final CountDownLatch stopped = new CountDownLatch(1);

  /** Creates a stopper that has not been tripped. */
  public Stopper() {}

  /** Trips the signal; idempotent. Every current and future waiter returns at once. */
  public void stop() {
    stopped.countDown();
  }

  /** True once {@link #stop()} has been called. */
  public boolean isStopped() {
    return stopped.getCount() == 0;
  }

  /** Blocks until {@link #stop()} is called. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /**
   * Waits up to {@code timeout} for the signal: the interruptible sleep a polling loop uses between rounds.
   *
   * @return true if the binary should stop, false if the timeout passed first
   */
  public boolean awaitStop(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public String toString() {
    return "Stopper[stopped=" + isStopped() + "]";
  }

  /**
   * A {@link io.janus.core.http.Sleeper} that waits on this stopper: if it trips during the wait, the wait ends with
   * {@link InterruptedException}, which fails the request (a job's lease is kept, so the job is retried later).
   */
  public io.janus.core.http.Sleeper sleeper() {
    return d -> {
      if (awaitStop(d)) {
        throw new InterruptedException("stopping; the retry was abandoned");
      }
    };
  }
}
