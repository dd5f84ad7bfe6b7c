package io.janus.vdaf;

import io.janus.vdaf.internal.Field;

/**
 * An accumulator of output shares for one aggregator and one batch: the draft's agg_init / agg_update / merge.
 *
 * <p>Mutable and not thread-safe: confine an instance to one thread (or guard it externally). Shares of a
 * different VDAF configuration are rejected with {@link IllegalArgumentException}.
 */
public final class AggregateShare {
  private final Prio3 vdaf;
  private final long[] values;

  AggregateShare(Prio3 vdaf, long[] values) {
    this.vdaf = vdaf;
    this.values = values;
  }

  long[] values() {
    return values;
  }

  /** Returns the number of field elements. */
  public int length() {
    return vdaf.outputLength();
  }

  /** Adds one output share into this aggregate (agg_update). */
  public void add(OutputShare share) {
    requireSameVdaf(share.vdaf());
    vdaf.field().addVec(values, share.values(), length());
  }

  /** Adds another aggregate share of the same VDAF into this one (merge). */
  public void merge(AggregateShare other) {
    requireSameVdaf(other.vdaf);
    vdaf.field().addVec(values, other.values, length());
  }

  /** Encodes the aggregate share as its field elements, little-endian, concatenated. */
  public byte[] encode() {
    Field f = vdaf.field();
    byte[] out = new byte[length() * f.encodedSize()];
    f.encode(values, 0, length(), out, 0);
    return out;
  }

  /** Returns an independent copy of this accumulator. */
  public AggregateShare copy() {
    return new AggregateShare(vdaf, values.clone());
  }

  private void requireSameVdaf(Prio3 other) {
    if (!vdaf.equals(other)) {
      throw new IllegalArgumentException("share of " + other + " cannot be added to an aggregate of " + vdaf);
    }
  }

  @Override
  public String toString() {
    return "AggregateShare[" + vdaf + ", length=" + length() + "]";
  }
}
