package io.janus.aggregationjobcreator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.server.config.ConfigException;
import io.janus.server.config.ConfigLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AggregationJobCreatorConfigTest {
  private static final Path SAMPLE = Path.of("..", "samples", "aggregation_job_creator.yaml");

  @Test
  void sampleConfigParses() {
    AggregationJobCreatorConfig c = ConfigLoader.load(SAMPLE, AggregationJobCreatorConfig.class);
    assertThat(c.settings()).isEqualTo(new AggregationJobCreator.Settings(32, 10, 100, 5000, 10));
    assertThat(c.tasksUpdateFrequencyS()).isEqualTo(3600);
    assertThat(c.aggregationJobCreationIntervalS()).isEqualTo(60);
  }

  @Test
  void defaultsApply() {
    AggregationJobCreatorConfig c = ConfigLoader.parse("""
        database: {url: "postgres://localhost/janus"}
        batch_aggregation_shard_count: 4
        """, "inline", AggregationJobCreatorConfig.class);
    assertThat(c.settings()).isEqualTo(new AggregationJobCreator.Settings(4, 10, 100, 5000, 10));
  }

  @Test
  void rejectsAMaximumBelowTheMinimumAndUnknownKeys() {
    assertThatThrownBy(() -> ConfigLoader.parse("""
        database: {url: "postgres://localhost/janus"}
        batch_aggregation_shard_count: 4
        min_aggregation_job_size: 20
        max_aggregation_job_size: 10
        """, "inline", AggregationJobCreatorConfig.class))
        .isInstanceOf(ConfigException.class).hasMessageContaining("max_aggregation_job_size");
    assertThatThrownBy(() -> ConfigLoader.parse("""
        database: {url: "postgres://localhost/janus"}
        batch_aggregation_shard_count: 4
        max_aggregation_job_sise: 10
        """, "inline", AggregationJobCreatorConfig.class))
        .isInstanceOf(ConfigException.class).hasMessageContaining("max_aggregation_job_sise");
  }
}
