package io.janus.aggregationjobdriver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.server.config.ConfigException;
import io.janus.server.config.ConfigLoader;
import io.janus.server.job.JobDriverConfig;
import io.janus.server.job.PeerHttpConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AggregationJobDriverConfigTest {
  private static final Path SAMPLE = Path.of("..", "samples", "aggregation_job_driver.yaml");

  @Test
  void sampleConfigParses() {
    AggregationJobDriverConfig c = ConfigLoader.load(SAMPLE, AggregationJobDriverConfig.class);
    assertThat(c.jobDriver()).isEqualTo(new JobDriverConfig(10, 10, 600, 60, 10));
    assertThat(c.http()).isEqualTo(new PeerHttpConfig(10, 30, 1000, 30000, 300000));
    assertThat(c.settings()).isEqualTo(new AggregationJobDriver.Settings(32, 10, 32));
    // Janus 0.7's key loads, so one taskprov_config block can serve every binary.
    assertThat(c.taskprovConfig()).contains(new io.janus.server.config.TaskprovConfig(false, false));
  }

  @Test
  void defaultsApply() {
    AggregationJobDriverConfig c = ConfigLoader.parse("""
        database: {url: "postgres://localhost/janus"}
        batch_aggregation_shard_count: 8
        """, "inline", AggregationJobDriverConfig.class);
    assertThat(c.jobDriver()).isEqualTo(new JobDriverConfig(10, 10, 600, 60, 10));
    assertThat(c.http()).isEqualTo(new PeerHttpConfig(10, 30, 1000, 30000, 300000));
  }

  @Test
  void rejectsASkewAllowanceAsLongAsTheLeaseAndUnknownKeys() {
    assertThatThrownBy(() -> ConfigLoader.parse("""
        database: {url: "postgres://localhost/janus"}
        batch_aggregation_shard_count: 8
        worker_lease_duration_s: 60
        worker_lease_clock_skew_allowance_s: 60
        """, "inline", AggregationJobDriverConfig.class))
        .isInstanceOf(ConfigException.class).hasMessageContaining("worker_lease_clock_skew_allowance_s");
    assertThatThrownBy(() -> ConfigLoader.parse("""
        database: {url: "postgres://localhost/janus"}
        batch_aggregation_shard_count: 8
        retry_max_interval: 5
        """, "inline", AggregationJobDriverConfig.class))
        .isInstanceOf(ConfigException.class).hasMessageContaining("retry_max_interval");
  }
}
