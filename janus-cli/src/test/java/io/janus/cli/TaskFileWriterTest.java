package io.janus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskFileWriterTest {
  @Test
  void echoedTasksReadBackToTheSameTasks() throws Exception {
    long seed = new SecureRandom().nextLong();
    System.out.println("TaskFileWriterTest seed: " + seed);
    SecureRandom random = CliRunner.seeded(seed);
    // The sample's fully specified tasks, then two tasks whose secrets are all generated, so both round-trip.
    String yaml = Files.readString(TaskFileReaderTest.SAMPLE) + TaskProvisioningTest.LEADER_BARE
        + TaskProvisioningTest.HELPER_BARE;
    List<ProvisionedTask> original = TaskProvisioning.resolveAll(TaskFileReader.parse(yaml, "t.yaml"), true, random);
    assertThat(original).hasSize(5);

    String echoed = TaskFileWriter.render(original);
    List<ProvisionedTask> again = TaskProvisioning.resolveAll(TaskFileReader.parse(echoed, "echo.yaml"), false,
        random);

    assertThat(again).isEqualTo(original);
    // Generated plain-text tokens are part of the echo: the collector and the Leader's operator need them.
    assertThat(again.get(3).collectorAuthToken()).isPresent();
    assertThat(again.get(4).aggregatorAuthToken()).isPresent();
    assertThat(echoed).contains("protocol: DAP-18", "task_info: ZmxlZXQgbWV0cmljcw", "task_start: 1767225600");
    assertThat(echoed).contains("query_type: !FixedSize", "vdaf: !Prio3Sum", "vdaf: !Prio3Histogram",
        "report_expiry_age: null");
  }

  @Test
  void stringsThatLookLikeOtherTypesAreQuoted() {
    String out = YamlTree.dump(YamlTree.map().put("a", "123").put("b", "null").put("c", "true").build());
    assertThat(out).isEqualTo("a: '123'\nb: 'null'\nc: 'true'\n");
  }
}
