package io.janus.server.datastore.model;

import io.janus.messages.TaskId;
import java.util.Arrays;

/**
 * An aggregate share the Helper computed for the Leader, kept so a repeated request gets the same answer and so the
 * batch counts as queried.
 *
 * @param taskId the task
 * @param batchIdentifier the batch
 * @param aggregationParameter the encoded aggregation parameter
 * @param helperAggregateShare the VDAF-encoded aggregate share (before sealing to the collector)
 * @param reportCount number of reports in the batch
 * @param checksum XOR of SHA-256 of the report IDs (32 bytes)
 */
public record AggregateShareJob(
    TaskId taskId,
    BatchIdentifier batchIdentifier,
    byte[] aggregationParameter,
    byte[] helperAggregateShare,
    long reportCount,
    byte[] checksum) {

  /** Validates and copies the arrays. */
  public AggregateShareJob {
    if (checksum.length != BatchAggregation.CHECKSUM_LENGTH) {
      throw new IllegalArgumentException("checksum must be 32 bytes");
    }
    if (reportCount < 0) {
      throw new IllegalArgumentException("report count must not be negative");
    }
    aggregationParameter = aggregationParameter.clone();
    helperAggregateShare = helperAggregateShare.clone();
    checksum = checksum.clone();
  }

  @Override
  public byte[] aggregationParameter() {
    return aggregationParameter.clone();
  }

  @Override
  public byte[] helperAggregateShare() {
    return helperAggregateShare.clone();
  }

  @Override
  public byte[] checksum() {
    return checksum.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AggregateShareJob j
        && j.taskId.equals(taskId)
        && j.batchIdentifier.equals(batchIdentifier)
        && Arrays.equals(j.aggregationParameter, aggregationParameter)
        && Arrays.equals(j.helperAggregateShare, helperAggregateShare)
        && j.reportCount == reportCount
        && Arrays.equals(j.checksum, checksum);
  }

  @Override
  public int hashCode() {
    return taskId.hashCode() * 31 + batchIdentifier.hashCode();
  }

  @Override
  public String toString() {
    return "AggregateShareJob[task=" + taskId + ", batch=" + batchIdentifier + ", reports=" + reportCount + "]";
  }
}
