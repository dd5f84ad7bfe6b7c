package io.janus.messages.dap09;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.messages.DecodeException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * Feeds a million random and mutated byte strings to every decoder. A decoder may only throw
 * {@link DecodeException}, with an offset inside the input; whatever it accepts must hold no more bytes than the
 * input had, and must re-encode to exactly the input (the codec is canonical).
 */
class FuzzTest {
  private static final int INPUTS = 1_000_000;
  private static final int POOL = 64;
  private static final List<Samples.Codec> CODECS = Samples.ALL;

  @Test
  void decodersOnlyThrowDecodeExceptionAndNeverOverAllocate() {
    long seed = Long.getLong("fuzz.seed", new SplittableRandom().nextLong());
    System.out.println("FuzzTest seed: " + seed + " (rerun with -Dfuzz.seed=" + seed + ")");
    RandomGenerator rng = new SplittableRandom(seed);
    byte[][][] pool = new byte[CODECS.size()][POOL][];
    for (int c = 0; c < CODECS.size(); c++) {
      for (int i = 0; i < POOL; i++) {
        pool[c][i] = CODECS.get(c).randomEncoding(rng);
      }
    }
    long[] accepted = new long[CODECS.size()];
    long[] rejected = new long[CODECS.size()];
    for (int i = 0; i < INPUTS; i++) {
      int source = rng.nextInt(CODECS.size());
      byte[] input = mutate(pool[source][rng.nextInt(POOL)], rng);
      // Each input goes to the decoder it was made for (deep mutations) and to one other (foreign bytes).
      check(source, input, seed, i, accepted, rejected);
      check(rng.nextInt(CODECS.size()), input, seed, i, accepted, rejected);
    }
    for (int c = 0; c < CODECS.size(); c++) {
      System.out.printf("  %-28s accepted %7d rejected %7d%n", CODECS.get(c).name(), accepted[c], rejected[c]);
      assertThat(rejected[c]).as("%s rejected something (seed %d)", CODECS.get(c).name(), seed).isPositive();
      assertThat(accepted[c]).as("%s accepted something (seed %d)", CODECS.get(c).name(), seed).isPositive();
    }
  }

  private static void check(int codecIndex, byte[] input, long seed, int iteration, long[] accepted, long[] rejected) {
    Samples.Codec codec = CODECS.get(codecIndex);
    boolean ok;
    try {
      ok = DecoderContract.check(codec, input);
    } catch (AssertionError e) {
      throw new AssertionError("seed " + seed + ", iteration " + iteration + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new AssertionError(codec.name() + " (seed " + seed + ", iteration " + iteration + ", input "
          + HexFormat.of().formatHex(input) + "): threw " + e, e);
    }
    if (ok) {
      accepted[codecIndex]++;
    } else {
      rejected[codecIndex]++;
    }
  }

  /** One random mutation of a valid encoding, or plain random bytes. */
  static byte[] mutate(byte[] valid, RandomGenerator rng) {
    byte[] b = valid.clone();
    switch (rng.nextInt(10)) {
      case 0 -> { // bit flips
        int flips = 1 + rng.nextInt(3);
        for (int i = 0; i < flips && b.length > 0; i++) {
          int pos = rng.nextInt(b.length);
          b[pos] ^= (byte) (1 << rng.nextInt(8));
        }
      }
      case 1 -> b = Arrays.copyOf(b, b.length == 0 ? 0 : rng.nextInt(b.length)); // truncation
      case 2 -> { // extension
        int old = b.length;
        b = Arrays.copyOf(b, old + 1 + rng.nextInt(8));
        for (int i = old; i < b.length; i++) {
          b[i] = (byte) rng.nextInt(256);
        }
      }
      case 3, 4 -> corruptLengthPrefix(b, rng);
      case 5 -> { // insert or delete one byte
        if (b.length > 0 && rng.nextBoolean()) {
          int pos = rng.nextInt(b.length);
          byte[] shorter = new byte[b.length - 1];
          System.arraycopy(b, 0, shorter, 0, pos);
          System.arraycopy(b, pos + 1, shorter, pos, b.length - pos - 1);
          b = shorter;
        } else {
          int pos = rng.nextInt(b.length + 1);
          byte[] longer = new byte[b.length + 1];
          System.arraycopy(b, 0, longer, 0, pos);
          longer[pos] = (byte) rng.nextInt(256);
          System.arraycopy(b, pos, longer, pos + 1, b.length - pos);
          b = longer;
        }
      }
      case 6 -> { // random bytes
        b = new byte[rng.nextInt(80)];
        rng.nextBytes(b);
      }
      case 8, 9 -> b = resizeVector(b, rng);
      default -> { } // unchanged: keeps the accepting paths exercised
    }
    return b;
  }

  /**
   * Treats a random 1-, 2- or 4-byte field as a length prefix and, if the bytes it claims exist, replaces that body
   * with a shorter, empty or longer one and fixes the prefix to match. Where the field really is a prefix this yields
   * well-framed input with an unusual field size (for example an empty vector the draft forbids), which blind bit
   * flips almost never reach.
   */
  private static byte[] resizeVector(byte[] b, RandomGenerator rng) {
    int width = 1 << rng.nextInt(3);
    if (b.length < width) {
      return b;
    }
    int pos = rng.nextInt(b.length - width + 1);
    long len = 0;
    for (int i = 0; i < width; i++) {
      len = (len << 8) | (b[pos + i] & 0xff);
    }
    int bodyStart = pos + width;
    if (len > b.length - bodyStart) {
      return b;
    }
    int newLen = switch (rng.nextInt(3)) {
      case 0 -> 0;
      case 1 -> rng.nextInt((int) len + 1);
      default -> (int) len + 1 + rng.nextInt(4);
    };
    if (width == 1 && newLen > 0xff) {
      newLen = 0xff;
    }
    byte[] out = new byte[b.length - (int) len + newLen];
    System.arraycopy(b, 0, out, 0, pos);
    long v = newLen;
    for (int i = width - 1; i >= 0; i--) {
      out[pos + i] = (byte) v;
      v >>>= 8;
    }
    int keep = Math.min(newLen, (int) len);
    System.arraycopy(b, bodyStart, out, bodyStart, keep);
    for (int i = bodyStart + keep; i < bodyStart + newLen; i++) {
      out[i] = (byte) rng.nextInt(256);
    }
    System.arraycopy(b, bodyStart + (int) len, out, bodyStart + newLen, b.length - bodyStart - (int) len);
    return out;
  }

  /** Overwrites a 1-, 2- or 4-byte big-endian field with a value chosen to stress length checks. */
  private static void corruptLengthPrefix(byte[] b, RandomGenerator rng) {
    int width = switch (rng.nextInt(3)) {
      case 0 -> 1;
      case 1 -> 2;
      default -> 4;
    };
    if (b.length < width) {
      return;
    }
    int pos = rng.nextInt(b.length - width + 1);
    long max = (1L << (8 * width)) - 1;
    long rest = b.length - pos - width;
    long value = switch (rng.nextInt(7)) {
      case 0 -> 0;
      case 1 -> max;
      case 2 -> max >>> 1;
      case 3 -> rest;
      case 4 -> rest + 1;
      case 5 -> Math.max(0, rest - 1);
      default -> rng.nextLong(max + 1);
    };
    value &= max;
    for (int i = width - 1; i >= 0; i--) {
      b[pos + i] = (byte) value;
      value >>>= 8;
    }
  }
}
