package io.janus.server.datastore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.server.datastore.model.AcquiredCollectionJob;
import io.janus.server.datastore.model.BatchIdentifier;
import io.janus.server.datastore.model.CollectionJob;
import io.janus.server.datastore.model.CollectionJobState;
import io.janus.server.datastore.model.CollectionQueryKind;
import io.janus.server.datastore.model.Lease;
import io.janus.core.task.Task;
import io.janus.server.testing.Fixtures;
import io.janus.server.testing.TestDatabase;
import io.janus.messages.DapDuration;
import io.janus.messages.Interval;
import io.janus.messages.Time;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CollectionJobsTableTest {
  private static final Duration LEASE = Duration.ofMinutes(10);
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

  @BeforeEach
  void abandonLeftovers() {
    run((Tx tx) -> {
      try (var ps = tx.prepare("UPDATE collection_jobs SET state = 'ABANDONED'"
          + " WHERE state IN ('START', 'COLLECTING')")) {
        return ps.executeUpdate();
      } catch (java.sql.SQLException e) {
        throw tx.fail("test", e);
      }
    });
  }

  private Task task() {
    Task t = f.leaderTask().build();
    run((Tx tx) -> tx.tasks().put(t));
    return t;
  }

  private CollectionJob timeJob(Task t, long startHour, long hours) {
    return new CollectionJob(t.id(), f.collectionJobId(), CollectionQueryKind.TIME_INTERVAL, new byte[0],
        new BatchIdentifier.TimeInterval(new Interval(new Time(startHour * 3600), DapDuration.ofSeconds(hours * 3600))),
        new CollectionJobState.Start());
  }

  private CollectionJobState.Finished result() {
    return new CollectionJobState.Finished(42, new Interval(new Time(3600), DapDuration.ofSeconds(60)), f.bytes(16),
        f.ciphertext());
  }

  @Test
  void putGetAndGetForBatch() {
    Task t = task();
    CollectionJob a = timeJob(t, 1, 2);
    CollectionJob b = new CollectionJob(t.id(), f.collectionJobId(), CollectionQueryKind.CURRENT_BATCH,
        f.bytes(3), new BatchIdentifier.FixedSize(f.batchId()), result());
    assertThat(run((Tx tx) -> tx.collectionJobs().put(a))).isTrue();
    assertThat(run((Tx tx) -> tx.collectionJobs().put(b))).isTrue();
    assertThat(run((Tx tx) -> tx.collectionJobs().put(a))).isFalse();
    assertThat(run((Tx tx) -> tx.collectionJobs().get(t.id(), a.id()))).contains(a);
    assertThat(run((Tx tx) -> tx.collectionJobs().get(t.id(), b.id()))).contains(b);
    assertThat(run((Tx tx) -> tx.collectionJobs().get(t.id(), f.collectionJobId()))).isEmpty();
    assertThat(run((Tx tx) -> tx.collectionJobs().getForBatch(t.id(), b.batchIdentifier(),
        b.aggregationParameter()))).containsExactly(b);
    assertThatThrownBy(() -> new CollectionJob(t.id(), f.collectionJobId(), CollectionQueryKind.BY_BATCH_ID,
        new byte[0], a.batchIdentifier(), new CollectionJobState.Start()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void releaseKeepingAttemptsCountsOnAndHonoursTheDelay() {
    Task t = task();
    CollectionJob j = timeJob(t, 20, 1);
    run((Tx tx) -> tx.collectionJobs().put(j));
    Lease<AcquiredCollectionJob> first = mine(j, run((Tx tx) -> tx.collectionJobs().acquireIncomplete(LEASE, 50)));
    run((Tx tx) -> {
      tx.collectionJobs().releaseKeepingAttempts(first, Duration.ofSeconds(8));
      return null;
    });
    assertThatThrownBy(() -> run((Tx tx) -> {
      tx.collectionJobs().releaseKeepingAttempts(first, Duration.ZERO);
      return null;
    })).isInstanceOf(LeaseLostException.class);
    db.clock().advance(DapDuration.ofSeconds(7));
    assertThat(run((Tx tx) -> tx.collectionJobs().acquireIncomplete(LEASE, 50)))
        .noneMatch(l -> l.leased().jobId().equals(j.id()));
    db.clock().advance(DapDuration.ofSeconds(1));
    Lease<AcquiredCollectionJob> second = mine(j, run((Tx tx) -> tx.collectionJobs().acquireIncomplete(LEASE, 50)));
    assertThat(second.attempts()).isEqualTo(first.attempts() + 1);
    // A plain release restarts the count.
    run((Tx tx) -> {
      tx.collectionJobs().release(second, Duration.ZERO);
      return null;
    });
    Lease<AcquiredCollectionJob> third = mine(j, run((Tx tx) -> tx.collectionJobs().acquireIncomplete(LEASE, 50)));
    assertThat(third.attempts()).isEqualTo(1);
    run((Tx tx) -> {
      tx.collectionJobs().update(j.withState(new CollectionJobState.Abandoned()), third);
      return null;
    });
  }

  @Test
  void aFrozenAggregateSurvivesEveryLaterStateAndMarksTheBatchBegun() {
    Task t = task();
    CollectionJob collecting = timeJob(t, 40, 1);
    CollectionJob pending = timeJob(t, 41, 1);
    run((Tx tx) -> tx.collectionJobs().put(collecting));
    run((Tx tx) -> tx.collectionJobs().put(pending));
    Interval both = new Interval(new Time(40 * 3600), DapDuration.ofSeconds(2 * 3600));
    CollectionJobState.Collecting frozen = new CollectionJobState.Collecting(7,
        new Interval(new Time(40 * 3600 + 5), DapDuration.ofSeconds(60)), f.bytes(16), f.bytes(32));
    List<Lease<AcquiredCollectionJob>> leases = run((Tx tx) -> tx.collectionJobs().acquireIncomplete(LEASE, 50));
    Lease<AcquiredCollectionJob> lease = mine(collecting, leases);
    Lease<AcquiredCollectionJob> p = mine(pending, leases);
    run((Tx tx) -> {
      tx.collectionJobs().update(collecting.withState(frozen), lease);
      return null;
    });
    assertThat(run((Tx tx) -> tx.collectionJobs().get(t.id(), collecting.id())).orElseThrow().state())
        .isEqualTo(frozen);
    assertThat(run((Tx tx) -> tx.collectionJobs().covering(t.id(), both)))
        .extracting(CollectionJobsTable.Coverage::jobId, CollectionJobsTable.Coverage::frozen)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(collecting.id(), true),
            org.assertj.core.groups.Tuple.tuple(pending.id(), false));
    // A COLLECTING job is still leased (it waits for the Helper); failing it keeps the frozen aggregate.
    Lease<AcquiredCollectionJob> again = mine(collecting, run((Tx tx) -> {
      tx.collectionJobs().release(lease, Duration.ZERO);
      return tx.collectionJobs().acquireIncomplete(LEASE, 50);
    }));
    run((Tx tx) -> {
      tx.collectionJobs().update(collecting.withState(new CollectionJobState.Failed("batchMismatch", "refused")),
          again);
      return null;
    });
    assertThat(run((Tx tx) -> tx.collectionJobs().get(t.id(), collecting.id())).orElseThrow().state())
        .isEqualTo(new CollectionJobState.Failed("batchMismatch", "refused"));
    assertThat(run((Tx tx) -> tx.collectionJobs().covering(t.id(), both)))
        .filteredOn(CollectionJobsTable.Coverage::frozen).singleElement()
        .satisfies(c -> assertThat(c.jobId()).isEqualTo(collecting.id()));
    assertThat(run((Tx tx) -> tx.collectionJobs().anyRequestedAt(t.id(), new Time(40 * 3600 + 10)))).isTrue();
    assertThat(run((Tx tx) -> tx.collectionJobs().anyRequestedAt(t.id(), new Time(41 * 3600 + 10)))).isTrue();
    assertThat(run((Tx tx) -> tx.collectionJobs().anyRequestedAt(t.id(), new Time(42 * 3600)))).isFalse();
    // Abandoning the unbegun job frees its batch.
    run((Tx tx) -> {
      tx.collectionJobs().update(pending.withState(new CollectionJobState.Abandoned("gave up")), p);
      return null;
    });
    assertThat(run((Tx tx) -> tx.collectionJobs().get(t.id(), pending.id())).orElseThrow().state())
        .isEqualTo(new CollectionJobState.Abandoned("gave up"));
    assertThat(run((Tx tx) -> tx.collectionJobs().anyRequestedAt(t.id(), new Time(41 * 3600 + 10)))).isFalse();
    assertThat(run((Tx tx) -> tx.collectionJobs().covering(t.id(), both))).hasSize(1);
  }

  private static Lease<AcquiredCollectionJob> mine(CollectionJob j, java.util.List<Lease<AcquiredCollectionJob>> l) {
    return l.stream().filter(x -> x.leased().jobId().equals(j.id())).findFirst().orElseThrow();
  }

  @Test
  void leaseFinishReleaseAndLostLease() {
    Task t = task();
    CollectionJob j = timeJob(t, 10, 1);
    run((Tx tx) -> tx.collectionJobs().put(j));
    Lease<AcquiredCollectionJob> first = run((Tx tx) -> tx.collectionJobs().acquireIncomplete(LEASE, 5)).get(0);
    assertThat(first.leased()).isEqualTo(new AcquiredCollectionJob(t.id(), j.id(), t.queryType(), t.vdaf(), 0));
    assertThat(run((Tx tx) -> tx.collectionJobs().acquireIncomplete(LEASE, 5))).isEmpty();
    assertThat(run((Tx tx) -> tx.collectionJobs().incrementStepAttempts(first))).isEqualTo(1);
    run((Tx tx) -> {
      tx.collectionJobs().release(first, Duration.ZERO);
      return null;
    });

    Lease<AcquiredCollectionJob> second = run((Tx tx) -> tx.collectionJobs().acquireIncomplete(LEASE, 5)).get(0);
    assertThat(second.leased().stepAttempts()).isEqualTo(1);
    db.clock().advance(DapDuration.ofSeconds(LEASE.toSeconds()));
    Lease<AcquiredCollectionJob> third = run((Tx tx) -> tx.collectionJobs().acquireIncomplete(LEASE, 5)).get(0);
    assertThat(third.attempts()).isEqualTo(2);

    CollectionJob done = j.withState(result());
    assertThatThrownBy(() -> run((Tx tx) -> {
      tx.collectionJobs().update(done, second);
      return null;
    })).isInstanceOf(LeaseLostException.class);
    assertThatThrownBy(() -> run((Tx tx) -> tx.collectionJobs().incrementStepAttempts(second)))
        .isInstanceOf(LeaseLostException.class);
    run((Tx tx) -> {
      tx.collectionJobs().update(done, third);
      return null;
    });
    assertThat(run((Tx tx) -> tx.collectionJobs().get(t.id(), j.id()))).contains(done);
    // Finished jobs are not leased again.
    db.clock().advance(DapDuration.ofSeconds(LEASE.toSeconds() + 1));
    assertThat(run((Tx tx) -> tx.collectionJobs().acquireIncomplete(LEASE, 5))).isEmpty();
  }

  @Test
  void deleteRefusesTheDriversLaterWrite() {
    Task t = task();
    CollectionJob j = timeJob(t, 20, 1);
    run((Tx tx) -> tx.collectionJobs().put(j));
    Lease<AcquiredCollectionJob> lease = run((Tx tx) -> tx.collectionJobs().acquireIncomplete(LEASE, 5)).get(0);
    assertThat(run((Tx tx) -> tx.collectionJobs().delete(t.id(), j.id()))).isTrue();
    assertThat(run((Tx tx) -> tx.collectionJobs().get(t.id(), j.id())).orElseThrow().state())
        .isEqualTo(new CollectionJobState.Deleted());
    assertThatThrownBy(() -> run((Tx tx) -> {
      tx.collectionJobs().update(j.withState(result()), lease);
      return null;
    })).isInstanceOf(LeaseLostException.class);
    assertThat(run((Tx tx) -> tx.collectionJobs().delete(t.id(), f.collectionJobId()))).isFalse();
  }

  @Test
  void countAggregationParametersCountsDistinctParametersOfOneBatch() {
    Task t = task();
    BatchIdentifier batch = new BatchIdentifier.FixedSize(f.batchId());
    BatchIdentifier other = new BatchIdentifier.FixedSize(f.batchId());
    assertThat(run((Tx tx) -> tx.collectionJobs().countAggregationParameters(t.id(), batch))).isZero();
    List<CollectionJob> jobs = List.of(
        fixedJob(t, batch, new byte[] {1}, new CollectionJobState.Start()),
        fixedJob(t, batch, new byte[] {1}, result()),
        fixedJob(t, batch, new byte[] {2}, new CollectionJobState.Deleted()),
        fixedJob(t, batch, new byte[] {3}, new CollectionJobState.Abandoned()),
        fixedJob(t, other, new byte[] {4}, new CollectionJobState.Start()));
    for (CollectionJob j : jobs) {
      run((Tx tx) -> tx.collectionJobs().put(j));
    }
    // {1} twice counts once, the deleted {2} counts, the abandoned {3} and the other batch's {4} do not.
    assertThat(run((Tx tx) -> tx.collectionJobs().countAggregationParameters(t.id(), batch))).isEqualTo(2);
    assertThat(run((Tx tx) -> tx.collectionJobs().countAggregationParameters(t.id(), other))).isEqualTo(1);
    Task otherTask = task();
    assertThat(run((Tx tx) -> tx.collectionJobs().countAggregationParameters(otherTask.id(), batch))).isZero();
  }

  private CollectionJob fixedJob(Task t, BatchIdentifier batch, byte[] aggParam, CollectionJobState state) {
    return new CollectionJob(t.id(), f.collectionJobId(), CollectionQueryKind.BY_BATCH_ID, aggParam, batch, state);
  }

  @Test
  void findOverlappingIntervals() {
    Task t = task();
    CollectionJob a = timeJob(t, 100, 2);
    CollectionJob b = timeJob(t, 102, 1);
    CollectionJob abandoned = timeJob(t, 100, 5).withState(new CollectionJobState.Abandoned());
    for (CollectionJob j : List.of(a, b, abandoned)) {
      run((Tx tx) -> tx.collectionJobs().put(j));
    }
    assertThat(run((Tx tx) -> tx.collectionJobs().findOverlapping(t.id(),
        new Interval(new Time(101 * 3600), DapDuration.ofSeconds(3600))))).containsExactly(a);
    assertThat(run((Tx tx) -> tx.collectionJobs().findOverlapping(t.id(),
        new Interval(new Time(101 * 3600), DapDuration.ofSeconds(7200))))).containsExactly(a, b);
    assertThat(run((Tx tx) -> tx.collectionJobs().findOverlapping(t.id(),
        new Interval(new Time(103 * 3600), DapDuration.ofSeconds(3600))))).isEmpty();
  }

  @Test
  void garbageCollection() {
    Task t = task();
    CollectionJob old = timeJob(t, 1, 1);
    CollectionJob recent = timeJob(t, 50, 1);
    run((Tx tx) -> tx.collectionJobs().put(old));
    run((Tx tx) -> tx.collectionJobs().put(recent));
    assertThat(run((Tx tx) -> tx.collectionJobs().deleteExpired(t.id(), new Time(10 * 3600), 10))).isEqualTo(1);
    assertThat(run((Tx tx) -> tx.collectionJobs().get(t.id(), old.id()))).isEmpty();
    assertThat(run((Tx tx) -> tx.collectionJobs().get(t.id(), recent.id()))).isPresent();
  }

  private static <T> T run(TxBody<T> body) {
    return db.datastore().run("test", body);
  }
}
