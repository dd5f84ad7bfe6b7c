package io.janus.server.datastore.model;

import io.janus.messages.BatchId;
import io.janus.messages.DapDuration;
import io.janus.messages.Interval;
import io.janus.messages.Time;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Optional;

/**
 * Names a batch: a time interval for time-interval tasks, a batch ID for fixed-size tasks.
 *
 * <p>{@link #toBytes()} is this project's own stable storage encoding (a tag byte, then the interval's start and
 * duration in seconds as u64, or the 32-byte batch ID), not any DAP draft's.
 */
public sealed interface BatchIdentifier permits BatchIdentifier.TimeInterval, BatchIdentifier.FixedSize {
  /** The storage encoding. */
  byte[] toBytes();

  /** The batch's interval, for time-interval batches. */
  Optional<Interval> interval();

  /** Decodes {@link #toBytes()}; fails with {@link IllegalStateException} on bytes it did not write. */
  static BatchIdentifier fromBytes(byte[] bytes) {
    try {
      WireReader r = WireReader.of(bytes);
      int tag = r.u8("BatchIdentifier.tag");
      BatchIdentifier b = switch (tag) {
        case 1 -> new TimeInterval(new Interval(new Time(r.u64("start")), new DapDuration(r.u64("duration"))));
        case 2 -> new FixedSize(BatchId.decode(r));
        default -> throw new IllegalStateException("unknown batch identifier tag " + tag);
      };
      r.expectEnd("BatchIdentifier");
      return b;
    } catch (RuntimeException e) {
      throw new IllegalStateException("malformed stored batch identifier: " + e.getMessage(), e);
    }
  }

  /**
   * A time-interval batch.
   *
   * @param batchInterval the interval
   */
  record TimeInterval(Interval batchInterval) implements BatchIdentifier {
    @Override
    public byte[] toBytes() {
      return new WireWriter(17).u8(1).u64(batchInterval.start().seconds()).u64(batchInterval.duration().seconds())
          .toByteArray();
    }

    @Override
    public Optional<Interval> interval() {
      return Optional.of(batchInterval);
    }
  }

  /**
   * A fixed-size batch.
   *
   * @param batchId the batch ID
   */
  record FixedSize(BatchId batchId) implements BatchIdentifier {
    @Override
    public byte[] toBytes() {
      WireWriter w = new WireWriter(33).u8(2);
      batchId.encode(w);
      return w.toByteArray();
    }

    @Override
    public Optional<Interval> interval() {
      return Optional.empty();
    }
  }
}
