package io.janus.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent runs on every machine of a fleet: it carries the client library and nothing of the server side. */
class AgentClasspathTest {
  @Test
  void theRuntimeClassPathHasNoServerStackNoDatabaseDriverAndNoKafka() throws Exception {
    String text = Files.readString(Path.of("target", "runtime-classpath.txt"), StandardCharsets.UTF_8).strip();
    // Reactor modules appear as jars after packaging, as target/classes directories before it.
    List<String> jars = Arrays.asList(text.split(File.pathSeparator));
    assertThat(jars).anyMatch(j -> j.contains("janus-client") || j.contains("/client/target"))
        .anyMatch(j -> j.contains("janus-fleet") || j.contains("/fleet/target"));
    assertThat(jars).noneMatch(j -> j.contains("janus-server") || j.contains("/server/target")
        || j.contains("helidon") || j.contains("postgresql") || j.contains("HikariCP") || j.contains("kafka")
        || j.contains("opentelemetry") || j.contains("micrometer"));
    assertThat(jars).hasSizeLessThanOrEqualTo(10);
  }
}
