package io.janus.collector;

import io.janus.messages.BatchId;
import io.janus.messages.Interval;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a finished collection job: the unsharded aggregate and what the Leader says about the batch.
 *
 * @param batchId the batch collected, for a fixed-size task (empty for a time-interval task)
 * @param reportCount how many reports were aggregated
 * @param interval the smallest interval, in the task's time precision, holding every aggregated report's time
 * @param aggregateResult the VDAF's aggregate result: one element for Count and Sum, one per entry or bucket for
 *     SumVec and Histogram
 */
public record CollectionResult(
    Optional<BatchId> batchId, long reportCount, Interval interval, long[] aggregateResult) {
  /** Rejects null components and a negative count, and copies the result. */
  public CollectionResult {
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(interval, "interval");
    if (reportCount < 0) {
      throw new IllegalArgumentException("reportCount must not be negative: " + reportCount);
    }
    aggregateResult = aggregateResult.clone();
  }

  @Override
  public long[] aggregateResult() {
    return aggregateResult.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CollectionResult r && r.batchId.equals(batchId)
        && r.reportCount == reportCount && r.interval.equals(interval)
        && Arrays.equals(r.aggregateResult, aggregateResult);
  }

  @Override
  public int hashCode() {
    return Objects.hash(batchId, reportCount, interval, Arrays.hashCode(aggregateResult));
  }

  @Override
  public String toString() {
    return "CollectionResult[batchId=" + batchId + ", reportCount=" + reportCount
        + ", interval=" + interval + ", aggregateResult=" + Arrays.toString(aggregateResult) + "]";
  }
}
