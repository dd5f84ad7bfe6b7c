package io.janus.server.testing;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Thread coordination for concurrency tests: ordering by latches, never by sleeping. */
public final class TestThreads {
  private TestThreads() {}

  /**
   * Runs {@code work} on a new daemon thread of its own. (The common pool may have a single thread on a small
   * machine, which would deadlock tests whose tasks wait for each other.)
   */
  public static <T> CompletableFuture<T> start(Supplier<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread.ofPlatform().daemon().start(() -> {
      try {
        result.complete(work.get());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  /**
   * Waits for {@code latch}; fails after a minute so a broken test ends instead of hanging (a liveness guard,
   * not a timing assertion).
   */
  public static void await(CountDownLatch latch) {
    try {
      if (!latch.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("latch not released within a minute: the other side is stuck");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
