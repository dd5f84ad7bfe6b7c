package io.janus.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.client.TestRandom;
import io.janus.client.UploadProgress;
import io.janus.client.UploadSummary;
import io.janus.collector.CollectionResult;
import io.janus.core.MockClock;
import io.janus.core.task.QueryType;
import io.janus.core.task.VdafInstance;
import io.janus.server.testing.TestDatabase;
import io.janus.messages.DapDuration;
import io.janus.messages.Interval;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.messages.Query;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The garbage collector binary, two instances against each aggregator's database, after two batches went through
 * the whole pipeline: an old one and a current one, for a task with a report expiry age and for an identical task
 * without. The collectors run with a mock clock moved forward so that the old batch (and only it) lies before the
 * expiry threshold of the first task. Afterwards every row of the old batch of that task is gone from every table, and
 * every other row, of the current batch and of the second task, is still there.
 */
class GarbageCollectionTest {
  private static final DapDuration PRECISION = DapDuration.ofSeconds(3600);
  // Four precisions: the old reports stay well inside it while they are uploaded and aggregated.
  private static final DapDuration EXPIRY_AGE = DapDuration.ofSeconds(4 * 3600);
  private static final int OLD_REPORTS = 5;
  private static final int NEW_REPORTS = 6;
  private static final String TASK = Deployment.OF_TASK;

  /**
   * One table's rows of a task, split by whether they lie before the expiry threshold.
   *
   * @param role whose database
   * @param table the table
   * @param expiredWhen the SQL condition (with {@code %d} for the threshold in seconds) that makes a row expired,
   *     as the garbage collector defines it
   */
  private record Rows(Role role, String table, String expiredWhen) {}

  private static final List<Rows> ROWS = List.of(
      new Rows(Role.LEADER, "client_reports", "client_timestamp < %d"),
      new Rows(Role.LEADER, "aggregation_jobs", "upper(client_timestamp_interval) < %d"),
      new Rows(Role.LEADER, "report_aggregations", "client_timestamp < %d"),
      new Rows(Role.LEADER, "batch_aggregations", "upper(coalesce(batch_interval, client_timestamp_interval)) < %d"),
      new Rows(Role.LEADER, "collection_jobs",
          "coalesce(upper(batch_interval), upper(client_timestamp_interval)) < %d"),
      new Rows(Role.HELPER, "aggregation_jobs", "upper(client_timestamp_interval) < %d"),
      new Rows(Role.HELPER, "report_aggregations", "client_timestamp < %d"),
      new Rows(Role.HELPER, "batch_aggregations", "upper(coalesce(batch_interval, client_timestamp_interval)) < %d"),
      new Rows(Role.HELPER, "aggregate_share_jobs", "upper(batch_interval) < %d"));

  @TempDir
  static Path directory;

  private static Random random;
  private static Deployment deployment;

  @BeforeAll
  static void start() {
    long seed = TestRandom.seed("GarbageCollectionTest");
    random = new Random(seed);
    deployment = Deployment.start(directory, Deployment.Layout.single(), TestRandom.secureRandom(seed));
  }

  @AfterAll
  static void stop() {
    if (deployment != null) {
      deployment.close();
    }
  }

