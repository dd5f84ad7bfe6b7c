package io.janus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.server.config.CommonConfig;
import io.janus.server.config.ConfigLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SampleConfigTest {
  @Test
  void theSampleConfigurationLoads() {
    CommonConfig config = ConfigLoader.load(Path.of("..", "samples", "janus_cli.yaml"), CommonConfig.class);
    assertThat(config.database().jdbcUrl()).startsWith("jdbc:postgresql://localhost:5432/janus");
    assertThat(config.database().checkSchemaVersion()).isTrue();
    assertThat(config.maxTransactionRetries()).isEqualTo(1000);
  }
}
