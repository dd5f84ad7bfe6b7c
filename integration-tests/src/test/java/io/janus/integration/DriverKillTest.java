package io.janus.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.client.TestRandom;
import io.janus.client.UploadProgress;
import io.janus.client.UploadSummary;
import io.janus.collector.CollectionJob;
import io.janus.collector.CollectionResult;
import io.janus.collector.Collector;
import io.janus.core.Clock;
import io.janus.core.MockClock;
import io.janus.core.task.QueryType;
import io.janus.core.task.VdafInstance;
import io.janus.messages.CollectionJobId;
import io.janus.messages.DapDuration;
import io.janus.messages.Interval;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.messages.Query;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job driver killed with SIGKILL in the middle of a job. The driver runs as a separate process
 * ({@code java -cp ... Main}, as deployed). The gate in front of the Helper relays the driver's request, so the
 * Helper commits its side, but keeps the answer back; once the Helper has answered, the test kills the process.
 * Its lease stays behind in the Leader's database. A second driver, started afterwards in this JVM through the
 * same harness, may take the job only once that lease expires; it re-sends the same request, the Helper answers
 * it from what it stored, and the collected aggregate must count every report exactly once.
 *
 * <p>Each test has a deployment of its own, without the driver under test.
 */
class DriverKillTest {
  private static final DapDuration PRECISION = DapDuration.ofSeconds(3600);
  private static final int REPORTS = 24;
  private static final long LEASE_SECONDS = 3;
  private static final String TASK = Deployment.OF_TASK;

  @TempDir
  Path directory;

  private static long seed;
  private static Random random;
  private Deployment deployment;

  @BeforeAll
  static void seed() {
    seed = TestRandom.seed("DriverKillTest");
    random = new Random(seed);
  }

  @AfterEach
  void stop() {
    if (deployment != null) {
      deployment.close();
    }
  }

  private Deployment start(Deployment.Layout layout) {
    deployment = Deployment.start(directory, layout.withLeases(LEASE_SECONDS, 1, 2_000),
        TestRandom.secureRandom(seed + random.nextLong()));
    return deployment;
  }

  @Test
  void anotherAggregationJobDriverFinishesTheJobsOfAKilledOne() throws Exception {
    Deployment d = start(Deployment.Layout.single().withoutAggregationDrivers());
    VdafInstance vdaf = new VdafInstance.Prio3Sum(8);
    Deployment.ProvisionedTask task = d.provision(new QueryType.TimeInterval(), vdaf, PRECISION, Optional.empty(),
        1);
    TaskId id = task.id();
    Measurements m = Measurements.random(vdaf, REPORTS, random);
    Time stamp = upload(task, m);
    Deployment.await("the creator put every report into a job", Duration.ofSeconds(60),
        () -> leader(id, "SELECT count(*) FROM client_reports WHERE " + TASK + " AND NOT aggregation_started") == 0);
    long jobs = leader(id, "SELECT count(*) FROM aggregation_jobs WHERE " + TASK);
    assertThat(jobs).as("jobs of at most 8 reports").isGreaterThanOrEqualTo(3);

    List<String> leftBehind = killInTheMiddle(Binary.AGGREGATION_JOB_DRIVER, HelperGate.Mode.HOLD_AGGREGATION_JOBS,
        () -> assertThat(helper(id, "SELECT count(*) FROM aggregation_jobs WHERE " + TASK))
            .as("the Helper committed the held jobs").isPositive(),
        id, "aggregation_jobs", "aggregation_job_id", "IN_PROGRESS");
    assertThat(leader(id, "SELECT count(*) FROM aggregation_jobs WHERE " + TASK + " AND state = 'FINISHED'"))
        .as("no job was finished by the killed driver's held steps").isZero();
    int relayedBefore = d.gate().relayed();
    d.gate().mode(HelperGate.Mode.OPEN);

    d.startBinary(Binary.AGGREGATION_JOB_DRIVER, Role.LEADER, Clock.SYSTEM);
    Interval bucket = new Interval(stamp.truncateTo(PRECISION), PRECISION);
    CollectionResult result = d.collect(task, new Query.TimeInterval(bucket), 0);

    assertThat(result.aggregateResult()).containsExactly(m.aggregate());
    assertThat(result.reportCount()).isEqualTo(REPORTS);
    assertThat(result.interval()).isEqualTo(bucket);
    assertThat(leader(id, "SELECT count(*) FROM aggregation_jobs WHERE " + TASK + " AND state = 'FINISHED'"))
        .isEqualTo(jobs);
    assertThat(leader(id, "SELECT count(*) FROM report_aggregations WHERE " + TASK + " AND state = 'FINISHED'"))
        .isEqualTo(REPORTS);
    assertWrittenOnlyAfterTheLeaseExpired(id, leftBehind, "aggregation_jobs", "aggregation_job_id");
    // The re-sent requests were answered from the Helper's stored jobs: no second job, no report twice.
    assertThat(d.gate().relayed()).as("requests re-sent after the kill").isGreaterThan(relayedBefore);
    assertThat(helper(id, "SELECT count(*) FROM aggregation_jobs WHERE " + TASK)).isEqualTo(jobs);
    assertThat(helper(id, "SELECT count(*) FROM report_aggregations WHERE " + TASK)).isEqualTo(REPORTS);
    assertThat(helper(id, "SELECT coalesce(sum(report_count), 0) FROM batch_aggregations WHERE " + TASK))
        .isEqualTo(REPORTS);
  }

