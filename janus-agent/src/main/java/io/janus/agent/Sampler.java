package io.janus.agent;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads what one sample is made of, without keeping any state: every leaf cgroup's CPU, memory and I/O
 * counters (cgroup v2: {@code cpu.stat}, {@code memory.current}, {@code memory.peak}, {@code io.stat}), the
 * host's load average and mount-path usage, and the machine's static facts.
 *
 * <p>Only leaf cgroups are read: an inner cgroup's counters include its children's, so summing every cgroup
 * would count the same work twice (cgroup v2 keeps processes in leaves anyway). A cgroup that vanishes while it
 * is being read is skipped.
 */
final class Sampler {
  /**
   * One leaf cgroup's counters.
   *
   * @param path its path below the hierarchy's root, with {@code /} separators
   * @param cpuUsageUsec {@code cpu.stat usage_usec}, if the CPU controller reports it
   * @param memoryCurrent {@code memory.current} in bytes, if present
   * @param memoryPeak {@code memory.peak} in bytes, if present (kernels before 5.19 have none)
   * @param readBytes the sum of {@code io.stat rbytes} over devices
   * @param writeBytes the sum of {@code io.stat wbytes} over devices
   */
  record Cgroup(String path, OptionalLong cpuUsageUsec, OptionalLong memoryCurrent, OptionalLong memoryPeak,
      long readBytes, long writeBytes) {}

  /**
   * The host's share of a sample.
   *
   * @param load1 the 1-minute load average, if asked for and readable
   * @param mountUsedBytes the used bytes summed over the mount paths
   * @param mountTotalBytes the total bytes summed over the mount paths
   */
  record Host(Optional<Double> load1, long mountUsedBytes, long mountTotalBytes) {}

  /**
   * The machine's static facts.
   *
   * @param cpus the CPUs the kernel lists in {@code /proc/stat}
   * @param memoryBytes {@code MemTotal} from {@code /proc/meminfo}
   * @param cgroups the cgroups below the hierarchy's root
   */
  record Facts(long cpus, long memoryBytes, long cgroups) {}

  private final AgentConfig.Sample config;
  private final SystemPaths paths;
  private final List<PathMatcher> exclude;

  Sampler(AgentConfig.Sample config, SystemPaths paths) {
    this.config = config;
    this.paths = paths;
    this.exclude = config.exclude().stream()
        .map(p -> FileSystems.getDefault().getPathMatcher("glob:" + p)).toList();
  }

  /** Every leaf cgroup that no exclusion rule skips, in path order. */
  List<Cgroup> cgroups() throws IOException {
    Path root = config.hierarchy();
    Set<String> users = excludedUids();
    List<Cgroup> out = new ArrayList<>();
    for (Path dir : cgroupDirectories(root)) {
      if (hasChildCgroup(dir)) {
        continue;
      }
      String rel = relative(root, dir);
      if (excluded(rel) || runsExcludedProcess(dir, users)) {
        continue;
      }
      try {
        out.add(read(rel, dir));
      } catch (NoSuchFileException e) {
        // The cgroup was removed between the walk and the read; it is simply not part of this sample.
      }
    }
    return out;
  }

  /** The host's load average (when {@code load} is on) and mount-path usage. */
  Host host() throws IOException {
    Optional<Double> load = Optional.empty();
    if (config.load()) {
      Path loadavg = paths.proc().resolve("loadavg");
      if (Files.isReadable(loadavg)) {
        String first = Files.readString(loadavg).strip().split("\\s+")[0];
        try {
          load = Optional.of(Double.parseDouble(first));
        } catch (NumberFormatException e) {
          throw new IOException(loadavg + ": not a load average: " + first);
        }
      }
    }
    long used = 0;
    long total = 0;
    for (Path mount : config.mountPaths()) {
      FileStore store = Files.getFileStore(mount);
      long t = store.getTotalSpace();
      total += t;
      used += t - store.getUnallocatedSpace();
    }
    return new Host(load, used, total);
  }

