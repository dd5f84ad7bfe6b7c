package io.janus.server.datastore;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.server.datastore.model.LeaderStoredReport;
import io.janus.server.datastore.model.ReportTimestamp;
import io.janus.core.task.Task;
import io.janus.server.testing.Fixtures;
import io.janus.server.testing.TestDatabase;
import io.janus.server.testing.TestThreads;
import io.janus.messages.DapDuration;
import io.janus.messages.Interval;
import io.janus.messages.ReportId;
import io.janus.messages.Time;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClientReportsTableTest {
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

  private Task task() {
    Task t = f.leaderTask().build();
    run((Tx tx) -> tx.tasks().put(t));
    return t;
  }

  @Test
  void putAllStoresManyReportsOfSeveralTasksAndReportsDuplicates() {
    Task a = task();
    Task b = task();
    List<LeaderStoredReport> first = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      first.add(f.report(i % 2 == 0 ? a.id() : b.id(), new Time(1_000_000 + i)));
    }
    boolean[] inserted = run((Tx tx) -> tx.clientReports().putAll(first));
    assertThat(inserted).hasSize(200).doesNotContain(false);

    LeaderStoredReport fresh = f.report(a.id(), new Time(5));
    LeaderStoredReport sameIdOtherTask = new LeaderStoredReport(b.id(), first.get(0).reportId(), new Time(6),
        List.of(), f.bytes(3), f.bytes(3), f.ciphertext());
    List<LeaderStoredReport> second = List.of(first.get(0), fresh, first.get(1), fresh, sameIdOtherTask,
        f.report(f.taskId(), new Time(7)));
    boolean[] again = run((Tx tx) -> tx.clientReports().putAll(second));
    assertThat(again).containsExactly(false, true, false, false, true, false);

    assertThat(run((Tx tx) -> tx.clientReports().get(a.id(), first.get(0).reportId()))).contains(first.get(0));
    assertThat(run((Tx tx) -> tx.clientReports().get(b.id(), first.get(0).reportId()))).contains(sameIdOtherTask);
    assertThat(run((Tx tx) -> tx.clientReports().get(a.id(), f.reportId()))).isEmpty();
    assertThat(run((Tx tx) -> tx.clientReports().putAll(List.of()))).isEmpty();
  }

  @Test
  void acquireClaimsOldestFirstAndScrubTakesReportsOutOfThePool() {
    Task t = task();
    Time base = new Time(1_700_000_000L);
    List<LeaderStoredReport> reports = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      reports.add(f.report(t.id(), new Time(base.seconds() + 100 - i)));
    }
    run((Tx tx) -> tx.clientReports().putAll(reports));
    assertThat(run((Tx tx) -> tx.clientReports().countUnaggregatedInInterval(t.id(),
        new Interval(base, DapDuration.ofSeconds(200))))).isEqualTo(10);

    // Reports older than the cutoff are skipped. Scrubbing two of the four claimed takes them out of the pool for
    // good; the two claimed but not scrubbed are back in the pool when the transaction ends.
    List<LeaderStoredReport> got = run((Tx tx) -> {
      List<LeaderStoredReport> claimed = tx.clientReports().acquireUnaggregated(t.id(),
          new Time(base.seconds() + 92), 4);
      assertThat(tx.clientReports().scrub(t.id(), List.of(claimed.get(2).reportId(), claimed.get(3).reportId(),
          claimed.get(2).reportId(), f.reportId()))).isEqualTo(2);
      return claimed;
    });
    assertThat(got).extracting(r -> r.time().seconds())
        .containsExactly(base.seconds() + 92, base.seconds() + 93, base.seconds() + 94, base.seconds() + 95);
    assertThat(got).allSatisfy(r -> assertThat(reports).contains(r));
    assertThat(run((Tx tx) -> tx.clientReports().countUnaggregatedInInterval(t.id(),
        new Interval(base, DapDuration.ofSeconds(200))))).isEqualTo(8);
    List<LeaderStoredReport> next = run((Tx tx) ->
        tx.clientReports().acquireUnaggregated(t.id(), new Time(base.seconds() + 92), 100));
    assertThat(next).extracting(r -> r.time().seconds()).containsExactly(base.seconds() + 92,
        base.seconds() + 93, base.seconds() + 96, base.seconds() + 97, base.seconds() + 98, base.seconds() + 99,
        base.seconds() + 100);

    List<ReportId> scrubbed = List.of(got.get(2).reportId(), got.get(3).reportId());
    assertThat(run((Tx tx) -> tx.clientReports().get(t.id(), scrubbed.get(0)))).isEmpty();
    assertThat(run((Tx tx) -> tx.clientReports().exists(t.id(), scrubbed.get(0)))).isTrue();
    // Scrubbed reports never come back as unaggregated.
    assertThat(run((Tx tx) -> tx.clientReports().acquireUnaggregated(t.id(), base, 100)))
        .hasSize(8).extracting(LeaderStoredReport::reportId).doesNotContainAnyElementsOf(scrubbed);
    assertThat(run((Tx tx) -> tx.clientReports().scrub(t.id(), List.of()))).isZero();
  }

  @Test
  void concurrentAcquirersGetDisjointReports() throws Exception {
    Task t = task();
    List<LeaderStoredReport> reports = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      reports.add(f.report(t.id(), new Time(1_000 + i)));
    }
    run((Tx tx) -> tx.clientReports().putAll(reports));
    CountDownLatch firstAcquired = new CountDownLatch(1);
    CountDownLatch secondDone = new CountDownLatch(1);
    // The first transaction holds its row locks until the second has acquired: SKIP LOCKED must pass them over.
    CompletableFuture<List<LeaderStoredReport>> first = TestThreads.start(() ->
        db.datastore().run("acquire_1", (Tx tx) -> {
          List<LeaderStoredReport> got = tx.clientReports().acquireUnaggregated(t.id(), new Time(0), 12);
          firstAcquired.countDown();
          TestThreads.await(secondDone);
          return got;
        }));
    TestThreads.await(firstAcquired);
    List<LeaderStoredReport> second = db.datastore().run("acquire_2", (Tx tx) ->
        tx.clientReports().acquireUnaggregated(t.id(), new Time(0), 12));
    secondDone.countDown();
    List<LeaderStoredReport> firstGot = first.get(60, TimeUnit.SECONDS);
    assertThat(firstGot).hasSize(12);
    assertThat(second).hasSize(8);
    Set<ReportId> ids = new HashSet<>();
    firstGot.forEach(r -> ids.add(r.reportId()));
    second.forEach(r -> ids.add(r.reportId()));
    assertThat(ids).hasSize(20);
  }

  @Test
  void helperRecordsScrubbedReportsAndDetectsReplays() {
    Task t = f.helperTask().build();
    run((Tx tx) -> tx.tasks().put(t));
    ReportTimestamp a = new ReportTimestamp(f.reportId(), new Time(10));
    ReportTimestamp b = new ReportTimestamp(f.reportId(), new Time(11));
    assertThat(run((Tx tx) -> tx.clientReports().putScrubbed(t.id(), List.of(a)))).containsExactly(true);
    assertThat(run((Tx tx) -> tx.clientReports().putScrubbed(t.id(), List.of(b, a, b))))
        .containsExactly(true, false, false);
    assertThat(run((Tx tx) -> tx.clientReports().exists(t.id(), a.reportId()))).isTrue();
    assertThat(run((Tx tx) -> tx.clientReports().exists(t.id(), f.reportId()))).isFalse();
    assertThat(run((Tx tx) -> tx.clientReports().get(t.id(), a.reportId()))).isEmpty();
    assertThat(run((Tx tx) -> tx.clientReports().acquireUnaggregated(t.id(), new Time(0), 10))).isEmpty();
  }

  @Test
  void garbageCollectionDeletesOldReportsInBoundedBatches() {
    Task t = task();
    List<LeaderStoredReport> reports = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      reports.add(f.report(t.id(), new Time(100 + i)));
    }
    run((Tx tx) -> tx.clientReports().putAll(reports));
    assertThat(run((Tx tx) -> tx.clientReports().deleteExpired(t.id(), new Time(107), 5))).isEqualTo(5);
    assertThat(run((Tx tx) -> tx.clientReports().deleteExpired(t.id(), new Time(107), 5))).isEqualTo(2);
    assertThat(run((Tx tx) -> tx.clientReports().deleteExpired(t.id(), new Time(107), 5))).isZero();
    assertThat(run((Tx tx) -> tx.clientReports().exists(t.id(), reports.get(7).reportId()))).isTrue();
    assertThat(run((Tx tx) -> tx.clientReports().exists(t.id(), reports.get(6).reportId()))).isFalse();
  }


  private static <T> T run(TxBody<T> body) {
    return db.datastore().run("test", body);
  }

}
