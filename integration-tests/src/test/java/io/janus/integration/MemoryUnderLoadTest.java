package io.janus.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.client.TestRandom;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resident memory of every binary under load: a whole deployment of separate processes (one of each binary, as
 * {@link FaultTrial} runs them but without faults), uploads as fast as the Leader takes them, aggregation and a
 * collection that must be exact, while every process's {@code VmRSS} is sampled. Each binary runs with the JVM
 * options the images use by default (the Dockerfile's {@code JAVA_OPTS}), and its peak must stay within
 * {@value #LIMIT_MIB} MiB. CI runs {@value #CI_REPORTS} reports; {@code bench/scripts/memory-under-load.sh} runs the
 * documented load, with these properties:
 * <ul>
 *   <li>{@code janus.memory.reports}: reports uploaded (default {@value #CI_REPORTS});
 *   <li>{@code janus.memory.jvm}: the children's JVM options, space-separated (default: the images');
 *   <li>{@code janus.memory.connections}: uploads in flight (default 32).
 * </ul>
 * Prints one line starting "MemoryUnderLoad" per binary and one summary line.
 */
class MemoryUnderLoadTest {
  private static final int CI_REPORTS = 3_000;
  private static final long LIMIT_MIB = 256;
  private static final int REPORTS = Integer.getInteger("janus.memory.reports", CI_REPORTS);
  private static final int CONNECTIONS = Integer.getInteger("janus.memory.connections", 32);
  private static final int CONTAINER_MIB = 512;

  @TempDir
  Path directory;

  @Test
  void everyBinaryStaysWithinItsMemoryUnderLoad() throws Exception {
    List<String> jvm = jvmOptions();
    FaultTrial.Mode mode = new FaultTrial.Mode(false, 1, jvm, CONNECTIONS);
    FaultTrial.Result r;
    try (PostgresProcess postgres = PostgresProcess.start(directory.resolve("postgres"))) {
      r = FaultTrial.run(postgres, directory.resolve("load"), 1, TestRandom.seed("MemoryUnderLoadTest"), REPORTS,
          Integer.MAX_VALUE, Duration.ZERO, mode);
    }
    assertThat(r.exact()).as("%s (logs in %s)", r, directory.resolve("load")).isTrue();
    Map<String, Long> peaks = r.peakRssKib();
    peaks.forEach((name, kib) -> System.out.printf("MemoryUnderLoad %s: peak RSS %d MiB%n", name, kib / 1024));
    System.out.printf("MemoryUnderLoad summary: %d reports in %d s (%d/s through collection), JVM options %s%n",
        REPORTS, r.elapsed().toSeconds(), REPORTS * 1000L / Math.max(1, r.elapsed().toMillis()), jvm);
    assertThat(peaks).containsOnlyKeys("helper-1", "leader-1", "aggregation_job_creator-1",
        "aggregation_job_driver-1", "collection_job_driver-1");
    assertThat(peaks).allSatisfy((name, kib) -> assertThat(kib / 1024).as(name).isPositive()
        .isLessThanOrEqualTo(LIMIT_MIB));
  }

  /**
   * The given options, or the images' {@code JAVA_OPTS} (read from the Dockerfile, so the two cannot drift apart)
   * in the {@value #CONTAINER_MIB} MiB container docs/DEPLOYING.md sizes them for: {@code -XX:MaxRAM} stands in for
   * the container's limit, which the JVM would otherwise read from its cgroup.
   */
  private static List<String> jvmOptions() throws IOException {
    String given = System.getProperty("janus.memory.jvm");
    if (given != null && !given.isBlank()) {
      return Arrays.asList(given.trim().split("\\s+"));
    }
    Path dockerfile = Path.of("..", "Dockerfile");
    Matcher m = Pattern.compile("(?m)^ENV JAVA_OPTS=\"([^\"]*)\"").matcher(Files.readString(dockerfile));
    if (!m.find()) {
      throw new IllegalStateException("no ENV JAVA_OPTS line in " + dockerfile);
    }
    List<String> options = new ArrayList<>(List.of("-XX:MaxRAM=" + CONTAINER_MIB + "m"));
    options.addAll(Arrays.asList(m.group(1).trim().split("\\s+")));
    return options;
  }
}
