package io.janus.aggregator;

import io.janus.server.config.InvalidConfigValueException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Bounds the Helper's aggregation requests (Janus's {@code helper_aggregation_request_queue}): at most
 * {@code concurrency} run at once, at most {@code depth} more wait, newest first (LIFO: under overload the newest
 * request is the one whose Leader is still waiting for it), and a request that waits longer than {@code timeout}
 * or finds the queue full is shed with 429 and {@code Retry-After}, which the Leader's retry policy honours.
 * Thread-safe.
 */
public final class HelperRequestQueue {
  /**
   * The queue's sizes: the {@code helper_aggregation_request_queue} section of the aggregator's configuration.
   *
   * @param concurrency requests served at once (at least 1)
   * @param depth requests waiting at most (0: none wait)
   * @param timeoutMs the longest a request waits, in milliseconds (at least 1)
   */
  public record Config(int concurrency, int depth, long timeoutMs) {
    /** Validates the ranges. */
    public Config {
      if (concurrency < 1) {
        throw new InvalidConfigValueException("concurrency", "must be at least 1");
      }
      if (depth < 0) {
        throw new InvalidConfigValueException("depth", "must not be negative");
      }
      if (timeoutMs < 1) {
        throw new InvalidConfigValueException("timeout_ms", "must be at least 1");
      }
    }
  }

  /** How long a shed Leader is asked to wait before trying again. */
  static final long RETRY_AFTER_SECONDS = 1;

  private final Config config;
  private final Deque<CountDownLatch> waiting = new ArrayDeque<>();
  private int running;

  /** A queue of these sizes. */
  public HelperRequestQueue(Config config) {
    this.config = config;
  }

  /**
   * Runs {@code work} once a slot is free.
   *
   * @throws DapException.TooManyRequests if the queue is full, or no slot freed up within the timeout
   * @throws InterruptedException if interrupted while waiting
   */
  public <T> T run(Supplier<T> work) throws InterruptedException {
    acquire();
    try {
      return work.get();
    } finally {
      release();
    }
  }

  private void acquire() throws InterruptedException {
    CountDownLatch turn;
    synchronized (this) {
      if (running < config.concurrency()) {
        running++;
        return;
      }
      if (waiting.size() >= config.depth()) {
        throw new DapException.TooManyRequests(RETRY_AFTER_SECONDS);
      }
      turn = new CountDownLatch(1);
      waiting.addFirst(turn);
    }
    if (turn.await(config.timeoutMs(), TimeUnit.MILLISECONDS)) {
      return;
    }
    synchronized (this) {
      // A slot handed over between the timeout and this lock is ours after all.
      if (turn.getCount() == 0) {
        return;
      }
      waiting.remove(turn);
    }
    throw new DapException.TooManyRequests(RETRY_AFTER_SECONDS);
  }

  private synchronized void release() {
    CountDownLatch next = waiting.pollFirst();
    if (next != null) {
      // The slot passes straight to the newest waiter; running stays the same.
      next.countDown();
    } else {
      running--;
    }
  }

  /** The configured sizes. */
  public Config config() {
    return config;
  }

  /** How many requests wait now. */
  synchronized int waitingCount() {
    return waiting.size();
  }
}
