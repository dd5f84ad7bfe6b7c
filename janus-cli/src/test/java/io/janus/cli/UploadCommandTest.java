package io.janus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.client.FakeAggregators;
import io.janus.core.task.VdafInstance;
import io.janus.messages.TaskId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uploads through the real client to fake aggregators that open, prepare and aggregate every report. */
class UploadCommandTest {
  @TempDir
  Path dir;

  private long seed;
  private TaskId taskId;
  private CliRunner cli;
  private final List<FakeAggregators> started = new ArrayList<>();

  @BeforeEach
  void setUp() {
    seed = new SecureRandom().nextLong();
    System.out.println("UploadCommandTest seed: " + seed);
    taskId = TaskId.random(CliRunner.seeded(seed));
    cli = new CliRunner(Map.of(), seed);
  }

  @AfterEach
  void tearDown() {
    started.forEach(FakeAggregators::close);
  }

  private FakeAggregators aggregators(VdafInstance vdaf) {
    FakeAggregators f = new FakeAggregators(taskId, vdaf, seed);
    started.add(f);
    return f;
  }

  private List<String> args(FakeAggregators f, String... rest) {
    List<String> a = new ArrayList<>(List.of("upload", "--task-id=" + taskId.toBase64Url(),
        "--leader", f.leader().endpoint().toString(), "--helper", f.helper().endpoint().toString(),
        "--time-precision", "300"));
    a.addAll(List.of(rest));
    return a;
  }

  private CliRunner.Result run(List<String> args) {
    return cli.run(args.toArray(String[]::new));
  }

  @Test
  void uploadsMeasurementsGivenAsArguments() throws Exception {
    FakeAggregators f = aggregators(new VdafInstance.Prio3Sum(8));

    CliRunner.Result r = run(args(f, "--vdaf", "sum", "--bits", "8", "1", "2", "250"));

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).isEqualTo("uploaded 3 measurement(s)\n");
    assertThat(f.reports()).hasSize(3);
    assertThat(f.aggregateResult()).containsExactly(253);
    // Report timestamps are the CLI clock's time rounded down to the time precision.
    assertThat(f.reports()).allSatisfy(rep -> assertThat(rep.metadata().time().seconds() % 300).isZero());
  }

  @Test
  void uploadsAFileWithAProgressBar() throws Exception {
    FakeAggregators f = aggregators(new VdafInstance.Prio3Count());
    StringBuilder file = new StringBuilder("# one per line\n\n");
    int ones = 0;
    for (int i = 0; i < 25; i++) {
      file.append(i % 3 == 0 ? "1" : "0").append('\n');
      ones += i % 3 == 0 ? 1 : 0;
    }
    Path measurements = Files.writeString(dir.resolve("m.txt"), file);

    CliRunner.Result r = run(args(f, "--vdaf", "count", "--measurements-file", measurements.toString(),
        "--max-in-flight", "4"));

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(f.aggregateResult()).containsExactly(ones);
    assertThat(r.err()).contains("\r[" + "#".repeat(30) + "] 25/25\n").endsWith("uploaded 25 measurement(s)\n");
  }

  @Test
  void uploadsVectors() throws Exception {
    FakeAggregators f = aggregators(new VdafInstance.Prio3SumVec(4, 3, 2));

    CliRunner.Result r = run(args(f, "--vdaf", "sumvec", "--bits", "4", "--length", "3", "--chunk-length", "2",
        "1,2,3", "4, 5, 6"));

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(f.aggregateResult()).containsExactly(5, 7, 9);
  }

  @Test
  void uploadsField64MultiproofVectors() throws Exception {
    FakeAggregators f = aggregators(new VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128(3, 4, 3, 2));

    CliRunner.Result r = run(args(f, "--vdaf", "sumvecfield64multiproofhmacsha256aes128", "--proofs", "3",
        "--bits", "4", "--length", "3", "--chunk-length", "2", "1,2,3", "15, 0, 6"));

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(f.aggregateResult()).containsExactly(16, 2, 9);
  }

  @Test
  void aFailedMeasurementIsReportedAndTheOthersStillUpload() throws Exception {
    FakeAggregators f = aggregators(new VdafInstance.Prio3Histogram(4, 2));

    CliRunner.Result r = run(args(f, "--vdaf", "histogram", "--length", "4", "--chunk-length", "2",
        "0", "7", "3"));

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("measurement #2 failed: ")
        .endsWith("janus_cli: 1 of 3 measurement(s) failed to upload\n");
    assertThat(f.aggregateResult()).containsExactly(1, 0, 0, 1);
  }

  @Test
  void malformedMeasurementsAreNamedAndNothingIsSent() throws Exception {
    FakeAggregators f = aggregators(new VdafInstance.Prio3SumVec(4, 3, 2));
    List<String> vdaf = List.of("--vdaf", "sumvec", "--bits", "4", "--length", "3", "--chunk-length", "2");

    List<String> a = args(f, vdaf.toArray(String[]::new));
    a.add("1,2");
    CliRunner.Result r = run(a);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo(
        "janus_cli: measurement argument #1: expected 3 comma-separated integer(s), got 2\n");

    Path file = Files.writeString(dir.resolve("bad.txt"), "1,2,3\n1,x,3\n");
    a = args(f, vdaf.toArray(String[]::new));
    a.addAll(List.of("--measurements-file", file.toString()));
    r = run(a);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("janus_cli: " + file + ":2: \"x\" is not an integer\n");

    a = args(f, vdaf.toArray(String[]::new));
    a.addAll(List.of("--measurements-file", dir.resolve("absent.txt").toString()));
    r = run(a);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("measurements file does not exist");

    assertThat(f.leader().requests()).isEmpty();
  }

  @Test
  void usageMistakesExitWithTwo() {
    FakeAggregators f = aggregators(new VdafInstance.Prio3Count());
    assertThat(run(args(f, "--vdaf", "count")).err()).contains("no measurements");
    assertThat(run(args(f, "--vdaf", "sum", "1")).err()).contains("--vdaf sum needs --bits");
    assertThat(run(args(f, "--vdaf", "count", "--bits", "3", "1")).err()).contains("--vdaf count takes no --bits");
    assertThat(run(args(f, "--vdaf", "sum", "--bits", "99", "1")).err()).contains("invalid VDAF parameters");
    assertThat(run(args(f, "--vdaf", "poplar1", "1")).exitCode()).isEqualTo(2);
    assertThat(run(args(f, "--vdaf", "sumvecfield64multiproofhmacsha256aes128", "--bits", "1", "--length", "2",
        "--chunk-length", "1", "1,0")).err()).contains("--vdaf sumvecfield64multiproofhmacsha256aes128 needs --proofs");
    assertThat(run(args(f, "--vdaf", "sumvec", "--bits", "1", "--length", "2", "--chunk-length", "1",
        "--proofs", "2", "1,0")).err()).contains("--vdaf sumvec takes no --proofs");
    assertThat(run(args(f, "--vdaf", "sumvecfield64multiproofhmacsha256aes128", "--proofs", "1", "--bits", "1",
        "--length", "2", "--chunk-length", "1", "1,0")).err()).contains("invalid VDAF parameters");
    List<String> badTask = args(f, "--vdaf", "count", "1");
    badTask.set(1, "--task-id=short");
    CliRunner.Result r = run(badTask);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--task-id: TaskId");
    for (List<String> a : List.of(args(f, "--vdaf", "count"), args(f, "--vdaf", "sum", "1"))) {
      assertThat(run(a).exitCode()).isEqualTo(2);
    }
    assertThat(f.leader().requests()).isEmpty();
  }
}
