package io.janus.messages.dap18;

import io.janus.messages.DecodeException;
import io.janus.messages.Encodable;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/** Codec helpers shared by the DAP-18 records: whole-body decoding, item sequences and range checks. */
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
   * Decodes items until {@code reader} is exhausted. Each item must consume at least one byte, so the list never
   * holds more items than the reader had bytes. Draft 18 uses this both inside length-prefixed vectors and for the
   * unprefixed sequences that run to the end of the HTTP message ({@code reports[message_length]} and the like).
   */
  static <T> List<T> items(WireReader reader, String field, Function<WireReader, T> decoder) {
    ArrayList<T> out = new ArrayList<>();
    while (!reader.isEmpty()) {
      int before = reader.position();
      out.add(decoder.apply(reader));
      if (reader.position() == before) {
        // Defensive: an item that consumes nothing would loop forever.
        throw new DecodeException(before, field + ": item consumed no bytes");
      }
    }
    return out;
  }

  /** Writes items with no length prefix (a sequence that runs to the end of the message). */
  static <T extends Encodable> void writeItems(WireWriter w, List<T> items) {
    for (T item : items) {
      item.encode(w);
    }
  }

  /** Writes items inside a u16 byte-length prefix. */
  static <T extends Encodable> void writeItems16(WireWriter w, List<T> items) {
    int mark = w.startVector16();
    writeItems(w, items);
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

  /** Reads {@code opaque field<1..2^32-1>}; an empty value is an error. */
  static byte[] nonEmptyOpaque32(WireReader r, String field) {
    int at = r.position();
    byte[] b = r.opaque32(field);
    if (b.length == 0) {
      throw new DecodeException(at, field + " must not be empty");
    }
    return b;
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

  /** Fails unless {@code extensions} fit in an {@code <0..2^16-1>} vector; returns an immutable copy. */
  static <T extends TypedExtension> List<T> extensionList(List<T> extensions, String field) {
    List<T> copy = List.copyOf(extensions);
    long size = 0;
    for (T e : copy) {
      size += 4 + e.extensionData().length;
    }
    if (size > 0xffff) {
      throw new IllegalArgumentException(field + " must encode to at most 65535 bytes, got " + size);
    }
    return copy;
  }

  static byte[] nonEmptyCopy(byte[] b, String field) {
    if (b.length == 0) {
      throw new IllegalArgumentException(field + " must not be empty");
    }
    return b.clone();
  }

  /** Short rendering of an opaque field for {@code toString}: hex up to 32 bytes, else its length. */
  static String show(byte[] b) {
    return b.length <= 32 ? HexFormat.of().formatHex(b) : b.length + " bytes";
  }

  static int hash(byte[] b) {
    return Arrays.hashCode(b);
  }
}
