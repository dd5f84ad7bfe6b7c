package io.janus.messages.dap09;

import io.janus.messages.Encodable;
import io.janus.messages.Interval;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Objects;

/**
 * A Collector's query (draft-ietf-ppm-dap-09 section 4.2): {@code u8 query_type; select {
 * time_interval: Interval batch_interval; fixed_size: FixedSizeQuery fixed_size_query }}.
 */
public sealed interface Query extends Encodable permits Query.TimeInterval, Query.FixedSize {
  /** The query type this query belongs to. */
  QueryType queryType();

  /**
   * Collect the reports of a time interval.
   *
   * @param batchInterval the batch interval
   */
  record TimeInterval(Interval batchInterval) implements Query {
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
   * Collect a Leader-chosen batch.
   *
   * @param fixedSizeQuery which one
   */
  record FixedSize(FixedSizeQuery fixedSizeQuery) implements Query {
    /** Rejects a null inner query. */
    public FixedSize {
      Objects.requireNonNull(fixedSizeQuery, "fixedSizeQuery");
    }

    @Override
    public QueryType queryType() {
      return QueryType.FIXED_SIZE;
    }

    @Override
    public void encode(WireWriter w) {
      QueryType.FIXED_SIZE.encode(w);
      fixedSizeQuery.encode(w);
    }
  }

  /** Reads a {@code Query}; fails on an unknown query type. */
  /** The DAP-09 wire form of a version-neutral query. */
  static Query of(io.janus.messages.Query query) {
    return switch (query) {
      case io.janus.messages.Query.TimeInterval t -> new TimeInterval(t.batchInterval());
      case io.janus.messages.Query.FixedSizeByBatchId b -> new FixedSize(new FixedSizeQuery.ByBatchId(b.batchId()));
      case io.janus.messages.Query.FixedSizeCurrentBatch c -> new FixedSize(new FixedSizeQuery.CurrentBatch());
    };
  }

  /** This query without its DAP-09 encoding. */
  default io.janus.messages.Query toNeutral() {
    return switch (this) {
      case TimeInterval t -> new io.janus.messages.Query.TimeInterval(t.batchInterval());
      case FixedSize f -> switch (f.fixedSizeQuery()) {
        case FixedSizeQuery.ByBatchId b -> new io.janus.messages.Query.FixedSizeByBatchId(b.batchId());
        case FixedSizeQuery.CurrentBatch c -> new io.janus.messages.Query.FixedSizeCurrentBatch();
      };
    };
  }

  static Query decode(WireReader r) {
    return switch (QueryType.decode(r, "Query.query_type")) {
      case TIME_INTERVAL -> new TimeInterval(Interval.decode(r));
      case FIXED_SIZE -> new FixedSize(FixedSizeQuery.decode(r));
    };
  }

  /** Decodes exactly one value from {@code bytes}. */
  static Query decode(byte[] bytes) {
    return Wire.whole(bytes, "Query", Query::decode);
  }
}
