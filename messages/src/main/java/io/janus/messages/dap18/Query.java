package io.janus.messages.dap18;

import io.janus.messages.DecodeException;
import io.janus.messages.Encodable;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Objects;

/**
 * A Collector's query (draft-ietf-ppm-dap-18 sections 4.6.1 and 5): {@code BatchMode batch_mode;
 * opaque config<0..2^16-1>}. For {@code time_interval} the config is a {@code TimeIntervalQueryConfig}
 * ({@code Interval batch_interval}, section 5.1.1); for {@code leader_selected} it is empty (section 5.2.1), meaning
 * "the next batch". Draft 18 has no query by batch ID.
 *
 * <p>The decoder requires the config to be exactly what the mode defines: a config of any other length, or an
 * unknown mode, is malformed.
 */
public sealed interface Query extends Encodable permits Query.TimeInterval, Query.LeaderSelected {
  /** The batch mode this query belongs to. */
  BatchMode batchMode();

  /**
   * Collect the reports whose timestamps fall in a batch interval.
   *
   * @param batchInterval the batch interval, in time-precision units
   */
  record TimeInterval(Interval batchInterval) implements Query {
    /** Rejects a null interval. */
    public TimeInterval {
      Objects.requireNonNull(batchInterval, "batchInterval");
    }

    @Override
    public BatchMode batchMode() {
      return BatchMode.TIME_INTERVAL;
    }

    @Override
    public void encode(WireWriter w) {
      BatchMode.TIME_INTERVAL.encode(w);
      w.u16(Interval.LENGTH);
      batchInterval.encode(w);
    }
  }

  /** Collect the next batch the Leader has filled. */
  record LeaderSelected() implements Query {
    @Override
    public BatchMode batchMode() {
      return BatchMode.LEADER_SELECTED;
    }

    @Override
    public void encode(WireWriter w) {
      BatchMode.LEADER_SELECTED.encode(w);
      w.u16(0);
    }
  }

  /** Reads a {@code Query}; fails on an unknown batch mode or a config that does not fit the mode. */
  static Query decode(WireReader r) {
    BatchMode mode = BatchMode.decode(r, "Query.batch_mode");
    WireReader config = r.vector16("Query.config");
    Query query = switch (mode) {
      case TIME_INTERVAL -> new TimeInterval(Interval.decode(config));
      case LEADER_SELECTED -> new LeaderSelected();
    };
    config.expectEnd("Query.config");
    return query;
  }

  /** Decodes exactly one value from {@code bytes}. */
  static Query decode(byte[] bytes) {
    return Wire.whole(bytes, "Query", Query::decode);
  }

  /**
   * The DAP-18 wire form of a version-neutral query.
   *
   * @param precision the task's time precision, which a time-interval query's bounds must be multiples of
   * @throws IllegalArgumentException for a query by batch ID, which draft 18 cannot express, or an interval not
   *     aligned to {@code precision}
   */
  static Query of(io.janus.messages.Query query, io.janus.messages.DapDuration precision) {
    return switch (query) {
      case io.janus.messages.Query.TimeInterval t ->
          new TimeInterval(Interval.fromSeconds(t.batchInterval(), precision));
      case io.janus.messages.Query.FixedSizeCurrentBatch c -> new LeaderSelected();
      case io.janus.messages.Query.FixedSizeByBatchId b ->
          throw new IllegalArgumentException("draft 18 has no query by batch ID");
    };
  }

  /** This query without its DAP-18 encoding, for a task whose time precision is {@code precision}. */
  default io.janus.messages.Query toNeutral(io.janus.messages.DapDuration precision) {
    return switch (this) {
      case TimeInterval t -> new io.janus.messages.Query.TimeInterval(t.batchInterval().toSeconds(precision));
      case LeaderSelected l -> new io.janus.messages.Query.FixedSizeCurrentBatch();
    };
  }
}
