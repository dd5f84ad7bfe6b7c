package io.janus.server.datastore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.server.datastore.model.AggregateShareJob;
import io.janus.server.datastore.model.AggregationJob;
import io.janus.server.datastore.model.AggregationJobState;
import io.janus.server.datastore.model.BatchAggregation;
import io.janus.server.datastore.model.BatchAggregationState;
import io.janus.server.datastore.model.BatchIdentifier;
import io.janus.server.datastore.model.BatchSizeRange;
import io.janus.server.datastore.model.CollectionJob;
import io.janus.server.datastore.model.CollectionJobState;
import io.janus.server.datastore.model.CollectionQueryKind;
import io.janus.server.datastore.model.OutstandingBatch;
import io.janus.server.datastore.model.OutstandingBatchState;
import io.janus.server.datastore.model.ReportAggregation;
import io.janus.server.datastore.model.ReportAggregationState;
import io.janus.server.datastore.model.ReportFailure;
import io.janus.server.datastore.model.TaskAggregationCounter;
import io.janus.server.datastore.model.TaskUploadCounter;
import io.janus.server.datastore.model.TaskprovPeerAggregator;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.server.testing.Fixtures;
import io.janus.server.testing.TestDatabase;
import io.janus.messages.BatchId;
import io.janus.messages.DapDuration;
import io.janus.messages.Interval;
import io.janus.messages.Role;
import io.janus.messages.Time;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Aggregate share jobs, outstanding batches, counters and taskprov peers. */
class SmallTablesTest {
  private static TestDatabase db;
  private final Fixtures f = new Fixtures();

  @BeforeAll
  static void setUp() {
    db = TestDatabase.create();
  }

  @AfterAll
  static void tearDown() {
    db.close();
  }

  private Task task(Task.Builder b) {
    Task t = b.build();
    run((Tx tx) -> tx.tasks().put(t));
    return t;
  }

  private static BatchIdentifier hours(long start, long n) {
    return new BatchIdentifier.TimeInterval(new Interval(new Time(start * 3600), DapDuration.ofSeconds(n * 3600)));
  }

  @Test
  void aggregateShareJobs() {
    Task t = task(f.helperTask());
    AggregateShareJob a = new AggregateShareJob(t.id(), hours(10, 2), new byte[] {1}, f.bytes(16), 20, f.bytes(32));
    AggregateShareJob a2 = new AggregateShareJob(t.id(), hours(10, 2), new byte[] {2}, f.bytes(16), 20, f.bytes(32));
    AggregateShareJob b = new AggregateShareJob(t.id(), hours(20, 1), new byte[] {1}, f.bytes(16), 5, f.bytes(32));
    AggregateShareJob fixed = new AggregateShareJob(t.id(), new BatchIdentifier.FixedSize(f.batchId()), new byte[0],
        f.bytes(16), 5, f.bytes(32));
    for (AggregateShareJob j : List.of(a, a2, b, fixed)) {
      assertThat(run((Tx tx) -> tx.aggregateShareJobs().put(j))).isTrue();
    }
    assertThat(run((Tx tx) -> tx.aggregateShareJobs().put(a))).isFalse();
    assertThat(run((Tx tx) -> tx.aggregateShareJobs().get(t.id(), a.batchIdentifier(), new byte[] {1})))
        .contains(a);
    assertThat(run((Tx tx) -> tx.aggregateShareJobs().get(t.id(), fixed.batchIdentifier(), new byte[0])))
        .contains(fixed);
    assertThat(run((Tx tx) -> tx.aggregateShareJobs().get(t.id(), a.batchIdentifier(), new byte[] {3}))).isEmpty();
    assertThat(run((Tx tx) -> tx.aggregateShareJobs().countAggregationParameters(t.id(), a.batchIdentifier())))
        .isEqualTo(2);
    assertThat(run((Tx tx) -> tx.aggregateShareJobs().findOverlapping(t.id(),
        new Interval(new Time(11 * 3600), DapDuration.ofSeconds(3600))))).containsExactlyInAnyOrder(a, a2);
    assertThat(run((Tx tx) -> tx.aggregateShareJobs().deleteExpired(t.id(), new Time(15 * 3600), 1))).isEqualTo(1);
    assertThat(run((Tx tx) -> tx.aggregateShareJobs().deleteExpired(t.id(), new Time(15 * 3600), 10))).isEqualTo(1);
    assertThat(run((Tx tx) -> tx.aggregateShareJobs().countAggregationParameters(t.id(), a.batchIdentifier())))
        .isZero();
    assertThat(run((Tx tx) -> tx.aggregateShareJobs().get(t.id(), b.batchIdentifier(), new byte[] {1})))
        .contains(b);
  }