  @Test
  void anotherCollectionJobDriverFinishesTheJobOfAKilledOne() throws Exception {
    Deployment d = start(Deployment.Layout.single().withoutCollectionDrivers());
    VdafInstance vdaf = new VdafInstance.Prio3Histogram(6, 2);
    Deployment.ProvisionedTask task = d.provision(new QueryType.TimeInterval(), vdaf, PRECISION, Optional.empty(),
        1);
    TaskId id = task.id();
    Measurements m = Measurements.random(vdaf, REPORTS, random);
    Time stamp = upload(task, m);
    Deployment.await("every report aggregated", Duration.ofSeconds(60),
        () -> leader(id, "SELECT count(*) FROM client_reports WHERE " + TASK + " AND NOT aggregation_started") == 0
            && leader(id, "SELECT count(*) FROM aggregation_jobs WHERE " + TASK + " AND state <> 'FINISHED'") == 0);
    Interval bucket = new Interval(stamp.truncateTo(PRECISION), PRECISION);
    Collector collector = d.collector(task, 0);
    CollectionJob job = new CollectionJob(CollectionJobId.random(TestRandom.secureRandom(random.nextLong())),
        new Query.TimeInterval(bucket), new byte[0]);
    collector.startCollection(job);

    List<String> leftBehind = killInTheMiddle(Binary.COLLECTION_JOB_DRIVER, HelperGate.Mode.HOLD_AGGREGATE_SHARES,
        () -> assertThat(helper(id, "SELECT count(*) FROM aggregate_share_jobs WHERE " + TASK))
            .as("the Helper committed its aggregate share").isEqualTo(1),
        id, "collection_jobs", "collection_job_id", "COLLECTING");
    int relayedBefore = d.gate().relayed();
    d.gate().mode(HelperGate.Mode.OPEN);

    d.startBinary(Binary.COLLECTION_JOB_DRIVER, Role.LEADER, Clock.SYSTEM);
    CollectionResult result = collector.pollUntilComplete(job);

    assertThat(result.aggregateResult()).containsExactly(m.aggregate());
    assertThat(result.reportCount()).isEqualTo(REPORTS);
    assertThat(result.interval()).isEqualTo(bucket);
    assertWrittenOnlyAfterTheLeaseExpired(id, leftBehind, "collection_jobs", "collection_job_id");
    assertThat(d.gate().relayed()).as("requests re-sent after the kill").isGreaterThan(relayedBefore);
    assertThat(helper(id, "SELECT count(*) FROM aggregate_share_jobs WHERE " + TASK)).isEqualTo(1);
  }

  private Time upload(Deployment.ProvisionedTask task, Measurements m) {
    Time stamp = new Time(System.currentTimeMillis() / 1000 - PRECISION.seconds());
    UploadSummary summary = deployment.client(task, 0, new MockClock(stamp))
        .uploadAll(m.measurements(), 4, UploadProgress.NONE);
    assertThat(summary.allSucceeded()).as("%s", summary.failures()).isTrue();
    return stamp;
  }

  /**
   * Starts {@code binary} as a child process with the gate in {@code hold}, waits until the Helper answered one of
   * its requests, checks {@code helperCommitted}, kills the child with SIGKILL and returns the leases it left on
   * {@code table}, each as "job ID (hex) lease expiry (epoch ms)". The gate stays in {@code hold}.
   */
  private List<String> killInTheMiddle(Binary binary, HelperGate.Mode hold, Runnable helperCommitted, TaskId id,
      String table, String idColumn, String unfinishedState) throws InterruptedException {
    deployment.gate().mode(hold);
    try (ChildProcessBinary child = ChildProcessBinary.start(binary, deployment.writeConfig(binary, Role.LEADER),
        deployment.datastoreKeys())) {
      Deployment.await("the child's request reached the Helper", Duration.ofSeconds(90), () -> {
        assertThat(child.isAlive()).as("the child exited early:%n%s", child.output()).isTrue();
        return deployment.gate().held() >= 1;
      });
      helperCommitted.run();
      assertThat(child.kill()).as("exit code after SIGKILL").isEqualTo(137);
    }
    List<String> leftBehind = Deployment.column(deployment.leaderDb(), id, "SELECT encode(" + idColumn
        + ", 'hex') || ' ' || (extract(epoch FROM lease_expiry) * 1000)::bigint FROM " + table + " WHERE " + TASK
        + " AND state = '" + unfinishedState + "' AND lease_token IS NOT NULL");
    assertThat(leftBehind).as("leases left behind by the killed driver").isNotEmpty();
    return leftBehind;
  }

  /** The new driver wrote each orphaned job only after the dead driver's lease on it had expired. */
  private void assertWrittenOnlyAfterTheLeaseExpired(TaskId id, List<String> leftBehind, String table,
      String idColumn) {
    for (String job : leftBehind) {
      String[] idAndExpiry = job.split(" ");
      assertThat(leader(id, "SELECT (extract(epoch FROM updated_at) * 1000)::bigint FROM " + table + " WHERE "
          + TASK + " AND " + idColumn + " = decode('" + idAndExpiry[0] + "', 'hex')"))
          .as("last write of %s %s", table, idAndExpiry[0]).isGreaterThanOrEqualTo(Long.parseLong(idAndExpiry[1]));
    }
  }

  private long leader(TaskId id, String sql) {
    return Deployment.count(deployment.leaderDb(), id, sql);
  }

  private long helper(TaskId id, String sql) {
    return Deployment.count(deployment.helperDb(), id, sql);
  }
}
