package io.janus.messages.dap09;

import io.janus.messages.DapDuration;
import io.janus.messages.Encodable;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Objects;

/**
 * A taskprov task's batching parameters, as Janus release/0.7 encodes them with draft 09:
 * {@code DapDuration time_precision; u16 max_batch_query_count; u32 min_batch_size; u8 query_type;
 * select { time_interval: Empty; fixed_size: u32 max_batch_size }}.
 *
 * @param timePrecision the task's time precision
 * @param maxBatchQueryCount how many times a batch may be collected (u16)
 * @param minBatchSize the fewest reports a batch may hold (u32)
 * @param batchMode the query type and its parameter
 */
public record QueryConfig(DapDuration timePrecision, int maxBatchQueryCount, long minBatchSize, BatchMode batchMode)
    implements Encodable {
  /** Validates ranges. */
  public QueryConfig {
    Objects.requireNonNull(timePrecision, "timePrecision");
    Wire.checkU16(maxBatchQueryCount, "QueryConfig.max_batch_query_count");
    Wire.checkU32(minBatchSize, "QueryConfig.min_batch_size");
    Objects.requireNonNull(batchMode, "batchMode");
  }

  /** The query type of a taskprov task, with the parameter fixed-size tasks add. */
  public sealed interface BatchMode permits TimeInterval, FixedSize {
    /** The query type. */
    QueryType queryType();
  }

  /** Time-interval batches. */
  public record TimeInterval() implements BatchMode {
    @Override
    public QueryType queryType() {
      return QueryType.TIME_INTERVAL;
    }
  }

  /**
   * Fixed-size batches.
   *
   * @param maxBatchSize the most reports a batch may hold (u32)
   */
  public record FixedSize(long maxBatchSize) implements BatchMode {
    /** Validates the range. */
    public FixedSize {
      Wire.checkU32(maxBatchSize, "QueryConfig.max_batch_size");
    }

    @Override
    public QueryType queryType() {
      return QueryType.FIXED_SIZE;
    }
  }

  /** Reads a {@code QueryConfig}; fails on an unknown query type. */
  public static QueryConfig decode(WireReader r) {
    DapDuration precision = DapDuration.decode(r);
    int maxQueries = r.u16("QueryConfig.max_batch_query_count");
    long minSize = r.u32("QueryConfig.min_batch_size");
    BatchMode mode = switch (QueryType.decode(r, "QueryConfig.query_type")) {
      case TIME_INTERVAL -> new TimeInterval();
      case FIXED_SIZE -> new FixedSize(r.u32("QueryConfig.max_batch_size"));
    };
    return new QueryConfig(precision, maxQueries, minSize, mode);
  }

  /** Decodes exactly one value from {@code bytes}. */
  public static QueryConfig decode(byte[] bytes) {
    return Wire.whole(bytes, "QueryConfig", QueryConfig::decode);
  }

  @Override
  public void encode(WireWriter w) {
    timePrecision.encode(w);
    w.u16(maxBatchQueryCount);
    w.u32(minBatchSize);
    batchMode.queryType().encode(w);
    if (batchMode instanceof FixedSize f) {
      w.u32(f.maxBatchSize());
    }
  }
}
