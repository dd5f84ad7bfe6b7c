package io.janus.messages;

import java.util.Arrays;

/**
 * Reads the TLS presentation language (RFC 8446 section 3) from a byte array: big-endian integers, fixed arrays and
 * byte-length-prefixed vectors.
 *
 * <p>Every read checks the remaining length before it touches or allocates anything, and fails with a
 * {@link DecodeException} naming the field; a reader never throws anything else. A length prefix can therefore never
 * make a reader allocate more than the input holds. Sub-readers returned by the {@code vector*} methods share the
 * underlying array and report offsets relative to the whole input.
 */
public final class WireReader {
  private final byte[] buf;
  private final int end;
  private int pos;

  private WireReader(byte[] buf, int start, int end) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }

  /** Returns a reader over all of {@code bytes}; the array is not copied and must not change while reading. */
  public static WireReader of(byte[] bytes) {
    return new WireReader(bytes, 0, bytes.length);
  }

  /** Bytes left to read. */
  public int remaining() {
    return end - pos;
  }

  /** True when no bytes are left. */
  public boolean isEmpty() {
    return pos == end;
  }

  /** Offset of the next byte to read, relative to the whole input. */
  public int position() {
    return pos;
  }

  /** Fails unless every byte has been consumed; decoders call this last, since trailing bytes are an error. */
  public void expectEnd(String what) {
    if (pos != end) {
      throw new DecodeException(pos, (end - pos) + " unexpected trailing byte(s) after " + what);
    }
  }

  private void require(int n, String field) {
    if (n < 0 || end - pos < n) {
      throw new DecodeException(pos, field + ": needs " + n + " byte(s), " + (end - pos) + " left");
    }
  }

  /** Reads an unsigned 8-bit integer. */
  public int u8(String field) {
    require(1, field);
    return buf[pos++] & 0xff;
  }

  /** Reads an unsigned 16-bit integer. */
  public int u16(String field) {
    require(2, field);
    int v = ((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff);
    pos += 2;
    return v;
  }

  /** Reads an unsigned 32-bit integer into a long. */
  public long u32(String field) {
    require(4, field);
    long v = ((long) (buf[pos] & 0xff) << 24)
        | ((buf[pos + 1] & 0xff) << 16)
        | ((buf[pos + 2] & 0xff) << 8)
        | (buf[pos + 3] & 0xff);
    pos += 4;
    return v;
  }

  /** Reads a 64-bit integer; values of 2^63 and above come back negative (callers treat them as unsigned). */
  public long u64(String field) {
    require(8, field);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (buf[pos + i] & 0xff);
    }
    pos += 8;
    return v;
  }

  /** Reads a fixed-length byte array. */
  public byte[] fixed(int length, String field) {
    require(length, field);
    byte[] out = Arrays.copyOfRange(buf, pos, pos + length);
    pos += length;
    return out;
  }

  /** Reads {@code opaque field<0..2^8-1>}. */
  public byte[] opaque8(String field) {
    int start = pos;
    int len = u8(field + " length");
    return opaqueBody(start, len, field);
  }

  /** Reads {@code opaque field<0..2^16-1>}. */
  public byte[] opaque16(String field) {
    int start = pos;
    int len = u16(field + " length");
    return opaqueBody(start, len, field);
  }

  /** Reads {@code opaque field<0..2^32-1>}. */
  public byte[] opaque32(String field) {
    int start = pos;
    long len = u32(field + " length");
    if (len > end - pos) {
      throw new DecodeException(start, field + ": length prefix " + len + " exceeds the " + (end - pos) + " byte(s) left");
    }
    return opaqueBody(start, (int) len, field);
  }

  private byte[] opaqueBody(int prefixStart, int len, String field) {
    if (len > end - pos) {
      throw new DecodeException(prefixStart, field + ": length prefix " + len + " exceeds the " + (end - pos) + " byte(s) left");
    }
    return fixed(len, field);
  }

  /** Reads a u16 byte length and returns a reader over exactly that many bytes, advancing past them. */
  public WireReader vector16(String field) {
    int start = pos;
    int len = u16(field + " length");
    return sub(start, len, field);
  }

  /** Reads a u32 byte length and returns a reader over exactly that many bytes, advancing past them. */
  public WireReader vector32(String field) {
    int start = pos;
    long len = u32(field + " length");
    if (len > end - pos) {
      throw new DecodeException(start, field + ": length prefix " + len + " exceeds the " + (end - pos) + " byte(s) left");
    }
    return sub(start, (int) len, field);
  }

  /** Returns a reader over the rest of the input, consuming it. */
  public WireReader rest() {
    WireReader r = new WireReader(buf, pos, end);
    pos = end;
    return r;
  }

  private WireReader sub(int prefixStart, int len, String field) {
    if (len > end - pos) {
      throw new DecodeException(prefixStart, field + ": length prefix " + len + " exceeds the " + (end - pos) + " byte(s) left");
    }
    WireReader r = new WireReader(buf, pos, pos + len);
    pos += len;
    return r;
  }
}
