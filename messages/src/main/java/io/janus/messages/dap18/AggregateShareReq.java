package io.janus.messages.dap18;

import io.janus.messages.Encodable;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The Leader's request creating an aggregate share at the Helper (draft-ietf-ppm-dap-18 section 4.6.4):
 * {@code CollectionJobReq collection_job_req; BatchSelector batch_selector; uint64 report_count;
 * opaque checksum[32]}. Draft 18 carries the Collector's whole request (query, aggregation parameter, extensions)
 * where draft 09 carried only the aggregation parameter.
 *
 * @param collectionJobReq the Collector's request, byte for byte as the Leader received it
 * @param batchSelector the batch the Leader chose for it
 * @param reportCount the number of reports the Leader aggregated in the batch
 * @param checksum XOR of the SHA-256 of each aggregated report ID (section 4.5.4.3), 32 bytes
 */
public record AggregateShareReq(
    CollectionJobReq collectionJobReq, BatchSelector batchSelector, long reportCount, byte[] checksum)
    implements Encodable {
  /** The request media type. */
  public static final String MEDIA_TYPE = Dap18.MEDIA_TYPE_AGGREGATE_SHARE_REQ;
  /** Length of {@link #checksum()}. */
  public static final int CHECKSUM_LENGTH = 32;

  /** Validates and copies. */
  public AggregateShareReq {
    Objects.requireNonNull(collectionJobReq, "collectionJobReq");
    Objects.requireNonNull(batchSelector, "batchSelector");
    Wire.checkNonNegative(reportCount, "AggregateShareReq.report_count");
    if (checksum.length != CHECKSUM_LENGTH) {
      throw new IllegalArgumentException("checksum must be 32 bytes, got " + checksum.length);
    }
    checksum = checksum.clone();
  }

  /** Reads an {@code AggregateShareReq}. */
  public static AggregateShareReq decode(WireReader r) {
    CollectionJobReq req = CollectionJobReq.decode(r);
    BatchSelector selector = BatchSelector.decode(r);
    long count = Wire.u64NonNegative(r, "AggregateShareReq.report_count");
    byte[] checksum = r.fixed(CHECKSUM_LENGTH, "AggregateShareReq.checksum");
    return new AggregateShareReq(req, selector, count, checksum);
  }

  /** Decodes a whole request body. */
  public static AggregateShareReq decode(byte[] bytes) {
    return Wire.whole(bytes, "AggregateShareReq", AggregateShareReq::decode);
  }

  @Override
  public void encode(WireWriter w) {
    collectionJobReq.encode(w);
    batchSelector.encode(w);
    w.u64(reportCount).fixed(checksum);
  }

  @Override
  public byte[] checksum() {
    return checksum.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AggregateShareReq x
        && x.collectionJobReq.equals(collectionJobReq)
        && x.batchSelector.equals(batchSelector)
        && x.reportCount == reportCount
        && Arrays.equals(x.checksum, checksum);
  }

  @Override
  public int hashCode() {
    return Objects.hash(collectionJobReq, batchSelector, reportCount, Wire.hash(checksum));
  }

  @Override
  public String toString() {
    return "AggregateShareReq[collectionJobReq=" + collectionJobReq + ", batchSelector=" + batchSelector
        + ", reportCount=" + reportCount + ", checksum=" + HexFormat.of().formatHex(checksum) + "]";
  }
}
