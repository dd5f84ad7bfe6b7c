package io.janus.server.datastore;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.server.datastore.model.AggregationJobCounts;
import io.janus.server.datastore.model.BatchAggregation;
import io.janus.server.datastore.model.BatchAggregationState;
import io.janus.server.datastore.model.BatchIdentifier;
import io.janus.core.task.Task;
import io.janus.server.testing.Fixtures;
import io.janus.server.testing.TestDatabase;
import io.janus.server.testing.TestThreads;
import io.janus.messages.DapDuration;
import io.janus.messages.Interval;
import io.janus.messages.Time;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BatchAggregationsTableTest {
  private static TestDatabase db;
  private final Fixtures f = new Fixtures();
  private final byte[] param = new byte[] {7};

  @BeforeAll
  static void setUp() {
    db = TestDatabase.create();
  }

  @AfterAll
  static void tearDown() {
    db.close();
  }

  private Task task() {
    Task t = f.leaderTask().build();
    run((Tx tx) -> tx.tasks().put(t));
    return t;
  }

  private static BatchIdentifier hour(long startHour) {
    return new BatchIdentifier.TimeInterval(new Interval(new Time(startHour * 3600), DapDuration.ofSeconds(3600)));
  }

  @Test
  void putGetMergeUpdateAndSumShards() {
    Task t = task();
    BatchIdentifier batch = new BatchIdentifier.FixedSize(f.batchId());
    BatchAggregation s0 = BatchAggregation.empty(t.id(), batch, param, 0).withJobCounts(2, 0);
    BatchAggregation s3 = BatchAggregation.empty(t.id(), batch, param, 3).withJobCounts(1, 1);
    assertThat(run((Tx tx) -> tx.batchAggregations().put(s0))).isTrue();
    assertThat(run((Tx tx) -> tx.batchAggregations().put(s3))).isTrue();
    assertThat(run((Tx tx) -> tx.batchAggregations().put(s0))).isFalse();
    assertThat(run((Tx tx) -> tx.batchAggregations().get(t.id(), batch, param, 0))).contains(s0);
    assertThat(run((Tx tx) -> tx.batchAggregations().get(t.id(), batch, new byte[0], 0))).isEmpty();

    byte[] checksum = f.bytes(32);
    BatchAggregation merged = run((Tx tx) -> {
      BatchAggregation cur = tx.batchAggregations().get(t.id(), batch, param, 0).orElseThrow();
      Interval added = new Interval(new Time(50), DapDuration.ofSeconds(10));
      BatchAggregation next = cur.withMerged(f.bytes(16), 5, checksum, added).withJobCounts(0, 1);
      tx.batchAggregations().update(next);
      return next;
    });
    assertThat(merged.checksum()).isEqualTo(checksum);
    assertThat(run((Tx tx) -> tx.batchAggregations().getAll(t.id(), batch, param))).containsExactly(merged, s3);
    assertThat(run((Tx tx) -> tx.batchAggregations().sumJobCounts(t.id(), batch, param)))
        .isEqualTo(new AggregationJobCounts(3, 2));
    assertThat(run((Tx tx) -> tx.batchAggregations().sumJobCounts(t.id(), batch, new byte[0])))
        .isEqualTo(new AggregationJobCounts(0, 0));
  }

  @Test
  void collectionCreatesMissingShardsMarksCollectedAndScrubs() {
    Task t = task();
    BatchIdentifier batch = hour(100);
    BatchAggregation s1 = BatchAggregation.empty(t.id(), batch, param, 1)
        .withMerged(f.bytes(8), 2, f.bytes(32), new Interval(new Time(360_000), DapDuration.ofSeconds(5)));
    run((Tx tx) -> tx.batchAggregations().put(s1));
    assertThat(run((Tx tx) -> tx.batchAggregations().createMissingShards(t.id(), batch, param, 4,
        BatchAggregationState.AGGREGATING))).isEqualTo(3);
    assertThat(run((Tx tx) -> tx.batchAggregations().markCollected(t.id(), batch, param))).isEqualTo(4);
    List<BatchAggregation> all = run((Tx tx) -> tx.batchAggregations().getAll(t.id(), batch, param));
    assertThat(all).extracting(BatchAggregation::ord).containsExactly(0, 1, 2, 3);
    assertThat(all).allSatisfy(b -> assertThat(b.state()).isEqualTo(BatchAggregationState.COLLECTED));
    assertThat(all.get(0)).isEqualTo(BatchAggregation.empty(t.id(), batch, param, 0)
        .withState(BatchAggregationState.COLLECTED));
    assertThat(all.get(1)).isEqualTo(s1.withState(BatchAggregationState.COLLECTED));

    assertThat(run((Tx tx) -> tx.batchAggregations().scrub(t.id(), batch, param))).isEqualTo(4);
    assertThat(run((Tx tx) -> tx.batchAggregations().get(t.id(), batch, param, 1)).orElseThrow())
        .satisfies(b -> {
          assertThat(b.state()).isEqualTo(BatchAggregationState.SCRUBBED);
          assertThat(b.aggregateShare()).isEmpty();
          assertThat(b.reportCount()).isEqualTo(2);
        });
  }

  @Test
  void addJobCountsUpsertsAndAnyCollectedSeesCollection() {
    Task t = task();
    BatchIdentifier batch = hour(200);
    assertThat(run((Tx tx) -> tx.batchAggregations().addJobCounts(t.id(), batch, param, 2, 3, 0)))
        .contains(BatchAggregationState.AGGREGATING);
    assertThat(run((Tx tx) -> tx.batchAggregations().addJobCounts(t.id(), batch, param, 2, 0, 2)))
        .contains(BatchAggregationState.AGGREGATING);
    assertThat(run((Tx tx) -> tx.batchAggregations().get(t.id(), batch, param, 2)))
        .contains(BatchAggregation.empty(t.id(), batch, param, 2).withJobCounts(3, 2));
    assertThat(run((Tx tx) -> tx.batchAggregations().addJobCounts(f.taskId(), batch, param, 2, 1, 0))).isEmpty();

    assertThat(run((Tx tx) -> tx.batchAggregations().anyCollected(t.id(), batch))).isFalse();
    run((Tx tx) -> tx.batchAggregations().markCollected(t.id(), batch, param));
    assertThat(run((Tx tx) -> tx.batchAggregations().anyCollected(t.id(), batch))).isTrue();
    assertThat(run((Tx tx) -> tx.batchAggregations().anyCollected(t.id(), hour(201)))).isFalse();
    assertThat(run((Tx tx) -> tx.batchAggregations().addJobCounts(t.id(), batch, param, 2, 1, 0)))
        .contains(BatchAggregationState.COLLECTED);
  }

  @Test
  void getAllInIntervalFindsTheTimeBucketsInside() {
    Task t = task();
    for (long h : new long[] {10, 11, 12, 14}) {
      run((Tx tx) -> tx.batchAggregations().put(BatchAggregation.empty(t.id(), hour(h), param, 0)));
    }
    run((Tx tx) -> tx.batchAggregations().put(BatchAggregation.empty(t.id(), hour(11), new byte[0], 0)));
    Interval query = new Interval(new Time(11 * 3600), DapDuration.ofSeconds(3 * 3600));
    assertThat(run((Tx tx) -> tx.batchAggregations().getAllInInterval(t.id(), query, param)))
        .extracting(BatchAggregation::batchIdentifier).containsExactlyInAnyOrder(hour(11), hour(12));
  }

  @Test
  void concurrentMergesIntoOneShardAreSerializedByRetry() throws Exception {
    Task t = task();
    BatchIdentifier batch = hour(1);
    run((Tx tx) -> tx.batchAggregations().put(BatchAggregation.empty(t.id(), batch, param, 0)));
    CountDownLatch aRead = new CountDownLatch(1);
    CountDownLatch bCommitted = new CountDownLatch(1);
    AtomicInteger aAttempts = new AtomicInteger();
    CompletableFuture<Boolean> a = TestThreads.start(() -> db.datastore().run("merge_a", (Tx tx) -> {
      BatchAggregation cur = tx.batchAggregations().get(t.id(), batch, param, 0).orElseThrow();
      if (aAttempts.incrementAndGet() == 1) {
        aRead.countDown();
        TestThreads.await(bCommitted);
      }
      return tx.batchAggregations().update(cur.withMerged(f.bytes(4), 1, new byte[32], Interval.EMPTY));
    }));
    TestThreads.await(aRead);
    run((Tx tx) -> {
      BatchAggregation cur = tx.batchAggregations().get(t.id(), batch, param, 0).orElseThrow();
      return tx.batchAggregations().update(cur.withMerged(f.bytes(4), 10, new byte[32], Interval.EMPTY));
    });
    bCommitted.countDown();
    assertThat(a.get(60, TimeUnit.SECONDS)).isTrue();
    assertThat(aAttempts.get()).isEqualTo(2);
    // Neither merge was lost.
    assertThat(run((Tx tx) -> tx.batchAggregations().get(t.id(), batch, param, 0)).orElseThrow().reportCount())
        .isEqualTo(11);
  }

  @Test
  void garbageCollectionDeletesWholeOldBatches() {
    Task t = task();
    BatchIdentifier old = hour(1);
    BatchIdentifier recent = hour(5);
    BatchIdentifier fixed = new BatchIdentifier.FixedSize(f.batchId());
    for (int ord = 0; ord < 3; ord++) {
      int o = ord;
      run((Tx tx) -> tx.batchAggregations().put(BatchAggregation.empty(t.id(), old, param, o)));
      run((Tx tx) -> tx.batchAggregations().put(BatchAggregation.empty(t.id(), recent, param, o)));
    }
    run((Tx tx) -> tx.batchAggregations().put(BatchAggregation.empty(t.id(), fixed, param, 0)
        .withMerged(f.bytes(2), 1, new byte[32], new Interval(new Time(100), DapDuration.ofSeconds(1)))));
    Time threshold = new Time(3 * 3600);
    assertThat(run((Tx tx) -> tx.batchAggregations().deleteExpired(t.id(), threshold, 2))).isEqualTo(2);
    assertThat(run((Tx tx) -> tx.batchAggregations().deleteExpired(t.id(), threshold, 10))).isEqualTo(2);
    assertThat(run((Tx tx) -> tx.batchAggregations().getAll(t.id(), old, param))).isEmpty();
    assertThat(run((Tx tx) -> tx.batchAggregations().getAll(t.id(), fixed, param))).isEmpty();
    assertThat(run((Tx tx) -> tx.batchAggregations().getAll(t.id(), recent, param))).hasSize(3);
  }

  private static <T> T run(TxBody<T> body) {
    return db.datastore().run("test", body);
  }
}
