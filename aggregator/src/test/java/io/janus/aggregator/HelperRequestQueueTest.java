package io.janus.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HelperRequestQueueTest {
  @Test
  void runsUpToTheConcurrencyQueuesUpToTheDepthNewestFirstAndShedsTheRest() throws Exception {
    HelperRequestQueue queue = new HelperRequestQueue(new HelperRequestQueue.Config(1, 2, 10_000));
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    List<String> order = new CopyOnWriteArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<?> running = threads.submit(() -> queue.run(() -> {
        started.countDown();
        await(release);
        return null;
      }));
      assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
      Future<?> first = threads.submit(() -> queue.run(() -> order.add("first")));
      waitUntilQueued(queue, 1);
      Future<?> second = threads.submit(() -> queue.run(() -> order.add("second")));
      waitUntilQueued(queue, 2);
      // Full: one running, two waiting.
      assertThatThrownBy(() -> queue.run(() -> null)).isInstanceOfSatisfying(DapException.TooManyRequests.class,
          e -> assertThat(e.retryAfterSeconds()).isEqualTo(HelperRequestQueue.RETRY_AFTER_SECONDS));
      release.countDown();
      running.get(5, TimeUnit.SECONDS);
      first.get(5, TimeUnit.SECONDS);
      second.get(5, TimeUnit.SECONDS);
    }
    assertThat(order).containsExactly("second", "first");
  }

  @Test
  void aRequestThatWaitsPastTheTimeoutIsShed() throws Exception {
    HelperRequestQueue queue = new HelperRequestQueue(new HelperRequestQueue.Config(1, 5, 50));
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<?> running = threads.submit(() -> queue.run(() -> {
        started.countDown();
        await(release);
        return null;
      }));
      assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
      assertThatThrownBy(() -> queue.run(() -> null)).isInstanceOf(DapException.TooManyRequests.class);
      release.countDown();
      running.get(5, TimeUnit.SECONDS);
    }
    // The slot came back: the next request runs at once.
    assertThat(queue.run(() -> "ran")).isEqualTo("ran");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void waitUntilQueued(HelperRequestQueue queue, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (queue.waitingCount() < n && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(queue.waitingCount()).isEqualTo(n);
  }
}
