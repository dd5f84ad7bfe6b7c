package io.janus.messages.dap09;

import io.janus.messages.BatchId;
import io.janus.messages.Encodable;
import io.janus.messages.Interval;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Objects;

/**
 * A fully resolved batch (draft-ietf-ppm-dap-09 section 4.5.2): {@code u8 query_type; select {
 * time_interval: Interval batch_interval; fixed_size: BatchID batch_id }}.
 */
public sealed interface BatchSelector extends Encodable permits BatchSelector.TimeInterval, BatchSelector.FixedSize {
  /** The query type this selector belongs to. */
  QueryType queryType();

  /**
   * A time-interval batch.
   *
   * @param batchInterval the batch interval
   */
  record TimeInterval(Interval batchInterval) implements BatchSelector {
    /** Rejects a null interval. */
    public TimeInterval {
      Objects.requireNonNull(batchInterval, "batchInterval");
    }

    @Override
    public QueryType queryType() {
      return QueryType.TIME_INTERVAL;
    }

    @Override
    public void encode(WireWriter w) {
      QueryType.TIME_INTERVAL.encode(w);
      batchInterval.encode(w);
    }
  }

  /**
   * A fixed-size batch.
   *
   * @param batchId the batch
   */
  record FixedSize(BatchId batchId) implements BatchSelector {
    /** Rejects a null batch ID. */
    public FixedSize {
      Objects.requireNonNull(batchId, "batchId");
    }

    @Override
    public QueryType queryType() {
      return QueryType.FIXED_SIZE;
    }

    @Override
    public void encode(WireWriter w) {
      QueryType.FIXED_SIZE.encode(w);
      batchId.encode(w);
    }
  }

  /** Reads a {@code BatchSelector}; fails on an unknown query type. */
  static BatchSelector decode(WireReader r) {
    return switch (QueryType.decode(r, "BatchSelector.query_type")) {
      case TIME_INTERVAL -> new TimeInterval(Interval.decode(r));
      case FIXED_SIZE -> new FixedSize(BatchId.decode(r));
    };
  }

  /** Decodes exactly one value from {@code bytes}. */
  static BatchSelector decode(byte[] bytes) {
    return Wire.whole(bytes, "BatchSelector", BatchSelector::decode);
  }
}
