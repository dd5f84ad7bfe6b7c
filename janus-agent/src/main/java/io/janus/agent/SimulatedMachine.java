package io.janus.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A machine on disk, for tests and demonstrations: a cgroup v2 tree, a {@code /proc} and an {@code /etc/passwd},
 * written file by file as the kernel shows them, so the agent reads it exactly as it reads a real machine while
 * the caller knows every number it will read (and can make the counters grow between samples). Not thread-safe.
 */
public final class SimulatedMachine {
  /**
   * One leaf cgroup's counters as the fixture last wrote them.
   *
   * @param usageUsec cpu.stat usage_usec
   * @param memoryCurrent memory.current, bytes
   * @param memoryPeak memory.peak, bytes (negative: no file)
   * @param readBytes io.stat rbytes, summed over the two devices written
   * @param writeBytes io.stat wbytes, summed
   */
  public record Counters(long usageUsec, long memoryCurrent, long memoryPeak, long readBytes, long writeBytes) {}

  private final Path root;
  private final Map<String, Counters> cgroups = new LinkedHashMap<>();

  private SimulatedMachine(Path root) {
    this.root = root;
  }

  /** Creates an empty machine under {@code dir} with the given CPU count, memory size and load average. */
  public static SimulatedMachine create(Path dir, int cpus, long memTotalKib, String load1) {
    SimulatedMachine m = new SimulatedMachine(dir);
    StringBuilder stat = new StringBuilder("cpu  100 0 100 1000 0 0 0 0 0 0\n");
    for (int i = 0; i < cpus; i++) {
      stat.append("cpu").append(i).append(" 10 0 10 100 0 0 0 0 0 0\n");
    }
    stat.append("intr 0\nctxt 0\nbtime 0\n");
    m.write("proc/stat", stat.toString());
    m.write("proc/meminfo", "MemTotal:       " + memTotalKib + " kB\nMemFree:        1000 kB\n");
    m.write("proc/loadavg", load1 + " 0.50 0.25 1/100 4242\n");
    m.write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\n"
        + "bob:x:1001:1001::/home/bob:/bin/sh\n");
    m.mkdir("cgroup");
    return m;
  }

  /** The cgroup hierarchy's root. */
  public Path hierarchy() {
    return root.resolve("cgroup");
  }

  /** Where the agent reads the rest of the machine. */
  public SystemPaths paths() {
    return new SystemPaths(root.resolve("proc"), root.resolve("etc/passwd"));
  }

  /** Writes (or rewrites) the cgroup {@code rel} with these counters and processes. */
  public SimulatedMachine cgroup(String rel, Counters c, int... pids) {
    String dir = "cgroup/" + rel + "/";
    mkdir(dir);
    write(dir + "cpu.stat", "usage_usec " + c.usageUsec() + "\nuser_usec " + c.usageUsec() / 2 + "\nsystem_usec "
        + (c.usageUsec() - c.usageUsec() / 2) + "\nnr_periods 0\n");
    write(dir + "memory.current", c.memoryCurrent() + "\n");
    if (c.memoryPeak() >= 0) {
      write(dir + "memory.peak", c.memoryPeak() + "\n");
    }
    long r1 = c.readBytes() / 3;
    long w1 = c.writeBytes() / 3;
    write(dir + "io.stat", "8:0 rbytes=" + r1 + " wbytes=" + w1 + " rios=3 wios=4 dbytes=0 dios=0\n"
        + "259:0 rbytes=" + (c.readBytes() - r1) + " wbytes=" + (c.writeBytes() - w1) + " rios=1 wios=1 dbytes=0"
        + " dios=0\n");
    if (pids.length > 0 || !Files.exists(root.resolve(dir + "cgroup.procs"))) {
      StringBuilder procs = new StringBuilder();
      for (int pid : pids) {
        procs.append(pid).append('\n');
      }
      write(dir + "cgroup.procs", procs.toString());
    }
    cgroups.put(rel, c);
    return this;
  }

  /** Writes a process's {@code status} and {@code comm}. */
  public SimulatedMachine process(int pid, int uid, String comm) {
    write("proc/" + pid + "/status", "Name:\t" + comm + "\nState:\tS (sleeping)\nUid:\t" + uid + "\t" + uid + "\t"
        + uid + "\t" + uid + "\n");
    write("proc/" + pid + "/comm", comm + "\n");
    return this;
  }

  /** The counters last written for {@code rel}. */
  public Counters counters(String rel) {
    return cgroups.get(rel);
  }

  /** The leaf cgroups written, in the order written. */
  public List<String> cgroups() {
    return new ArrayList<>(cgroups.keySet());
  }

  private void mkdir(String rel) {
    try {
      Files.createDirectories(root.resolve(rel));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void write(String rel, String text) {
    try {
      Path p = root.resolve(rel);
      Files.createDirectories(p.getParent());
      Files.writeString(p, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The standard fixture: two user sessions, one service in system.slice, init.scope, and a slice holding
   * {@code backup} run by bob, on a machine of 8 CPUs, 16 GiB and load 1.25.
   */
  public static SimulatedMachine standard(Path dir) {
    return create(dir, 8, 16L * 1024 * 1024, "1.25")
        .process(100, 1000, "bash").process(101, 1000, "python3").process(200, 1001, "backup")
        .process(300, 0, "sshd").process(1, 0, "systemd")
        .cgroup("user.slice/user-1000.slice/session-1.scope",
            new Counters(5_000_000, 300L * 1024 * 1024, 512L * 1024 * 1024, 40L * 1024 * 1024, 8L * 1024 * 1024),
            100, 101)
        .cgroup("user.slice/user-1000.slice/app.scope",
            new Counters(1_000_000, 64L * 1024 * 1024 + 5, -1, 0, 1024L * 1024), 101)
        .cgroup("user.slice/user-1001.slice/backup.scope",
            new Counters(9_000_000, 128L * 1024 * 1024, 130L * 1024 * 1024, 0, 0), 200)
        .cgroup("system.slice/sshd.service",
            new Counters(700_000, 16L * 1024 * 1024, 20L * 1024 * 1024, 1024, 1024), 300)
        .cgroup("init.scope", new Counters(2_000_000, 32L * 1024 * 1024, 33L * 1024 * 1024, 0, 0), 1);
  }
}
