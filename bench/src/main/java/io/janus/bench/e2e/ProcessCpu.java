package io.janus.bench.e2e;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * CPU time read from Linux's {@code /proc}: the whole machine's busy time, this JVM's CPU time, and a PostgreSQL
 * server's (its postmaster and live backends, plus backends that already exited). Used to split a phase's CPU
 * between the JVM and the two databases; clock ticks are taken as 100 per second ({@code USER_HZ} on Linux).
 */
final class ProcessCpu {
  private static final long NANOS_PER_TICK = 10_000_000L;

  /**
   * CPU consumed up to one instant, in nanoseconds.
   *
   * @param machineBusy busy time of all cores together (everything but idle and iowait)
   * @param machineTotal all time of all cores together
   * @param jvm this process
   * @param leaderDb the Leader's PostgreSQL
   * @param helperDb the Helper's PostgreSQL
   */
  record Snapshot(long machineBusy, long machineTotal, long jvm, long leaderDb, long helperDb) {
    /** The CPU used between {@code before} and this snapshot, one line of text in seconds. */
    String since(Snapshot before, double wallSeconds) {
      double busy = (machineBusy - before.machineBusy) / 1e9;
      double total = (machineTotal - before.machineTotal) / 1e9;
      double jvmS = (jvm - before.jvm) / 1e9;
      double leaderS = (leaderDb - before.leaderDb) / 1e9;
      double helperS = (helperDb - before.helperDb) / 1e9;
      return String.format(Locale.ROOT, "machine busy %.1f of %.1f core-s (%.0f%%) in %.1f s wall: JVM %.1f s, "
              + "Leader PostgreSQL %.1f s, Helper PostgreSQL %.1f s, everything else %.1f s",
          busy, total, total > 0 ? 100 * busy / total : 0, wallSeconds, jvmS, leaderS, helperS,
          busy - jvmS - leaderS - helperS);
    }
  }

  private ProcessCpu() {}

  /** Reads every counter now. */
  static Snapshot snapshot(long leaderPostmasterPid, long helperPostmasterPid) {
    long[] machine = machine();
    return new Snapshot(machine[0], machine[1], jvm(), server(leaderPostmasterPid), server(helperPostmasterPid));
  }

  private static long jvm() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Busy and total time of all cores, from the first line of {@code /proc/stat}. */
  private static long[] machine() {
    try {
      String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] f = first.trim().split("\\s+");
      long total = 0;
      // Fields 1..8: user nice system idle iowait irq softirq steal; guest time is already inside user.
      for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new long[] {(total - idle) * NANOS_PER_TICK, total * NANOS_PER_TICK};
    } catch (IOException e) {
      return new long[] {0, 0};
    }
  }

  /** A PostgreSQL server's CPU: the postmaster's own and reaped children's time plus each live child's. */
  private static long server(long postmasterPid) {
    long ticks = ticks(postmasterPid, true);
    ProcessHandle postmaster = ProcessHandle.of(postmasterPid).orElse(null);
    if (postmaster != null) {
      for (ProcessHandle child : postmaster.children().toList()) {
        ticks += ticks(child.pid(), false);
      }
    }
    return ticks * NANOS_PER_TICK;
  }

  /** utime + stime of {@code pid} (fields 14 and 15 of {@code /proc/pid/stat}), plus reaped children's if asked. */
  private static long ticks(long pid, boolean withReaped) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // The command name is parenthesised and may hold spaces: count fields after the last ')'.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return withReaped ? t + Long.parseLong(f[13]) + Long.parseLong(f[14]) : t;
    } catch (IOException | NumberFormatException | IndexOutOfBoundsException e) {
      // The process exited between listing and reading: its time moved into the postmaster's reaped total.
      return 0;
    }
  }
}
