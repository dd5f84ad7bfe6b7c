package io.janus.agent;

import io.janus.fleet.MetricLayout;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns readings into measurements laid out as {@link MetricLayout} says. CPU and I/O are counters, so they are
 * reported as the growth since the same cgroup's previous sample: a cgroup's first sample (or the first after its
 * counters went backwards, because it was recreated) reports memory only. Values beyond what the task's VDAF
 * holds are clamped to its largest value. Not thread-safe: the daemon's one thread owns it.
 */
final class Measurements {
  private record Previous(long tickMillis, long cpuUsageUsec, long readBytes, long writeBytes) {}

  private static final long MIB = 1024 * 1024;
  private static final long KIB = 1024;

  private final long maxElement;
  private Map<String, Previous> previous = new HashMap<>();
  private long clamped;

  /** Measurements whose elements hold at most {@code maxElement}. */
  Measurements(long maxElement) {
    this.maxElement = maxElement;
  }

  /**
   * One measurement per cgroup of the sample taken at {@code tickMillis}; forgets cgroups not in it.
   */
  List<long[]> cgroups(List<Sampler.Cgroup> cgroups, long tickMillis) {
    Map<String, Previous> next = new HashMap<>();
    List<long[]> out = new java.util.ArrayList<>(cgroups.size());
    for (Sampler.Cgroup c : cgroups) {
      long[] m = new long[MetricLayout.SAMPLE.length()];
      m[MetricLayout.CGROUP_SAMPLES] = 1;
      long usage = c.cpuUsageUsec().orElse(0);
      Previous p = previous.get(c.path());
      if (p != null && tickMillis > p.tickMillis() && usage >= p.cpuUsageUsec() && c.readBytes() >= p.readBytes()
          && c.writeBytes() >= p.writeBytes()) {
        long usedUsec = usage - p.cpuUsageUsec();
        long elapsedMillis = tickMillis - p.tickMillis();
        // Percent of one CPU: used microseconds over elapsed microseconds, times 100.
        long percent = usedUsec / 10 / elapsedMillis;
        if (c.cpuUsageUsec().isPresent()) {
          m[MetricLayout.CPU_BUCKETS + MetricLayout.cpuBucket(percent)] = 1;
          m[MetricLayout.CPU_MS] = clamp(usedUsec / 1000);
        }
        m[MetricLayout.IO_READ] = clamp((c.readBytes() - p.readBytes()) / KIB);
        m[MetricLayout.IO_WRITE] = clamp((c.writeBytes() - p.writeBytes()) / KIB);
      }
      m[MetricLayout.MEMORY_CURRENT] = clamp(c.memoryCurrent().orElse(0) / MIB);
      m[MetricLayout.MEMORY_PEAK] = clamp(c.memoryPeak().orElse(0) / MIB);
      next.put(c.path(), new Previous(tickMillis, usage, c.readBytes(), c.writeBytes()));
      out.add(m);
    }
    previous = next;
    return out;
  }

  /** The host's measurement of a sample. */
  long[] host(Sampler.Host h) {
    long[] m = new long[MetricLayout.SAMPLE.length()];
    m[MetricLayout.HOST_SAMPLES] = 1;
    h.load1().ifPresent(l -> m[MetricLayout.LOAD1] = clamp(Math.round(l * 100)));
    m[MetricLayout.MOUNT_USED] = clamp(h.mountUsedBytes() / MIB);
    m[MetricLayout.MOUNT_TOTAL] = clamp(h.mountTotalBytes() / MIB);
    return m;
  }

  /** The machine's facts as a sysinfo measurement, clamped to {@code max}. */
  static long[] sysinfo(Sampler.Facts f, long max) {
    return new long[] {1, Math.min(f.cpus(), max), Math.min(f.memoryBytes() / MIB, max), Math.min(f.cgroups(), max)};
  }

  /** How many values were clamped so far. */
  long clamped() {
    return clamped;
  }

  private long clamp(long v) {
    if (v > maxElement) {
      clamped++;
      return maxElement;
    }
    return Math.max(0, v);
  }
}
