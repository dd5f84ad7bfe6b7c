package io.janus.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.client.FakeAggregators;
import io.janus.client.TestDapServer;
import io.janus.core.task.VdafInstance;
import io.janus.fleet.LockFile;
import io.janus.fleet.ManualTimer;
import io.janus.fleet.MetricLayout;
import io.janus.messages.TaskId;
import io.janus.messages.dap09.Dap09;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentTest {
  private static final long MIB = 1024 * 1024;
  /** Half a second past a round instant, so the first tick is a whole second away. */
  private static final long START = 1_735_689_600_500L;
  private static final VdafInstance SAMPLE_VDAF = new VdafInstance.Prio3SumVec(32, 18, 24);
  private static final VdafInstance SYSINFO_VDAF = new VdafInstance.Prio3SumVec(40, 4, 4);

  @TempDir
  Path dir;

  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private final ByteArrayOutputStream dump = new ByteArrayOutputStream();
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private FakeAggregators aggregators;

  @BeforeEach
  void start() {
    aggregators = new FakeAggregators(TaskId.random(new java.security.SecureRandom()), SAMPLE_VDAF, 7);
  }

  @AfterEach
  void close() throws Exception {
    threads.shutdownNow();
    assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    aggregators.close();
  }

  private Path config(SimulatedMachine m, String extraDap, String extraSample, String rest) throws Exception {
    Path p = dir.resolve("agent.ini");
    Files.writeString(p, """
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
        %s
        [sample]
        cadence = 1s
        hierarchy = %s
        %s
        %s
        """.formatted(dir.resolve("lock"), aggregators.leader().endpoint(), aggregators.helper().endpoint(),
        aggregators.taskId().toBase64Url(), SAMPLE_VDAF.toJson(), extraDap, m.hierarchy(), extraSample, rest));
    return p;
  }

  private String log() {
    return log.toString(StandardCharsets.UTF_8);
  }

  @Test
  void samplesOnTheCadenceRetriesThroughAnOutageAndSumsExactly() throws Exception {
    SimulatedMachine m = SimulatedMachine.standard(dir.resolve("machine"));
    Path ini = config(m, "", "exclude-users = bob", "[jobs]\ncadence = 5m\n[debug]\ndump = true\n");
    ManualTimer timer = new ManualTimer(START);
    Agent agent = Agent.create(ini, timer, m.paths(), new PrintStream(log, true), new PrintStream(dump, true));
    Future<?> running = threads.submit(() -> {
      agent.run();
      return null;
    });

    // Tick 1: two cgroups (bob's backup and the system ones are excluded) and the host; no CPU growth yet.
    assertThat(timer.step()).isEqualTo(START - 500 + 1000);
    assertThat(agent.uploaded()).isEqualTo(3);
    assertThat(log()).containsOnlyOnce("not supported here, ignored: [jobs]");
    assertThat(dump.toString(StandardCharsets.UTF_8)).contains("janus-agent dump: sample 1735689601 [1, 0, 0, 0,");

    // Tick 2, during a Leader outage: session-1 used half a CPU for the second, app.scope 3 s of CPU (300%).
    aggregators.leader().handle("PUT", Dap09.reportsPath(aggregators.taskId()),
        r -> TestDapServer.Reply.status(503));
    var s1 = m.counters("user.slice/user-1000.slice/session-1.scope");
    m.cgroup("user.slice/user-1000.slice/session-1.scope", new SimulatedMachine.Counters(s1.usageUsec() + 500_000,
        s1.memoryCurrent(), s1.memoryPeak(), s1.readBytes() + 3 * MIB, s1.writeBytes() + 2048));
    var app = m.counters("user.slice/user-1000.slice/app.scope");
    m.cgroup("user.slice/user-1000.slice/app.scope", new SimulatedMachine.Counters(app.usageUsec() + 3_000_000,
        app.memoryCurrent(), app.memoryPeak(), app.readBytes(), app.writeBytes()));
    timer.step();
    assertThat(agent.uploaded()).isEqualTo(3);
    assertThat(agent.queued()).isEqualTo(3);
    assertThat(log()).contains("the Leader is unavailable");

    // Tick 3, the Leader is back: the queued reports go first, then this tick's (no CPU growth).
    aggregators.leader().handle("PUT", Dap09.reportsPath(aggregators.taskId()), aggregators::upload);
    timer.step();
    assertThat(agent.uploaded()).isEqualTo(9);
    assertThat(agent.queued()).isZero();

    agent.stop();
    running.get(30, TimeUnit.SECONDS);
    assertThat(log()).contains("janus-agent: stopped");
    assertThat(dir.resolve("lock/janus-agent.lock")).doesNotExist();

    long[] expected = new long[MetricLayout.SAMPLE.length()];
    expected[MetricLayout.CGROUP_SAMPLES] = 6;
    expected[MetricLayout.CPU_BUCKETS + MetricLayout.cpuBucket(0)] = 2;
    expected[MetricLayout.CPU_BUCKETS + MetricLayout.cpuBucket(50)] = 1;
    expected[MetricLayout.CPU_BUCKETS + MetricLayout.cpuBucket(300)] = 1;
    expected[MetricLayout.CPU_MS] = 500 + 3000;
    expected[MetricLayout.MEMORY_CURRENT] = 3 * (300 + 64);
    expected[MetricLayout.MEMORY_PEAK] = 3 * 512;
    expected[MetricLayout.IO_READ] = 3 * 1024;
    expected[MetricLayout.IO_WRITE] = 2;
    expected[MetricLayout.HOST_SAMPLES] = 3;
    expected[MetricLayout.LOAD1] = 3 * 125;
    assertThat(aggregators.aggregateResult()).containsExactly(expected);
    assertThat(aggregators.reports()).hasSize(9);
  }

  @Test
  void aFullRetryQueueDropsTheOldestAndSaysSo() throws Exception {
    SimulatedMachine m = SimulatedMachine.standard(dir.resolve("machine"));
    Path ini = config(m, "queue-capacity = 2", "load = false", "");
    aggregators.leader().handle("PUT", Dap09.reportsPath(aggregators.taskId()),
        r -> TestDapServer.Reply.status(500));
    ManualTimer timer = new ManualTimer(START);
    Agent agent = Agent.create(ini, timer, m.paths(), new PrintStream(log, true), new PrintStream(dump, true));
    Future<?> running = threads.submit(() -> {
      agent.run();
      return null;
    });
    timer.step();
    // Three cgroups and the host make four reports for two places.
    assertThat(agent.queued()).isEqualTo(2);
    assertThat(log()).contains("retry queue full (2): dropped 1 oldest report(s), 1 in all")
        .contains("retry queue full (2): dropped 1 oldest report(s), 2 in all");
    agent.stop();
    running.get(30, TimeUnit.SECONDS);
    assertThat(log()).contains("stopping with 2 report(s) not yet accepted by the Leader");
  }

  @Test
  void reloadKeepsThePreviousConfigurationWhenTheNewOneIsInvalidAndTheLockIsExclusive() throws Exception {
    SimulatedMachine m = SimulatedMachine.standard(dir.resolve("machine"));
    Path ini = config(m, "", "", "");
    ManualTimer timer = new ManualTimer(START);
    Agent agent = Agent.create(ini, timer, m.paths(), new PrintStream(log, true), new PrintStream(dump, true));
    Future<?> running = threads.submit(() -> {
      agent.run();
      return null;
    });
    timer.awaitSleeping();
    Agent second = Agent.create(ini, new ManualTimer(START), m.paths(), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(new ByteArrayOutputStream()));
    assertThatThrownBy(second::run).isInstanceOf(LockFile.HeldException.class)
        .hasMessageContaining("another janus-agent is running on lock directory " + dir.resolve("lock"));

    String good = Files.readString(ini);
    Files.writeString(ini, good.replace("cadence = 1s", "cadence = 7s"));
    long deadline = timer.afterNextSleep(agent::reload);
    assertThat(log()).contains("reload failed, keeping the previous configuration: " + ini
        + ":13: cadence: a cadence in seconds must divide a minute and be less than 60");
    assertThat(deadline).isEqualTo(START - 500 + 1000);

    Files.writeString(ini, good.replace("cadence = 1s", "cadence = 2s").replace("role = node", "role = master"));
    timer.afterNextSleep(agent::reload);
    timer.step();
    assertThat(agent.config().global().role()).isEqualTo("master");
    assertThat(log()).contains("reloaded " + ini);
    assertThat(dir.resolve("lock/janus-agent.lock")).exists();
    agent.stop();
    running.get(30, TimeUnit.SECONDS);
  }

  @Test
  void reportsTheMachinesFactsAtStartUp() throws Exception {
    try (FakeAggregators sysinfo = new FakeAggregators(TaskId.random(new java.security.SecureRandom()),
        SYSINFO_VDAF, 8)) {
      SimulatedMachine m = SimulatedMachine.standard(dir.resolve("machine"));
      Path ini = dir.resolve("sysinfo.ini");
      Files.writeString(ini, """
          [global]
          cluster = test
          role = node
          [dap]
          leader = %s
          helper = %s
          sysinfo-task-id = %s
          sysinfo-vdaf = %s
          sysinfo-time-precision = 1s
          [sample]
          hierarchy = %s
          [sysinfo]
          cadence = 1m
          """.formatted(sysinfo.leader().endpoint(), sysinfo.helper().endpoint(), sysinfo.taskId().toBase64Url(),
          SYSINFO_VDAF.toJson(), m.hierarchy()));
      ManualTimer timer = new ManualTimer(START);
      Agent agent = Agent.create(ini, timer, m.paths(), new PrintStream(log, true), new PrintStream(dump, true));
      Future<?> running = threads.submit(() -> {
        agent.run();
        return null;
      });
      assertThat(timer.step()).isEqualTo(1_735_689_660_000L);
      agent.stop();
      running.get(30, TimeUnit.SECONDS);
      // At start-up and on the minute: 8 CPUs, 16 GiB, 9 cgroups below the root.
      assertThat(sysinfo.aggregateResult()).containsExactly(2, 16, 2 * 16 * 1024, 18);
    }
  }
}
