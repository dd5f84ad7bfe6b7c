package io.janus.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.client.TestRandom;
import io.janus.client.UploadProgress;
import io.janus.client.UploadSummary;
import io.janus.collector.CollectionJob;
import io.janus.collector.CollectionResult;
import io.janus.collector.Collector;
import io.janus.core.MockClock;
import io.janus.core.task.QueryType;
import io.janus.core.task.VdafInstance;
import io.janus.messages.CollectionJobId;
import io.janus.messages.DapDuration;
import io.janus.messages.Interval;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.messages.Query;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helper unavailable for a while: first, while the Leader aggregates, the gate in front of it answers 503 (an
 * overloaded or draining Helper); then, while the Leader collects, the Helper aggregator is really stopped (the
 * gate answers 502, as a load balancer with no backend does) and later started again on its database. Each driver
 * step retries the Helper for a second and fails; the driver releases the job with a backoff, it is leased again
 * with one attempt more, and it is not abandoned within the few attempts the outage lasts. Once the Helper is back, every job completes and the
 * collected aggregate is exact.
 */
class HelperOutageTest {
  private static final DapDuration PRECISION = DapDuration.ofSeconds(3600);
  private static final int REPORTS = 20;
  private static final String TASK = Deployment.OF_TASK;

  @TempDir
  static Path directory;

  private static Random random;
  private static Deployment deployment;

  @BeforeAll
  static void start() {
    long seed = TestRandom.seed("HelperOutageTest");
    random = new Random(seed);
    // Leases of 2 s, Helper requests retried for 1 s per step: a step fails within its lease.
    deployment = Deployment.start(directory, Deployment.Layout.single().withLeases(2, 0, 1_000),
        TestRandom.secureRandom(seed));
  }

  @AfterAll
  static void stop() {
    if (deployment != null) {
      deployment.close();
    }
  }

  @Test
  void jobsCompleteOnceTheHelperIsBack() {
    VdafInstance vdaf = new VdafInstance.Prio3SumVec(2, 6, 3);
    Deployment.ProvisionedTask task = deployment.provision(new QueryType.TimeInterval(), vdaf, PRECISION,
        Optional.empty(), 1);
    TaskId id = task.id();
    HelperGate gate = deployment.gate();
    Measurements m = Measurements.random(vdaf, REPORTS, random);
    Time stamp = new Time(System.currentTimeMillis() / 1000 - PRECISION.seconds());

    gate.mode(HelperGate.Mode.DOWN);
    UploadSummary summary = deployment.client(task, 0, new MockClock(stamp))
        .uploadAll(m.measurements(), 4, UploadProgress.NONE);
    assertThat(summary.allSucceeded()).as("uploads need only the Leader: %s", summary.failures()).isTrue();
    // Down long enough that a failed job was leased again.
    Deployment.await("a job was retried under a new lease while the Helper was down",
        Duration.ofSeconds(60), () -> leader(id, "SELECT coalesce(max(lease_attempts), 0) FROM "
            + "aggregation_jobs WHERE " + TASK) >= 2);
    assertThat(gate.refused()).isPositive();
    assertThat(deployment.failedJobSteps()).as("steps failed while the Helper was down").isPositive();
    assertThat(leader(id, "SELECT count(*) FROM aggregation_jobs WHERE " + TASK + " AND state <> 'IN_PROGRESS'"))
        .as("no job finished or was abandoned while the Helper was down").isZero();
    gate.mode(HelperGate.Mode.OPEN);
    Deployment.await("every aggregation job finished", Duration.ofSeconds(60),
        () -> leader(id, "SELECT count(*) FROM aggregation_jobs WHERE " + TASK + " AND state <> 'FINISHED'") == 0
            && leader(id, "SELECT count(*) FROM client_reports WHERE " + TASK + " AND NOT aggregation_started") == 0);

    // The Helper aggregator stopped (its process gone, the gate answering 502) while the collection job driver
    // asks for its aggregate share; then a new Helper instance comes up on the same database.
    deployment.stopHelpers();
    Interval bucket = new Interval(stamp.truncateTo(PRECISION), PRECISION);
    Collector collector = deployment.collector(task, 0);
    CollectionJob job = new CollectionJob(CollectionJobId.random(TestRandom.secureRandom(random.nextLong())),
        new Query.TimeInterval(bucket), new byte[0]);
    collector.startCollection(job);
    Deployment.await("the collection job was retried under a new lease while the Helper was stopped",
        Duration.ofSeconds(60), () -> leader(id, "SELECT coalesce(max(lease_attempts), 0) FROM "
            + "collection_jobs WHERE " + TASK) >= 2);
    assertThat(gate.unreachable()).as("aggregate share requests that found no Helper").isPositive();
    // The batch was ready: the Leader froze its aggregate and waits for the Helper's share.
    assertThat(leader(id, "SELECT count(*) FROM collection_jobs WHERE " + TASK + " AND state = 'COLLECTING'"))
        .isEqualTo(1);
    deployment.restartHelpers();

    CollectionResult result = collector.pollUntilComplete(job);
    assertThat(result.aggregateResult()).containsExactly(m.aggregate());
    assertThat(result.reportCount()).isEqualTo(REPORTS);
    assertThat(result.interval()).isEqualTo(bucket);
  }

  private static long leader(TaskId id, String sql) {
    return Deployment.count(deployment.leaderDb(), id, sql);
  }
}
