package io.janus.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.client.FakeAggregators;
import io.janus.core.task.VdafInstance;
import io.janus.messages.TaskId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon as a process: real signals, the lock directory between two processes, exit codes. */
class AgentProcessTest {
  private static final VdafInstance VDAF = new VdafInstance.Prio3SumVec(32, 18, 24);

  @TempDir
  Path dir;

  /** A child JVM running {@link Main} whose standard error is read line by line. */
  private static final class Child {
    final Process process;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final Thread reader;

    Child(Path ini) throws IOException {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
          ini.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      reader = Thread.ofVirtual().start(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
            StandardCharsets.UTF_8))) {
          for (String l = r.readLine(); l != null; l = r.readLine()) {
            lines.add(l);
          }
        } catch (IOException e) {
          lines.add("read failed: " + e);
        }
      });
    }

    /** Every line not yet awaited, once the process has closed its standard error. */
    List<String> rest() throws InterruptedException {
      assertThat(reader.join(java.time.Duration.ofSeconds(60))).isTrue();
      return List.copyOf(lines);
    }

    /** Waits (at most a minute) for a line containing {@code text}; returns it. */
    String await(String text) throws InterruptedException {
      List<String> seen = new java.util.ArrayList<>();
      while (true) {
        String l = lines.poll(60, TimeUnit.SECONDS);
        assertThat(l).as("a line containing '%s' after %s", text, seen).isNotNull();
        seen.add(l);
        if (l.contains(text)) {
          return l;
        }
      }
    }
  }

  @Test
  void sigtermStopsCleanlySighupReloadsAndTheLockKeepsASecondAgentOut() throws Exception {
    try (FakeAggregators aggregators = new FakeAggregators(TaskId.random(new SecureRandom()), VDAF, 3)) {
      SimulatedMachine m = SimulatedMachine.standard(dir.resolve("machine"));
      Path ini = dir.resolve("agent.ini");
      Files.writeString(ini, """
          [global]
          cluster = test
          role = node
          lockdir = %s
          [dap]
          leader = %s
          helper = %s
          sample-task-id = %s
          sample-vdaf = %s
          sample-time-precision = 1s
          [sample]
          cadence = 1s
          hierarchy = %s
          load = false
          """.formatted(dir.resolve("lock"), aggregators.leader().endpoint(), aggregators.helper().endpoint(),
          aggregators.taskId().toBase64Url(), VDAF.toJson(), m.hierarchy()));
      Child agent = new Child(ini);
      agent.await("janus-agent: started: cluster test, role node, sample every 1s");

      Child second = new Child(ini);
      assertThat(second.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(second.process.exitValue()).isEqualTo(1);
      assertThat(second.await("janus-agent:")).contains("another janus-agent is running on lock directory "
          + dir.resolve("lock") + " (" + dir.resolve("lock/janus-agent.lock") + ", process " + agent.process.pid()
          + ")");

      Files.writeString(ini, Files.readString(ini).replace("role = node", "role = master"));
      Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(agent.process.pid())).start();
      assertThat(hup.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(agent.await("janus-agent: reloaded")).contains("role master");

      // SIGTERM through the handle: Process.destroy would also close the pipe still being read.
      assertThat(agent.process.toHandle().destroy()).isTrue();
      assertThat(agent.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(agent.process.exitValue()).isZero();
      agent.await("janus-agent: stopped");
      assertThat(dir.resolve("lock/janus-agent.lock")).doesNotExist();
      assertThat(aggregators.reports()).isNotEmpty();
    }
  }

  @Test
  void aConfigurationErrorExitsWithStatusTwoAndOneLine() throws Exception {
    Path ini = dir.resolve("bad.ini");
    Files.writeString(ini, "[global]\ncluster = x\nrole = node\n[dap]\nleader = http://l/\n");
    Child agent = new Child(ini);
    assertThat(agent.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(agent.process.exitValue()).isEqualTo(2);
    assertThat(agent.rest()).containsExactly(ini + ":4: helper: required in [dap]");
  }
}
