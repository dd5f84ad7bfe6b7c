package io.janus.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencySummaryTest {
  @Test
  void percentilesOfOneToAHundredAreTheirRanks() {
    long seed = System.nanoTime();
    System.out.println("LatencySummaryTest seed " + seed);
    SplittableRandom random = new SplittableRandom(seed);
    long[] values = new long[100];
    for (int i = 0; i < 100; i++) {
      values[i] = i + 1;
    }
    for (int i = 99; i > 0; i--) {
      int j = random.nextInt(i + 1);
      long t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
    LatencySummary s = LatencySummary.of(values, 100);
    assertThat(s).isEqualTo(new LatencySummary(100, 50, 90, 99, 100, 100));
  }

  @Test
  void onlyTheFirstCountValuesAreSummarised() {
    long[] values = {5, 1, 3, 1_000_000};
    LatencySummary s = LatencySummary.of(values, 3);
    assertThat(s.count()).isEqualTo(3);
    assertThat(s.p50Nanos()).isEqualTo(3);
    assertThat(s.maxNanos()).isEqualTo(5);
  }

  @Test
  void aSingleValueIsEveryPercentile() {
    assertThat(LatencySummary.of(new long[] {7}, 1)).isEqualTo(new LatencySummary(1, 7, 7, 7, 7, 7));
  }

  @Test
  void nothingToSummariseIsRejected() {
    assertThatThrownBy(() -> LatencySummary.of(new long[3], 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LatencySummary.of(new long[3], 4)).isInstanceOf(IllegalArgumentException.class);
  }
}
