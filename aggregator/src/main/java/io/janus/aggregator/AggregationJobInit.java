package io.janus.aggregator;

import io.janus.messages.BatchId;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Leader's request to start an aggregation job on the Helper, version-neutral.
 *
 * @param aggregationParameter the encoded VDAF aggregation parameter
 * @param batchId the fixed-size batch the job's reports belong to; empty for a time-interval job
 * @param prepareInits one entry per report, in the Leader's order
 */
public record AggregationJobInit(byte[] aggregationParameter, Optional<BatchId> batchId, List<PrepareInit> prepareInits) {
  /** Copies the inputs; the job must hold at least one report. */
  public AggregationJobInit {
    Objects.requireNonNull(batchId, "batchId");
    aggregationParameter = aggregationParameter.clone();
    prepareInits = List.copyOf(prepareInits);
    if (prepareInits.isEmpty()) {
      throw new IllegalArgumentException("an aggregation job needs at least one report");
    }
  }

  @Override
  public byte[] aggregationParameter() {
    return aggregationParameter.clone();
  }

  /**
   * One report to prepare.
   *
   * @param reportShare the report with the Helper's sealed input share
   * @param message the Leader's first ping-pong message
   */
  public record PrepareInit(ReportShare reportShare, byte[] message) {
    /** Copies the message. */
    public PrepareInit {
      Objects.requireNonNull(reportShare, "reportShare");
      message = message.clone();
    }

    @Override
    public byte[] message() {
      return message.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof PrepareInit p && p.reportShare.equals(reportShare) && Arrays.equals(p.message, message);
    }

    @Override
    public int hashCode() {
      return reportShare.hashCode() * 31 + Arrays.hashCode(message);
    }

    @Override
    public String toString() {
      return "PrepareInit[" + reportShare + "]";
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AggregationJobInit i
        && Arrays.equals(i.aggregationParameter, aggregationParameter)
        && i.batchId.equals(batchId)
        && i.prepareInits.equals(prepareInits);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(aggregationParameter), batchId, prepareInits);
  }

  @Override
  public String toString() {
    return "AggregationJobInit[batchId=" + batchId + ", reports=" + prepareInits.size() + "]";
  }
}
