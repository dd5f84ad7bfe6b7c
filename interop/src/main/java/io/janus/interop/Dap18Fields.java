package io.janus.interop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.janus.core.task.DapVersion;
import io.janus.core.task.QueryType;
import io.janus.messages.DapDuration;
import io.janus.messages.Interval;
import io.janus.messages.Time;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the DAP-18 form of the test API adds, the way Janus {@code main}'s interop binaries read it, and the rule
 * that tells the two forms apart.
 *
 * <p>The rule: a request to {@code add_task} (aggregator or collector) or {@code upload} is DAP-18 when it carries
 * {@code batch_mode} (1 {@code time_interval}, 2 {@code leader_selected}) and DAP-09 otherwise; one carrying both
 * {@code batch_mode} and DAP-09's {@code query_type} is refused. A {@code collection_start} follows the version its
 * task was added with.
 *
 * <p>The test API has no {@code task_info}, so every DAP-18 party uses the fixed {@link #TASK_INFO}, and the
 * {@code TaskConfiguration} each binds into its HPKE AADs comes out byte for byte the same.
 */
public final class Dap18Fields {
  /** The {@code task_info} of every DAP-18 interop task, as Janus uses it: these ASCII characters. */
  public static final String TASK_INFO = "task-info";
  /** The DAP-18 field that names the batch mode, and marks a request as DAP-18. */
  public static final String BATCH_MODE = "batch_mode";
  /** DAP-09's field for the same thing. */
  public static final String QUERY_TYPE = "query_type";

  private Dap18Fields() {}

  /** {@link #TASK_INFO} as bytes, a fresh array each call. */
  public static byte[] taskInfo() {
    return TASK_INFO.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * The DAP version of a request by the rule above.
   *
   * @throws InteropRequestException if the request carries both {@code batch_mode} and {@code query_type}
   */
  public static DapVersion version(JsonFields request) {
    if (!request.has(BATCH_MODE)) {
      return DapVersion.DAP_09;
    }
    if (request.has(QUERY_TYPE)) {
      throw new InteropRequestException("request carries both \"" + request.path(QUERY_TYPE) + "\" (DAP-09) and \""
          + request.path(BATCH_MODE) + "\" (DAP-18); send one of them");
    }
    return DapVersion.DAP_18;
  }

  /**
   * Reads a batch mode code: 1 is {@code time_interval}, 2 {@code leader_selected} (which draft 18 gives no maximum
   * batch size or time window).
   *
   * @throws InteropRequestException if the field is missing, not a number, or not 1 or 2
   */
  public static QueryType batchMode(JsonFields fields, String name) {
    long code = fields.number(name);
    if (code == 1) {
      return new QueryType.TimeInterval();
    }
    if (code == 2) {
      return leaderSelected();
    }
    throw new InteropRequestException("field \"" + fields.path(name) + "\" must be 1 (time_interval) or 2"
        + " (leader_selected), got " + code);
  }

  /** The task model's form of DAP-18's {@code leader_selected} batch mode. */
  public static QueryType leaderSelected() {
    return new QueryType.FixedSize(OptionalLong.empty(), Optional.empty());
  }

  /** The batch mode code of {@code mode}, as a runner sends it. */
  public static int batchModeCode(QueryType mode) {
    return switch (mode) {
      case QueryType.TimeInterval t -> 1;
      case QueryType.FixedSize f -> 2;
    };
  }

  /**
   * Reads the optional {@code task_start} and {@code task_end} (seconds since the epoch; both or neither) as the
   * task interval. Like Janus, both are rounded down to the time precision.
   *
   * @throws InteropRequestException if only one is given, either is malformed, or the interval is empty once
   *     rounded
   */
  public static Optional<Interval> taskInterval(JsonFields fields, DapDuration timePrecision) {
    boolean start = fields.has("task_start");
    boolean end = fields.has("task_end");
    if (start != end) {
      throw new InteropRequestException("fields \"" + fields.path("task_start") + "\" and \""
          + fields.path("task_end") + "\" must both be given or both be left out");
    }
    if (!start) {
      return Optional.empty();
    }
    Time from = new Time(fields.number("task_start")).truncateTo(timePrecision);
    Time to = new Time(fields.number("task_end")).truncateTo(timePrecision);
    if (!to.isAfter(from)) {
      throw new InteropRequestException("field \"" + fields.path("task_end") + "\" must be after \""
          + fields.path("task_start") + "\" once both are rounded down to the time precision ("
          + timePrecision.seconds() + " s), got [" + from.seconds() + ", " + to.seconds() + ")");
    }
    return Optional.of(new Interval(from, DapDuration.ofSeconds(to.seconds() - from.seconds())));
  }

  /** Adds {@code task_start} and {@code task_end} for an interval, as a runner sends them. */
  public static void putTaskInterval(ObjectNode o, Optional<Interval> interval) {
    interval.ifPresent(i -> o.put("task_start", i.start().seconds()).put("task_end", i.end().seconds()));
  }
}
