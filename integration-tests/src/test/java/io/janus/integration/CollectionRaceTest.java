package io.janus.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.client.Client;
import io.janus.client.DapHttpException;
import io.janus.client.TestRandom;
import io.janus.collector.CollectionJob;
import io.janus.collector.CollectionResult;
import io.janus.collector.Collector;
import io.janus.core.MockClock;
import io.janus.core.task.QueryType;
import io.janus.core.task.VdafInstance;
import io.janus.messages.CollectionJobId;
import io.janus.messages.DapProblemType;
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
 * A report uploaded for a batch while the Leader is asking the Helper for that batch's aggregate share, with every
 * binary running: the collection job driver's first transaction has found the batch ready, and the Helper does not
 * answer the aggregate-share request (it fails only that endpoint) while the upload, job creation and aggregation
 * go on. Before the Leader froze its aggregate and closed the batch to new reports, the Helper aggregated the late
 * report, the Leader did not, and every retry got {@code batchMismatch} until the job was abandoned: the interval
 * could never be collected.
 */
class CollectionRaceTest {
  private static final DapDuration PRECISION = DapDuration.ofSeconds(3600);
  private static final String TASK = Deployment.OF_TASK;

  @TempDir
  static Path directory;

  private static Random random;
  private static Deployment deployment;

  @BeforeAll
  static void start() {
    long seed = TestRandom.seed("CollectionRaceTest");
    random = new Random(seed);
    deployment = Deployment.start(directory, Deployment.Layout.single().withLeases(2, 0, 500),
        TestRandom.secureRandom(seed));
  }

  @AfterAll
  static void stop() {
    if (deployment != null) {
      deployment.close();
    }
  }

  @Test
  void aReportUploadedWhileTheHelperIsAskedForItsShareNeverBreaksTheCollection() {
    VdafInstance vdaf = new VdafInstance.Prio3Count();
    Deployment.ProvisionedTask task = deployment.provision(new QueryType.TimeInterval(), vdaf, PRECISION,
        Optional.empty(), 2);
    TaskId id = task.id();
    Time stamp = new Time(System.currentTimeMillis() / 1000 - PRECISION.seconds());
    Interval bucket = new Interval(stamp.truncateTo(PRECISION), PRECISION);
    Client client = deployment.client(task, 0, new MockClock(stamp));
    for (int i = 0; i < 3; i++) {
      client.uploadWithTime(new long[] {1}, stamp);
    }
    Deployment.await("every report aggregated", Duration.ofSeconds(60),
        () -> leader(id, "SELECT count(*) FROM report_aggregations WHERE " + TASK + " AND state = 'FINISHED'") == 3);

    HelperGate gate = deployment.gate();
    gate.mode(HelperGate.Mode.DOWN_AGGREGATE_SHARES);
    Collector collector = deployment.collector(task, 0);
    CollectionJob job = new CollectionJob(CollectionJobId.random(TestRandom.secureRandom(random.nextLong())),
        new Query.TimeInterval(bucket), new byte[0]);
    collector.startCollection(job);
    Deployment.await("the collection job driver found the batch ready and asked the Helper",
        Duration.ofSeconds(60), () -> gate.refused() > 0
            && leader(id, "SELECT count(*) FROM batch_aggregations WHERE " + TASK + " AND state = 'COLLECTED'") > 0);

    // A client that was offline uploads into the interval being collected: the Leader rejects it.
    assertThatThrownBy(() -> client.uploadWithTime(new long[] {1}, stamp))
        .isInstanceOfSatisfying(DapHttpException.class, e -> assertThat(e.dapProblemType())
            .hasValue(DapProblemType.REPORT_REJECTED));
    // Time for the creator and the aggregation job driver to act on anything that got in.
    Deployment.await("no report waits for a job", Duration.ofSeconds(30),
        () -> leader(id, "SELECT count(*) FROM client_reports WHERE " + TASK + " AND NOT aggregation_started") == 0
            && leader(id, "SELECT count(*) FROM aggregation_jobs WHERE " + TASK + " AND state = 'IN_PROGRESS'")
                == 0);
    assertThat(helper(id, "SELECT count(*) FROM report_aggregations WHERE " + TASK)).isEqualTo(3);

    gate.mode(HelperGate.Mode.OPEN);
    CollectionResult result = collector.pollUntilComplete(job);
    assertThat(result.reportCount()).isEqualTo(3);
    assertThat(result.aggregateResult()).containsExactly(3);
    assertThat(leader(id, "SELECT count(*) FROM collection_jobs WHERE " + TASK + " AND state = 'FINISHED'"))
        .isEqualTo(1);
  }

  private static long leader(TaskId id, String sql) {
    return Deployment.count(deployment.leaderDb(), id, sql);
  }

  private static long helper(TaskId id, String sql) {
    return Deployment.count(deployment.helperDb(), id, sql);
  }
}