  @Test
  void outstandingBatches() {
    Task t = task(f.leaderTask());
    BatchId b1 = f.batchId();
    BatchId b2 = f.batchId();
    BatchId bucketed = f.batchId();
    assertThat(run((Tx tx) -> tx.outstandingBatches().put(t.id(), b1, Optional.empty()))).isTrue();
    assertThat(run((Tx tx) -> tx.outstandingBatches().put(t.id(), b2, Optional.empty()))).isTrue();
    assertThat(run((Tx tx) -> tx.outstandingBatches().put(t.id(), bucketed, Optional.of(new Time(3600)))))
        .isTrue();
    assertThat(run((Tx tx) -> tx.outstandingBatches().put(t.id(), b1, Optional.empty()))).isFalse();
    assertThat(run((Tx tx) -> tx.outstandingBatches().listFilling(t.id(), Optional.empty())))
        .extracting(OutstandingBatch::batchId).containsExactlyInAnyOrder(b1, b2);
    assertThat(run((Tx tx) -> tx.outstandingBatches().listFilling(t.id(), Optional.of(new Time(3600)))))
        .containsExactly(new OutstandingBatch(t.id(), bucketed, Optional.of(new Time(3600)),
            OutstandingBatchState.FILLING));
    assertThat(run((Tx tx) -> tx.outstandingBatches().markFilled(t.id(), b1))).isTrue();
    assertThat(run((Tx tx) -> tx.outstandingBatches().listFilling(t.id(), Optional.empty())))
        .extracting(OutstandingBatch::batchId).containsExactly(b2);

    // Size: two finished, one still in progress, one failed.
    AggregationJob job = new AggregationJob(t.id(), f.aggregationJobId(), new byte[0], Optional.of(b2),
        new Interval(new Time(0), DapDuration.ofSeconds(10)), AggregationJobState.IN_PROGRESS, 0, Optional.empty());
    run((Tx tx) -> tx.aggregationJobs().put(job));
    List<ReportAggregationState> states = List.of(new ReportAggregationState.Finished(),
        new ReportAggregationState.Finished(), new ReportAggregationState.WaitingLeader(f.bytes(2)),
        new ReportAggregationState.Failed(ReportFailure.HPKE_DECRYPT_ERROR));
    run((Tx tx) -> {
      for (int i = 0; i < states.size(); i++) {
        tx.reportAggregations().putAll(List.of(new ReportAggregation(t.id(), job.id(), f.reportId(), new Time(i), i,
            Optional.empty(), states.get(i))));
      }
      return null;
    });
    assertThat(run((Tx tx) -> tx.outstandingBatches().size(t.id(), b2))).isEqualTo(new BatchSizeRange(2, 3));
    assertThat(run((Tx tx) -> tx.outstandingBatches().size(t.id(), b1))).isEqualTo(new BatchSizeRange(0, 0));
    assertThat(run((Tx tx) -> tx.outstandingBatches().delete(t.id(), b2))).isTrue();
    assertThat(run((Tx tx) -> tx.outstandingBatches().listFilling(t.id(), Optional.empty()))).isEmpty();
  }

  private static Interval span(long startS, long endS) {
    return new Interval(new Time(startS), DapDuration.ofSeconds(endS - startS));
  }

  private void putShard(Task t, BatchIdentifier batch, byte[] param, int ord, Interval cti) {
    run((Tx tx) -> tx.batchAggregations().put(new BatchAggregation(t.id(), batch, param, ord,
        BatchAggregationState.AGGREGATING, Optional.empty(), 1, f.bytes(32), cti, 0, 0)));
  }

  private void putFixedJob(Task t, BatchId batch, Interval cti) {
    run((Tx tx) -> tx.aggregationJobs().put(new AggregationJob(t.id(), f.aggregationJobId(), new byte[0],
        Optional.of(batch), cti, AggregationJobState.FINISHED, 1, Optional.empty())));
  }

