package io.janus.server.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.server.binary.Stopper;
import io.janus.server.datastore.model.Lease;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JobDriverTest {
  private static final Instant EXPIRY = Instant.parse("2025-01-01T00:10:00Z");
  private static final Duration SKEW = Duration.ofSeconds(60);

  private static JobDriver.Settings settings(int workers) {
    return new JobDriver.Settings(Duration.ofMillis(5), workers, Duration.ofSeconds(600), SKEW);
  }

  private static Lease<Integer> lease(int job) {
    return new Lease<>(job, EXPIRY, new byte[] {(byte) job, 1}, 1);
  }

  /** Hands out jobs from a queue, recording how many were asked for each time. */
  private static final class QueueAcquirer implements JobDriver.LeaseAcquirer<Integer> {
    final Queue<Integer> jobs = new ConcurrentLinkedQueue<>();
    final Queue<Integer> requested = new ConcurrentLinkedQueue<>();
    final AtomicInteger calls = new AtomicInteger();

    QueueAcquirer(int count) {
      for (int i = 0; i < count; i++) {
        jobs.add(i);
      }
    }

    @Override
    public List<Lease<Integer>> acquire(Duration leaseDuration, int maxCount) {
      assertThat(leaseDuration).isEqualTo(Duration.ofSeconds(600));
      calls.incrementAndGet();
      requested.add(maxCount);
      List<Lease<Integer>> out = new ArrayList<>();
      Integer j;
      while (out.size() < maxCount && (j = jobs.poll()) != null) {
        out.add(lease(j));
      }
      return out;
    }
  }

  @Test
  void stepsEveryJobOnceWithTheDeadlineShortenedBySkew() throws Exception {
    QueueAcquirer acquirer = new QueueAcquirer(25);
    Queue<Integer> stepped = new ConcurrentLinkedQueue<>();
    CountDownLatch all = new CountDownLatch(25);
    Stopper stopper = new Stopper();
    JobDriver<Integer> driver = new JobDriver<>("test", settings(4), acquirer, (lease, deadline) -> {
      assertThat(deadline).isEqualTo(EXPIRY.minus(SKEW));
      stepped.add(lease.leased());
      all.countDown();
    }, new SimpleMeterRegistry());
    CompletableFuture<Void> run = runAsync(driver, stopper);
    all.await();
    stopper.stop();
    run.get();
    assertThat(stepped).containsExactlyInAnyOrderElementsOf(range(25));
    assertThat(acquirer.requested).allSatisfy(n -> assertThat(n).isBetween(1, 4));
  }

  @Test
  void neverRunsMoreStepsAtOnceThanItHasWorkers() throws Exception {
    int workers = 3;
    QueueAcquirer acquirer = new QueueAcquirer(12);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    CountDownLatch firstWave = new CountDownLatch(workers);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch all = new CountDownLatch(12);
    Stopper stopper = new Stopper();
    JobDriver<Integer> driver = new JobDriver<>("test", settings(workers), acquirer, (lease, deadline) -> {
      int now = running.incrementAndGet();
      maxRunning.accumulateAndGet(now, Math::max);
      firstWave.countDown();
      release.await();
      running.decrementAndGet();
      all.countDown();
    }, new SimpleMeterRegistry());
    CompletableFuture<Void> run = runAsync(driver, stopper);
    // Every worker is blocked in a step: the driver must not have leased a fourth job.
    firstWave.await();
    assertThat(acquirer.jobs).hasSize(12 - workers);
    release.countDown();
    all.await();
    stopper.stop();
    run.get();
    assertThat(maxRunning.get()).isEqualTo(workers);
  }

  @Test
  void keepsPollingWhenNoJobsAndAfterFailures() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch stepped = new CountDownLatch(2);
    CountDownLatch polledAgain = new CountDownLatch(1);
    Stopper stopper = new Stopper();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    JobDriver<Integer> driver = new JobDriver<>("test", settings(2), (d, n) -> {
      int call = calls.incrementAndGet();
      return switch (call) {
        case 1 -> List.of();
        case 2 -> throw new IllegalStateException("database down");
        case 3 -> List.of(lease(1), lease(2));
        default -> {
          polledAgain.countDown();
          yield List.of();
        }
      };
    }, (lease, deadline) -> {
      stepped.countDown();
      if (lease.leased() == 2) {
        throw new IllegalStateException("step failed on purpose");
      }
    }, meters);
    CompletableFuture<Void> run = runAsync(driver, stopper);
    stepped.await();
    polledAgain.await();
    stopper.stop();
    run.get();
    assertThat(meters.get("janus_job_steps").tag("status", "success").counter().count()).isEqualTo(1.0);
    assertThat(meters.get("janus_job_steps").tag("status", "error").counter().count()).isEqualTo(1.0);
    assertThat(meters.get("janus_job_acquire_failures").counter().count()).isEqualTo(1.0);
  }

  @Test
  void runWaitsForRunningStepsAfterStop() throws Exception {
    QueueAcquirer acquirer = new QueueAcquirer(1);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    AtomicInteger finished = new AtomicInteger();
    Stopper stopper = new Stopper();
    JobDriver<Integer> driver = new JobDriver<>("test", settings(2), acquirer, (lease, deadline) -> {
      started.countDown();
      finish.await();
      finished.incrementAndGet();
    }, new SimpleMeterRegistry());
    CompletableFuture<Void> run = runAsync(driver, stopper);
    started.await();
    stopper.stop();
    assertThat(run).isNotDone();
    finish.countDown();
    run.get();
    assertThat(finished).hasValue(1);
  }

  @Test
  void rejectsASkewAllowanceNotShorterThanTheLease() {
    assertThatThrownBy(() -> new JobDriver.Settings(Duration.ofSeconds(1), 1, Duration.ofSeconds(60),
        Duration.ofSeconds(60))).isInstanceOf(IllegalArgumentException.class);
  }

  private static CompletableFuture<Void> runAsync(JobDriver<Integer> driver, Stopper stopper) {
    return CompletableFuture.runAsync(() -> {
      try {
        driver.run(stopper);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    });
  }

  private static List<Integer> range(int n) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(i);
    }
    return out;
  }
}
