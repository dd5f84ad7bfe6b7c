package io.janus.fleet;

import java.util.List;

/**
 * What each element of a fleet measurement means: the agent builds its Prio3SumVec measurements in this order,
 * and the exporter names the aggregate's elements with it. A data type is also the suffix of its Kafka topic
 * ({@code <cluster>.sample}). docs/FLEET-METRICS.md documents the units.
 */
public enum MetricLayout {
  /**
   * One report per leaf cgroup per sample ({@code cgroup_samples} = 1, CPU, memory and I/O), plus one per host
   * per sample ({@code host_samples} = 1, load average and mount-path usage).
   */
  SAMPLE("sample", List.of(
      "cgroup_samples",
      "cpu_util_lt_10pct", "cpu_util_10_25pct", "cpu_util_25_50pct", "cpu_util_50_100pct",
      "cpu_util_100_200pct", "cpu_util_200_400pct", "cpu_util_400_800pct", "cpu_util_ge_800pct",
      "cpu_ms",
      "memory_current_mib", "memory_peak_mib",
      "io_read_kib", "io_write_kib",
      "host_samples", "load1_centi",
      "mount_used_mib", "mount_total_mib")),
  /** One report per host at start-up and on the sysinfo cadence: its static facts. */
  SYSINFO("sysinfo", List.of("hosts", "cpus", "memory_mib", "cgroups"));

  /** Index of {@code cgroup_samples} in {@link #SAMPLE}. */
  public static final int CGROUP_SAMPLES = 0;
  /** Index of the first CPU utilisation bucket in {@link #SAMPLE}. */
  public static final int CPU_BUCKETS = 1;
  /** Upper bounds (exclusive) of the CPU utilisation buckets, in percent of one CPU; the last is open. */
  public static final List<Long> CPU_BUCKET_BOUNDS = List.of(10L, 25L, 50L, 100L, 200L, 400L, 800L);
  /** Index of {@code cpu_ms}. */
  public static final int CPU_MS = 9;
  /** Index of {@code memory_current_mib}. */
  public static final int MEMORY_CURRENT = 10;
  /** Index of {@code memory_peak_mib}. */
  public static final int MEMORY_PEAK = 11;
  /** Index of {@code io_read_kib}. */
  public static final int IO_READ = 12;
  /** Index of {@code io_write_kib}. */
  public static final int IO_WRITE = 13;
  /** Index of {@code host_samples}. */
  public static final int HOST_SAMPLES = 14;
  /** Index of {@code load1_centi}. */
  public static final int LOAD1 = 15;
  /** Index of {@code mount_used_mib}. */
  public static final int MOUNT_USED = 16;
  /** Index of {@code mount_total_mib}. */
  public static final int MOUNT_TOTAL = 17;

  private final String dataType;
  private final List<String> fields;

  MetricLayout(String dataType, List<String> fields) {
    this.dataType = dataType;
    this.fields = fields;
  }

  /** The data type: the configuration section's name and the Kafka topic's suffix. */
  public String dataType() {
    return dataType;
  }

  /** The element names, in measurement order. */
  public List<String> fields() {
    return fields;
  }

  /** The measurement's length, which the task's Prio3SumVec must have. */
  public int length() {
    return fields.size();
  }

  /** The bucket a CPU utilisation of {@code percent} (of one CPU) falls in, 0-based. */
  public static int cpuBucket(long percent) {
    for (int i = 0; i < CPU_BUCKET_BOUNDS.size(); i++) {
      if (percent < CPU_BUCKET_BOUNDS.get(i)) {
        return i;
      }
    }
    return CPU_BUCKET_BOUNDS.size();
  }
}
