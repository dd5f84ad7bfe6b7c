package io.janus.messages.dap09;

import io.janus.messages.BatchId;
import io.janus.messages.Encodable;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Objects;

/**
 * Which batch an aggregation job or collection belongs to, as far as the query type needs to say
 * (draft-ietf-ppm-dap-09 section 4.4.1.1): {@code u8 query_type; select { time_interval: Empty;
 * fixed_size: BatchID batch_id }}.
 */
public sealed interface PartialBatchSelector extends Encodable
    permits PartialBatchSelector.TimeInterval, PartialBatchSelector.FixedSize {
  /** The selector of every time-interval task: the batch follows from each report's timestamp. */
  TimeInterval TIME_INTERVAL = new TimeInterval();

  /** The query type this selector belongs to. */
  QueryType queryType();

  /** Time-interval selector; carries nothing. */
  record TimeInterval() implements PartialBatchSelector {
    @Override
    public QueryType queryType() {
      return QueryType.TIME_INTERVAL;
    }

    @Override
    public void encode(WireWriter w) {
      QueryType.TIME_INTERVAL.encode(w);
    }
  }

  /**
   * Fixed-size selector naming the batch.
   *
   * @param batchId the Leader-chosen batch
   */
  record FixedSize(BatchId batchId) implements PartialBatchSelector {
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

  /** Reads a {@code PartialBatchSelector}; fails on an unknown query type. */
  static PartialBatchSelector decode(WireReader r) {
    return switch (QueryType.decode(r, "PartialBatchSelector.query_type")) {
      case TIME_INTERVAL -> TIME_INTERVAL;
      case FIXED_SIZE -> new FixedSize(BatchId.decode(r));
    };
  }

  /** Decodes exactly one value from {@code bytes}. */
  static PartialBatchSelector decode(byte[] bytes) {
    return Wire.whole(bytes, "PartialBatchSelector", PartialBatchSelector::decode);
  }
}
