package io.janus.messages.dap18;

import io.janus.messages.BatchId;
import io.janus.messages.Encodable;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Objects;

/**
 * The batch an aggregate share covers (draft-ietf-ppm-dap-18 sections 4.6.4 and 5): {@code BatchMode batch_mode;
 * opaque config<0..2^16-1>}. For {@code time_interval} the config is a {@code TimeIntervalBatchSelectorConfig}
 * ({@code Interval batch_interval}, section 5.1.2); for {@code leader_selected} a
 * {@code LeaderSelectedBatchSelectorConfig} ({@code BatchID batch_id}, section 5.2.3).
 *
 * <p>The decoder requires the config to be exactly what the mode defines.
 */
public sealed interface BatchSelector extends Encodable
    permits BatchSelector.TimeInterval, BatchSelector.LeaderSelected {
  /** The batch mode this selector belongs to. */
  BatchMode batchMode();

  /**
   * A time-interval batch.
   *
   * @param batchInterval the batch interval, in time-precision units
   */
  record TimeInterval(Interval batchInterval) implements BatchSelector {
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

  /**
   * A leader-selected batch.
   *
   * @param batchId the batch the Leader chose
   */
  record LeaderSelected(BatchId batchId) implements BatchSelector {
    /** Rejects a null batch ID. */
    public LeaderSelected {
      Objects.requireNonNull(batchId, "batchId");
    }

    @Override
    public BatchMode batchMode() {
      return BatchMode.LEADER_SELECTED;
    }

    @Override
    public void encode(WireWriter w) {
      BatchMode.LEADER_SELECTED.encode(w);
      w.u16(BatchId.LENGTH);
      batchId.encode(w);
    }
  }

  /** Reads a {@code BatchSelector}; fails on an unknown batch mode or a config that does not fit the mode. */
  static BatchSelector decode(WireReader r) {
    BatchMode mode = BatchMode.decode(r, "BatchSelector.batch_mode");
    WireReader config = r.vector16("BatchSelector.config");
    BatchSelector selector = switch (mode) {
      case TIME_INTERVAL -> new TimeInterval(Interval.decode(config));
      case LEADER_SELECTED -> new LeaderSelected(BatchId.decode(config));
    };
    config.expectEnd("BatchSelector.config");
    return selector;
  }

  /** Decodes exactly one value from {@code bytes}. */
  static BatchSelector decode(byte[] bytes) {
    return Wire.whole(bytes, "BatchSelector", BatchSelector::decode);
  }
}
