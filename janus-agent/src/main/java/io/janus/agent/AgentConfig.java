package io.janus.agent;

import io.janus.core.task.VdafInstance;
import io.janus.fleet.Cadence;
import io.janus.fleet.ConfigException;
import io.janus.fleet.DebugConfig;
import io.janus.fleet.GlobalConfig;
import io.janus.fleet.IniFile;
import io.janus.fleet.IniSection;
import io.janus.fleet.MetricLayout;
import io.janus.fleet.TlsFiles;
import io.janus.messages.DapDuration;
import io.janus.messages.TaskId;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The agent's configuration file, read once and frozen (a reload reads a new one). Sections:
 * {@code [global]}, {@code [dap]}, {@code [sample]}, {@code [sysinfo]}, {@code [debug]}; {@code [jobs]},
 * {@code [slurm]} and {@code [cluster]} (sources this agent does not read) parse by the same rules and are
 * listed in {@link #unsupported()}. docs/FLEET-METRICS.md documents every key.
 *
 * @param file the file read
 * @param global {@code [global]}
 * @param dap {@code [dap]}
 * @param sample {@code [sample]} (defaults when absent: no cadence, so no sampling)
 * @param sysinfo {@code [sysinfo]} (defaults when absent)
 * @param debug {@code [debug]}
 * @param unsupported the names of the sections present that this agent does not read, in file order
 */
public record AgentConfig(Path file, GlobalConfig global, Dap dap, Sample sample, Sysinfo sysinfo,
    DebugConfig debug, List<String> unsupported) {
  /** The sections read. */
  public static final Set<String> SECTIONS = Set.of("global", "dap", "sample", "sysinfo", "debug");
  /** The sections of other daemons' sources, accepted and reported as not supported here. */
  public static final Set<String> UNSUPPORTED = Set.of("jobs", "slurm", "cluster");

  /** Copies the list. */
  public AgentConfig {
    unsupported = List.copyOf(unsupported);
  }

  /**
   * One DAP task the agent reports to.
   *
   * @param id the task ID
   * @param vdaf the task's VDAF: a Prio3SumVec of the data type's length
   * @param timePrecision the task's time precision
   */
  public record Task(TaskId id, VdafInstance vdaf, DapDuration timePrecision) {
    /** The largest value one element of a measurement may hold under the task's VDAF. */
    public long maxElement() {
      int bits = switch (vdaf) {
        case VdafInstance.Prio3SumVec v -> v.bits();
        case VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128 v -> v.bits();
        default -> throw new IllegalStateException("not a SumVec: " + vdaf);
      };
      return bits >= 63 ? Long.MAX_VALUE : (1L << bits) - 1;
    }
  }

  /**
   * {@code [dap]}: where and to which tasks reports go.
   *
   * @param leader the Leader's DAP endpoint
   * @param helper the Helper's DAP endpoint
   * @param sampleTask the task samples are reported to ({@code sample-task-id}, {@code sample-vdaf},
   *     {@code sample-time-precision})
   * @param sysinfoTask the task the machine's static facts are reported to ({@code sysinfo-*})
   * @param hpkeRefresh how often both aggregators' HPKE configurations are fetched again ({@code hpke-refresh},
   *     default 1h)
   * @param tls client certificate authentication and the CAs to trust ({@code cert-file}, {@code key-file},
   *     {@code ca-file}), if any
   * @param queueCapacity the most reports kept for retry while the Leader is unreachable ({@code queue-capacity},
   *     default 10000); beyond it the oldest are dropped and reported
   */
  public record Dap(URI leader, URI helper, Optional<Task> sampleTask, Optional<Task> sysinfoTask,
      Cadence hpkeRefresh, Optional<TlsFiles> tls, int queueCapacity) {}

  /**
   * {@code [sample]}.
   *
   * @param cadence when to sample; no sampling without one
   * @param hierarchy the cgroup v2 hierarchy's root ({@code hierarchy}, default {@code /sys/fs/cgroup})
   * @param exclude glob patterns on a cgroup's path below the root ({@code *} stays within one level,
   *     {@code **} crosses levels); a matching cgroup is not sampled
   * @param excludeUsers user names or numeric IDs; a cgroup any of whose processes runs as one is not sampled
   * @param excludeCommands command names ({@code /proc/PID/comm}); a cgroup running one is not sampled
   * @param excludeSystemJobs skip {@code system.slice} and {@code init.scope} (default true)
   * @param load include the 1-minute load average in the host report (default true)
   * @param mountPaths filesystems whose used and total bytes go into the host report
   */
  public record Sample(Optional<Cadence> cadence, Path hierarchy, List<String> exclude, List<String> excludeUsers,
      List<String> excludeCommands, boolean excludeSystemJobs, boolean load, List<Path> mountPaths) {
    /** Copies the lists. */
    public Sample {
      exclude = List.copyOf(exclude);
      excludeUsers = List.copyOf(excludeUsers);
      excludeCommands = List.copyOf(excludeCommands);
      mountPaths = List.copyOf(mountPaths);
    }
  }

  /**
   * {@code [sysinfo]}.
   *
   * @param cadence when to report the machine's facts besides start-up, if at all
   * @param onStartup report them once at start-up (default true)
   */
  public record Sysinfo(Optional<Cadence> cadence, boolean onStartup) {}

  /**
   * Reads and checks {@code file}.
   *
   * @throws ConfigException naming the file, line, key and reason of the first problem
   */
  public static AgentConfig read(Path file) {
    IniFile ini = IniFile.read(file);
    List<String> unsupported = ini.checkSections(SECTIONS, UNSUPPORTED).stream().map(IniSection::name).toList();
    GlobalConfig global = GlobalConfig.read(ini);
    Dap dap = readDap(ini);
    Sample sample = ini.section("sample").map(AgentConfig::readSample).orElse(
        new Sample(Optional.empty(), Path.of("/sys/fs/cgroup"), List.of(), List.of(), List.of(), true, true,
            List.of()));
    Sysinfo sysinfo = ini.section("sysinfo").map(s -> {
      Sysinfo c = new Sysinfo(s.cadence("cadence"), s.bool("on-startup", true));
      s.rejectUnread();
      return c;
    }).orElse(new Sysinfo(Optional.empty(), true));
    DebugConfig debug = DebugConfig.read(ini);
    IniSection dapSection = ini.requiredSection("dap");
    if (sample.cadence().isPresent() && dap.sampleTask().isEmpty()) {
      throw ini.section("sample").orElseThrow().error("cadence", "sampling needs [dap] sample-task-id");
    }
    if (sysinfo.cadence().isPresent() && dap.sysinfoTask().isEmpty()) {
      throw ini.section("sysinfo").orElseThrow().error("cadence", "needs [dap] sysinfo-task-id");
    }
    if (dap.sampleTask().isEmpty() && dap.sysinfoTask().isEmpty()) {
      throw dapSection.error("sample-task-id", "[dap] names no task: set sample-task-id or sysinfo-task-id");
    }
    return new AgentConfig(file, global, dap, sample, sysinfo, debug, unsupported);
  }

  private static Dap readDap(IniFile ini) {
    IniSection s = ini.requiredSection("dap");
    URI leader = s.url("leader").orElseThrow(() -> s.error("leader", "required in [dap]"));
    URI helper = s.url("helper").orElseThrow(() -> s.error("helper", "required in [dap]"));
    Optional<Task> sample = task(s, "sample", MetricLayout.SAMPLE);
    Optional<Task> sysinfo = task(s, "sysinfo", MetricLayout.SYSINFO);
    Cadence refresh = s.cadence("hpke-refresh").orElse(new Cadence(Duration.ofHours(1)));
    Optional<TlsFiles> tls = TlsFiles.read(s);
    if (tls.isPresent() && !(leader.getScheme().equals("https") && helper.getScheme().equals("https"))) {
      throw s.error("cert-file", "client certificates need https leader and helper URLs");
    }
    int capacity = s.parsed("queue-capacity", v -> {
      int n;
      try {
        n = Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("expected a whole number, got '" + v + "'");
      }
      if (n < 1 || n > 1_000_000) {
        throw new IllegalArgumentException("must be between 1 and 1000000, got " + n);
      }
      return n;
    }).orElse(10_000);
    s.rejectUnread();
    return new Dap(leader, helper, sample, sysinfo, refresh, tls, capacity);
  }

  /** {@code <prefix>-task-id}, {@code <prefix>-vdaf} and {@code <prefix>-time-precision}, all or none. */
  private static Optional<Task> task(IniSection s, String prefix, MetricLayout layout) {
    String idKey = prefix + "-task-id";
    String vdafKey = prefix + "-vdaf";
    String precisionKey = prefix + "-time-precision";
    Optional<TaskId> id = s.parsed(idKey, v -> {
      try {
        return TaskId.fromBase64Url(v);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("not a task ID (32 bytes, unpadded base64url)");
      }
    });
    Optional<VdafInstance> vdaf = s.parsed(vdafKey, v -> {
      VdafInstance instance = VdafInstance.fromJson(v);
      int length = switch (instance) {
        case VdafInstance.Prio3SumVec sv -> sv.length();
        case VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128 sv -> sv.length();
        default -> -1;
      };
      if (length != layout.length()) {
        throw new IllegalArgumentException("the " + prefix + " task's VDAF must be a Prio3SumVec of length "
            + layout.length() + " (docs/FLEET-METRICS.md), got " + instance.toJson());
      }
      return instance;
    });
    Optional<DapDuration> precision = s.duration(precisionKey).map(d -> DapDuration.ofSeconds(d.toSeconds()));
    if (id.isEmpty() && vdaf.isEmpty() && precision.isEmpty()) {
      return Optional.empty();
    }
    for (var k : List.of(idKey, vdafKey, precisionKey)) {
      if (s.string(k).isEmpty()) {
        String given = id.isPresent() ? idKey : vdaf.isPresent() ? vdafKey : precisionKey;
        throw s.error(given, k + " is required with " + given);
      }
    }
    return Optional.of(new Task(id.get(), vdaf.get(), precision.get()));
  }

  private static Sample readSample(IniSection s) {
    Optional<Cadence> cadence = s.cadence("cadence");
    Path hierarchy = s.path("hierarchy").orElse(Path.of("/sys/fs/cgroup"));
    List<String> exclude = s.list("exclude");
    for (String pattern : exclude) {
      try {
        java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + pattern);
      } catch (RuntimeException e) {
        throw s.error("exclude", "not a glob pattern: " + pattern);
      }
    }
    Sample sample = new Sample(cadence, hierarchy, exclude, s.list("exclude-users"), s.list("exclude-commands"),
        s.bool("exclude-system-jobs", true), s.bool("load", true),
        s.list("mount-paths").stream().map(p -> {
          Path path = Path.of(p);
          if (!path.isAbsolute()) {
            throw s.error("mount-paths", "not an absolute path: " + p);
          }
          return path;
        }).toList());
    s.rejectUnread();
    return sample;
  }

}
