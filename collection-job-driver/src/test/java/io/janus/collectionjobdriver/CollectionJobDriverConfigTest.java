package io.janus.collectionjobdriver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.server.config.ConfigException;
import io.janus.server.config.ConfigLoader;
import io.janus.server.job.JobDriverConfig;
import io.janus.server.job.PeerHttpConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CollectionJobDriverConfigTest {
  private static final Path SAMPLE = Path.of("..", "samples", "collection_job_driver.yaml");

  @Test
  void sampleConfigParses() {
    CollectionJobDriverConfig c = ConfigLoader.load(SAMPLE, CollectionJobDriverConfig.class);
    assertThat(c.jobDriver()).isEqualTo(new JobDriverConfig(10, 10, 600, 60, 10));
    assertThat(c.http()).isEqualTo(new PeerHttpConfig(10, 30, 1000, 30000, 300000));
    assertThat(c.settings()).isEqualTo(new CollectionJobDriver.Settings(32, 10, Duration.ofSeconds(600),
        Duration.ofSeconds(3600), 1.25));
  }

  @Test
  void defaultsApply() {
    CollectionJobDriverConfig c = ConfigLoader.parse("""
        database: {url: "postgres://localhost/janus"}
        batch_aggregation_shard_count: 8
        """, "inline", CollectionJobDriverConfig.class);
    assertThat(c.settings()).isEqualTo(new CollectionJobDriver.Settings(8, 10, Duration.ofSeconds(600),
        Duration.ofSeconds(3600), 1.25));
  }

  @Test
  void rejectsAFactorBelowOneAndUnknownKeys() {
    assertThatThrownBy(() -> ConfigLoader.parse("""
        database: {url: "postgres://localhost/janus"}
        batch_aggregation_shard_count: 8
        collection_job_retry_delay_exponential_factor: 0.5
        """, "inline", CollectionJobDriverConfig.class))
        .isInstanceOf(ConfigException.class).hasMessageContaining("collection_job_retry_delay_exponential_factor");
    assertThatThrownBy(() -> ConfigLoader.parse("""
        database: {url: "postgres://localhost/janus"}
        batch_aggregation_shard_count: 8
        min_collection_job_retry_delay: 5
        """, "inline", CollectionJobDriverConfig.class))
        .isInstanceOf(ConfigException.class).hasMessageContaining("min_collection_job_retry_delay");
  }
}
