package io.janus.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SamplerTest {
  @TempDir
  Path dir;

  private static AgentConfig.Sample sample(Path hierarchy, List<String> exclude, List<String> users,
      List<String> commands, boolean system, boolean load, List<Path> mounts) {
    return new AgentConfig.Sample(Optional.empty(), hierarchy, exclude, users, commands, system, load, mounts);
  }

  private static List<String> paths(List<Sampler.Cgroup> cgroups) {
    return cgroups.stream().map(Sampler.Cgroup::path).toList();
  }

  @Test
  void readsLeafCgroupsOnlyWithEveryCounter() throws Exception {
    SimulatedMachine m = SimulatedMachine.standard(dir);
    Sampler s = new Sampler(sample(m.hierarchy(), List.of(), List.of(), List.of(), false, true, List.of()),
        m.paths());
    List<Sampler.Cgroup> all = s.cgroups();
    assertThat(paths(all)).containsExactly("init.scope", "system.slice/sshd.service",
        "user.slice/user-1000.slice/app.scope", "user.slice/user-1000.slice/session-1.scope",
        "user.slice/user-1001.slice/backup.scope");
    Sampler.Cgroup session = all.get(3);
    assertThat(session.cpuUsageUsec()).hasValue(5_000_000);
    assertThat(session.memoryCurrent()).hasValue(300L * 1024 * 1024);
    assertThat(session.memoryPeak()).hasValue(512L * 1024 * 1024);
    assertThat(session.readBytes()).isEqualTo(40L * 1024 * 1024);
    assertThat(session.writeBytes()).isEqualTo(8L * 1024 * 1024);
    assertThat(all.get(2).memoryPeak()).isEmpty();
    assertThat(s.host().load1()).contains(1.25);
    assertThat(s.facts()).isEqualTo(new Sampler.Facts(8, 16L * 1024 * 1024 * 1024, 9));
  }

  @Test
  void exclusionRules() throws Exception {
    SimulatedMachine m = SimulatedMachine.standard(dir);
    Path h = m.hierarchy();
    assertThat(paths(new Sampler(sample(h, List.of(), List.of(), List.of(), true, true, List.of()), m.paths())
        .cgroups())).containsExactly("user.slice/user-1000.slice/app.scope",
        "user.slice/user-1000.slice/session-1.scope", "user.slice/user-1001.slice/backup.scope");
    assertThat(paths(new Sampler(sample(h, List.of("user.slice/*/app.scope", "**/backup.*"), List.of(), List.of(),
        true, true, List.of()), m.paths()).cgroups())).containsExactly("user.slice/user-1000.slice/session-1.scope");
    // python3 runs in both session-1 and app.scope; uid 1001 is bob.
    assertThat(paths(new Sampler(sample(h, List.of(), List.of("1001"), List.of("python3"), true, true, List.of()),
        m.paths()).cgroups())).isEmpty();
    assertThat(paths(new Sampler(sample(h, List.of(), List.of("alice"), List.of(), false, true, List.of()),
        m.paths()).cgroups())).containsExactly("init.scope", "system.slice/sshd.service",
        "user.slice/user-1001.slice/backup.scope");
  }

  @Test
  void hostLoadIsOptionalAndMountPathsAreMeasured() throws Exception {
    SimulatedMachine m = SimulatedMachine.standard(dir);
    Files.createDirectories(dir.resolve("data"));
    Sampler.Host host = new Sampler(sample(m.hierarchy(), List.of(), List.of(), List.of(), true, false,
        List.of(dir.resolve("data"))), m.paths()).host();
    assertThat(host.load1()).isEmpty();
    assertThat(host.mountTotalBytes()).isPositive();
    assertThat(host.mountUsedBytes()).isBetween(0L, host.mountTotalBytes());
  }
}
