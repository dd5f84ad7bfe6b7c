package io.janus.server.datastore.model;

import io.janus.messages.AggregationJobId;
import io.janus.messages.ReportId;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import java.util.Optional;

/**
 * One report's progress inside an aggregation job.
 *
 * @param taskId the task
 * @param jobId the aggregation job
 * @param reportId the report
 * @param time the report's client timestamp
 * @param ord the report's position in the job's requests (0-based)
 * @param lastPrepareResult Helper: the response last sent for this report, replayed for a repeated request
 * @param state the report's state and its data
 */
public record ReportAggregation(
    TaskId taskId,
    AggregationJobId jobId,
    ReportId reportId,
    Time time,
    int ord,
    Optional<PrepareResult> lastPrepareResult,
    ReportAggregationState state) {

  /** Validates the position. */
  public ReportAggregation {
    if (ord < 0) {
      throw new IllegalArgumentException("ord must not be negative");
    }
  }

  /** This report aggregation in another state. */
  public ReportAggregation withState(ReportAggregationState s) {
    return new ReportAggregation(taskId, jobId, reportId, time, ord, lastPrepareResult, s);
  }

  /** This report aggregation with the response just sent. */
  public ReportAggregation withLastPrepareResult(PrepareResult r) {
    return new ReportAggregation(taskId, jobId, reportId, time, ord, Optional.of(r), state);
  }
}
