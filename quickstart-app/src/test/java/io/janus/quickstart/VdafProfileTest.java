package io.janus.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.core.task.VdafInstance;
import io.janus.quickstart.VdafProfile.Kind;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VdafProfileTest {
  @Test
  void instancesCarryTheParameters() {
    assertThat(new VdafProfile(Kind.COUNT, 8, 10).instance()).isEqualTo(new VdafInstance.Prio3Count());
    assertThat(new VdafProfile(Kind.SUM, 12, 10).instance()).isEqualTo(new VdafInstance.Prio3Sum(12));
    assertThat(new VdafProfile(Kind.HISTOGRAM, 8, 16).instance()).isEqualTo(new VdafInstance.Prio3Histogram(16, 4));
    assertThat(new VdafProfile(Kind.SUMVEC, 4, 9).instance()).isEqualTo(new VdafInstance.Prio3SumVec(4, 9, 6));
    assertThat(new VdafProfile(Kind.SUMVECFIELD64MULTIPROOFHMACSHA256AES128, 4, 9).instance())
        .isEqualTo(new VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128(2, 4, 9, 6));
  }

  @Test
  void expectedAggregatesAddUpInTheClear() {
    List<long[]> scalars = List.of(new long[] {1}, new long[] {0}, new long[] {1});
    assertThat(new VdafProfile(Kind.COUNT, 8, 10).expectedAggregate(scalars)).containsExactly(2);
    List<long[]> sums = List.of(new long[] {200}, new long[] {55}, new long[] {7});
    assertThat(new VdafProfile(Kind.SUM, 8, 10).expectedAggregate(sums)).containsExactly(262);
    List<long[]> buckets = List.of(new long[] {2}, new long[] {0}, new long[] {2});
    assertThat(new VdafProfile(Kind.HISTOGRAM, 8, 3).expectedAggregate(buckets)).containsExactly(1, 0, 2);
    List<long[]> vectors = List.of(new long[] {1, 2}, new long[] {3, 4});
    assertThat(new VdafProfile(Kind.SUMVEC, 8, 2).expectedAggregate(vectors)).containsExactly(4, 6);
    assertThat(new VdafProfile(Kind.SUMVECFIELD64MULTIPROOFHMACSHA256AES128, 8, 2).expectedAggregate(vectors))
        .containsExactly(4, 6);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void randomMeasurementsStayInRange(Kind kind) {
    long seed = new SplittableRandom().nextLong();
    System.out.println("VdafProfileTest seed for " + kind + ": " + seed);
    SplittableRandom random = new SplittableRandom(seed);
    VdafProfile profile = new VdafProfile(kind, 3, 5);
    long bound = switch (kind) {
      case COUNT -> 2;
      case SUM, SUMVEC, SUMVECFIELD64MULTIPROOFHMACSHA256AES128 -> 8;
      case HISTOGRAM -> 5;
    };
    for (int i = 0; i < 1000; i++) {
      long[] m = profile.randomMeasurement(random);
      assertThat(m).as("seed %d", seed).hasSize(kind.isSumVec() ? 5 : 1);
      for (long v : m) {
        assertThat(v).as("seed %d", seed).isBetween(0L, bound - 1);
      }
    }
  }

  @Test
  void rejectsParametersOutOfRange() {
    assertThatThrownBy(() -> new VdafProfile(Kind.SUM, 33, 10)).hasMessageContaining("--bits");
    assertThatThrownBy(() -> new VdafProfile(Kind.SUMVEC, 0, 10)).hasMessageContaining("--bits");
    assertThatThrownBy(() -> new VdafProfile(Kind.SUMVECFIELD64MULTIPROOFHMACSHA256AES128, 33, 10))
        .hasMessageContaining("--bits");
    assertThatThrownBy(() -> new VdafProfile(Kind.SUMVECFIELD64MULTIPROOFHMACSHA256AES128, 8, 0))
        .hasMessageContaining("--length");
    assertThatThrownBy(() -> new VdafProfile(Kind.HISTOGRAM, 8, 0)).hasMessageContaining("--length");
    // Parameters a kind does not use are not checked.
    assertThat(new VdafProfile(Kind.COUNT, 0, 0).resultLength()).isEqualTo(1);
  }
}
