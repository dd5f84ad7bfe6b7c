package io.janus.bench;

import io.janus.vdaf.OutputShare;
import io.janus.vdaf.Prio3;
import io.janus.vdaf.VdafException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-threaded JMH benchmarks of one report through Prio3 (draft-irtf-cfrg-vdaf-08, and draft 18 for the
 * {@code _VDAF18} variants): the client's shard, the draft's prep_init (draft 18: verify_init) for each aggregator
 * and prep_shares_to_prep, and the three ping-pong transitions DAP's aggregators run (Leader initialized, Helper
 * initialized, Leader continued).
 *
 * <p>Each method times one step on inputs pre-computed in {@link #setUp()}, so no step pays for another. Run
 * through {@code java -jar bench/target/benchmarks.jar Prio3Benchmark}; {@code docs/PERFORMANCE.md} has the
 * command and figures.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class Prio3Benchmark {
  /** Seed of the fixture's randomness; fixed so every run times the same report. */
  static final long SEED = 0x5eed_2026L;

  /** The VDAF under test. */
  @Param
  public Prio3Variant variant;

  private Prio3Fixture f;
  private List<byte[]> prepShares;

  /** Creates the VDAF's fixture: a sharded report and every preparation intermediate. */
  @Setup
  public void setUp() throws VdafException {
    f = Prio3Fixture.create(variant, SEED);
    prepShares = List.of(f.leaderPrepShare, f.helperPrepShare);
  }

  /** Client: shards the measurement (fixed nonce and randomness). */
  @Benchmark
  public Prio3.Shard shard() {
    return f.vdaf.shard(f.ctx, f.measurement, f.nonce, f.rand);
  }

  /** The draft's prep_init as the Leader (aggregator 0): decodes the explicit shares, queries the proof. */
  @Benchmark
  public Prio3.PrepInit prepInitLeader() throws VdafException {
    return f.vdaf.prepInit(f.verifyKey, f.ctx, 0, f.nonce, f.publicShare, f.leaderInputShare);
  }

  /** The draft's prep_init as the Helper (aggregator 1): expands its shares from seeds, queries the proof. */
  @Benchmark
  public Prio3.PrepInit prepInitHelper() throws VdafException {
    return f.vdaf.prepInit(f.verifyKey, f.ctx, 1, f.nonce, f.publicShare, f.helperInputShare);
  }

  /** The draft's prep_shares_to_prep: sums the verifier shares and decides. */
  @Benchmark
  public byte[] prepSharesToPrep() throws VdafException {
    return f.vdaf.prepSharesToPrep(f.ctx, prepShares);
  }

  /** DAP Leader, aggregation job init: prep_init as aggregator 0 plus the ping-pong {@code initialize}. */
  @Benchmark
  public Prio3.LeaderInitialized leaderInitialized() throws VdafException {
    return f.vdaf.leaderInitialized(f.verifyKey, f.ctx, f.nonce, f.publicShare, f.leaderInputShare);
  }

  /** DAP Helper, whole preparation: prep_init as aggregator 1, combine, decide, prep_next, {@code finish}. */
  @Benchmark
  public Prio3.HelperInitialized helperInitialized() throws VdafException {
    return f.vdaf.helperInitialized(
        f.verifyKey, f.ctx, f.nonce, f.publicShare, f.helperInputShare, f.leaderMessage);
  }

  /** DAP Leader, on the Helper's reply: prep_next from the stored prep state. */
  @Benchmark
  public OutputShare leaderContinued() throws VdafException {
    return f.vdaf.leaderContinued(f.leaderPrepState, f.helperMessage);
  }
}
