package io.janus.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.collector.CollectionResult;
import io.janus.messages.DapDuration;
import io.janus.messages.Interval;
import io.janus.messages.Time;
import io.janus.quickstart.VdafProfile.Kind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The verdict the quickstart's exit code rests on. */
class ComparisonTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final VdafProfile histogram = new VdafProfile(Kind.HISTOGRAM, 8, 3);

  private static CollectionResult result(long reports, long... aggregate) {
    return new CollectionResult(java.util.Optional.empty(), reports,
        new Interval(new Time(1_800_000_000L), DapDuration.ofSeconds(300)), aggregate);
  }

  @Test
  void equalResultsMatch() {
    assertThat(Quickstart.printComparison(out, histogram, result(6, 1, 2, 3), new long[] {1, 2, 3}, 6)).isTrue();
    assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("bucket 2").doesNotContain("differs");
  }

  @Test
  void aDifferentBucketIsAMismatch() {
    assertThat(Quickstart.printComparison(out, histogram, result(6, 1, 3, 2), new long[] {1, 2, 3}, 6)).isFalse();
    assertThat(bytes.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("<- differs")).count())
        .isEqualTo(2);
  }

  @Test
  void aDifferentReportCountIsAMismatch() {
    assertThat(Quickstart.printComparison(out, histogram, result(5, 1, 2, 3), new long[] {1, 2, 3}, 6)).isFalse();
    assertThat(bytes.toString(StandardCharsets.UTF_8)).containsPattern("reports\\s+5\\s+6\\s+<- differs");
  }

  @Test
  void aShorterResultIsAMismatch() {
    assertThat(Quickstart.printComparison(out, histogram, result(6, 1, 2), new long[] {1, 2, 3}, 6)).isFalse();
    assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("(missing)");
  }
}
