package io.janus.cli;

import io.janus.client.Client;
import io.janus.client.UploadFailure;
import io.janus.client.UploadProgress;
import io.janus.client.UploadSummary;
import io.janus.core.task.VdafInstance;
import io.janus.messages.DapDuration;
import io.janus.messages.TaskId;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code upload}: acts as a DAP client, sharding each measurement and uploading the report to the Leader. Shows a
 * progress bar on standard error when there are many measurements, and exits with 1 if any upload failed.
 */
@Command(name = "upload", mixinStandardHelpOptions = true,
    description = {"Upload measurements to a task as a DAP-09 or DAP-18 client.",
        "Measurements come from the arguments and/or a file with one per line (blank lines and lines starting "
            + "with # are skipped). A measurement is an integer (count: 0 or 1, sum: the value, histogram: the "
            + "bucket index) or, for the sumvecs, comma-separated integers."})
final class UploadCommand implements Callable<Integer> {
  /** From this many measurements on, progress is drawn on standard error. */
  static final int PROGRESS_THRESHOLD = 10;
  private static final int PROGRESS_WIDTH = 30;
  /** How many failures are listed individually before the summary. */
  private static final int FAILURES_SHOWN = 5;

  private final CliContext context;

  @Spec
  CommandSpec spec;

  @Option(names = "--task-id", required = true, paramLabel = "ID", description = "Task ID, unpadded base64url")
  String taskId;

  @Option(names = "--leader", required = true, paramLabel = "URL", description = "The Leader's DAP endpoint")
  URI leader;

  @Option(names = "--helper", required = true, paramLabel = "URL", description = "The Helper's DAP endpoint")
  URI helper;

  @Option(names = "--time-precision", required = true, paramLabel = "SECONDS",
      description = "The task's time precision; report timestamps are rounded down to it")
  long timePrecision;

  @Mixin
  VdafOptions vdaf = new VdafOptions();

  @Mixin
  ProtocolOptions protocol = new ProtocolOptions();

  @Option(names = "--measurements-file", paramLabel = "FILE",
      description = "File with one measurement per line, uploaded after those given as arguments")
  Optional<Path> measurementsFile = Optional.empty();

  @Option(names = "--max-in-flight", paramLabel = "N", defaultValue = "8",
      description = "Reports prepared or sent at once (default: ${DEFAULT-VALUE})")
  int maxInFlight;

  @Parameters(paramLabel = "MEASUREMENT", arity = "0..*", description = "Measurements to upload")
  List<String> measurements = new ArrayList<>();

  UploadCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    TaskId id = CommandValues.taskId(spec, "--task-id", taskId);
    if (timePrecision < 1) {
      throw new ParameterException(spec.commandLine(), "--time-precision must be at least 1");
    }
    if (maxInFlight < 1) {
      throw new ParameterException(spec.commandLine(), "--max-in-flight must be at least 1");
    }
    VdafInstance instance = vdaf.instance(spec);
    List<long[]> values = new ArrayList<>();
    for (int i = 0; i < measurements.size(); i++) {
      values.add(measurement(instance, measurements.get(i), "measurement argument #" + (i + 1)));
    }
    measurementsFile.ifPresent(file -> values.addAll(readFile(instance, file)));
    if (values.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "no measurements: give them as arguments or with "
          + "--measurements-file");
    }
    Optional<io.janus.core.task.TaskAgreement> agreement = protocol.agreement(spec, leader, Optional.of(helper),
        Optional.of(timePrecision), Optional.empty(), instance);
    Client client;
    try {
      client = (agreement.isPresent() ? Client.builder(id, agreement.get())
              : Client.builder(id, leader, helper, DapDuration.ofSeconds(timePrecision), instance))
          .clock(context.clock())
          .random(context.random())
          .build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    ProgressBar bar = new ProgressBar(context.err(), values.size() >= PROGRESS_THRESHOLD);
    UploadSummary summary = client.uploadAll(values, maxInFlight, bar);
    bar.finish();
    if (summary.allSucceeded()) {
      context.err().println("uploaded " + summary.succeeded() + " measurement(s)");
      return 0;
    }
    List<UploadFailure> failures = summary.failures();
    for (int i = 0; i < Math.min(FAILURES_SHOWN, failures.size()); i++) {
      UploadFailure f = failures.get(i);
      context.err().println("measurement #" + (f.index() + 1) + " failed: "
          + JanusCli.oneLine(String.valueOf(f.error().getMessage())));
    }
    throw new CliException(failures.size() + " of " + summary.total() + " measurement(s) failed to upload");
  }

  private List<long[]> readFile(VdafInstance instance, Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (NoSuchFileException e) {
      throw new CliException(file + ": measurements file does not exist");
    } catch (IOException e) {
      throw new CliException(file + ": cannot read measurements file: " + e.getMessage());
    }
    List<long[]> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (!line.isEmpty() && !line.startsWith("#")) {
        out.add(measurement(instance, line, file + ":" + (i + 1)));
      }
    }
    return out;
  }

  /** Parses one measurement's text and checks its shape (not its range: the client checks that per VDAF). */
  static long[] measurement(VdafInstance instance, String text, String where) {
    String[] parts = text.split(",", -1);
    int expected = switch (instance) {
      case VdafInstance.Prio3SumVec v -> v.length();
      case VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128 v -> v.length();
      case VdafInstance.Prio3Count c -> 1;
      case VdafInstance.Prio3Sum s -> 1;
      case VdafInstance.Prio3Histogram h -> 1;
      case VdafInstance.Prio3SumMaxMeasurement s -> 1;
      case VdafInstance.Prio3SumVecMaxMeasurement v -> v.length();
      case VdafInstance.Prio3MultihotCountVec v -> v.length();
    };
    if (parts.length != expected) {
      throw new CliException(where + ": expected " + expected + " comma-separated integer(s), got "
          + parts.length);
    }
    long[] out = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        out[i] = Long.parseLong(parts[i].strip());
      } catch (NumberFormatException e) {
        throw new CliException(where + ": \"" + parts[i].strip() + "\" is not an integer");
      }
    }
    return out;
  }

  /** Draws {@code [#####.....] done/total} on one terminal line, redrawn only when the bar grows. */
  static final class ProgressBar implements UploadProgress {
    private final PrintStream err;
    private final boolean enabled;
    private int drawn = -1;
    private boolean any;

    ProgressBar(PrintStream err, boolean enabled) {
      this.err = err;
      this.enabled = enabled;
    }

    @Override
    public void update(int succeeded, int failed, int total) {
      if (!enabled) {
        return;
      }
      int done = succeeded + failed;
      int filled = (int) ((long) done * PROGRESS_WIDTH / total);
      // The client calls one at a time; redrawing only on growth keeps a big upload from flooding the terminal.
      if (filled == drawn && done != total) {
        return;
      }
      drawn = filled;
      any = true;
      err.print("\r[" + "#".repeat(filled) + ".".repeat(PROGRESS_WIDTH - filled) + "] " + done + "/" + total
          + (failed > 0 ? " (" + failed + " failed)" : ""));
      err.flush();
    }

    /** Ends the progress line, if one was drawn. */
    void finish() {
      if (any) {
        err.println();
      }
    }
  }
}
