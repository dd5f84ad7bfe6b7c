package io.janus.messages.dap09;

import io.janus.messages.BatchId;
import io.janus.messages.DecodeException;
import io.janus.messages.Encodable;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Objects;

/**
 * A Collector's fixed-size query (draft-ietf-ppm-dap-09 section 4.2): {@code u8 query_type; select {
 * by_batch_id(0): BatchID batch_id; current_batch(1): Empty }}.
 */
public sealed interface FixedSizeQuery extends Encodable permits FixedSizeQuery.ByBatchId, FixedSizeQuery.CurrentBatch {
  /** Wire code of {@link ByBatchId}. */
  int BY_BATCH_ID = 0;
  /** Wire code of {@link CurrentBatch}. */
  int CURRENT_BATCH = 1;
  /** The one current-batch query. */
  CurrentBatch CURRENT = new CurrentBatch();

  /**
   * Collect the named batch.
   *
   * @param batchId the batch
   */
  record ByBatchId(BatchId batchId) implements FixedSizeQuery {
    /** Rejects a null batch ID. */
    public ByBatchId {
      Objects.requireNonNull(batchId, "batchId");
    }

    @Override
    public void encode(WireWriter w) {
      w.u8(BY_BATCH_ID);
      batchId.encode(w);
    }
  }

  /** Collect the next batch the Leader considers ready. */
  record CurrentBatch() implements FixedSizeQuery {
    @Override
    public void encode(WireWriter w) {
      w.u8(CURRENT_BATCH);
    }
  }

  /** Reads a {@code FixedSizeQuery}; fails on an unknown query type. */
  static FixedSizeQuery decode(WireReader r) {
    int at = r.position();
    int type = r.u8("FixedSizeQuery.query_type");
    return switch (type) {
      case BY_BATCH_ID -> new ByBatchId(BatchId.decode(r));
      case CURRENT_BATCH -> CURRENT;
      default -> throw new DecodeException(at, "FixedSizeQuery.query_type: unknown value " + type);
    };
  }

  /** Decodes exactly one value from {@code bytes}. */
  static FixedSizeQuery decode(byte[] bytes) {
    return Wire.whole(bytes, "FixedSizeQuery", FixedSizeQuery::decode);
  }
}
