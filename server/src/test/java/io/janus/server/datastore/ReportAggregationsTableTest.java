package io.janus.server.datastore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.server.datastore.model.AggregationJob;
import io.janus.server.datastore.model.AggregationJobState;
import io.janus.server.datastore.model.PrepareResult;
import io.janus.server.datastore.model.ReportAggregation;
import io.janus.server.datastore.model.ReportAggregationState;
import io.janus.server.datastore.model.ReportExtension;
import io.janus.server.datastore.model.ReportFailure;
import io.janus.core.task.Task;
import io.janus.server.testing.Fixtures;
import io.janus.server.testing.TestDatabase;
import io.janus.messages.DapDuration;
import io.janus.messages.Interval;
import io.janus.messages.Time;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReportAggregationsTableTest {
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

  private AggregationJob job(Task t) {
    AggregationJob j = new AggregationJob(t.id(), f.aggregationJobId(), new byte[0], Optional.empty(),
        new Interval(new Time(1000), DapDuration.ofSeconds(100)), AggregationJobState.IN_PROGRESS, 0,
        Optional.empty());
    run((Tx tx) -> tx.aggregationJobs().put(j));
    return j;
  }

  private ReportAggregation ra(AggregationJob j, int ord, Optional<PrepareResult> last, ReportAggregationState s) {
    return new ReportAggregation(j.taskId(), j.id(), f.reportId(), new Time(1000 + ord), ord, last, s);
  }

  @Test
  void everyStateAndLastResponseRoundTripsInOrd() {
    Task t = f.leaderTask().build();
    run((Tx tx) -> tx.tasks().put(t));
    AggregationJob j = job(t);
    List<ReportAggregation> ras = List.of(
        ra(j, 4, Optional.empty(), new ReportAggregationState.Start(
            List.of(new ReportExtension(1, f.bytes(2))), f.bytes(10), f.bytes(20), f.ciphertext())),
        ra(j, 0, Optional.of(new PrepareResult.Continue(f.bytes(9))),
            new ReportAggregationState.WaitingLeader(f.bytes(30))),
        ra(j, 2, Optional.of(new PrepareResult.Finished()), new ReportAggregationState.WaitingHelper(f.bytes(31))),
        ra(j, 1, Optional.of(new PrepareResult.Reject(ReportFailure.REPORT_REPLAYED)),
            new ReportAggregationState.Failed(ReportFailure.REPORT_REPLAYED)),
        ra(j, 3, Optional.empty(), new ReportAggregationState.Finished()));
    run((Tx tx) -> {
      tx.reportAggregations().putAll(ras);
      return null;
    });
    assertThat(run((Tx tx) -> tx.reportAggregations().getForJob(t.id(), j.id())))
        .containsExactly(ras.get(1), ras.get(3), ras.get(2), ras.get(4), ras.get(0));
  }

  @Test
  void updateMovesStateAndClearsEarlierBlobs() throws Exception {
    Task t = f.leaderTask().build();
    run((Tx tx) -> tx.tasks().put(t));
    AggregationJob j = job(t);
    ReportAggregation start = ra(j, 0, Optional.empty(), new ReportAggregationState.Start(List.of(), f.bytes(10),
        f.bytes(20), f.ciphertext()));
    ReportAggregation other = ra(j, 1, Optional.empty(), new ReportAggregationState.Finished());
    run((Tx tx) -> {
      tx.reportAggregations().putAll(List.of(start, other));
      return null;
    });
    ReportAggregation waiting = start.withState(new ReportAggregationState.WaitingLeader(f.bytes(8)));
    assertThat(run((Tx tx) -> tx.reportAggregations().update(waiting))).isTrue();
    ReportAggregation failed = other.withState(new ReportAggregationState.Failed(ReportFailure.VDAF_PREP_ERROR))
        .withLastPrepareResult(new PrepareResult.Reject(ReportFailure.VDAF_PREP_ERROR));
    assertThat(run((Tx tx) -> tx.reportAggregations().updateAll(List.of(failed)))).containsExactly(1);
    assertThat(run((Tx tx) -> tx.reportAggregations().getForJob(t.id(), j.id()))).containsExactly(waiting, failed);
    Boolean shareCleared = run((Tx tx) -> {
      try (var ps = tx.prepare("SELECT leader_input_share IS NULL FROM report_aggregations WHERE ord = 0"
          + " AND client_report_id = ?")) {
        ps.setBytes(1, start.reportId().bytes());
        var rs = ps.executeQuery();
        rs.next();
        return rs.getBoolean(1);
      } catch (java.sql.SQLException e) {
        throw tx.fail("test", e);
      }
    });
    assertThat(shareCleared).isTrue();
    // A row that does not exist is not updated.
    assertThat(run((Tx tx) -> tx.reportAggregations().update(ra(j, 9, Optional.empty(),
        new ReportAggregationState.Finished())))).isFalse();
  }

  @Test
  void duplicateOrdIsRejectedAndReplaysAcrossJobsAreFound() {
    Task t = f.helperTask().build();
    run((Tx tx) -> tx.tasks().put(t));
    AggregationJob a = job(t);
    AggregationJob b = job(t);
    ReportAggregation r = ra(a, 0, Optional.empty(), new ReportAggregationState.WaitingHelper(f.bytes(4)));
    run((Tx tx) -> {
      tx.reportAggregations().putAll(List.of(r));
      return null;
    });
    assertThatThrownBy(() -> run((Tx tx) -> {
      tx.reportAggregations().putAll(List.of(ra(a, 0, Optional.empty(), new ReportAggregationState.Finished())));
      return null;
    })).isInstanceOf(DatastoreException.class);
    assertThat(run((Tx tx) -> tx.reportAggregations().existsInOtherJob(t.id(), r.reportId(), b.id()))).isTrue();
    assertThat(run((Tx tx) -> tx.reportAggregations().existsInOtherJob(t.id(), r.reportId(), a.id()))).isFalse();
  }

  @Test
  void emptyListsWriteNothing() {
    assertThat(run((Tx tx) -> {
      tx.reportAggregations().putAll(List.of());
      return tx.reportAggregations().updateAll(List.of());
    })).isEmpty();
  }

  @Test
  void manyRowsOfSeveralJobsInOneListRoundTripAndUpdate() {
    Task t = f.leaderTask().build();
    run((Tx tx) -> tx.tasks().put(t));
    AggregationJob a = job(t);
    AggregationJob b = job(t);
    List<ReportAggregation> rows = new ArrayList<>();
    for (int ord = 0; ord < 500; ord++) {
      rows.add(ra(a, ord, Optional.empty(), new ReportAggregationState.Start(List.of(), f.bytes(10), f.bytes(20),
          f.ciphertext())));
      if (ord < 3) {
        rows.add(ra(b, ord, Optional.of(new PrepareResult.Finished()), new ReportAggregationState.Finished()));
      }
    }
    run((Tx tx) -> {
      tx.reportAggregations().putAll(rows);
      return null;
    });
    List<ReportAggregation> inA = rows.stream().filter(r -> r.jobId().equals(a.id())).toList();
    List<ReportAggregation> inB = rows.stream().filter(r -> r.jobId().equals(b.id())).toList();
    assertThat(run((Tx tx) -> tx.reportAggregations().getForJob(t.id(), a.id()))).containsExactlyElementsOf(inA);
    assertThat(run((Tx tx) -> tx.reportAggregations().getForJob(t.id(), b.id()))).containsExactlyElementsOf(inB);

    List<ReportAggregation> next = rows.stream()
        .map(r -> r.withState(new ReportAggregationState.WaitingLeader(f.bytes(5)))).toList();
    int[] counts = run((Tx tx) -> tx.reportAggregations().updateAll(next));
    assertThat(counts).hasSize(rows.size()).containsOnly(1);
    assertThat(run((Tx tx) -> tx.reportAggregations().getForJob(t.id(), a.id())))
        .containsExactlyElementsOf(next.stream().filter(r -> r.jobId().equals(a.id())).toList());
    assertThat(run((Tx tx) -> tx.reportAggregations().getForJob(t.id(), b.id())))
        .containsExactlyElementsOf(next.stream().filter(r -> r.jobId().equals(b.id())).toList());
  }

  @Test
  void updateAllCountsEachInputInOrderAndTheLastWriteOfARowWins() {
    Task t = f.helperTask().build();
    run((Tx tx) -> tx.tasks().put(t));
    AggregationJob j = job(t);
    ReportAggregation r0 = ra(j, 0, Optional.empty(), new ReportAggregationState.WaitingHelper(f.bytes(4)));
    ReportAggregation r1 = ra(j, 1, Optional.empty(), new ReportAggregationState.WaitingHelper(f.bytes(4)));
    run((Tx tx) -> {
      tx.reportAggregations().putAll(List.of(r0, r1));
      return null;
    });
    ReportAggregation missingOrd = ra(j, 7, Optional.empty(), new ReportAggregationState.Finished());
    // Same ord as r1, other report ID: not the same row.
    ReportAggregation otherReport = ra(j, 1, Optional.empty(), new ReportAggregationState.Finished());
    ReportAggregation first = r0.withState(new ReportAggregationState.Failed(ReportFailure.VDAF_PREP_ERROR))
        .withLastPrepareResult(new PrepareResult.Reject(ReportFailure.VDAF_PREP_ERROR));
    ReportAggregation second = r0.withState(new ReportAggregationState.Finished())
        .withLastPrepareResult(new PrepareResult.Continue(f.bytes(6)));
    ReportAggregation missingJob = new ReportAggregation(t.id(), f.aggregationJobId(), f.reportId(), new Time(1),
        0, Optional.empty(), new ReportAggregationState.Finished());
    int[] counts = run((Tx tx) -> tx.reportAggregations().updateAll(
        List.of(missingOrd, first, otherReport, missingJob, second)));
    assertThat(counts).containsExactly(0, 1, 0, 0, 1);
    assertThat(run((Tx tx) -> tx.reportAggregations().getForJob(t.id(), j.id()))).containsExactly(second, r1);
    assertThat(run((Tx tx) -> tx.reportAggregations().update(second))).isTrue();
  }

  @Test
  void putAllRejectsADuplicateWithinTheListAndAMissingJob() {
    Task t = f.helperTask().build();
    run((Tx tx) -> tx.tasks().put(t));
    AggregationJob j = job(t);
    ReportAggregation r = ra(j, 0, Optional.empty(), new ReportAggregationState.Finished());
    assertThatThrownBy(() -> run((Tx tx) -> {
      tx.reportAggregations().putAll(List.of(r, ra(j, 0, Optional.empty(), new ReportAggregationState.Finished())));
      return null;
    })).isInstanceOf(DatastoreException.class);
    assertThat(run((Tx tx) -> tx.reportAggregations().getForJob(t.id(), j.id()))).isEmpty();
    ReportAggregation noJob = new ReportAggregation(t.id(), f.aggregationJobId(), f.reportId(), new Time(1), 0,
        Optional.empty(), new ReportAggregationState.Finished());
    assertThatThrownBy(() -> run((Tx tx) -> {
      tx.reportAggregations().putAll(List.of(noJob));
      return null;
    })).isInstanceOf(DatastoreException.class);
    run((Tx tx) -> {
      tx.reportAggregations().putAll(List.of(r));
      return null;
    });
    assertThat(run((Tx tx) -> tx.reportAggregations().getForJob(t.id(), j.id()))).containsExactly(r);
  }

  private static <T> T run(TxBody<T> body) {
    return db.datastore().run("test", body);
  }
}
