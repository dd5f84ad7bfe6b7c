package io.janus.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.client.Client;
import io.janus.client.TestRandom;
import io.janus.client.UploadProgress;
import io.janus.client.UploadSummary;
import io.janus.collector.CollectionResult;
import io.janus.core.MockClock;
import io.janus.core.task.DapVersion;
import io.janus.core.task.QueryType;
import io.janus.core.task.VdafInstance;
import io.janus.messages.DapDuration;
import io.janus.messages.Interval;
import io.janus.messages.Query;
import io.janus.messages.Time;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DAP-18 end to end, through the deployed pipeline exactly as {@link EndToEndTest} runs DAP-09: every VDAF-18 Prio3
 * variant over both batch modes (time_interval, leader_selected), once with a Helper that answers aggregation jobs
 * synchronously and once with one that answers them asynchronously (the Leader polls). Uploads go through the
 * DAP-18 client library (bulk POST), collection through the DAP-18 collector (POST, Location, GET); the aggregate
 * must be exact.
 */
class Dap18EndToEndTest {
  private static final DapDuration PRECISION = DapDuration.ofSeconds(3600);
  private static final int REPORTS = 13;

  @TempDir
  static Path syncDirectory;
  @TempDir
  static Path asyncDirectory;

  private static Random random;
  private static Deployment synchronous;
  private static Deployment asynchronous;

  @BeforeAll
  static void start() {
    long seed = TestRandom.seed("Dap18EndToEndTest");
    random = new Random(seed);
    synchronous = Deployment.start(syncDirectory, Deployment.Layout.single(), TestRandom.secureRandom(seed));
    asynchronous = Deployment.startWithAsyncHelper(asyncDirectory, Deployment.Layout.single(),
        TestRandom.secureRandom(seed + 1));
  }

  @AfterAll
  static void stop() {
    for (Deployment d : new Deployment[] {synchronous, asynchronous}) {
      if (d != null) {
        d.close();
      }
    }
  }

  static Stream<Arguments> variants() {
    List<VdafInstance> vdafs = List.of(
        new VdafInstance.Prio3Count(),
        new VdafInstance.Prio3SumMaxMeasurement(1000),
        new VdafInstance.Prio3SumVecMaxMeasurement(7, 5, 3),
        new VdafInstance.Prio3Histogram(5, 2),
        new VdafInstance.Prio3MultihotCountVec(6, 3, 2));
    List<Arguments> out = new ArrayList<>();
    for (VdafInstance v : vdafs) {
      for (String mode : List.of("time_interval", "leader_selected")) {
        out.add(Arguments.of(v, mode, "synchronous"));
      }
    }
    // The asynchronous Helper changes how the Leader gets its answers, not the VDAF: two VDAFs cover it.
    for (VdafInstance v : List.of(new VdafInstance.Prio3Count(), new VdafInstance.Prio3Histogram(5, 2))) {
      for (String mode : List.of("time_interval", "leader_selected")) {
        out.add(Arguments.of(v, mode, "asynchronous"));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} over {1}, {2} Helper")
  @MethodSource("variants")
  void collectsTheExactAggregate(VdafInstance vdaf, String batchMode, String helperMode) {
    Deployment deployment = helperMode.equals("asynchronous") ? asynchronous : synchronous;
    boolean leaderSelected = batchMode.equals("leader_selected");
    QueryType type = leaderSelected ? new QueryType.FixedSize(OptionalLong.empty(), Optional.empty())
        : new QueryType.TimeInterval();
    Deployment.ProvisionedTask task = deployment.provision(DapVersion.DAP_18, type, vdaf, PRECISION,
        Optional.empty(), leaderSelected ? REPORTS : 1, true);
    Measurements m = Measurements.random(vdaf, REPORTS, random);
    // Reports stamped inside one earlier time bucket, so the batch is complete however long the test takes.
    Time stamp = new Time(System.currentTimeMillis() / 1000 - PRECISION.seconds());
    Client client = deployment.client(task, 0, new MockClock(stamp));

    UploadSummary summary = client.uploadAll(m.measurements(), 4, UploadProgress.NONE);
    assertThat(summary.allSucceeded()).as("%s", summary.failures()).isTrue();

    Interval bucket = new Interval(stamp.truncateTo(PRECISION), PRECISION);
    Query query = leaderSelected ? new Query.FixedSizeCurrentBatch() : new Query.TimeInterval(bucket);
    CollectionResult result = deployment.collect(task, query, 0);

    assertThat(result.aggregateResult()).containsExactly(m.aggregate());
    assertThat(result.reportCount()).isEqualTo(REPORTS);
    assertThat(result.interval()).isEqualTo(bucket);
    assertThat(deployment.failedJobSteps()).as("failed job steps").isZero();
  }
}
