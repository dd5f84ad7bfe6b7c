package io.janus.messages.dap09;

import io.janus.messages.Encodable;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Arrays;
import java.util.Objects;

/**
 * The Leader's request for the Helper's aggregate share (draft-ietf-ppm-dap-09 section 4.5.2):
 * {@code BatchSelector batch_selector; opaque agg_param<0..2^32-1>; u64 report_count; opaque checksum[32]}.
 *
 * @param batchSelector the batch
 * @param aggregationParameter the encoded VDAF aggregation parameter
 * @param reportCount number of reports the Leader aggregated (below 2^63)
 * @param checksum XOR of SHA-256 of every aggregated report ID, 32 bytes
 */
public record AggregateShareReq(
    BatchSelector batchSelector, byte[] aggregationParameter, long reportCount, byte[] checksum)
    implements Encodable {
  /** The request media type. */
  public static final String MEDIA_TYPE = Dap09.MEDIA_TYPE_AGGREGATE_SHARE_REQ;
  /** Length of {@link #checksum()}. */
  public static final int CHECKSUM_LENGTH = 32;

  /** Validates and copies. */
  public AggregateShareReq {
    Objects.requireNonNull(batchSelector, "batchSelector");
    Wire.checkNonNegative(reportCount, "AggregateShareReq.report_count");
    if (checksum.length != CHECKSUM_LENGTH) {
      throw new IllegalArgumentException("checksum must be 32 bytes, got " + checksum.length);
    }
    aggregationParameter = aggregationParameter.clone();
    checksum = checksum.clone();
  }

  /** Reads an {@code AggregateShareReq}. */
  public static AggregateShareReq decode(WireReader r) {
    BatchSelector selector = BatchSelector.decode(r);
    byte[] param = r.opaque32("AggregateShareReq.agg_param");
    long count = Wire.u64NonNegative(r, "AggregateShareReq.report_count");
    byte[] checksum = r.fixed(CHECKSUM_LENGTH, "AggregateShareReq.checksum");
    return new AggregateShareReq(selector, param, count, checksum);
  }

  /** Decodes a whole request body; trailing bytes are an error. */
  public static AggregateShareReq decode(byte[] bytes) {
    return Wire.whole(bytes, "AggregateShareReq", AggregateShareReq::decode);
  }

  @Override
  public void encode(WireWriter w) {
    batchSelector.encode(w);
    w.opaque32(aggregationParameter);
    w.u64(reportCount);
    w.fixed(checksum);
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
    return o instanceof AggregateShareReq x
        && x.batchSelector.equals(batchSelector)
        && Arrays.equals(x.aggregationParameter, aggregationParameter)
        && x.reportCount == reportCount
        && Arrays.equals(x.checksum, checksum);
  }

  @Override
  public int hashCode() {
    return Objects.hash(batchSelector, Wire.hash(aggregationParameter), reportCount, Wire.hash(checksum));
  }

  @Override
  public String toString() {
    return "AggregateShareReq[batchSelector=" + batchSelector + ", aggregationParameter="
        + Wire.show(aggregationParameter) + ", reportCount=" + reportCount + ", checksum=" + Wire.show(checksum) + "]";
  }
}
