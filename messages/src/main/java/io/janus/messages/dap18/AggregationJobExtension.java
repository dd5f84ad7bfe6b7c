package io.janus.messages.dap18;

import io.janus.messages.BatchId;
import io.janus.messages.DecodeException;
import io.janus.messages.WireReader;
import java.util.Arrays;
import java.util.Optional;

/**
 * An aggregation job extension in an {@link AggregationJobInitReq} (draft-ietf-ppm-dap-18 section 4.5.1): {@code
 * u16 extension_type; opaque extension_data<0..2^16-1>}.
 *
 * <p>Any type code decodes, in any order: what an unknown type or a misordered list means is the receiver's call
 * (see {@link TypedExtension}). Type {@link Dap18#AGGREGATION_JOB_EXTENSION_LEADER_SELECTED_BATCH_ID} carries the
 * {@link BatchId} of a leader-selected batch (section 5.2.2): see {@link
 * #leaderSelectedBatchId(BatchId)}.
 *
 * @param extensionType u16 type code
 * @param extensionData the uninterpreted payload, at most 65535 bytes
 */
public record AggregationJobExtension(int extensionType, byte[] extensionData) implements TypedExtension {
  /** Validates ranges and copies the payload. */
  public AggregationJobExtension {
    Wire.checkU16(extensionType, "AggregationJobExtension.extension_type");
    Wire.checkOpaque16(extensionData, "AggregationJobExtension.extension_data");
    extensionData = extensionData.clone();
  }

  /** The {@code leader_selected_batch_id} extension (section 5.2.2) naming the job's batch. */
  public static AggregationJobExtension leaderSelectedBatchId(BatchId batchId) {
    return new AggregationJobExtension(Dap18.AGGREGATION_JOB_EXTENSION_LEADER_SELECTED_BATCH_ID, batchId.bytes());
  }

  /**
   * The batch ID this extension carries, if it is a {@code leader_selected_batch_id} extension.
   *
   * @throws DecodeException if it is one but its data is not exactly a 32-byte batch ID (the Helper answers
   *     {@code invalidMessage}, section 5.2.2)
   */
  public Optional<BatchId> asLeaderSelectedBatchId() {
    if (extensionType != Dap18.AGGREGATION_JOB_EXTENSION_LEADER_SELECTED_BATCH_ID) {
      return Optional.empty();
    }
    return Optional.of(Wire.whole(extensionData, "leader_selected_batch_id", BatchId::decode));
  }

  /** Reads one {@code AggregationJobExtension}. */
  public static AggregationJobExtension decode(WireReader r) {
    return TypedExtension.read(r, "AggregationJobExtension", AggregationJobExtension::new);
  }

  /** Decodes exactly one extension from {@code bytes}. */
  public static AggregationJobExtension decode(byte[] bytes) {
    return Wire.whole(bytes, "AggregationJobExtension", AggregationJobExtension::decode);
  }

  @Override
  public byte[] extensionData() {
    return extensionData.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AggregationJobExtension e
        && e.extensionType == extensionType
        && Arrays.equals(e.extensionData, extensionData);
  }

  @Override
  public int hashCode() {
    return extensionType * 31 + Wire.hash(extensionData);
  }

  @Override
  public String toString() {
    return "AggregationJobExtension[type=0x" + Integer.toHexString(extensionType) + ", data=" + Wire.show(extensionData)
        + "]";
  }
}
