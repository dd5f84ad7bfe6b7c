package io.janus.aggregator;

import io.janus.messages.ReportId;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The Leader's request to advance an aggregation job by one step, version-neutral.
 *
 * @param step the step the Leader asks for; the first continuation is step 1
 * @param prepareContinues one entry per report still in preparation, in job order
 */
public record AggregationJobContinue(int step, List<PrepareContinue> prepareContinues) {
  /** Copies the list. */
  public AggregationJobContinue {
    prepareContinues = List.copyOf(prepareContinues);
  }

  /**
   * The Leader's next ping-pong message for one report.
   *
   * @param reportId the report
   * @param message the ping-pong message
   */
  public record PrepareContinue(ReportId reportId, byte[] message) {
    /** Copies the message. */
    public PrepareContinue {
      Objects.requireNonNull(reportId, "reportId");
      message = message.clone();
    }

    @Override
    public byte[] message() {
      return message.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof PrepareContinue p && p.reportId.equals(reportId) && Arrays.equals(p.message, message);
    }

    @Override
    public int hashCode() {
      return reportId.hashCode() * 31 + Arrays.hashCode(message);
    }

    @Override
    public String toString() {
      return "PrepareContinue[" + reportId + "]";
    }
  }
}
