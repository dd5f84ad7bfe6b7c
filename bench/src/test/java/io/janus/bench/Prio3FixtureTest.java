package io.janus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.vdaf.VdafException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Checks that every benchmark fixture is an honest report that both aggregators accept and that unshards back. */
class Prio3FixtureTest {
  @ParameterizedTest
  @EnumSource(Prio3Variant.class)
  void fixtureAggregatesToItsMeasurement(Prio3Variant variant) throws VdafException {
    System.out.println("seed " + Prio3Benchmark.SEED);
    Prio3Fixture f = Prio3Fixture.create(variant, Prio3Benchmark.SEED);
    long[] expected = f.measurement;
    if (variant.histogram()) {
      expected = new long[f.vdaf.outputLength()];
      expected[(int) f.measurement[0]] = 1;
    }
    assertThat(f.aggregateOnce()).containsExactly(expected);
  }

  @ParameterizedTest
  @EnumSource(Prio3Variant.class)
  void prepSharesCombineToTheHelpersPrepMessage(Prio3Variant variant) throws VdafException {
    Prio3Fixture f = Prio3Fixture.create(variant, Prio3Benchmark.SEED);
    Prio3Benchmark bench = new Prio3Benchmark();
    bench.variant = variant;
    bench.setUp();
    // The ping-pong finish message is a 1-byte type then a 4-byte length-prefixed prep message.
    byte[] prepMessage = bench.prepSharesToPrep();
    assertThat(f.helperMessage).endsWith(prepMessage);
    assertThat(bench.shard().publicShare()).isEqualTo(f.publicShare);
    assertThat(bench.leaderContinued().length()).isEqualTo(f.vdaf.outputLength());
  }
}
