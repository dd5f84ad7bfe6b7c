package io.janus.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.client.TestRandom;
import io.janus.core.task.QueryType;
import io.janus.core.task.VdafInstance;
import io.janus.integration.probe.CollectProbe;
import io.janus.integration.probe.UploadProbe;
import io.janus.messages.DapDuration;
import io.janus.messages.Time;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client and collector libraries are what applications embed, so each must work with its own runtime class path
 * alone: no server stack (Helidon, HikariCP, PostgreSQL JDBC, Flyway, the OpenTelemetry SDK, Micrometer, picocli,
 * SnakeYAML) and no logging backend. Each runs here in a JVM of its own whose class path is exactly the library's
 * runtime class path as Maven resolves it (written by the module's build to {@code target/runtime-classpath.txt}),
 * plus the small probe application, against a whole deployment in this JVM.
 */
class LibraryClasspathTest {
  private static final DapDuration PRECISION = DapDuration.ofSeconds(3600);
  private static final List<String> FORBIDDEN = List.of("helidon", "HikariCP", "postgresql", "flyway",
      "opentelemetry", "micrometer", "picocli", "snakeyaml", "slf4j", "logback", "log4j");
  private static final int REPORTS = 5;

  @TempDir
  static Path directory;

  @Test
  void theClientAndCollectorRunOnTheirOwnRuntimeClassPaths() throws Exception {
    List<String> clientPath = libraryClassPath("client");
    List<String> collectorPath = libraryClassPath("collector");
    for (List<String> path : List.of(clientPath, collectorPath)) {
      // The library's own classes plus at most 10 jars.
      assertThat(path).hasSizeLessThanOrEqualTo(11);
      assertThat(path).noneMatch(entry -> FORBIDDEN.stream().anyMatch(f -> entry.toLowerCase().contains(
          f.toLowerCase())));
    }
    long seed = TestRandom.seed("LibraryClasspathTest");
    try (Deployment d = Deployment.start(directory, Deployment.Layout.single(), TestRandom.secureRandom(seed))) {
      Deployment.ProvisionedTask task = d.provision(new QueryType.TimeInterval(), new VdafInstance.Prio3Count(),
          PRECISION, Optional.empty(), REPORTS);
      Time stamp = new Time(System.currentTimeMillis() / 1000 - PRECISION.seconds()).truncateTo(PRECISION);

      String uploaded = run(clientPath, UploadProbe.class, d.leaderEndpoint(0).toString(),
          d.helperEndpoint().toString(), task.id().toBase64Url(), Long.toString(PRECISION.seconds()),
          Long.toString(stamp.seconds()), Integer.toString(REPORTS));
      assertThat(uploaded).contains("uploaded " + REPORTS);

      Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
      String collected = run(collectorPath, CollectProbe.class, d.leaderEndpoint(0).toString(),
          task.id().toBase64Url(), task.collectorToken().token(),
          b64.encodeToString(task.collectorKey().config().toBytes()),
          b64.encodeToString(task.collectorKey().privateKey()), Long.toString(stamp.seconds()),
          Long.toString(PRECISION.seconds()));
      assertThat(collected).contains("count=" + REPORTS + " reports=" + REPORTS);
    }
  }

  /** The module's classes and its runtime dependencies, as its build wrote them. */
  private static List<String> libraryClassPath(String module) throws IOException {
    Path target = Path.of("..", module, "target").toAbsolutePath().normalize();
    List<String> path = new ArrayList<>();
    path.add(target.resolve("classes").toString());
    String deps = Files.readString(target.resolve("runtime-classpath.txt"), StandardCharsets.UTF_8).strip();
    if (!deps.isEmpty()) {
      path.addAll(List.of(deps.split(File.pathSeparator)));
    }
    return path;
  }

  /** Runs {@code main} in a new JVM on {@code libraryPath} plus the probe's classes; returns its output. */
  private static String run(List<String> libraryPath, Class<?> main, String... args) throws Exception {
    List<String> path = new ArrayList<>(libraryPath);
    path.add(Path.of(main.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", String.join(File.pathSeparator, path), main.getName()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", main.getSimpleName()).isTrue();
    assertThat(p.exitValue()).as("%s exit status; output:%n%s", main.getSimpleName(), output).isZero();
    return output;
  }
}
