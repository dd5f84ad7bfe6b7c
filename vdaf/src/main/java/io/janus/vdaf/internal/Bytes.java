package io.janus.vdaf.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Little-endian and big-endian integer access on byte arrays, as the VDAF encodings need. */
public final class Bytes {
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT_BE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  private Bytes() {}

  /** Reads a little-endian long at {@code off}. */
  public static long getLongLe(byte[] b, int off) {
    return (long) LONG_LE.get(b, off);
  }

  /** Writes {@code v} little-endian at {@code off}. */
  public static void putLongLe(byte[] b, int off, long v) {
    LONG_LE.set(b, off, v);
  }

  /** Reads a big-endian long at {@code off}. */
  public static long getLongBe(byte[] b, int off) {
    return (long) LONG_BE.get(b, off);
  }

  /** Writes {@code v} big-endian at {@code off}. */
  public static void putLongBe(byte[] b, int off, long v) {
    LONG_BE.set(b, off, v);
  }

  /** Reads a big-endian 32-bit integer at {@code off}. */
  public static int getIntBe(byte[] b, int off) {
    return (int) INT_BE.get(b, off);
  }

  /** Writes {@code v} big-endian at {@code off}. */
  public static void putIntBe(byte[] b, int off, int v) {
    INT_BE.set(b, off, v);
  }
}
