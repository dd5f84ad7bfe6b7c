package io.janus.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.core.task.VdafInstance;
import io.janus.fleet.ConfigException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AgentConfigTest {
  static final String TASK = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
  static final String SAMPLE_VDAF = "{\"Prio3SumVec\":{\"bits\":32,\"length\":18,\"chunk_length\":24}}";
  static final String SYSINFO_VDAF = "{\"Prio3SumVec\":{\"bits\":40,\"length\":4,\"chunk_length\":4}}";

  @TempDir
  Path dir;

  /** A valid file: line 1 [global] ... so the cases below can name exact lines. */
  static String valid() {
    return """
        [global]
        cluster = alpha
        role = node
        [dap]
        leader = http://leader.example/
        helper = http://helper.example/
        sample-task-id = %s
        sample-vdaf = '%s'
        sample-time-precision = 1m
        [sample]
        cadence = 30s
        """.formatted(TASK, SAMPLE_VDAF);
  }

  private Path write(String text) throws Exception {
    Path p = dir.resolve("agent.ini");
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  @Test
  void readsEveryKey() throws Exception {
    Path p = write("""
        # the operator's existing daemon config, with our [dap]
        [global]
        cluster = alpha
        role = master
        lockdir = /run/janus-agent
        [dap]
        leader = https://leader.example/dap/
        helper = https://helper.example/
        sample-task-id = %s
        sample-vdaf = '%s'
        sample-time-precision = 1m
        sysinfo-task-id = %s
        sysinfo-vdaf = `%s`
        sysinfo-time-precision = 1h
        hpke-refresh = 6h
        queue-capacity = 500
        [sample]
        cadence = 5m
        hierarchy = /sys/fs/cgroup/
        exclude = user.slice/*/tmp-*.scope, **/batch-*
        exclude-users = root, 999
        exclude-commands = "sshd, cron"
        exclude-system-jobs = false
        load = false
        mount-paths = /data, /scratch
        [sysinfo]
        cadence = 24h
        on-startup = false
        [jobs]
        cadence = 5m
        [cluster]
        cadence = 1h
        [debug]
        dump = true
        verbose = true
        """.formatted(TASK, SAMPLE_VDAF, TASK, SYSINFO_VDAF));
    AgentConfig c = AgentConfig.read(p);
    assertThat(c.global().cluster()).isEqualTo("alpha");
    assertThat(c.global().role()).isEqualTo("master");
    assertThat(c.global().lockdir()).contains(Path.of("/run/janus-agent"));
    assertThat(c.dap().leader()).hasToString("https://leader.example/dap/");
    assertThat(c.dap().sampleTask().orElseThrow().vdaf()).isEqualTo(new VdafInstance.Prio3SumVec(32, 18, 24));
    assertThat(c.dap().sampleTask().orElseThrow().timePrecision().seconds()).isEqualTo(60);
    assertThat(c.dap().sampleTask().orElseThrow().maxElement()).isEqualTo((1L << 32) - 1);
    assertThat(c.dap().sysinfoTask().orElseThrow().timePrecision().seconds()).isEqualTo(3600);
    assertThat(c.dap().hpkeRefresh().period()).isEqualTo(Duration.ofHours(6));
    assertThat(c.dap().queueCapacity()).isEqualTo(500);
    assertThat(c.dap().tls()).isEmpty();
    assertThat(c.sample().cadence().orElseThrow().period()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.sample().exclude()).containsExactly("user.slice/*/tmp-*.scope", "**/batch-*");
    assertThat(c.sample().excludeUsers()).containsExactly("root", "999");
    assertThat(c.sample().excludeCommands()).containsExactly("sshd", "cron");
    assertThat(c.sample().excludeSystemJobs()).isFalse();
    assertThat(c.sample().load()).isFalse();
    assertThat(c.sample().mountPaths()).containsExactly(Path.of("/data"), Path.of("/scratch"));
    assertThat(c.sysinfo().cadence().orElseThrow().period()).isEqualTo(Duration.ofHours(24));
    assertThat(c.sysinfo().onStartup()).isFalse();
    assertThat(c.debug().dump()).isTrue();
    assertThat(c.debug().verbose()).isTrue();
    assertThat(c.unsupported()).containsExactly("jobs", "cluster");
  }

  @Test
  void defaults() throws Exception {
    AgentConfig c = AgentConfig.read(write(valid()));
    assertThat(c.global().lockdir()).isEmpty();
    assertThat(c.sample().hierarchy()).isEqualTo(Path.of("/sys/fs/cgroup"));
    assertThat(c.sample().excludeSystemJobs()).isTrue();
    assertThat(c.sample().load()).isTrue();
    assertThat(c.sample().mountPaths()).isEmpty();
    assertThat(c.sysinfo().onStartup()).isTrue();
    assertThat(c.sysinfo().cadence()).isEmpty();
    assertThat(c.dap().hpkeRefresh().period()).isEqualTo(Duration.ofHours(1));
    assertThat(c.dap().queueCapacity()).isEqualTo(10_000);
    assertThat(c.debug().dump()).isFalse();
    assertThat(c.unsupported()).isEmpty();
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("role = node", "role = worker", "3: role: expected node or master, got 'worker'"),
        Arguments.of("cluster = alpha\n", "", "1: cluster: required in [global]"),
        Arguments.of("leader = http://leader.example/\n", "", "4: leader: required in [dap]"),
        Arguments.of("leader = http://leader.example/", "leader = leader.example",
            "5: leader: expected an http or https URL, got 'leader.example'"),
        Arguments.of("sample-task-id = " + TASK, "sample-task-id = abc",
            "7: sample-task-id: not a task ID (32 bytes, unpadded base64url)"),
        Arguments.of("sample-vdaf = '" + SAMPLE_VDAF + "'", "sample-vdaf = '\"Prio3Count\"'",
            "8: sample-vdaf: the sample task's VDAF must be a Prio3SumVec of length 18 (docs/FLEET-METRICS.md), got"
                + " \"Prio3Count\""),
        Arguments.of("sample-vdaf = '" + SAMPLE_VDAF + "'", "sample-vdaf = {oops",
            "8: sample-vdaf: VDAF is not valid JSON"),
        Arguments.of("sample-time-precision = 1m\n", "", "7: sample-task-id: sample-time-precision is required with"
            + " sample-task-id"),
        Arguments.of("sample-time-precision = 1m", "sample-time-precision = 0s",
            "9: sample-time-precision: a duration must not be zero"),
        Arguments.of("cadence = 30s", "cadence = 45s",
            "11: cadence: a cadence in seconds must divide a minute and be less than 60"),
        Arguments.of("cadence = 30s", "cadence = 90m",
            "11: cadence: a cadence in minutes must divide an hour and be less than 60"),
        Arguments.of("cadence = 30s", "cadence = 7h",
            "11: cadence: a cadence in hours must divide a day or be a positive multiple of 24"),
        Arguments.of("cadence = 30s", "cadence = 30s\nload = yes", "12: load: expected true or false, got 'yes'"),
        Arguments.of("cadence = 30s", "cadence = 30s\nmount-paths = data",
            "12: mount-paths: not an absolute path: data"),
        Arguments.of("cadence = 30s", "cadence = 30s\nexclude = [oops", "12: exclude: not a glob pattern: [oops"),
        Arguments.of("cadence = 30s", "cadence = 30s\nexclude-users = a,,b",
            "12: exclude-users: empty element in the comma-separated list"),
        Arguments.of("cadence = 30s", "cadence = 30s\nsampling = fast", "12: sampling: unknown key in [sample]"),
        Arguments.of("cadence = 30s", "cadence = 30s\n[sysinfo]\ncadence = 1h",
            "13: cadence: needs [dap] sysinfo-task-id"),
        Arguments.of("cadence = 30s", "cadence = 30s\n[sysinfo]\non-startup = 1",
            "13: on-startup: expected true or false, got '1'"),
        Arguments.of("cadence = 30s", "cadence = 30s\n[debug]\ndump = on", "13: dump: expected true or false, got 'on'"),
        Arguments.of("cadence = 30s", "cadence = 30s\n[slurm]\ncadence = 5m\n[metrics]\n",
            "14: [metrics]: unknown section (known: [dap], [debug], [global], [sample], [sysinfo])"),
        Arguments.of("cadence = 30s", "cadence = 30s\n[jobs]\nbad line", "13: bad line: expected name = value"),
        Arguments.of("helper = http://helper.example/", "helper = http://helper.example/\nqueue-capacity = 0",
            "7: queue-capacity: must be between 1 and 1000000, got 0"),
        Arguments.of("helper = http://helper.example/", "helper = http://helper.example/\ncert-file = /x.pem",
            "7: cert-file: cert-file, key-file and ca-file go together: set all three or none"),
        Arguments.of("[dap]", "[dap]\n[dap]", "5: [dap]: section repeated (first at line 4)"));
  }

  @ParameterizedTest
  @MethodSource
  void invalid(String replace, String with, String expected) throws Exception {
    String text = valid();
    assertThat(text).contains(replace);
    Path p = write(text.replace(replace, with));
    assertThatThrownBy(() -> AgentConfig.read(p)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(p + ":" + expected);
  }

  @Test
  void noTaskAtAllAndSamplingWithoutATask() throws Exception {
    Path p = write("[global]\ncluster = a\nrole = node\n[dap]\nleader = http://l/\nhelper = http://h/\n");
    assertThatThrownBy(() -> AgentConfig.read(p))
        .hasMessage(p + ":4: sample-task-id: [dap] names no task: set sample-task-id or sysinfo-task-id");
    Path q = write("[global]\ncluster = a\nrole = node\n[dap]\nleader = http://l/\nhelper = http://h/\n"
        + "sysinfo-task-id = " + TASK + "\nsysinfo-vdaf = " + SYSINFO_VDAF + "\nsysinfo-time-precision = 1h\n"
        + "[sample]\ncadence = 1m\n");
    assertThatThrownBy(() -> AgentConfig.read(q)).hasMessage(q + ":11: cadence: sampling needs [dap] sample-task-id");
  }

  @Test
  void aConfigErrorIsOneLineAndExitStatusTwo() throws Exception {
    Path p = write(valid().replace("role = node", "role = boss"));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status = Main.run(new String[] {p.toString()}, new PrintStream(out, true), new PrintStream(err, true));
    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(p + ":3: role: expected node or master, got 'boss'" + System.lineSeparator());
    assertThat(out.size()).isZero();
    assertThat(Main.run(new String[] {}, new PrintStream(out), new PrintStream(err))).isEqualTo(2);
    assertThat(Main.run(new String[] {"a", "b"}, new PrintStream(out), new PrintStream(err))).isEqualTo(2);
  }

  @Test
  void theSampleConfigurationParses() {
    AgentConfig c = AgentConfig.read(Path.of("..", "samples", "janus-agent.ini"));
    assertThat(c.global().cluster()).isEqualTo("hpc.example.org");
    assertThat(c.sample().cadence().orElseThrow().period()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.dap().sysinfoTask()).isPresent();
    assertThat(c.unsupported()).containsExactly("jobs");
  }
}
