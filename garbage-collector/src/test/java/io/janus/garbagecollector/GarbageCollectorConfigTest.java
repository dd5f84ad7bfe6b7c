package io.janus.garbagecollector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.server.config.ConfigException;
import io.janus.server.config.ConfigLoader;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class GarbageCollectorConfigTest {
  private static final Path SAMPLE = Path.of("..", "samples", "garbage_collector.yaml");

  @Test
  void sampleConfigParses() {
    GarbageCollectorConfig c = ConfigLoader.load(SAMPLE, GarbageCollectorConfig.class);
    assertThat(c.garbageCollection()).isEqualTo(
        new GarbageCollectorConfig.GarbageCollection(60, 5000, 500, 50, 1, OptionalInt.of(4)));
  }

  @Test
  void defaultsApplyWhenTheSectionIsAbsent() {
    GarbageCollectorConfig c = ConfigLoader.parse("database: {url: \"postgres://localhost/janus\"}\n", "inline",
        GarbageCollectorConfig.class);
    assertThat(c.garbageCollection()).isEqualTo(
        new GarbageCollectorConfig.GarbageCollection(60, 5000, 500, 50, 1, OptionalInt.empty()));
  }

  @Test
  void rejectsAnUnknownKeyAndAZeroLimit() {
    assertThatThrownBy(() -> ConfigLoader.parse("""
        database: {url: "postgres://localhost/janus"}
        garbage_collection: {report_limt: 3}
        """, "inline", GarbageCollectorConfig.class))
        .isInstanceOf(ConfigException.class).hasMessageContaining("report_limt");
    assertThatThrownBy(() -> ConfigLoader.parse("""
        database: {url: "postgres://localhost/janus"}
        garbage_collection: {report_limit: 0}
        """, "inline", GarbageCollectorConfig.class))
        .isInstanceOf(ConfigException.class).hasMessageContaining("report_limit");
  }
}