  @Test
  void outstandingBatchesDeleteExpiredTakesOnlyBatchesWhoseReportsAllExpired() {
    long threshold = 10 * 3600;
    Task windowed = task(f.leaderTask().queryType(new QueryType.FixedSize(OptionalLong.empty(),
        Optional.of(DapDuration.ofSeconds(3600)))));
    BatchId bucketOld = f.batchId();
    BatchId bucketEndsAtThreshold = f.batchId();
    BatchId bucketOldButCollecting = f.batchId();
    run((Tx tx) -> {
      tx.outstandingBatches().put(windowed.id(), bucketOld, Optional.of(new Time(8 * 3600)));
      tx.outstandingBatches().put(windowed.id(), bucketEndsAtThreshold, Optional.of(new Time(9 * 3600)));
      tx.outstandingBatches().put(windowed.id(), bucketOldButCollecting, Optional.of(new Time(3600)));
      return tx.collectionJobs().put(new CollectionJob(windowed.id(), f.collectionJobId(),
          CollectionQueryKind.BY_BATCH_ID, new byte[0], new BatchIdentifier.FixedSize(bucketOldButCollecting),
          new CollectionJobState.Start()));
    });

    Task plain = task(f.leaderTask().queryType(new QueryType.FixedSize(OptionalLong.empty(), Optional.empty())));
    BatchId jobsOld = f.batchId();
    BatchId jobFresh = f.batchId();
    BatchId shardFresh = f.batchId();
    BatchId nothingLeft = f.batchId();
    for (BatchId b : List.of(jobsOld, jobFresh, shardFresh, nothingLeft)) {
      run((Tx tx) -> tx.outstandingBatches().put(plain.id(), b, Optional.empty()));
    }
    putFixedJob(plain, jobsOld, span(0, 3600));
    putFixedJob(plain, jobsOld, span(3600, threshold - 1));
    putFixedJob(plain, jobFresh, span(0, 3600));
    putFixedJob(plain, jobFresh, span(3600, threshold));
    putFixedJob(plain, shardFresh, span(0, 3600));
    putShard(plain, new BatchIdentifier.FixedSize(shardFresh), new byte[0], 0, span(7200, threshold + 5));
    // Another task's batch with the same ID must not keep or take this one.
    putShard(windowed, new BatchIdentifier.FixedSize(nothingLeft), new byte[0], 0, span(0, threshold + 5));

    Time t = new Time(threshold);
    assertThat(run((Tx tx) -> tx.outstandingBatches().deleteExpired(windowed.id(), t, 10))).isEqualTo(1);
    assertThat(run((Tx tx) -> tx.outstandingBatches().deleteExpired(plain.id(), t, 1))).isEqualTo(1);
    assertThat(run((Tx tx) -> tx.outstandingBatches().deleteExpired(plain.id(), t, 10))).isEqualTo(1);
    assertThat(run((Tx tx) -> tx.outstandingBatches().deleteExpired(plain.id(), t, 10))).isZero();
    assertThat(run((Tx tx) -> tx.outstandingBatches().listFilling(windowed.id(), Optional.of(new Time(8 * 3600)))))
        .isEmpty();
    assertThat(run((Tx tx) -> tx.outstandingBatches().listFilling(windowed.id(), Optional.of(new Time(9 * 3600)))))
        .extracting(OutstandingBatch::batchId).containsExactly(bucketEndsAtThreshold);
    assertThat(run((Tx tx) -> tx.outstandingBatches().listFilling(windowed.id(), Optional.of(new Time(3600)))))
        .extracting(OutstandingBatch::batchId).containsExactly(bucketOldButCollecting);
    assertThat(run((Tx tx) -> tx.outstandingBatches().listFilling(plain.id(), Optional.empty())))
        .extracting(OutstandingBatch::batchId).containsExactlyInAnyOrder(jobFresh, shardFresh);
  }

