package io.janus.cli;

import io.janus.core.task.DapVersion;
import io.janus.core.task.QueryType;
import io.janus.core.task.TaskAgreement;
import io.janus.core.task.VdafInstance;
import io.janus.messages.DapDuration;
import io.janus.messages.Interval;
import io.janus.messages.Time;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options naming the DAP draft a task speaks and, for DAP-18, the rest of its task configuration: draft 18
 * binds the whole configuration into the HPKE AADs, so a client or collector must know every value the
 * aggregators were provisioned with ({@code task_info}, both endpoints, time precision, minimum batch size, batch
 * mode, VDAF, task interval).
 */
final class ProtocolOptions {
  /** The batch modes of draft 18 (DAP-09's query types). */
  enum BatchMode {
    TIME_INTERVAL,
    LEADER_SELECTED
  }

  @Option(names = "--dap-version", paramLabel = "VERSION", defaultValue = "09",
      description = "The DAP draft the task speaks: 09 or 18 (default: ${DEFAULT-VALUE})")
  String dapVersion;

  @Option(names = "--task-info", paramLabel = "TEXT",
      description = "DAP-18: the task's task_info, as provisioned (unpadded base64url)")
  Optional<String> taskInfo = Optional.empty();

  @Option(names = "--min-batch-size", paramLabel = "N", description = "DAP-18: the task's minimum batch size")
  Optional<Long> minBatchSize = Optional.empty();

  @Option(names = "--batch-mode", paramLabel = "MODE",
      description = "DAP-18: the task's batch mode, time_interval or leader_selected (collect infers it from the "
          + "batch selection)")
  Optional<String> batchMode = Optional.empty();

  @Option(names = "--task-start", paramLabel = "SECONDS",
      description = "DAP-18: the start of the task's interval, if it has one (with --task-end)")
  Optional<Long> taskStart = Optional.empty();

  @Option(names = "--task-end", paramLabel = "SECONDS",
      description = "DAP-18: the end of the task's interval (its task_expiration)")
  Optional<Long> taskEnd = Optional.empty();

  /** The draft {@code --dap-version} names. */
  DapVersion version(CommandSpec spec) {
    String v = dapVersion.strip().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "09", "9", "dap-09" -> DapVersion.DAP_09;
      case "18", "dap-18" -> DapVersion.DAP_18;
      default -> throw new ParameterException(spec.commandLine(), "--dap-version must be 09 or 18, got "
          + dapVersion);
    };
  }

  /**
   * For DAP-18, the task agreement the options describe; for DAP-09, checks that no DAP-18 option was given.
   *
   * @param helper the Helper's endpoint, if the command has it
   * @param timePrecision the task's time precision in seconds, if the command has it
   * @param implied the batch mode the command's other options imply, if any
   */
  Optional<TaskAgreement> agreement(CommandSpec spec, URI leader, Optional<URI> helper,
      Optional<Long> timePrecision, Optional<BatchMode> implied, VdafInstance vdaf) {
    DapVersion version = version(spec);
    if (!vdaf.runsUnder(version)) {
      throw new ParameterException(spec.commandLine(), "a " + version.text() + " task cannot run this VDAF ("
          + vdaf.toJson() + "): DAP-09 sums take --bits, DAP-18 sums take --max-measurement");
    }
    if (version == DapVersion.DAP_09) {
      refuse(spec, "--batch-mode", batchMode);
      refuse(spec, "--task-info", taskInfo);
      refuse(spec, "--min-batch-size", minBatchSize);
      refuse(spec, "--task-start", taskStart);
      refuse(spec, "--task-end", taskEnd);
      return Optional.empty();
    }
    byte[] info = CommandValues.base64(spec, "--task-info", require(spec, "--task-info", taskInfo));
    URI helperUrl = require(spec, "--helper", helper);
    long precision = require(spec, "--time-precision", timePrecision);
    long minimum = require(spec, "--min-batch-size", minBatchSize);
    if (taskStart.isPresent() != taskEnd.isPresent()) {
      throw new ParameterException(spec.commandLine(), "--task-start and --task-end go together");
    }
    BatchMode mode = batchMode.map(text -> mode(spec, text)).or(() -> implied).orElseThrow(() ->
        new ParameterException(spec.commandLine(), "--dap-version 18 needs --batch-mode: draft 18 binds it into "
            + "the HPKE AADs"));
    if (implied.isPresent() && implied.get() != mode) {
      throw new ParameterException(spec.commandLine(), "--batch-mode " + batchMode.get()
          + " does not match the batch selection");
    }
    QueryType queryType = mode == BatchMode.TIME_INTERVAL ? new QueryType.TimeInterval()
        : new QueryType.FixedSize(java.util.OptionalLong.empty(), Optional.empty());
    try {
      Optional<Interval> interval = taskStart.map(start ->
          new Interval(new Time(start), DapDuration.ofSeconds(Math.subtractExact(taskEnd.get(), start))));
      return Optional.of(new TaskAgreement(info, leader, helperUrl, DapDuration.ofSeconds(precision), minimum,
          queryType, vdaf, interval));
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new ParameterException(spec.commandLine(), "invalid DAP-18 task configuration: " + e.getMessage());
    }
  }

  private BatchMode mode(CommandSpec spec, String text) {
    return switch (text.strip().toLowerCase(Locale.ROOT).replace('-', '_')) {
      case "time_interval" -> BatchMode.TIME_INTERVAL;
      case "leader_selected" -> BatchMode.LEADER_SELECTED;
      default -> throw new ParameterException(spec.commandLine(),
          "--batch-mode must be time_interval or leader_selected, got " + text);
    };
  }

  private <T> T require(CommandSpec spec, String option, Optional<T> value) {
    return value.orElseThrow(() -> new ParameterException(spec.commandLine(),
        "--dap-version 18 needs " + option + ": draft 18 binds it into the HPKE AADs"));
  }

  private void refuse(CommandSpec spec, String option, Optional<?> value) {
    if (value.isPresent()) {
      throw new ParameterException(spec.commandLine(), option + " is a DAP-18 option; add --dap-version 18");
    }
  }
}
