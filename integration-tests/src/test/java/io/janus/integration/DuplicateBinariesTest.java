package io.janus.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.client.Client;
import io.janus.client.TestRandom;
import io.janus.client.UploadProgress;
import io.janus.client.UploadSummary;
import io.janus.collector.CollectionResult;
import io.janus.core.MockClock;
import io.janus.core.task.QueryType;
import io.janus.core.task.VdafInstance;
import io.janus.messages.DapDuration;
import io.janus.messages.Interval;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.messages.Query;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of every binary at once: two Leader and two Helper aggregators (each pair on its role's database),
 * two aggregation job creators, two aggregation job drivers and two collection job drivers. Uploads are split over
 * both Leaders, the Leader's requests alternate between both Helpers, and the collector talks to the second
 * Leader. The instances share the work through leases and {@code SKIP LOCKED}; the result must be the same exact
 * aggregate one instance of each gives.
 */
class DuplicateBinariesTest {
  private static final DapDuration PRECISION = DapDuration.ofSeconds(3600);
  private static final int REPORTS = 40;
  private static final String TASK = Deployment.OF_TASK;

  @TempDir
  static Path directory;

  private static Random random;
  private static Deployment deployment;

  @BeforeAll
  static void start() {
    long seed = TestRandom.seed("DuplicateBinariesTest");
    random = new Random(seed);
    deployment = Deployment.start(directory, Deployment.Layout.single().times(2), TestRandom.secureRandom(seed));
  }

  @AfterAll
  static void stop() {
    if (deployment != null) {
      deployment.close();
    }
  }

  @Test
  void twoOfEverythingGiveTheExactTimeIntervalAggregate() {
    VdafInstance vdaf = new VdafInstance.Prio3Histogram(7, 3);
    Deployment.ProvisionedTask task = deployment.provision(new QueryType.TimeInterval(), vdaf, PRECISION,
        Optional.empty(), 1);
    Measurements m = Measurements.random(vdaf, REPORTS, random);
    Time stamp = new Time(System.currentTimeMillis() / 1000 - PRECISION.seconds());
    uploadThroughBothLeaders(task, m, stamp);

    Interval bucket = new Interval(stamp.truncateTo(PRECISION), PRECISION);
    CollectionResult result = deployment.collect(task, new Query.TimeInterval(bucket), 1);

    assertThat(result.aggregateResult()).containsExactly(m.aggregate());
    assertThat(result.reportCount()).isEqualTo(REPORTS);
    assertThat(result.interval()).isEqualTo(bucket);
    assertBothHelpersServedAndNothingCountedTwice(task.id());
  }

  /**
   * Fixed size with batches of up to 16 reports: the creators fill batches concurrently, so how the 40 reports
   * fall into batches is up to them. Once everything is aggregated, {@code current_batch} is collected until every
   * report was seen; the batches are disjoint and their sum must be exact.
   */
  @Test
  void twoOfEverythingGiveTheExactFixedSizeAggregate() {
    VdafInstance vdaf = new VdafInstance.Prio3Sum(10);
    Deployment.ProvisionedTask task = deployment.provision(
        new QueryType.FixedSize(OptionalLong.of(16), Optional.empty()), vdaf, PRECISION, Optional.empty(), 1);
    TaskId id = task.id();
    Measurements m = Measurements.random(vdaf, REPORTS, random);
    Time stamp = new Time(System.currentTimeMillis() / 1000 - PRECISION.seconds());
    uploadThroughBothLeaders(task, m, stamp);
    Deployment.await("every report aggregated", Duration.ofSeconds(90),
        () -> leader(id, "SELECT count(*) FROM client_reports WHERE " + TASK + " AND NOT aggregation_started") == 0
            && leader(id, "SELECT count(*) FROM aggregation_jobs WHERE " + TASK + " AND state <> 'FINISHED'") == 0);

    long sum = 0;
    long count = 0;
    Set<Object> batches = new HashSet<>();
    for (int i = 0; i < REPORTS && count < REPORTS; i++) {
      CollectionResult r = deployment.collect(task, new Query.FixedSizeCurrentBatch(), i % 2);
      assertThat(batches.add(r.batchId().orElseThrow())).as("batch %s collected twice", r.batchId()).isTrue();
      assertThat(r.reportCount()).isBetween(1L, 16L);
      sum += r.aggregateResult()[0];
      count += r.reportCount();
    }
    assertThat(count).isEqualTo(REPORTS);
    assertThat(sum).isEqualTo(m.aggregate()[0]);
    assertThat(batches.size()).isGreaterThanOrEqualTo(3);
    assertBothHelpersServedAndNothingCountedTwice(id);
  }

  private static void uploadThroughBothLeaders(Deployment.ProvisionedTask task, Measurements m, Time stamp) {
    List<long[]> all = m.measurements();
    List<List<long[]>> halves = List.of(all.subList(0, all.size() / 2), all.subList(all.size() / 2, all.size()));
    List<CompletableFuture<UploadSummary>> uploads = List.of(0, 1).stream()
        .map(i -> {
          Client client = deployment.client(task, i, new MockClock(stamp));
          return CompletableFuture.supplyAsync(() -> client.uploadAll(halves.get(i), 4, UploadProgress.NONE));
        })
        .toList();
    for (CompletableFuture<UploadSummary> u : uploads) {
      UploadSummary s = u.join();
      assertThat(s.allSucceeded()).as("%s", s.failures()).isTrue();
    }
  }

  private static void assertBothHelpersServedAndNothingCountedTwice(TaskId id) {
    assertThat(deployment.gate().relayedTo(0)).isPositive();
    assertThat(deployment.gate().relayedTo(1)).isPositive();
    assertThat(leader(id, "SELECT count(*) FROM report_aggregations WHERE " + TASK)).isEqualTo(REPORTS);
    assertThat(Deployment.count(deployment.helperDb(), id,
        "SELECT count(*) FROM report_aggregations WHERE " + TASK)).isEqualTo(REPORTS);
    assertThat(deployment.failedJobSteps()).as("failed job steps").isZero();
  }

  private static long leader(TaskId id, String sql) {
    return Deployment.count(deployment.leaderDb(), id, sql);
  }
}
