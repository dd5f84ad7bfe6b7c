package io.janus.server.datastore.model;

import io.janus.core.task.ReportIdChecksum;
import io.janus.messages.Interval;
import io.janus.messages.TaskId;
import java.util.Arrays;
import java.util.Optional;

/**
 * One shard of the running aggregate of a batch under one aggregation parameter. A batch's full aggregate is the
 * merge of all its shards (sum of counts, XOR of checksums, VDAF merge of shares, union of intervals, sum of job
 * counters).
 *
 * @param taskId the task
 * @param batchIdentifier the batch
 * @param aggregationParameter the encoded aggregation parameter
 * @param ord the shard number
 * @param state the shard's state
 * @param aggregateShare the VDAF-encoded aggregate share, absent while no report was aggregated or once scrubbed
 * @param reportCount number of reports aggregated into this shard
 * @param checksum XOR of SHA-256 of each aggregated report ID (32 bytes)
 * @param clientTimestampInterval the smallest interval holding the aggregated reports' timestamps
 * @param aggregationJobsCreated number of aggregation jobs created that write to this batch
 * @param aggregationJobsTerminated number of those jobs that have finished or been abandoned
 */
public record BatchAggregation(
    TaskId taskId,
    BatchIdentifier batchIdentifier,
    byte[] aggregationParameter,
    int ord,
    BatchAggregationState state,
    Optional<byte[]> aggregateShare,
    long reportCount,
    byte[] checksum,
    Interval clientTimestampInterval,
    long aggregationJobsCreated,
    long aggregationJobsTerminated) {

  /** The length of a report-ID checksum. */
  public static final int CHECKSUM_LENGTH = ReportIdChecksum.LENGTH;

  /** Validates counts and the checksum length, and copies the arrays. */
  public BatchAggregation {
    if (ord < 0 || reportCount < 0 || aggregationJobsCreated < 0 || aggregationJobsTerminated < 0) {
      throw new IllegalArgumentException("ord and counts must not be negative");
    }
    if (checksum.length != CHECKSUM_LENGTH) {
      throw new IllegalArgumentException("checksum must be 32 bytes");
    }
    aggregationParameter = aggregationParameter.clone();
    aggregateShare = Bytes.copy(aggregateShare);
    checksum = checksum.clone();
  }

  /** A fresh, empty shard in state AGGREGATING. */
  public static BatchAggregation empty(TaskId taskId, BatchIdentifier batch, byte[] aggregationParameter, int ord) {
    return new BatchAggregation(taskId, batch, aggregationParameter, ord, BatchAggregationState.AGGREGATING,
        Optional.empty(), 0, new byte[CHECKSUM_LENGTH], Interval.EMPTY, 0, 0);
  }

  @Override
  public byte[] aggregationParameter() {
    return aggregationParameter.clone();
  }

  @Override
  public Optional<byte[]> aggregateShare() {
    return Bytes.copy(aggregateShare);
  }

  @Override
  public byte[] checksum() {
    return checksum.clone();
  }

  /**
   * This shard with more reports merged in.
   *
   * @param mergedShare the VDAF merge of the old share and the new output shares (computed by the caller)
   * @param addedReports how many reports were added
   * @param addedChecksum XOR of SHA-256 of the added report IDs
   * @param addedInterval the interval of the added reports' timestamps
   */
  public BatchAggregation withMerged(byte[] mergedShare, long addedReports, byte[] addedChecksum,
      Interval addedInterval) {
    byte[] c = ReportIdChecksum.decode(checksum).combinedWith(ReportIdChecksum.decode(addedChecksum)).encode();
    return new BatchAggregation(taskId, batchIdentifier, aggregationParameter, ord, state,
        Optional.of(mergedShare), Math.addExact(reportCount, addedReports), c,
        clientTimestampInterval.mergedWith(addedInterval), aggregationJobsCreated, aggregationJobsTerminated);
  }

  /** This shard with its job counters moved by the given amounts. */
  public BatchAggregation withJobCounts(long createdDelta, long terminatedDelta) {
    return new BatchAggregation(taskId, batchIdentifier, aggregationParameter, ord, state, aggregateShare,
        reportCount, checksum, clientTimestampInterval, aggregationJobsCreated + createdDelta,
        aggregationJobsTerminated + terminatedDelta);
  }

  /** This shard in another state. */
  public BatchAggregation withState(BatchAggregationState s) {
    return new BatchAggregation(taskId, batchIdentifier, aggregationParameter, ord, s, aggregateShare,
        reportCount, checksum, clientTimestampInterval, aggregationJobsCreated, aggregationJobsTerminated);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BatchAggregation b
        && b.taskId.equals(taskId)
        && b.batchIdentifier.equals(batchIdentifier)
        && Arrays.equals(b.aggregationParameter, aggregationParameter)
        && b.ord == ord
        && b.state == state
        && Bytes.equal(b.aggregateShare, aggregateShare)
        && b.reportCount == reportCount
        && Arrays.equals(b.checksum, checksum)
        && b.clientTimestampInterval.equals(clientTimestampInterval)
        && b.aggregationJobsCreated == aggregationJobsCreated
        && b.aggregationJobsTerminated == aggregationJobsTerminated;
  }

  @Override
  public int hashCode() {
    return (taskId.hashCode() * 31 + batchIdentifier.hashCode()) * 31 + ord;
  }

  @Override
  public String toString() {
    return "BatchAggregation[task=" + taskId + ", batch=" + batchIdentifier + ", ord=" + ord + ", state=" + state
        + ", reports=" + reportCount + ", jobs=" + aggregationJobsCreated + "/" + aggregationJobsTerminated + "]";
  }
}
