package io.janus.collector;

import io.janus.messages.BatchId;
import io.janus.messages.Interval;
import io.janus.messages.dap09.PartialBatchSelector;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a finished collection job: the unsharded aggregate and what the Leader says about the batch.
 *
 * @param partialBatchSelector the batch collected (carries the batch ID for fixed-size tasks)
 * @param reportCount how many reports were aggregated
 * @param interval the smallest interval, in the task's time precision, holding every aggregated report's time
 * @param aggregateResult the VDAF's aggregate result: one element for Count and Sum, one per entry or bucket for
 *     SumVec and Histogram
 */
public record CollectionResult(
    PartialBatchSelector partialBatchSelector, long reportCount, Interval interval, long[] aggregateResult) {
  /** Rejects null components and a negative count, and copies the result. */
  public CollectionResult {
    Objects.requireNonNull(partialBatchSelector, "partialBatchSelector");
    Objects.requireNonNull(interval, "interval");
    if (reportCount < 0) {
      throw new IllegalArgumentException("reportCount must not be negative: " + reportCount);
    }
    aggregateResult = aggregateResult.clone();
  }

  /** The batch ID, for a fixed-size task. */
  public Optional<BatchId> batchId() {
    return partialBatchSelector instanceof PartialBatchSelector.FixedSize f
        ? Optional.of(f.batchId())
        : Optional.empty();
  }

  @Override
  public long[] aggregateResult() {
    return aggregateResult.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CollectionResult r && r.partialBatchSelector.equals(partialBatchSelector)
        && r.reportCount == reportCount && r.interval.equals(interval)
        && Arrays.equals(r.aggregateResult, aggregateResult);
  }

  @Override
  public int hashCode() {
    return Objects.hash(partialBatchSelector, reportCount, interval, Arrays.hashCode(aggregateResult));
  }

  @Override
  public String toString() {
    return "CollectionResult[partialBatchSelector=" + partialBatchSelector + ", reportCount=" + reportCount
        + ", interval=" + interval + ", aggregateResult=" + Arrays.toString(aggregateResult) + "]";
  }
}