  @Test
  void aggregateShareJobsDeleteExpiredJudgesFixedSizeBatchesByTheirShards() {
    long threshold = 3 * 3600;
    Task t = task(f.helperTask().queryType(new QueryType.FixedSize(OptionalLong.empty(), Optional.empty())));
    byte[] p = {7};
    BatchIdentifier old = new BatchIdentifier.FixedSize(f.batchId());
    BatchIdentifier fresh = new BatchIdentifier.FixedSize(f.batchId());
    BatchIdentifier mixed = new BatchIdentifier.FixedSize(f.batchId());
    BatchIdentifier noShard = new BatchIdentifier.FixedSize(f.batchId());
    putShard(t, old, p, 0, span(0, 3600));
    putShard(t, old, p, 1, span(3600, threshold - 1));
    putShard(t, fresh, p, 0, span(3600, threshold));
    putShard(t, mixed, p, 0, span(0, 3600));
    putShard(t, mixed, p, 1, span(0, threshold + 1));
    for (BatchIdentifier b : List.of(old, fresh, mixed, noShard)) {
      run((Tx tx) -> tx.aggregateShareJobs().put(new AggregateShareJob(t.id(), b, p, f.bytes(16), 2, f.bytes(32))));
    }
    // The same batch under a parameter it holds no shard for gives no time to judge by.
    run((Tx tx) -> tx.aggregateShareJobs().put(new AggregateShareJob(t.id(), old, new byte[] {8}, f.bytes(16), 2,
        f.bytes(32))));

    Time th = new Time(threshold);
    // The shards of a batch with an aggregate share job stay until the job goes.
    assertThat(run((Tx tx) -> tx.batchAggregations().deleteExpired(t.id(), th, 10))).isZero();
    assertThat(run((Tx tx) -> tx.aggregateShareJobs().deleteExpired(t.id(), th, 10))).isEqualTo(1);
    assertThat(run((Tx tx) -> tx.aggregateShareJobs().deleteExpired(t.id(), th, 10))).isZero();
    assertThat(run((Tx tx) -> tx.aggregateShareJobs().get(t.id(), old, p))).isEmpty();
    for (BatchIdentifier b : List.of(fresh, mixed, noShard)) {
      assertThat(run((Tx tx) -> tx.aggregateShareJobs().get(t.id(), b, p))).isPresent();
    }
    assertThat(run((Tx tx) -> tx.aggregateShareJobs().get(t.id(), old, new byte[] {8}))).isPresent();
    assertThat(run((Tx tx) -> tx.batchAggregations().deleteExpired(t.id(), th, 10))).isEqualTo(2);
    assertThat(run((Tx tx) -> tx.batchAggregations().getAll(t.id(), old, p))).isEmpty();
  }

