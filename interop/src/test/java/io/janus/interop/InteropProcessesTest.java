package io.janus.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.core.task.VdafInstance;
import io.janus.messages.dap09.QueryType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The draft's runner flow against the three binaries started as separate processes through their {@code main}
 * classes, as a container would start them (each on a free port instead of 8080): one client, two aggregators
 * (each with its own embedded PostgreSQL) and one collector. Each process's output goes to
 * {@code target/interop-logs/<name>.log}; the Leader also writes its log file with {@code --logs-dir}. SIGTERM
 * ends them. Tasks of both forms: DAP-09, and DAP-18 in the form of Janus main's interop binaries.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InteropProcessesTest {
  private static final Pattern LISTENING = Pattern.compile(" listening on port (\\d+)$");
  /** How long a binary may take to start (two embedded PostgreSQL servers share two cores with the rest). */
  private static final long START_TIMEOUT_S = 120;

  private final long seed = new SecureRandom().nextLong();
  private final List<Process> processes = new ArrayList<>();
  private InteropScenario scenario;

  /** A started binary: its process and the future port it announces. */
  private record Started(Process process, CompletableFuture<Integer> port) {}

  @BeforeAll
  void start() throws Exception {
    System.out.println("InteropProcessesTest seed " + seed);
    Path logs = Path.of("target", "interop-logs");
    Files.createDirectories(logs);
    // Started together, so their start-up overlaps.
    Started client = launch(logs, "client", InteropClientMain.class);
    Started leader = launch(logs, "leader", InteropAggregatorMain.class, "--job-interval-ms", "100",
        "--logs-dir", logs.resolve("leader-files").toString());
    Started helper = launch(logs, "helper", InteropAggregatorMain.class, "--job-interval-ms", "100");
    Started collector = launch(logs, "collector", InteropCollectorMain.class);
    scenario = InteropScenario.of(port(client), port(leader), port(helper), port(collector), seed);
  }

  private Started launch(Path logs, String name, Class<?> main, String... extra) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), main.getName(),
        "--host", "localhost", "--port", "0"));
    command.addAll(List.of(extra));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    processes.add(p);
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Path log = logs.resolve(name + ".log");
    Thread.ofVirtual().name("interop-log-" + name).start(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
          PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          out.println(line);
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
          }
        }
        port.completeExceptionally(new IllegalStateException(name + " exited before listening; see " + log));
      } catch (IOException e) {
        port.completeExceptionally(e);
      }
    });
    return new Started(p, port);
  }

  private static int port(Started s) throws InterruptedException, ExecutionException, TimeoutException {
    return s.port().get(START_TIMEOUT_S, TimeUnit.SECONDS);
  }

  @AfterAll
  void stop() throws InterruptedException {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      if (!p.waitFor(ShutdownHook.GRACE_SECONDS + 10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  static List<Arguments> cases() {
    return List.of(Arguments.of(new VdafInstance.Prio3SumVec(4, 3, 2), QueryType.TIME_INTERVAL),
        Arguments.of(new VdafInstance.Prio3Histogram(5, 2), QueryType.FIXED_SIZE));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void aggregatesAndCollectsAcrossProcesses(VdafInstance vdaf, QueryType queryType)
      throws InterruptedException, IOException {
    scenario.run(vdaf, queryType);
    for (Process p : processes) {
      assertThat(p.isAlive()).as("every binary keeps running").isTrue();
    }
    // --logs-dir: the Leader's log file has the task it added.
    assertThat(Files.readString(Path.of("target", "interop-logs", "leader-files", "janus_interop_aggregator.log")))
        .contains("added task");
  }

  static List<Arguments> cases18() {
    return List.of(Arguments.of(new VdafInstance.Prio3SumVecMaxMeasurement(7, 3, 2),
            new io.janus.core.task.QueryType.TimeInterval()),
        Arguments.of(new VdafInstance.Prio3Histogram(5, 2), Dap18Fields.leaderSelected()));
  }

  /** The same with the requests in the DAP-18 form of Janus main's interop binaries. */
  @ParameterizedTest(name = "DAP-18 {0} {1}")
  @MethodSource("cases18")
  void aggregatesAndCollectsDap18TasksAcrossProcesses(VdafInstance vdaf, io.janus.core.task.QueryType batchMode)
      throws InterruptedException {
    scenario.run18(vdaf, batchMode, false);
    for (Process p : processes) {
      assertThat(p.isAlive()).as("every binary keeps running").isTrue();
    }
  }
}