  /** The CPU count, memory size and number of cgroups. */
  Facts facts() throws IOException {
    long cpus;
    try (Stream<String> lines = Files.lines(paths.proc().resolve("stat"))) {
      cpus = lines.filter(l -> l.matches("cpu[0-9]+\\s.*")).count();
    }
    long memory = 0;
    try (Stream<String> lines = Files.lines(paths.proc().resolve("meminfo"))) {
      for (String l : (Iterable<String>) lines::iterator) {
        if (l.startsWith("MemTotal:")) {
          memory = Long.parseLong(l.substring("MemTotal:".length()).strip().split("\\s+")[0]) * 1024;
        }
      }
    }
    return new Facts(cpus, memory, cgroupDirectories(config.hierarchy()).size());
  }

  private static List<Path> cgroupDirectories(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new IOException("no cgroup hierarchy at " + root);
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> !p.equals(root) && Files.isDirectory(p)).sorted().toList();
    }
  }

  private static boolean hasChildCgroup(Path dir) throws IOException {
    try (Stream<Path> children = Files.list(dir)) {
      return children.anyMatch(Files::isDirectory);
    }
  }

  private static String relative(Path root, Path dir) {
    return root.relativize(dir).toString().replace(dir.getFileSystem().getSeparator(), "/");
  }

  private boolean excluded(String rel) {
    if (config.excludeSystemJobs()) {
      String top = rel.contains("/") ? rel.substring(0, rel.indexOf('/')) : rel;
      if (top.equals("system.slice") || top.equals("init.scope")) {
        return true;
      }
    }
    Path p = Path.of(rel);
    return exclude.stream().anyMatch(m -> m.matches(p));
  }

  private boolean runsExcludedProcess(Path dir, Set<String> uids) throws IOException {
    if (uids.isEmpty() && config.excludeCommands().isEmpty()) {
      return false;
    }
    Path procs = dir.resolve("cgroup.procs");
    if (!Files.isReadable(procs)) {
      return false;
    }
    for (String pid : Files.readAllLines(procs)) {
      pid = pid.strip();
      if (pid.isEmpty()) {
        continue;
      }
      Path proc = paths.proc().resolve(pid);
      try {
        if (!config.excludeCommands().isEmpty()
            && config.excludeCommands().contains(Files.readString(proc.resolve("comm")).strip())) {
          return true;
        }
        if (!uids.isEmpty()) {
          for (String l : Files.readAllLines(proc.resolve("status"))) {
            if (l.startsWith("Uid:") && uids.contains(l.substring(4).strip().split("\\s+")[0])) {
              return true;
            }
          }
        }
      } catch (NoSuchFileException e) {
        // The process exited since cgroup.procs was read.
      }
    }
    return false;
  }

  /** The numeric IDs of {@code exclude-users}: numbers as given, names through the user database. */
  private Set<String> excludedUids() throws IOException {
    Set<String> uids = new HashSet<>();
    List<String> names = new ArrayList<>();
    for (String u : config.excludeUsers()) {
      if (u.chars().allMatch(Character::isDigit)) {
        uids.add(u);
      } else {
        names.add(u);
      }
    }
    if (!names.isEmpty() && Files.isReadable(paths.passwd())) {
      for (String l : Files.readAllLines(paths.passwd())) {
        String[] f = l.split(":");
        if (f.length > 2 && names.contains(f[0])) {
          uids.add(f[2]);
        }
      }
    }
    return uids;
  }

  private static Cgroup read(String rel, Path dir) throws IOException {
    OptionalLong usage = OptionalLong.empty();
    Path cpu = dir.resolve("cpu.stat");
    if (Files.exists(cpu)) {
      for (String l : Files.readAllLines(cpu)) {
        if (l.startsWith("usage_usec ")) {
          usage = OptionalLong.of(number(cpu, l.substring("usage_usec ".length())));
        }
      }
    }
    long read = 0;
    long written = 0;
    Path io = dir.resolve("io.stat");
    if (Files.exists(io)) {
      for (String l : Files.readAllLines(io)) {
        for (String field : l.strip().split("\\s+")) {
          if (field.startsWith("rbytes=")) {
            read += number(io, field.substring(7));
          } else if (field.startsWith("wbytes=")) {
            written += number(io, field.substring(7));
          }
        }
      }
    }
    return new Cgroup(rel, usage, single(dir.resolve("memory.current")), single(dir.resolve("memory.peak")), read,
        written);
  }

  private static OptionalLong single(Path file) throws IOException {
    if (!Files.exists(file)) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(number(file, Files.readString(file)));
  }

  private static long number(Path file, String text) throws IOException {
    try {
      return Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      throw new IOException(file + ": not a counter: " + text.strip());
    }
  }
}