  @Test
  void removesWhatExpiredAndNothingElse() {
    long now = System.currentTimeMillis() / 1000;
    // Old reports two precisions and a second ago (within the expiry age when uploaded), new ones now.
    Time old = new Time(now - 2 * PRECISION.seconds() - 1);
    Time current = new Time(now);
    Deployment.ProvisionedTask expiring = runTwoBatches(Optional.of(EXPIRY_AGE), old, current);
    Deployment.ProvisionedTask kept = runTwoBatches(Optional.empty(), old, current);

    // The collectors' clock is three precisions ahead, so the threshold (their now minus the expiry age) is one
    // precision ago: after every old row (the old bucket ended at most one precision and a second ago) and before
    // every new one (the current bucket started less than one precision ago).
    MockClock gcClock = new MockClock(new Time(now + 3 * PRECISION.seconds()));
    long threshold = gcClock.now().seconds() - EXPIRY_AGE.seconds();
    assertThat(threshold).isEqualTo(now - PRECISION.seconds());
    Map<String, long[]> expiringBefore = snapshot(expiring.id(), threshold);
    Map<String, long[]> keptBefore = snapshot(kept.id(), threshold);
    // Both tasks have rows on both sides of the threshold in every table (how many jobs varies with timing).
    for (Map<String, long[]> before : List.of(expiringBefore, keptBefore)) {
      before.forEach((rows, counts) -> {
        assertThat(counts[0]).as("expired %s before collection", rows).isPositive();
        assertThat(counts[1]).as("unexpired %s before collection", rows).isPositive();
      });
    }

    // Two collectors per database at once, as a deployment may run them: they must not get in each other's way.
    for (Role role : List.of(Role.LEADER, Role.HELPER, Role.LEADER, Role.HELPER)) {
      deployment.startBinary(Binary.GARBAGE_COLLECTOR, role, gcClock);
    }
    Deployment.await("the expired rows of the expiring task are gone", Duration.ofSeconds(60),
        () -> snapshot(expiring.id(), threshold).values().stream().allMatch(c -> c[0] == 0));

    Map<String, long[]> expiringAfter = snapshot(expiring.id(), threshold);
    expiringBefore.forEach((rows, counts) -> assertThat(expiringAfter.get(rows)[1])
        .as("unexpired %s of the expiring task", rows).isEqualTo(counts[1]));
    Map<String, long[]> keptAfter = snapshot(kept.id(), threshold);
    keptBefore.forEach((rows, counts) -> assertThat(keptAfter.get(rows))
        .as("%s of the task without expiry", rows).containsExactly(counts));
    assertThat(Deployment.count(deployment.leaderDb(), expiring.id(),
        "SELECT count(*) FROM client_reports WHERE " + TASK)).isEqualTo(NEW_REPORTS);
  }

  /** Provisions a Prio3Count task, uploads and collects one batch at {@code old} and one at {@code current}. */
  private static Deployment.ProvisionedTask runTwoBatches(Optional<DapDuration> expiryAge, Time old, Time current) {
    VdafInstance vdaf = new VdafInstance.Prio3Count();
    Deployment.ProvisionedTask task = deployment.provision(new QueryType.TimeInterval(), vdaf, PRECISION,
        expiryAge, 1);
    for (Time time : List.of(old, current)) {
      int reports = time.equals(old) ? OLD_REPORTS : NEW_REPORTS;
      Measurements m = Measurements.random(vdaf, reports, random);
      UploadSummary summary = deployment.client(task, 0, new MockClock(time))
          .uploadAll(m.measurements(), 4, UploadProgress.NONE);
      assertThat(summary.allSucceeded()).as("%s", summary.failures()).isTrue();
      Interval bucket = new Interval(time.truncateTo(PRECISION), PRECISION);
      CollectionResult result = deployment.collect(task, new Query.TimeInterval(bucket), 0);
      assertThat(result.aggregateResult()).containsExactly(m.aggregate());
      assertThat(result.reportCount()).isEqualTo(reports);
    }
    return task;
  }

  /** For each table: {expired rows, unexpired rows} of {@code task}. */
  private static Map<String, long[]> snapshot(TaskId task, long threshold) {
    Map<String, long[]> out = new LinkedHashMap<>();
    for (Rows r : ROWS) {
      TestDatabase db = r.role() == Role.LEADER ? deployment.leaderDb() : deployment.helperDb();
      String where = "SELECT count(*) FROM " + r.table() + " WHERE " + TASK + " AND ";
      String expired = r.expiredWhen().formatted(threshold);
      out.put(r.role() + " " + r.table(), new long[] {
          Deployment.count(db, task, where + expired),
          Deployment.count(db, task, where + "NOT (" + expired + ")")});
    }
    return out;
  }
}
