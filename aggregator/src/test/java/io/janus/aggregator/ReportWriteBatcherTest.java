package io.janus.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class ReportWriteBatcherTest {
  /** A delay far longer than any test, so only the size limit can close a batch. */
  private static final long FOREVER_MS = 3_600_000;

  @Test
  void writesAFullBatchInOneCallAndAnswersEachItem() throws Exception {
    List<List<Integer>> calls = new CopyOnWriteArrayList<>();
    try (ReportWriteBatcher<Integer, String> batcher = new ReportWriteBatcher<>("test", 3, FOREVER_MS, items -> {
      calls.add(List.copyOf(items));
      return items.stream().map(i -> "done " + i).toList();
    })) {
      List<CompletableFuture<String>> results = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        results.add(batcher.submit(i));
      }
      for (int i = 0; i < 3; i++) {
        assertThat(results.get(i).get()).isEqualTo("done " + i);
      }
    }
    assertThat(calls).containsExactly(List.of(0, 1, 2));
  }

  @Test
  void splitsMoreItemsThanTheBatchSizeIntoSeveralBatches() throws Exception {
    List<List<Integer>> calls = new CopyOnWriteArrayList<>();
    try (ReportWriteBatcher<Integer, Integer> batcher = new ReportWriteBatcher<>("test", 2, FOREVER_MS, items -> {
      calls.add(List.copyOf(items));
      return items;
    })) {
      List<CompletableFuture<Integer>> results = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        results.add(batcher.submit(i));
      }
      for (CompletableFuture<Integer> r : results) {
        r.get();
      }
    }
    assertThat(calls).allSatisfy(c -> assertThat(c).hasSize(2));
    assertThat(calls.stream().flatMap(List::stream).sorted().toList()).containsExactly(0, 1, 2, 3);
  }

  @Test
  void writesALoneItemOnceTheDelayHasPassed() throws Exception {
    try (ReportWriteBatcher<Integer, Integer> batcher =
        new ReportWriteBatcher<>("test", 100, 1, items -> items.stream().map(i -> i * 2).toList())) {
      // Nothing else arrives: only the delay can close this batch.
      assertThat(batcher.submit(21).get()).isEqualTo(42);
    }
  }

  @Test
  void failsEveryItemOfABatchWhoseWriteFails() {
    try (ReportWriteBatcher<Integer, Integer> batcher = new ReportWriteBatcher<>("test", 2, FOREVER_MS, items -> {
      throw new IllegalStateException("database down");
    })) {
      CompletableFuture<Integer> a = batcher.submit(1);
      CompletableFuture<Integer> b = batcher.submit(2);
      assertThatThrownBy(a::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IllegalStateException.class);
      assertThatThrownBy(b::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void closeWritesWhatIsQueuedAndThenRefusesNewItems() throws Exception {
    ReportWriteBatcher<Integer, Integer> batcher = new ReportWriteBatcher<>("test", 100, FOREVER_MS, items -> items);
    CompletableFuture<Integer> queued = batcher.submit(7);
    batcher.close();
    assertThat(queued.get()).isEqualTo(7);
    assertThatThrownBy(() -> batcher.submit(8)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void rejectsAWriterThatLosesResults() {
    try (ReportWriteBatcher<Integer, Integer> batcher =
        new ReportWriteBatcher<>("test", 1, FOREVER_MS, items -> List.of())) {
      assertThatThrownBy(() -> batcher.submit(1).get()).hasCauseInstanceOf(IllegalStateException.class);
    }
  }
}
