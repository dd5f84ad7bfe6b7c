package io.janus.server.datastore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.server.datastore.model.AcquiredAggregationJob;
import io.janus.server.datastore.model.AggregationJob;
import io.janus.server.datastore.model.AggregationJobState;
import io.janus.server.datastore.model.Lease;
import io.janus.core.task.Task;
import io.janus.server.testing.Fixtures;
import io.janus.server.testing.TestDatabase;
import io.janus.server.testing.TestThreads;
import io.janus.messages.AggregationJobId;
import io.janus.messages.DapDuration;
import io.janus.messages.Interval;
import io.janus.messages.Time;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AggregationJobsTableTest {
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
  void releaseEverything() {
    // Each test starts with no acquirable job left over from another test.
    run((Tx tx) -> {
      try (var ps = tx.prepare("UPDATE aggregation_jobs SET state = 'FINISHED'")) {
        return ps.executeUpdate();
      } catch (java.sql.SQLException e) {
        throw tx.fail("test", e);
      }
    });
  }

  private Task task(Task.Builder b) {
    Task t = b.build();
    run((Tx tx) -> tx.tasks().put(t));
    return t;
  }

  private AggregationJob job(Task t, Interval interval) {
    return new AggregationJob(t.id(), f.aggregationJobId(), f.bytes(4), Optional.of(f.batchId()), interval,
        AggregationJobState.IN_PROGRESS, 0, Optional.empty());
  }

  private AggregationJob job(Task t) {
    Time now = db.clock().now();
    return job(t, new Interval(now.minusSaturating(DapDuration.ofSeconds(100)), DapDuration.ofSeconds(50)));
  }

  @Test
  void putGetUpdateListAndDelete() {
    Task t = task(f.helperTask());
    AggregationJob j = job(t);
    AggregationJob k = new AggregationJob(t.id(), f.aggregationJobId(), new byte[0], Optional.empty(),
        new Interval(new Time(10), DapDuration.ofSeconds(1)), AggregationJobState.IN_PROGRESS, 0, Optional.empty());
    assertThat(run((Tx tx) -> tx.aggregationJobs().put(j))).isTrue();
    assertThat(run((Tx tx) -> tx.aggregationJobs().put(k))).isTrue();
    assertThat(run((Tx tx) -> tx.aggregationJobs().put(j))).isFalse();
    assertThat(run((Tx tx) -> tx.aggregationJobs().get(t.id(), j.id()))).contains(j);
    assertThat(run((Tx tx) -> tx.aggregationJobs().get(t.id(), f.aggregationJobId()))).isEmpty();

    AggregationJob stepped = j.withStep(1).withLastRequestHash(f.bytes(32)).withState(AggregationJobState.FINISHED);
    assertThat(run((Tx tx) -> tx.aggregationJobs().update(stepped))).isTrue();
    assertThat(run((Tx tx) -> tx.aggregationJobs().get(t.id(), j.id()))).contains(stepped);
    assertThat(run((Tx tx) -> tx.aggregationJobs().listForTask(t.id()))).containsExactly(k, stepped);

    assertThat(run((Tx tx) -> tx.aggregationJobs().delete(t.id(), j.id()))).isTrue();
    assertThat(run((Tx tx) -> tx.aggregationJobs().get(t.id(), j.id())).orElseThrow().state())
        .isEqualTo(AggregationJobState.DELETED);
    assertThat(run((Tx tx) -> tx.aggregationJobs().update(job(t)))).isFalse();
  }

  @Test
  void acquiresOnlyTheLeadersInProgressUnexpiredJobs() {
    Task leader = task(f.leaderTask().reportExpiryAge(DapDuration.ofSeconds(3600)));
    Task helper = task(f.helperTask());
    AggregationJob active = job(leader);
    AggregationJob finished = job(leader).withState(AggregationJobState.FINISHED);
    Time now = db.clock().now();
    AggregationJob tooOld = job(leader, new Interval(now.minusSaturating(DapDuration.ofSeconds(7200)),
        DapDuration.ofSeconds(10)));
    AggregationJob helperJob = job(helper);
    for (AggregationJob j : List.of(active, finished, tooOld, helperJob)) {
      run((Tx tx) -> tx.aggregationJobs().put(j));
    }
    List<Lease<AcquiredAggregationJob>> leases = run((Tx tx) -> tx.aggregationJobs().acquireIncomplete(LEASE, 10));
    assertThat(leases).hasSize(1);
    Lease<AcquiredAggregationJob> l = leases.get(0);
    assertThat(l.leased()).isEqualTo(new AcquiredAggregationJob(leader.id(), active.id(), leader.queryType(),
        leader.vdaf()));
    assertThat(l.attempts()).isEqualTo(1);
    assertThat(l.token()).hasSize(16);
    assertThat(l.expiry()).isEqualTo(java.time.Instant.ofEpochMilli(db.clock().nowMillis()).plus(LEASE));
    // Leased: not handed out again until it expires.
    assertThat(run((Tx tx) -> tx.aggregationJobs().acquireIncomplete(LEASE, 10))).isEmpty();
  }

  @Test
  void expiredLeaseIsReacquiredAndTheFirstWorkersLateWriteIsRefused() {
    Task t = task(f.leaderTask());
    AggregationJob j = job(t);
    run((Tx tx) -> tx.aggregationJobs().put(j));
    Lease<AcquiredAggregationJob> first = run((Tx tx) -> tx.aggregationJobs().acquireIncomplete(LEASE, 1)).get(0);

    db.clock().advance(DapDuration.ofSeconds(LEASE.toSeconds() + 1));
    Lease<AcquiredAggregationJob> second = run((Tx tx) -> tx.aggregationJobs().acquireIncomplete(LEASE, 1)).get(0);
    assertThat(second.leased()).isEqualTo(first.leased());
    assertThat(second.attempts()).isEqualTo(2);
    assertThat(second.token()).isNotEqualTo(first.token());

    AggregationJob late = j.withStep(1).withState(AggregationJobState.FINISHED);
    assertThatThrownBy(() -> run((Tx tx) -> {
      tx.aggregationJobs().update(late, first);
      return null;
    })).isInstanceOf(LeaseLostException.class);
    assertThatThrownBy(() -> run((Tx tx) -> {
      tx.aggregationJobs().release(first, Duration.ZERO);
      return null;
    })).isInstanceOf(LeaseLostException.class);
    assertThat(run((Tx tx) -> tx.aggregationJobs().get(t.id(), j.id()))).contains(j);

    // The Leader keeps where a DAP-18 Helper created the job, through its lease.
    AggregationJob stepped = j.withStep(1).withHelperLocation(
        java.net.URI.create("https://helper.example/dap/tasks/x/aggregation_jobs/y"));
    run((Tx tx) -> {
      tx.aggregationJobs().update(stepped, second);
      tx.aggregationJobs().release(second, Duration.ofSeconds(30));
      return null;
    });
    assertThat(run((Tx tx) -> tx.aggregationJobs().get(t.id(), j.id()))).contains(stepped);
    assertThat(run((Tx tx) -> tx.aggregationJobs().get(t.id(), j.id())).orElseThrow().helperLocation())
        .contains(java.net.URI.create("https://helper.example/dap/tasks/x/aggregation_jobs/y"));
    // Released with a delay: not yet acquirable, then acquirable with the attempt count restarted.
    assertThat(run((Tx tx) -> tx.aggregationJobs().acquireIncomplete(LEASE, 1))).isEmpty();
    db.clock().advance(DapDuration.ofSeconds(30));
    Lease<AcquiredAggregationJob> third = run((Tx tx) -> tx.aggregationJobs().acquireIncomplete(LEASE, 1)).get(0);
    assertThat(third.attempts()).isEqualTo(1);
    // A lease can only write its own job.
    assertThatThrownBy(() -> run((Tx tx) -> {
      tx.aggregationJobs().update(job(t), third);
      return null;
    })).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void releaseKeepingAttemptsCountsOnAndHonoursTheDelay() {
    Task t = task(f.leaderTask());
    AggregationJob j = job(t);
    run((Tx tx) -> tx.aggregationJobs().put(j));
    Lease<AcquiredAggregationJob> first = run((Tx tx) -> tx.aggregationJobs().acquireIncomplete(LEASE, 1)).get(0);
    assertThat(first.attempts()).isEqualTo(1);
    run((Tx tx) -> {
      tx.aggregationJobs().releaseKeepingAttempts(first, Duration.ofSeconds(4));
      return null;
    });
    // The released lease writes nothing any more, and the job waits out the delay.
    assertThatThrownBy(() -> run((Tx tx) -> {
      tx.aggregationJobs().releaseKeepingAttempts(first, Duration.ZERO);
      return null;
    })).isInstanceOf(LeaseLostException.class);
    db.clock().advance(DapDuration.ofSeconds(3));
    assertThat(run((Tx tx) -> tx.aggregationJobs().acquireIncomplete(LEASE, 1))).isEmpty();
    db.clock().advance(DapDuration.ofSeconds(1));
    Lease<AcquiredAggregationJob> second = run((Tx tx) -> tx.aggregationJobs().acquireIncomplete(LEASE, 1)).get(0);
    assertThat(second.leased()).isEqualTo(first.leased());
    assertThat(second.attempts()).isEqualTo(2);
    run((Tx tx) -> {
      tx.aggregationJobs().releaseKeepingAttempts(second, Duration.ZERO);
      return null;
    });
    assertThat(run((Tx tx) -> tx.aggregationJobs().acquireIncomplete(LEASE, 1)).get(0).attempts()).isEqualTo(3);
    assertThatThrownBy(() -> run((Tx tx) -> {
      tx.aggregationJobs().releaseKeepingAttempts(second, Duration.ofSeconds(-1));
      return null;
    })).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void concurrentWorkersNeverGetTheSameJob() throws Exception {
    Task t = task(f.leaderTask());
    Set<AggregationJobId> all = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      AggregationJob j = job(t);
      all.add(j.id());
      run((Tx tx) -> tx.aggregationJobs().put(j));
    }
    int workers = 4;
    // Every worker keeps its transaction (and row locks) open until all have acquired, so SKIP LOCKED is what
    // keeps them apart.
    CyclicBarrier barrier = new CyclicBarrier(workers);
    List<CompletableFuture<List<Lease<AcquiredAggregationJob>>>> futures = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      futures.add(TestThreads.start(() -> db.datastore().run("acquire", (Tx tx) -> {
        List<Lease<AcquiredAggregationJob>> got = tx.aggregationJobs().acquireIncomplete(LEASE, 3);
        try {
          barrier.await(60, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        return got;
      })));
    }
    List<AggregationJobId> acquired = new ArrayList<>();
    for (var fut : futures) {
      fut.get(60, TimeUnit.SECONDS).forEach(l -> acquired.add(l.leased().jobId()));
    }
    assertThat(acquired).doesNotHaveDuplicates().hasSize(10);
    assertThat(new HashSet<>(acquired)).isEqualTo(all);
  }

  @Test
  void garbageCollectionDeletesOldJobsWithTheirReportAggregations() {
    Task t = task(f.leaderTask());
    AggregationJob old = job(t, new Interval(new Time(100), DapDuration.ofSeconds(10)));
    AggregationJob recent = job(t, new Interval(new Time(200), DapDuration.ofSeconds(10)));
    run((Tx tx) -> tx.aggregationJobs().put(old));
    run((Tx tx) -> tx.aggregationJobs().put(recent));
    run((Tx tx) -> {
      tx.reportAggregations().putAll(List.of(new io.janus.server.datastore.model.ReportAggregation(t.id(), old.id(),
          f.reportId(), new Time(101), 0, Optional.empty(),
          new io.janus.server.datastore.model.ReportAggregationState.Finished())));
      return null;
    });
    assertThat(run((Tx tx) -> tx.aggregationJobs().deleteExpired(t.id(), new Time(150), 10))).isEqualTo(1);
    assertThat(run((Tx tx) -> tx.aggregationJobs().get(t.id(), old.id()))).isEmpty();
    assertThat(run((Tx tx) -> tx.reportAggregations().getForJob(t.id(), old.id()))).isEmpty();
    assertThat(run((Tx tx) -> tx.aggregationJobs().get(t.id(), recent.id()))).isPresent();
  }

  private static <T> T run(TxBody<T> body) {
    return db.datastore().run("test", body);
  }

}
