package io.janus.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler reporting the benchmark JVM's CPU time per operation ({@code cpu.time.per.op}, microseconds),
 * next to the wall-clock score. Enable with {@code -prof io.janus.bench.CpuTimeProfiler}.
 *
 * <p>On a machine whose cores other work shares, wall-clock time per operation includes time spent waiting
 * for a core; CPU time does not, so it stays close to the uncontended cost. It counts every thread of the JVM:
 * the benchmark thread, and also garbage collection (part of an operation's real cost) and any late JIT
 * compilation (negligible after warm-up). Single-threaded benchmarks only: with more threads it sums them.
 */
public final class CpuTimeProfiler implements InternalProfiler {
  private final OperatingSystemMXBean os =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long cpuAtStart;

  /** Creates the profiler; JMH calls this by reflection. */
  public CpuTimeProfiler() {}

  @Override
  public String getDescription() {
    return "process CPU time per operation (us/op), insensitive to waiting for a busy core";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    cpuAtStart = os.getProcessCpuTime();
  }

  @Override
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long cpuNanos = os.getProcessCpuTime() - cpuAtStart;
    long ops = Math.max(1, result.getMetadata().getAllOps());
    return List.of(new ScalarResult("cpu.time.per.op", cpuNanos / 1000.0 / ops, "us/op", AggregationPolicy.AVG));
  }
}
