package io.janus.messages.dap18;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.messages.DecodeException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * Feeds random and mutated byte strings to every DAP-18 decoder. A decoder may only throw {@link DecodeException},
 * with an offset inside the input; whatever it accepts must hold no more bytes than the input had, and must
 * re-encode to exactly the input (the codec is canonical).
 */
class FuzzTest {
  private static final int INPUTS = 500_000;
  private static final int POOL = 64;
  private static final List<Samples.Codec> CODECS = Samples.ALL;

  @Test
  void decodersOnlyThrowDecodeExceptionAndNeverOverAllocate() {
    long seed = Long.getLong("fuzz.seed", new SplittableRandom().nextLong());
    System.out.println("dap18 FuzzTest seed: " + seed + " (rerun with -Dfuzz.seed=" + seed + ")");
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
    switch (rng.nextInt(9)) {
      case 0 -> { // bit flips
        for (int i = 0; i < 1 + rng.nextInt(3) && b.length > 0; i++) {
          b[rng.nextInt(b.length)] ^= (byte) (1 << rng.nextInt(8));
        }
      }
      case 1 -> b = Arrays.copyOf(b, b.length == 0 ? 0 : rng.nextInt(b.length)); // truncation
      case 2 -> { // random tail
        int old = b.length;
        b = Arrays.copyOf(b, old + 1 + rng.nextInt(8));
        for (int i = old; i < b.length; i++) {
          b[i] = (byte) rng.nextInt(256);
        }
      }
      case 3, 4 -> overwriteInteger(b, rng);
      case 5 -> { // drop one byte
        if (b.length > 0) {
          int pos = rng.nextInt(b.length);
          byte[] shorter = new byte[b.length - 1];
          System.arraycopy(b, 0, shorter, 0, pos);
          System.arraycopy(b, pos + 1, shorter, pos, b.length - pos - 1);
          b = shorter;
        }
      }
      case 6 -> { // random bytes
        b = new byte[rng.nextInt(80)];
        rng.nextBytes(b);
      }
      case 7 -> { // duplicate the tail: a second copy of the last items of an open-ended body
        int from = b.length == 0 ? 0 : rng.nextInt(b.length);
        byte[] longer = Arrays.copyOf(b, b.length + b.length - from);
        System.arraycopy(b, from, longer, b.length, b.length - from);
        b = longer;
      }
      default -> { } // unchanged: keeps the accepting paths exercised
    }
    return b;
  }

  /** Overwrites a 1-, 2-, 4- or 8-byte big-endian field with a boundary value: lengths, codes and u64s. */
  private static void overwriteInteger(byte[] b, RandomGenerator rng) {
    int width = 1 << rng.nextInt(4);
    if (b.length < width) {
      return;
    }
    int pos = rng.nextInt(b.length - width + 1);
    long rest = b.length - pos - width;
    long value = switch (rng.nextInt(6)) {
      case 0 -> 0;
      case 1 -> -1;
      case 2 -> Long.MIN_VALUE >>> (64 - 8 * width);
      case 3 -> rest;
      case 4 -> rest + 1;
      default -> rng.nextLong();
    };
    for (int i = width - 1; i >= 0; i--) {
      b[pos + i] = (byte) value;
      value >>>= 8;
    }
  }
}
