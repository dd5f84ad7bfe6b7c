package io.janus.bench;

import io.janus.vdaf.internal.Field128;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Field128 primitives that dominate the Prio3 profile, so their relative costs can be read directly: one
 * Montgomery multiplication, and one inversion (Fermat, a^(p-2)), which {@code docs/PERFORMANCE.md} compares.
 *
 * <p>Uses {@code io.janus.vdaf.internal}, which the vdaf module does not export: fine on the class path of the
 * benchmark jar, and nothing here is API.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class Field128Benchmark {
  private final Field128 f = Field128.INSTANCE;
  private final long[] a = f.zeros(1);
  private final long[] b = f.zeros(1);
  private final long[] r = f.zeros(1);

  /** Draws two random non-zero elements (fixed seed). */
  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(Prio3Benchmark.SEED);
    f.set(a, 0, random.nextLong() >>> 1 | 1);
    f.set(b, 0, random.nextLong() >>> 1 | 1);
  }

  /** One multiplication; the result feeds the next call so the chain cannot be hoisted. */
  @Benchmark
  public long[] mul() {
    f.mul(a, 0, b, 0, a, 0);
    return a;
  }

  /** One inversion. */
  @Benchmark
  public long[] inv() {
    f.inv(a, 0, r, 0);
    return r;
  }
}
