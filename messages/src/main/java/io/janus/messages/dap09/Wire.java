package io.janus.messages.dap09;

import io.janus.messages.DecodeException;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/** Codec helpers shared by the DAP-09 records: whole-body decoding, item vectors and range checks. */
final class Wire {
  private Wire() {}

  /** Decodes exactly one value from {@code bytes}; trailing bytes are an error. */
  static <T> T whole(byte[] bytes, String what, Function<WireReader, T> decoder) {
    WireReader r = WireReader.of(bytes);
    T value = decoder.apply(r);
    r.expectEnd(what);
    return value;
  }

  /**
   * Decodes every item of a length-delimited vector. Each item must consume at least one byte, so the number of
   * items (and the list's size) is bounded by the vector's byte length.
   */
  static <T> List<T> items(WireReader vector, String field, Function<WireReader, T> decoder) {
    ArrayList<T> out = new ArrayList<>();
    while (!vector.isEmpty()) {
      int before = vector.position();
      out.add(decoder.apply(vector));
      if (vector.position() == before) {
        // Defensive: an item that consumes nothing would loop forever.
        throw new DecodeException(before, field + ": item consumed no bytes");
      }
    }
    return out;
  }

  /** Decodes a {@code <1..2^32-1>} vector of items; an empty vector is an error. */
  static <T> List<T> nonEmptyItems32(WireReader r, String field, Function<WireReader, T> decoder) {
    int at = r.position();
    List<T> out = items(r.vector32(field), field, decoder);
    if (out.isEmpty()) {
      throw new DecodeException(at, field + " must not be empty");
    }
    return out;
  }

  /** Writes items inside a u32 byte-length prefix. */
  static <T extends io.janus.messages.Encodable> void writeItems32(WireWriter w, List<T> items) {
    int mark = w.startVector32();
    for (T item : items) {
      item.encode(w);
    }
    w.endVector32(mark);
  }

  /** Writes items inside a u16 byte-length prefix. */
  static <T extends io.janus.messages.Encodable> void writeItems16(WireWriter w, List<T> items) {
    int mark = w.startVector16();
    for (T item : items) {
      item.encode(w);
    }
    w.endVector16(mark);
  }

  /** Reads a u64 that this implementation holds in a non-negative {@code long}. */
  static long u64NonNegative(WireReader r, String field) {
    int at = r.position();
    long v = r.u64(field);
    if (v < 0) {
      throw new DecodeException(at, field + " exceeds 2^63-1");
    }
    return v;
  }

  static void checkU8(int v, String field) {
    if ((v & ~0xff) != 0) {
      throw new IllegalArgumentException(field + " must fit in a u8: " + v);
    }
  }

  static void checkU16(int v, String field) {
    if ((v & ~0xffff) != 0) {
      throw new IllegalArgumentException(field + " must fit in a u16: " + v);
    }
  }

  static void checkU32(long v, String field) {
    if ((v & ~0xffff_ffffL) != 0) {
      throw new IllegalArgumentException(field + " must fit in a u32: " + v);
    }
  }

  static void checkNonNegative(long v, String field) {
    if (v < 0) {
      throw new IllegalArgumentException(field + " must not be negative: " + v);
    }
  }

  static void checkOpaque16(byte[] b, String field) {
    if (b.length > 0xffff) {
      throw new IllegalArgumentException(field + " must be at most 65535 bytes, got " + b.length);
    }
  }

  static <T> List<T> nonEmptyCopy(List<T> items, String field) {
    List<T> copy = List.copyOf(items);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException(field + " must not be empty");
    }
    return copy;
  }

  /** Short rendering of an opaque field for {@code toString}: hex up to 32 bytes, else its length. */
  static String show(byte[] b) {
    return b.length <= 32 ? HexFormat.of().formatHex(b) : b.length + " bytes";
  }

  static int hash(byte[] b) {
    return Arrays.hashCode(b);
  }
}