  @Test
  void acquireReadyTakesFilledBatchesFirstFromAnyTimeBucket() {
    Task t = task(f.leaderTask());
    BatchId fillingOne = f.batchId();
    BatchId filledTwo = f.batchId();
    BatchId fillingThree = f.batchId();
    BatchId filledNone = f.batchId();
    run((Tx tx) -> {
      tx.outstandingBatches().put(t.id(), fillingOne, Optional.empty());
      tx.outstandingBatches().put(t.id(), filledTwo, Optional.of(new Time(7200)));
      tx.outstandingBatches().put(t.id(), fillingThree, Optional.of(new Time(3600)));
      tx.outstandingBatches().put(t.id(), filledNone, Optional.empty());
      tx.outstandingBatches().markFilled(t.id(), filledTwo);
      tx.outstandingBatches().markFilled(t.id(), filledNone);
      return null;
    });
    finishedReports(t, fillingOne, 1);
    finishedReports(t, filledTwo, 2);
    finishedReports(t, fillingThree, 3);
    // A failed report does not count towards the minimum.
    run((Tx tx) -> {
      AggregationJob job = job(t, filledNone);
      tx.aggregationJobs().put(job);
      tx.reportAggregations().putAll(List.of(new ReportAggregation(t.id(), job.id(), f.reportId(), new Time(0), 0,
          Optional.empty(), new ReportAggregationState.Failed(ReportFailure.VDAF_PREP_ERROR))));
      return null;
    });

    assertThat(run((Tx tx) -> tx.outstandingBatches().acquireReady(t.id(), 4))).isEmpty();
    assertThat(run((Tx tx) -> tx.outstandingBatches().acquireReady(t.id(), 2))).contains(
        new OutstandingBatch(t.id(), filledTwo, Optional.of(new Time(7200)), OutstandingBatchState.FILLED));
    assertThat(run((Tx tx) -> tx.outstandingBatches().acquireReady(t.id(), 2))).contains(
        new OutstandingBatch(t.id(), fillingThree, Optional.of(new Time(3600)), OutstandingBatchState.FILLING));
    // Acquired batches are out of the outstanding set.
    assertThat(run((Tx tx) -> tx.outstandingBatches().acquireReady(t.id(), 2))).isEmpty();
    assertThat(run((Tx tx) -> tx.outstandingBatches().listFilling(t.id(), Optional.of(new Time(3600))))).isEmpty();
    assertThat(run((Tx tx) -> tx.outstandingBatches().acquireReady(t.id(), 0)).map(OutstandingBatch::batchId))
        .contains(filledNone);
    assertThat(run((Tx tx) -> tx.outstandingBatches().acquireReady(t.id(), 1)).map(OutstandingBatch::batchId))
        .contains(fillingOne);
    assertThat(run((Tx tx) -> tx.outstandingBatches().acquireReady(t.id(), 0))).isEmpty();
    assertThatThrownBy(() -> run((Tx tx) -> tx.outstandingBatches().acquireReady(t.id(), -1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private AggregationJob job(Task t, BatchId batchId) {
    return new AggregationJob(t.id(), f.aggregationJobId(), new byte[0], Optional.of(batchId),
        new Interval(new Time(0), DapDuration.ofSeconds(10)), AggregationJobState.IN_PROGRESS, 0, Optional.empty());
  }

  /** Stores an aggregation job for {@code batchId} with {@code n} finished report aggregations. */
  private void finishedReports(Task t, BatchId batchId, int n) {
    run((Tx tx) -> {
      AggregationJob job = job(t, batchId);
      tx.aggregationJobs().put(job);
      for (int i = 0; i < n; i++) {
        tx.reportAggregations().putAll(List.of(new ReportAggregation(t.id(), job.id(), f.reportId(), new Time(i), i,
            Optional.empty(), new ReportAggregationState.Finished())));
      }
      return null;
    });
  }

  @Test
  void countersSumOverShards() {
    Task t = task(f.leaderTask());
    TaskUploadCounter success = new TaskUploadCounter(0, 0, 0, 0, 0, 1, 0, 0);
    TaskUploadCounter mixed = new TaskUploadCounter(1, 2, 3, 4, 5, 6, 7, 8);
    for (int i = 0; i < 50; i++) {
      run((Tx tx) -> tx.taskCounters().incrementUpload(t.id(), 4, success));
    }
    run((Tx tx) -> tx.taskCounters().incrementUpload(t.id(), 4, mixed));
    assertThat(run((Tx tx) -> tx.taskCounters().getUpload(t.id())))
        .isEqualTo(new TaskUploadCounter(1, 2, 3, 4, 5, 56, 7, 8));
    Long shards = run((Tx tx) -> {
      try (var ps = tx.prepare("SELECT count(*) FROM task_upload_counters")) {
        var rs = ps.executeQuery();
        rs.next();
        return rs.getLong(1);
      } catch (java.sql.SQLException e) {
        throw tx.fail("test", e);
      }
    });
    assertThat(shards).isBetween(1L, 4L);

    TaskAggregationCounter agg = TaskAggregationCounter.ZERO
        .plus(TaskAggregationCounter.ofFailure(ReportFailure.REPORT_REPLAYED))
        .plus(new TaskAggregationCounter(3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    run((Tx tx) -> tx.taskCounters().incrementAggregation(t.id(), 8, agg));
    run((Tx tx) -> tx.taskCounters().incrementAggregation(t.id(), 8, agg));
    assertThat(run((Tx tx) -> tx.taskCounters().getAggregation(t.id())))
        .isEqualTo(new TaskAggregationCounter(6, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0));
    assertThat(run((Tx tx) -> tx.taskCounters().incrementUpload(f.taskId(), 4, success))).isFalse();
    assertThat(run((Tx tx) -> tx.taskCounters().getUpload(f.taskId()))).isEqualTo(TaskUploadCounter.ZERO);
  }

  @Test
  void taskprovPeers() {
    TaskprovPeerAggregator helper = new TaskprovPeerAggregator(URI.create("https://helper.example/"), Role.HELPER,
        f.bytes(32), f.hpkeConfig(5), Optional.of(DapDuration.ofSeconds(86400)), DapDuration.ofSeconds(60),
        List.of(f.token(), f.token()), List.of(f.token()));
    TaskprovPeerAggregator leader = new TaskprovPeerAggregator(URI.create("https://leader.example/"), Role.LEADER,
        f.bytes(32), f.hpkeConfig(6), Optional.empty(), DapDuration.ZERO, List.of(f.token()), List.of());
    assertThat(run((Tx tx) -> tx.taskprovPeers().put(helper))).isTrue();
    assertThat(run((Tx tx) -> tx.taskprovPeers().put(leader))).isTrue();
    assertThat(run((Tx tx) -> tx.taskprovPeers().put(helper))).isFalse();
    assertThat(run((Tx tx) -> tx.taskprovPeers().get(helper.endpoint(), Role.HELPER))).contains(helper);
    assertThat(run((Tx tx) -> tx.taskprovPeers().get(helper.endpoint(), Role.LEADER))).isEmpty();
    assertThat(run((Tx tx) -> tx.taskprovPeers().getAll())).containsExactly(helper, leader);
    assertThat(run((Tx tx) -> tx.taskprovPeers().delete(helper.endpoint(), Role.HELPER))).isTrue();
    assertThat(run((Tx tx) -> tx.taskprovPeers().getAll())).containsExactly(leader);
  }

  private static <T> T run(TxBody<T> body) {
    return db.datastore().run("test", body);
  }
}
