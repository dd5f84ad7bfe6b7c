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
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One deployment (one Leader, one Helper, one of each job binary, two databases) holding a DAP-09 task and a
 * DAP-18 task at the same time: clients upload to both, interleaved; the same job binaries aggregate both; a
 * collector of each draft collects its task; both aggregates are exact.
 */
class MixedVersionDeploymentTest {
  private static final DapDuration PRECISION = DapDuration.ofSeconds(3600);
  private static final int REPORTS = 24;

  @TempDir
  Path directory;

  @Test
  void oneDeploymentServesADap09AndADap18TaskSideBySide() {
    long seed = TestRandom.seed("MixedVersionDeploymentTest");
    Random random = new Random(seed);
    try (Deployment deployment = Deployment.start(directory, Deployment.Layout.single(),
        TestRandom.secureRandom(seed))) {
      VdafInstance vdaf09 = new VdafInstance.Prio3Sum(10);
      VdafInstance vdaf18 = new VdafInstance.Prio3SumMaxMeasurement(1023);
      Deployment.ProvisionedTask dap09 = deployment.provision(DapVersion.DAP_09, new QueryType.TimeInterval(),
          vdaf09, PRECISION, Optional.empty(), 1, true);
      Deployment.ProvisionedTask dap18 = deployment.provision(DapVersion.DAP_18, new QueryType.TimeInterval(),
          vdaf18, PRECISION, Optional.empty(), 1, true);
      Measurements m09 = Measurements.random(vdaf09, REPORTS, random);
      Measurements m18 = Measurements.random(vdaf18, REPORTS, random);
      Time stamp = new Time(System.currentTimeMillis() / 1000 - PRECISION.seconds());
      Client client09 = deployment.client(dap09, 0, new MockClock(stamp));
      Client client18 = deployment.client(dap18, 0, new MockClock(stamp));

      // Interleaved, so both drafts' reports sit in the Leader's upload batches and job creator passes together.
      for (int i = 0; i < REPORTS; i += 6) {
        UploadSummary a = client09.uploadAll(m09.measurements().subList(i, i + 6), 3, UploadProgress.NONE);
        UploadSummary b = client18.uploadAll(m18.measurements().subList(i, i + 6), 3, UploadProgress.NONE);
        assertThat(a.allSucceeded()).as("DAP-09 uploads: %s", a.failures()).isTrue();
        assertThat(b.allSucceeded()).as("DAP-18 uploads: %s", b.failures()).isTrue();
      }

      Interval bucket = new Interval(stamp.truncateTo(PRECISION), PRECISION);
      CollectionResult r09 = deployment.collect(dap09, new Query.TimeInterval(bucket), 0);
      CollectionResult r18 = deployment.collect(dap18, new Query.TimeInterval(bucket), 0);

      assertThat(r09.aggregateResult()).containsExactly(m09.aggregate());
      assertThat(r09.reportCount()).isEqualTo(REPORTS);
      assertThat(r18.aggregateResult()).containsExactly(m18.aggregate());
      assertThat(r18.reportCount()).isEqualTo(REPORTS);
      assertThat(r18.interval()).isEqualTo(bucket);
      assertThat(deployment.failedJobSteps()).as("failed job steps").isZero();
    }
  }
}
