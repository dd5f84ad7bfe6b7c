package io.janus.messages;

import java.util.Arrays;

/**
 * Writes the TLS presentation language (RFC 8446 section 3): big-endian integers, fixed arrays and
 * byte-length-prefixed vectors.
 *
 * <p>Vectors whose length is not known up front are written with {@link #startVector16()} /
 * {@link #endVector16(int)} (and the 32-bit pair), which reserve the prefix and patch it afterwards, so a message is
 * encoded in one pass into one buffer.
 */
public final class WireWriter {
  private byte[] buf;
  private int len;

  /** Creates a writer with a small default capacity. */
  public WireWriter() {
    this(64);
  }

  /** Creates a writer with room for {@code capacity} bytes before it has to grow. */
  public WireWriter(int capacity) {
    buf = new byte[Math.max(capacity, 16)];
  }

  private void ensure(int n) {
    if (buf.length - len < n) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
  }

  /** Number of bytes written so far. */
  public int size() {
    return len;
  }

  /** Writes an unsigned 8-bit integer; fails if {@code v} is out of range. */
  public WireWriter u8(int v) {
    if ((v & ~0xff) != 0) {
      throw new IllegalArgumentException("u8 out of range: " + v);
    }
    ensure(1);
    buf[len++] = (byte) v;
    return this;
  }

  /** Writes an unsigned 16-bit integer; fails if {@code v} is out of range. */
  public WireWriter u16(int v) {
    if ((v & ~0xffff) != 0) {
      throw new IllegalArgumentException("u16 out of range: " + v);
    }
    ensure(2);
    buf[len++] = (byte) (v >>> 8);
    buf[len++] = (byte) v;
    return this;
  }

  /** Writes an unsigned 32-bit integer; fails if {@code v} is out of range. */
  public WireWriter u32(long v) {
    if ((v & ~0xffff_ffffL) != 0) {
      throw new IllegalArgumentException("u32 out of range: " + v);
    }
    ensure(4);
    putU32(len, v);
    len += 4;
    return this;
  }

  /** Writes a 64-bit integer (the bit pattern of {@code v}, so unsigned values above 2^63 round-trip). */
  public WireWriter u64(long v) {
    ensure(8);
    for (int i = 7; i >= 0; i--) {
      buf[len++] = (byte) (v >>> (8 * i));
    }
    return this;
  }

  /** Writes bytes with no length prefix (a fixed-size array). */
  public WireWriter fixed(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, len, bytes.length);
    len += bytes.length;
    return this;
  }

  /** Writes {@code opaque<0..2^8-1>}. */
  public WireWriter opaque8(byte[] bytes) {
    if (bytes.length > 0xff) {
      throw new IllegalArgumentException("opaque8 too long: " + bytes.length);
    }
    return u8(bytes.length).fixed(bytes);
  }

  /** Writes {@code opaque<0..2^16-1>}. */
  public WireWriter opaque16(byte[] bytes) {
    if (bytes.length > 0xffff) {
      throw new IllegalArgumentException("opaque16 too long: " + bytes.length);
    }
    return u16(bytes.length).fixed(bytes);
  }

  /** Writes {@code opaque<0..2^32-1>}. */
  public WireWriter opaque32(byte[] bytes) {
    return u32(bytes.length).fixed(bytes);
  }

  /** Reserves a u16 length prefix; pass the returned mark to {@link #endVector16(int)}. */
  public int startVector16() {
    ensure(2);
    int mark = len;
    len += 2;
    return mark;
  }

  /** Patches the u16 length prefix reserved at {@code mark} with the number of bytes written since. */
  public void endVector16(int mark) {
    int n = len - mark - 2;
    if (n > 0xffff) {
      throw new IllegalArgumentException("vector16 too long: " + n);
    }
    buf[mark] = (byte) (n >>> 8);
    buf[mark + 1] = (byte) n;
  }

  /** Reserves a u32 length prefix; pass the returned mark to {@link #endVector32(int)}. */
  public int startVector32() {
    ensure(4);
    int mark = len;
    len += 4;
    return mark;
  }

  /** Patches the u32 length prefix reserved at {@code mark} with the number of bytes written since. */
  public void endVector32(int mark) {
    putU32(mark, len - mark - 4L);
  }

  private void putU32(int at, long v) {
    buf[at] = (byte) (v >>> 24);
    buf[at + 1] = (byte) (v >>> 16);
    buf[at + 2] = (byte) (v >>> 8);
    buf[at + 3] = (byte) v;
  }

  /** Returns a copy of the bytes written. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }
}
