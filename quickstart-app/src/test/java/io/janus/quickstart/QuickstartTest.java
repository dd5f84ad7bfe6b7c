package io.janus.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.core.task.VdafInstance;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the quickstart's main logic end to end, and its command-line handling. */
class QuickstartTest {
  private static final Pattern ROW = Pattern.compile("^[ \t]+(bucket \\d+|reports)[ \t]+(\\d+)[ \t]+(\\d+)[ \t]*(.*)$",
      Pattern.MULTILINE);

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Quickstart.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), false);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void uploadsCollectsAndMatchesTheExpectedHistogram(@TempDir Path dir) {
    int code = run("--vdaf", "histogram", "--length", "4", "-n", "40", "--seed", "20261122",
        "--work-dir", dir.toString());

    assertThat(code).as("exit code; stdout:%n%s%nstderr:%n%s", out(), err()).isZero();
    List<long[]> rows = new ArrayList<>();
    Matcher m = ROW.matcher(out());
    while (m.find()) {
      rows.add(new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(3))});
      assertThat(m.group(4)).as("row %s", m.group(1)).isEmpty();
    }
    assertThat(rows).as("4 buckets and the report count in:%n%s", out()).hasSize(5);
    long bucketTotal = 0;
    for (long[] row : rows.subList(0, 4)) {
      assertThat(row[0]).isEqualTo(row[1]);
      bucketTotal += row[0];
    }
    assertThat(bucketTotal).as("every measurement lands in one bucket").isEqualTo(40);
    assertThat(rows.get(4)).containsExactly(40, 40);
    assertThat(out()).contains("OK: the aggregate");
    assertThat(err()).contains("Uploaded  [").contains("40/40 (0 failed)");
    // A directory the user chose is kept, logs included.
    assertThat(dir.resolve("quickstart.log")).isNotEmptyFile();
    assertThat(dir.resolve("leader/aggregator.yaml")).exists();
  }

  @Test
  void printedJanusCliCommandsNameTheTasksVdafParameters() {
    assertThat(Quickstart.vdafArguments(new VdafInstance.Prio3Count())).isEqualTo("--vdaf count");
    assertThat(Quickstart.vdafArguments(new VdafInstance.Prio3Sum(12))).isEqualTo("--vdaf sum --bits 12");
    assertThat(Quickstart.vdafArguments(new VdafInstance.Prio3Histogram(10, 3)))
        .isEqualTo("--vdaf histogram --length 10 --chunk-length 3");
    assertThat(Quickstart.vdafArguments(new VdafInstance.Prio3SumVec(8, 4, 6)))
        .isEqualTo("--vdaf sumvec --bits 8 --length 4 --chunk-length 6");
    assertThat(Quickstart.vdafArguments(new VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128(2, 8, 4, 6)))
        .isEqualTo("--vdaf sumvecfield64multiproofhmacsha256aes128 --proofs 2 --bits 8 --length 4 --chunk-length 6");
  }

  @Test
  void helpPrintsUsageAndExitsZero() {
    assertThat(run("--help")).isZero();
    assertThat(out()).contains("--vdaf", "--keep-running", "--measurements", "Exit code 0");
  }

  @Test
  void unknownOptionIsAUsageError() {
    assertThat(run("--no-such-option")).isEqualTo(Quickstart.USAGE);
    assertThat(err()).contains("--no-such-option").contains("--help");
  }

  @Test
  void unknownVdafIsAUsageError() {
    assertThat(run("--vdaf", "poplar1")).isEqualTo(Quickstart.USAGE);
    assertThat(err()).contains("poplar1");
  }

  @Test
  void outOfRangeParametersAreUsageErrors() {
    assertThat(run("--bits", "0")).isEqualTo(Quickstart.USAGE);
    assertThat(run("-n", "0")).isEqualTo(Quickstart.USAGE);
    assertThat(run("--vdaf", "histogram", "--length", "0")).isEqualTo(Quickstart.USAGE);
    assertThat(err()).contains("--bits must be 1..32", "--measurements must be", "--length must be");
  }

  @Test
  void runsTheSameFlowOnADap18Task(@TempDir Path dir) {
    int code = run("--dap-version", "18", "--vdaf", "sum", "--bits", "6", "-n", "30", "--seed", "20261205",
        "--work-dir", dir.toString());

    assertThat(code).as("exit code; stdout:%n%s%nstderr:%n%s", out(), err()).isZero();
    assertThat(out()).contains("janus-java quickstart: DAP-18, Prio3Sum (6-bit measurements), 30 measurements")
        .contains("OK: the aggregate");
    Matcher sum = Pattern.compile("^[ \t]+sum[ \t]+(\\d+)[ \t]+(\\d+)[ \t]*$", Pattern.MULTILINE).matcher(out());
    assertThat(sum.find()).as("a sum row in:%n%s", out()).isTrue();
    assertThat(sum.group(1)).isEqualTo(sum.group(2));
    Matcher reports = ROW.matcher(out());
    assertThat(reports.find()).isTrue();
    assertThat(reports.group(2)).isEqualTo("30");
    assertThat(reports.group(3)).isEqualTo("30");
  }

  @Test
  void aDap18RunRefusesJanussDap09OnlyVdaf() {
    assertThat(run("--dap-version", "18", "--vdaf", "sumvecfield64multiproofhmacsha256aes128"))
        .isEqualTo(Quickstart.USAGE);
    assertThat(err()).contains("DAP-18 tasks cannot run it");
    assertThat(run("--dap-version", "7")).isEqualTo(Quickstart.USAGE);
    assertThat(err()).contains("--dap-version must be 09 or 18, got 7");
  }
}
