package io.janus.vdaf;

import io.janus.vdaf.internal.Field;

/**
 * One aggregator's output share of one report: the result of successful preparation, ready to be added into an
 * {@link AggregateShare}. Immutable.
 */
public final class OutputShare {
  private final Prio3 vdaf;
  private final long[] values;

  OutputShare(Prio3 vdaf, long[] values) {
    this.vdaf = vdaf;
    this.values = values;
  }

  Prio3 vdaf() {
    return vdaf;
  }

  long[] values() {
    return values;
  }

  /** Returns the number of field elements. */
  public int length() {
    return vdaf.outputLength();
  }

  /** Encodes the share as its field elements, little-endian, concatenated (the draft's encode_vec). */
  public byte[] encode() {
    Field f = vdaf.field();
    byte[] out = new byte[length() * f.encodedSize()];
    f.encode(values, 0, length(), out, 0);
    return out;
  }

  @Override
  public String toString() {
    return "OutputShare[" + vdaf + ", length=" + length() + "]";
  }
}
