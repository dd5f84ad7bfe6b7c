package io.janus.aggregator;

import java.util.Arrays;
import java.util.Objects;

/**
 * The Leader's request for the Helper's aggregate share of one batch, version-neutral.
 *
 * @param batch the batch
 * @param aggregationParameter the encoded VDAF aggregation parameter
 * @param reportCount how many reports the Leader aggregated in the batch
 * @param checksum XOR of SHA-256 over the IDs of those reports (32 bytes)
 */
public record AggregateShareRequest(BatchSelector batch, byte[] aggregationParameter, long reportCount, byte[] checksum) {
  /** Checks the checksum length and copies the arrays. */
  public AggregateShareRequest {
    Objects.requireNonNull(batch, "batch");
    if (checksum.length != 32) {
      throw new IllegalArgumentException("checksum must be 32 bytes, got " + checksum.length);
    }
    aggregationParameter = aggregationParameter.clone();
    checksum = checksum.clone();
  }

  @Override
  public byte[] aggregationParameter() {
    return aggregationParameter.clone();
  }

  @Override
  public byte[] checksum() {
    return checksum.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AggregateShareRequest r
        && r.batch.equals(batch)
        && Arrays.equals(r.aggregationParameter, aggregationParameter)
        && r.reportCount == reportCount
        && Arrays.equals(r.checksum, checksum);
  }

  @Override
  public int hashCode() {
    return Objects.hash(batch, Arrays.hashCode(aggregationParameter), reportCount, Arrays.hashCode(checksum));
  }

  @Override
  public String toString() {
    return "AggregateShareRequest[batch=" + batch + ", reportCount=" + reportCount + "]";
  }
}
