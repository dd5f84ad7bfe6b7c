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
import io.janus.messages.Time;
import io.janus.messages.Query;
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
 * Every Prio3 variant (the draft's, and Janus's Field64 multiproof SumVec) over both DAP-09 query types, through
 * the deployed pipeline: a Leader and a Helper aggregator (each on its own database), the aggregation job creator,
 * the aggregation job driver and the collection job driver, all started through their production harness from YAML
 * and running on their own threads, talking real HTTP. A client uploads reports with known measurements; a
 * collector creates a collection job, polls it, opens both aggregate shares and unshards them. The result must
 * equal the plaintext aggregate exactly, with the right report count and interval.
 */
class EndToEndTest {
  private static final DapDuration PRECISION = DapDuration.ofSeconds(3600);
  private static final int REPORTS = 19;

  @TempDir
  static Path directory;

  private static Random random;
  private static Deployment deployment;

  @BeforeAll
  static void start() {
    long seed = TestRandom.seed("EndToEndTest");
    random = new Random(seed);
    deployment = Deployment.start(directory, Deployment.Layout.single(), TestRandom.secureRandom(seed));
  }

  @AfterAll
  static void stop() {
    if (deployment != null) {
      deployment.close();
    }
  }

  static Stream<Arguments> variants() {
    List<VdafInstance> vdafs = List.of(
        new VdafInstance.Prio3Count(),
        new VdafInstance.Prio3Sum(16),
        new VdafInstance.Prio3SumVec(3, 7, 4),
        new VdafInstance.Prio3Histogram(5, 2),
        // Janus 0.7's own end-to-end parameters for it; a 32-byte verify key through the whole pipeline.
        new VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128(2, 16, 15, 16));
    List<Arguments> out = new ArrayList<>();
    for (VdafInstance v : vdafs) {
      out.add(Arguments.of(v, "time_interval"));
      out.add(Arguments.of(v, "fixed_size"));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource("variants")
  void collectsTheExactAggregate(VdafInstance vdaf, String queryType) {
    boolean fixed = queryType.equals("fixed_size");
    // Fixed size: one batch of exactly REPORTS reports, collectable once all of them are aggregated.
    QueryType type = fixed ? new QueryType.FixedSize(OptionalLong.of(REPORTS), Optional.empty())
        : new QueryType.TimeInterval();
    Deployment.ProvisionedTask task = deployment.provision(type, vdaf, PRECISION, Optional.empty(),
        fixed ? REPORTS : 1);
    Measurements m = Measurements.random(vdaf, REPORTS, random);
    // Reports stamped inside one earlier time bucket, so the batch is complete however long the test takes.
    Time stamp = new Time(System.currentTimeMillis() / 1000 - PRECISION.seconds());
    Client client = deployment.client(task, 0, new MockClock(stamp));

    UploadSummary summary = client.uploadAll(m.measurements(), 4, UploadProgress.NONE);
    assertThat(summary.allSucceeded()).as("%s", summary.failures()).isTrue();

    Interval bucket = new Interval(stamp.truncateTo(PRECISION), PRECISION);
    Query query = fixed ? new Query.FixedSizeCurrentBatch() : new Query.TimeInterval(bucket);
    CollectionResult result = deployment.collect(task, query, 0);

    assertThat(result.aggregateResult()).containsExactly(m.aggregate());
    assertThat(result.reportCount()).isEqualTo(REPORTS);
    assertThat(result.interval()).isEqualTo(bucket);
    if (fixed) {
      assertThat(result.batchId()).isPresent();
    } else {
      assertThat(result.batchId()).isEmpty();
    }
    assertThat(deployment.failedJobSteps()).as("failed job steps").isZero();
  }
}
