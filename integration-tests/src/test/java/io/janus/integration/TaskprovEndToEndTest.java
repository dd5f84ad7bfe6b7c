package io.janus.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.client.Client;
import io.janus.client.TestRandom;
import io.janus.client.UploadProgress;
import io.janus.client.UploadSummary;
import io.janus.collector.CollectionResult;
import io.janus.core.MockClock;
import io.janus.core.task.Task;
import io.janus.core.task.VdafInstance;
import io.janus.messages.DapDuration;
import io.janus.messages.Interval;
import io.janus.messages.Query;
import io.janus.messages.Role;
import io.janus.messages.Time;
import io.janus.messages.dap09.VdafType;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In-band task provisioning (taskprov) through the deployed pipeline, over real HTTP and PostgreSQL, with no task
 * provisioned by hand: both aggregators only know each other as taskprov peers. The client uploads with the
 * {@code dap-taskprov} header and the taskprov extension, the Leader provisions the task on the first upload, the
 * aggregation job driver replays the header and the Helper provisions the task on aggregation job initialization;
 * then a collection must give the exact aggregate.
 */
class TaskprovEndToEndTest {
  private static final DapDuration PRECISION = DapDuration.ofSeconds(3600);
  private static final int REPORTS = 11;

  @TempDir
  static Path directory;

  private static Random random;
  private static Deployment deployment;

  @BeforeAll
  static void start() {
    long seed = TestRandom.seed("TaskprovEndToEndTest");
    random = new Random(seed);
    deployment = Deployment.start(directory, Deployment.Layout.single(), TestRandom.secureRandom(seed), true);
  }

  @AfterAll
  static void stop() {
    if (deployment != null) {
      deployment.close();
    }
  }

  @Test
  void provisionsOnFirstSightAndCollectsTheExactAggregate() {
    VdafInstance vdaf = new VdafInstance.Prio3Sum(16);
    Deployment.TaskprovTask tp = deployment.peerForTaskprov(new VdafType.Prio3Sum(16), vdaf, PRECISION, 1);
    Deployment.ProvisionedTask task = tp.task();
    Optional<Task> leaderBefore = deployment.leaderStore().run("it", tx -> tx.tasks().get(task.id()));
    Optional<Task> helperBefore = deployment.helperStore().run("it", tx -> tx.tasks().get(task.id()));
    assertThat(leaderBefore).isEmpty();
    assertThat(helperBefore).isEmpty();

    Measurements m = Measurements.random(vdaf, REPORTS, random);
    Time stamp = new Time(System.currentTimeMillis() / 1000 - PRECISION.seconds());
    Client client = Client.builder(task.id(), deployment.leaderEndpoint(0), deployment.helperEndpoint(),
            PRECISION, vdaf)
        .clock(new MockClock(stamp))
        .taskprovConfig(tp.encodedConfig())
        .build();
    UploadSummary summary = client.uploadAll(m.measurements(), 4, UploadProgress.NONE);
    assertThat(summary.allSucceeded()).as("%s", summary.failures()).isTrue();

    Optional<Task> leaderAfter = deployment.leaderStore().run("it", tx -> tx.tasks().get(task.id()));
    Task leaderTask = leaderAfter.orElseThrow();
    assertThat(leaderTask.role()).isEqualTo(Role.LEADER);
    assertThat(leaderTask.taskprovConfig()).isPresent();

    Interval bucket = new Interval(stamp.truncateTo(PRECISION), PRECISION);
    CollectionResult result = deployment.collect(task, new Query.TimeInterval(bucket), 0);
    assertThat(result.aggregateResult()).containsExactly(m.aggregate());
    assertThat(result.reportCount()).isEqualTo(REPORTS);

    Optional<Task> helperAfter = deployment.helperStore().run("it", tx -> tx.tasks().get(task.id()));
    Task helperTask = helperAfter.orElseThrow();
    assertThat(helperTask.role()).isEqualTo(Role.HELPER);
    // Both derived the same verify key from the shared verify_key_init, or no report would have prepared.
    assertThat(helperTask.vdafVerifyKey()).isEqualTo(leaderTask.vdafVerifyKey());
    assertThat(helperTask.taskExpiration()).isEqualTo(leaderTask.taskExpiration());
    assertThat(deployment.failedJobSteps()).as("failed job steps").isZero();
  }
}
