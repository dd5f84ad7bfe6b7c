package io.janus.messages.dap09;

import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Arrays;

/**
 * The differential-privacy mechanism of a taskprov task. Janus release/0.7 knows only {@code none(1)}; any other
 * code point is kept with the rest of the {@link DpConfig} bytes so the configuration re-encodes unchanged.
 */
public sealed interface DpMechanism permits DpMechanism.None, DpMechanism.Unrecognized {
  /** Code point of {@link None}. */
  int NONE = 1;

  /** The u8 code point. */
  int codePoint();

  /** No differential privacy. */
  record None() implements DpMechanism {
    @Override
    public int codePoint() {
      return NONE;
    }
  }

  /**
   * A mechanism this implementation does not know (including the reserved code 0).
   *
   * @param codePoint the u8 code point, anything but {@link #NONE}
   * @param payload the uninterpreted rest of the configuration
   */
  record Unrecognized(int codePoint, byte[] payload) implements DpMechanism {
    /** Validates the code point and copies the payload. */
    public Unrecognized {
      Wire.checkU8(codePoint, "DpMechanism");
      if (codePoint == NONE) {
        throw new IllegalArgumentException("code point 1 is DpMechanism.None");
      }
      payload = payload.clone();
    }

    @Override
    public byte[] payload() {
      return payload.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Unrecognized u && u.codePoint == codePoint && Arrays.equals(u.payload, payload);
    }

    @Override
    public int hashCode() {
      return codePoint * 31 + Wire.hash(payload);
    }

    @Override
    public String toString() {
      return "Unrecognized[codePoint=" + codePoint + ", payload=" + Wire.show(payload) + "]";
    }
  }

  /** Reads the mechanism; an unknown code point consumes every remaining byte of {@code r}. */
  static DpMechanism decode(WireReader r) {
    int code = r.u8("DpMechanism");
    if (code == NONE) {
      return new None();
    }
    return new Unrecognized(code, r.fixed(r.remaining(), "DpMechanism payload"));
  }

  /** Writes the code point and, for an unknown mechanism, its payload. */
  default void encode(WireWriter w) {
    w.u8(codePoint());
    if (this instanceof Unrecognized u) {
      w.fixed(u.payload);
    }
  }
}
