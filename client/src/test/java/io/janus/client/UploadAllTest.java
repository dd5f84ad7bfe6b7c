package io.janus.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.core.MockClock;
import io.janus.core.http.RetryPolicy;
import io.janus.core.task.VdafInstance;
import io.janus.messages.DapDuration;
import io.janus.messages.TaskId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

class UploadAllTest {
  @Test
  void uploadsEveryMeasurementWithBoundedConcurrencyAndReportsProgress(TestInfo info) throws Exception {
    long seed = TestRandom.seed(info.getDisplayName());
    Random random = new Random(seed);
    VdafInstance vdaf = new VdafInstance.Prio3Histogram(5, 2);
    int maxInFlight = 4;
    try (FakeAggregators aggregators = new FakeAggregators(TaskId.random(TestRandom.secureRandom(seed)), vdaf, seed)) {
      AtomicInteger inFlight = new AtomicInteger();
      AtomicInteger maxSeen = new AtomicInteger();
      // The first maxInFlight uploads meet at a barrier: it only trips if that many really run at once. The
      // timeout is a safety net that turns a broken bound into a failure instead of a hang.
      CyclicBarrier firstWave = new CyclicBarrier(maxInFlight);
      AtomicInteger arrivals = new AtomicInteger();
      aggregators.leader().handle("PUT", "/tasks/*", request -> {
        int now = inFlight.incrementAndGet();
        maxSeen.accumulateAndGet(now, Math::max);
        try {
          if (arrivals.incrementAndGet() <= maxInFlight) {
            firstWave.await(30, TimeUnit.SECONDS);
          }
          return aggregators.upload(request);
        } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
          throw new IllegalStateException("concurrency bound not reached: " + e);
        } finally {
          inFlight.decrementAndGet();
        }
      });
      Client client = Client.builder(aggregators.taskId(), aggregators.leader().endpoint(),
              aggregators.helper().endpoint(), DapDuration.ofSeconds(60), vdaf)
          .clock(new MockClock())
          .random(TestRandom.secureRandom(seed))
          .retryPolicy(RetryPolicy.NONE)
          .build();

      int n = 120;
      List<long[]> measurements = new ArrayList<>();
      long[] expected = new long[5];
      List<Integer> invalid = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        long bucket = i % 17 == 3 ? 5 : random.nextInt(5);
        if (bucket == 5) {
          invalid.add(i);
        } else {
          expected[(int) bucket]++;
        }
        measurements.add(new long[] {bucket});
      }
      List<int[]> progress = new ArrayList<>();

      UploadSummary summary = client.uploadAll(measurements, maxInFlight,
          (ok, failed, total) -> progress.add(new int[] {ok, failed, total}));

      assertThat(summary.total()).isEqualTo(n);
      assertThat(summary.succeeded()).isEqualTo(n - invalid.size());
      assertThat(summary.failures()).extracting(UploadFailure::index).containsExactlyElementsOf(invalid);
      assertThat(summary.failures())
          .allSatisfy(f -> assertThat(f.error()).isInstanceOf(IllegalArgumentException.class));
      assertThat(aggregators.aggregateResult()).containsExactly(expected);
      assertThat(maxSeen.get()).isEqualTo(maxInFlight);
      assertThat(progress).hasSize(n);
      for (int i = 0; i < n; i++) {
        assertThat(progress.get(i)[0] + progress.get(i)[1]).isEqualTo(i + 1);
        assertThat(progress.get(i)[2]).isEqualTo(n);
      }
      assertThat(progress.get(n - 1)).containsExactly(n - invalid.size(), invalid.size(), n);
    }
  }

  @Test
  void concurrentOutdatedConfigAnswersShareOneRefetch(TestInfo info) throws Exception {
    long seed = TestRandom.seed(info.getDisplayName());
    VdafInstance vdaf = new VdafInstance.Prio3Count();
    try (FakeAggregators aggregators = new FakeAggregators(TaskId.random(TestRandom.secureRandom(seed)), vdaf, seed)) {
      Client client = Client.builder(aggregators.taskId(), aggregators.leader().endpoint(),
              aggregators.helper().endpoint(), DapDuration.ofSeconds(60), vdaf)
          .clock(new MockClock())
          .random(TestRandom.secureRandom(seed))
          .retryPolicy(RetryPolicy.NONE)
          .build();
      client.refreshHpkeConfigs();
      aggregators.rotateLeaderKey(5);
      List<long[]> ones = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        ones.add(new long[] {1});
      }

      UploadSummary summary = client.uploadAll(ones, 8, UploadProgress.NONE);

      assertThat(summary.allSucceeded()).isTrue();
      assertThat(aggregators.aggregateResult()).containsExactly(40);
      // The first fetch, then exactly one more however many uploads met outdatedConfig at once.
      assertThat(aggregators.leader().requests("GET", "/hpke_config")).hasSize(2);
      assertThat(aggregators.helper().requests("GET", "/hpke_config")).hasSize(2);
    }
  }

  @Test
  void interruptingTheCallerCancelsUploadsInFlight(TestInfo info) throws Exception {
    long seed = TestRandom.seed(info.getDisplayName());
    VdafInstance vdaf = new VdafInstance.Prio3Count();
    try (FakeAggregators aggregators = new FakeAggregators(TaskId.random(TestRandom.secureRandom(seed)), vdaf, seed)) {
      CountDownLatch arrived = new CountDownLatch(2);
      CountDownLatch release = new CountDownLatch(1);
      aggregators.leader().handle("PUT", "/tasks/*", request -> {
        arrived.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return TestDapServer.Reply.status(201);
      });
      Client client = Client.builder(aggregators.taskId(), aggregators.leader().endpoint(),
              aggregators.helper().endpoint(), DapDuration.ofSeconds(60), vdaf)
          .clock(new MockClock())
          .random(TestRandom.secureRandom(seed))
          .retryPolicy(RetryPolicy.NONE)
          .build();
      List<long[]> ones = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        ones.add(new long[] {1});
      }
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      AtomicBoolean flagSet = new AtomicBoolean();
      Thread caller = Thread.ofPlatform().start(() -> {
        try {
          client.uploadAll(ones, 2, UploadProgress.NONE);
        } catch (Throwable t) {
          thrown.set(t);
          flagSet.set(Thread.currentThread().isInterrupted());
        }
      });

      arrived.await();
      caller.interrupt();
      caller.join();
      release.countDown();

      assertThat(thrown.get()).isInstanceOf(DapTransportException.class).hasMessageContaining("interrupted after");
      assertThat(flagSet).isTrue();
      assertThat(aggregators.leader().requests("PUT", "/")).hasSize(2);
    }
  }
}
