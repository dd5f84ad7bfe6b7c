package io.janus.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ReportWriteBatcherTest {
  /** A delay far longer than any test, so only a free writer or the size limit can close a batch. */
  private static final long FOREVER_MS = 3_600_000;

  /**
   * A writer whose first call blocks until {@link #release}, so that later items queue up behind it, and which
   * records every batch it is given.
   */
  private static final class GatedWriter<T> implements Function<List<T>, List<T>> {
    final List<List<T>> calls = new CopyOnWriteArrayList<>();
    final CountDownLatch firstCallStarted = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public List<T> apply(List<T> items) {
      calls.add(List.copyOf(items));
      if (calls.size() == 1) {
        firstCallStarted.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }
      return items;
    }
  }

  @Test
  void writesALoneItemAtOnceWhenAWriterIsFree() throws Exception {
    try (ReportWriteBatcher<Integer, Integer> batcher =
        new ReportWriteBatcher<>("test", 100, FOREVER_MS, 1, items -> items.stream().map(i -> i * 2).toList())) {
      // The delay is an hour: only the free writer can have closed this batch.
      assertThat(batcher.submit(21).get(10, TimeUnit.SECONDS)).isEqualTo(42);
    }
  }

  @Test
  void gathersWhatArrivesWhileEveryWriterIsBusyIntoOneBatch() throws Exception {
    GatedWriter<Integer> writer = new GatedWriter<>();
    try (ReportWriteBatcher<Integer, Integer> batcher = new ReportWriteBatcher<>("test", 100, FOREVER_MS, 1,
        writer)) {
      CompletableFuture<Integer> first = batcher.submit(0);
      assertThat(writer.firstCallStarted.await(10, TimeUnit.SECONDS)).isTrue();
      List<CompletableFuture<Integer>> queued = new ArrayList<>();
      for (int i = 1; i <= 5; i++) {
        queued.add(batcher.submit(i));
      }
      writer.release.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(0);
      for (int i = 0; i < 5; i++) {
        assertThat(queued.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i + 1);
      }
    }
    assertThat(writer.calls).containsExactly(List.of(0), List.of(1, 2, 3, 4, 5));
  }

  @Test
  void splitsWhatQueuedBeyondTheBatchSizeIntoSeveralBatches() throws Exception {
    GatedWriter<Integer> writer = new GatedWriter<>();
    try (ReportWriteBatcher<Integer, Integer> batcher = new ReportWriteBatcher<>("test", 2, FOREVER_MS, 1, writer)) {
      List<CompletableFuture<Integer>> results = new ArrayList<>();
      results.add(batcher.submit(0));
      assertThat(writer.firstCallStarted.await(10, TimeUnit.SECONDS)).isTrue();
      for (int i = 1; i <= 4; i++) {
        results.add(batcher.submit(i));
      }
      writer.release.countDown();
      for (CompletableFuture<Integer> r : results) {
        r.get(10, TimeUnit.SECONDS);
      }
    }
    assertThat(writer.calls).containsExactly(List.of(0), List.of(1, 2), List.of(3, 4));
  }

  @Test
  void writesOnAFurtherWriterOnceTheDelayHasPassedWhileEveryWriterIsBusy() throws Exception {
    GatedWriter<Integer> writer = new GatedWriter<>();
    try (ReportWriteBatcher<Integer, Integer> batcher = new ReportWriteBatcher<>("test", 100, 1, 1, writer)) {
      CompletableFuture<Integer> stuck = batcher.submit(0);
      assertThat(writer.firstCallStarted.await(10, TimeUnit.SECONDS)).isTrue();
      // The only writer stays blocked; after 1 ms the queued item goes out on a second one.
      assertThat(batcher.submit(1).get(10, TimeUnit.SECONDS)).isEqualTo(1);
      assertThat(stuck).isNotDone();
      writer.release.countDown();
      assertThat(stuck.get(10, TimeUnit.SECONDS)).isEqualTo(0);
    }
  }

  @Test
  void failsEveryItemOfABatchWhoseWriteFails() throws Exception {
    CountDownLatch failing = new CountDownLatch(1);
    try (ReportWriteBatcher<Integer, Integer> batcher = new ReportWriteBatcher<>("test", 10, FOREVER_MS, 1,
        items -> {
          try {
            failing.await();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          throw new IllegalStateException("database down");
        })) {
      CompletableFuture<Integer> a = batcher.submit(1);
      CompletableFuture<Integer> b = batcher.submit(2);
      CompletableFuture<Integer> c = batcher.submit(3);
      failing.countDown();
      for (CompletableFuture<Integer> r : List.of(a, b, c)) {
        assertThatThrownBy(r::get).isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(IllegalStateException.class);
      }
    }
  }

  @Test
  void closeWritesWhatIsQueuedAndThenRefusesNewItems() throws Exception {
    GatedWriter<Integer> writer = new GatedWriter<>();
    ReportWriteBatcher<Integer, Integer> batcher = new ReportWriteBatcher<>("test", 100, FOREVER_MS, 1, writer);
    CompletableFuture<Integer> first = batcher.submit(6);
    assertThat(writer.firstCallStarted.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Integer> queued = batcher.submit(7);
    CompletableFuture<Void> closing = CompletableFuture.runAsync(batcher::close);
    writer.release.countDown();
    closing.get(10, TimeUnit.SECONDS);
    assertThat(first.get()).isEqualTo(6);
    assertThat(queued.get()).isEqualTo(7);
    assertThatThrownBy(() -> batcher.submit(8)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void rejectsAWriterThatLosesResults() {
    try (ReportWriteBatcher<Integer, Integer> batcher =
        new ReportWriteBatcher<>("test", 1, FOREVER_MS, 1, items -> List.of())) {
      assertThatThrownBy(() -> batcher.submit(1).get()).hasCauseInstanceOf(IllegalStateException.class);
    }
  }
}
