package io.janus.vdaf;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzz targets (Jazzer) for every Prio3 decoder: public and input shares, prep shares, prep
 * messages and states, output and aggregate shares, ping-pong messages. A decoder may only throw
 * {@link VdafException}; where an encoder exists, whatever it accepts must re-encode to the same bytes.
 *
 * <p>The first input byte picks the variant ({@link #VARIANTS}), so each target covers Count, Sum, SumVec,
 * Histogram and the draft's two experimental variants. Inputs holding several byte strings frame all but the last
 * with a u16 length ({@link Frames}); input whose framing is broken is skipped, as it says nothing about the decoder.
 *
 * <p>A plain {@code verify} runs each target on its seeds under {@code DecoderFuzzTestInputs/<target>/} (valid
 * encodings made by sharding and preparing real reports); the {@code fuzz-decoders} surefire execution fuzzes
 * {@link #anyDecoder} for a few seconds, and {@code reliability/fuzz-decoders.sh} fuzzes every target for long runs.
 */
class DecoderFuzzTest {
  /** Small parameters keep valid encodings short, so mutations land in every field often. */
  static final List<Prio3> VARIANTS = List.of(
      Prio3.count(),
      Prio3.sum(8),
      Prio3.sumVec(4, 3, 2),
      Prio3.histogram(5, 2),
      Prio3.sumVecMultiproof(2, 4, 3, 2),
      Prio3.multiHotHistogram(5, 2, 2));
  static final byte[] VERIFY_KEY = new byte[VARIANTS.get(0).verifyKeyLength()];
  static final byte[] NONCE = new byte[Prio3.NONCE_LENGTH];

  private static final LongAdder ACCEPTED = new LongAdder();
  private static final LongAdder REJECTED = new LongAdder();
  private static final LongAdder UNFRAMED = new LongAdder();

  @AfterAll
  static void printCountsAndRequireAcceptedInput() {
    System.out.printf("DecoderFuzzTest (vdaf): %d inputs, %d accepted, %d rejected, %d skipped as unframed%n",
        ACCEPTED.sum() + REJECTED.sum() + UNFRAMED.sum(), ACCEPTED.sum(), REJECTED.sum(), UNFRAMED.sum());
    // Every seed directory holds valid encodings: none accepted means the seeds were not found.
    assertThat(ACCEPTED.sum()).as("inputs the decoders accepted").isPositive();
  }

  /** A decoder that may throw {@link VdafException}; the harness counts that as a rejection. */
  private interface Decoding {
    void run() throws VdafException;
  }

  /**
   * Every target behind one entry point: the first byte picks the target, the rest is its input. Jazzer fuzzes one
   * target per JVM, so this is the one the build's short fuzz run uses to reach all of them.
   */
  @FuzzTest(maxDuration = "5s")
  void anyDecoder(byte[] input) {
    if (input.length == 0) {
      return;
    }
    byte[] rest = Arrays.copyOfRange(input, 1, input.length);
    switch ((input[0] & 0xff) % 9) {
      case 0 -> inputShare(rest);
      case 1 -> prepShares(rest);
      case 2 -> prepMessage(rest);
      case 3 -> outputShare(rest);
      case 4 -> aggregateShare(rest);
      case 5 -> unshard(rest);
      case 6 -> pingPongMessage(rest);
      case 7 -> helperInitialized(rest);
      default -> leaderContinued(rest);
    }
  }

  /**
   * Public share and input share ({@code [variant][aggregator][public share, u16][input share]}): the cheap
   * {@link Prio3#checkInputShare} and the full decode in {@link Prio3#prepInit} must agree on what decodes.
   */
  @FuzzTest
  void inputShare(byte[] input) {
    Frames f = Frames.of(input, 2, 2);
    if (f == null) {
      UNFRAMED.increment();
      return;
    }
    Prio3 vdaf = f.variant();
    int aggregatorId = f.header(1) % vdaf.shares();
    byte[] publicShare = f.part(0);
    byte[] inputShare = f.part(1);
    boolean checked = decodes(() -> vdaf.checkInputShare(aggregatorId, publicShare, inputShare));
    try {
      vdaf.prepInit(VERIFY_KEY, aggregatorId, NONCE, publicShare, inputShare);
      if (!checked) {
        throw new AssertionError(vdaf + ": prepInit accepted shares checkInputShare rejects, " + f);
      }
    } catch (VdafException e) {
      // prepInit may also reject degenerate query randomness, so only this direction is a contract.
    }
  }

  /** Both aggregators' prep shares ({@code [variant][leader's, u16][helper's]}) into {@link Prio3#prepSharesToPrep}. */
  @FuzzTest
  void prepShares(byte[] input) {
    Frames f = Frames.of(input, 1, 2);
    if (f == null) {
      UNFRAMED.increment();
      return;
    }
    decodes(() -> f.variant().prepSharesToPrep(List.of(f.part(0), f.part(1))));
  }

  /**
   * Prep state and prep message ({@code [variant][state, u16][message]}) into {@link Prio3#prepNext}; an accepted
   * state's output share must re-encode to the state's leading bytes.
   */
  @FuzzTest
  void prepMessage(byte[] input) {
    Frames f = Frames.of(input, 1, 2);
    if (f == null) {
      UNFRAMED.increment();
      return;
    }
    byte[] state = f.part(0);
    decodes(() -> requirePrefix(f, state, f.variant().prepNext(state, f.part(1)).encode()));
  }

  /** An output share ({@code [variant][share]}) through {@link Prio3#decodeOutputShare}, which must round-trip. */
  @FuzzTest
  void outputShare(byte[] input) {
    Frames f = Frames.of(input, 1, 1);
    if (f == null) {
      UNFRAMED.increment();
      return;
    }
    byte[] encoded = f.part(0);
    decodes(() -> requireEqual(f, encoded, f.variant().decodeOutputShare(encoded).encode()));
  }

  /** An aggregate share ({@code [variant][share]}) through {@link Prio3#decodeAggregateShare}, which must round-trip. */
  @FuzzTest
  void aggregateShare(byte[] input) {
    Frames f = Frames.of(input, 1, 1);
    if (f == null) {
      UNFRAMED.increment();
      return;
    }
    byte[] encoded = f.part(0);
    decodes(() -> requireEqual(f, encoded, f.variant().decodeAggregateShare(encoded).encode()));
  }

  /** Both aggregate shares ({@code [variant][leader's, u16][helper's]}) into {@link Prio3#unshard}. */
  @FuzzTest
  void unshard(byte[] input) {
    Frames f = Frames.of(input, 1, 2);
    if (f == null) {
      UNFRAMED.increment();
      return;
    }
    decodes(() -> f.variant().unshard(List.of(f.part(0), f.part(1)), 1));
  }

  /** A ping-pong message on its own ({@link PingPong#decode}), which must round-trip through its encoder. */
  @FuzzTest
  void pingPongMessage(byte[] input) {
    decodes(() -> {
      PingPong.Message m = PingPong.decode(input);
      byte[] again = switch (m.type()) {
        case PingPong.INITIALIZE -> PingPong.initialize(m.prepShare());
        case PingPong.CONTINUE -> PingPong.continued(m.prepMessage(), m.prepShare());
        default -> PingPong.finish(m.prepMessage());
      };
      if (!Arrays.equals(again, input)) {
        throw new AssertionError("ping-pong message " + HexFormat.of().formatHex(input) + " re-encodes to "
            + HexFormat.of().formatHex(again));
      }
    });
  }

  /**
   * The Helper's step on a report and the Leader's message
   * ({@code [variant][public share, u16][input share, u16][message]}), through {@link Prio3#helperInitialized}.
   */
  @FuzzTest
  void helperInitialized(byte[] input) {
    Frames f = Frames.of(input, 1, 3);
    if (f == null) {
      UNFRAMED.increment();
      return;
    }
    decodes(() -> f.variant().helperInitialized(VERIFY_KEY, NONCE, f.part(0), f.part(1), f.part(2)));
  }

  /**
   * The Leader's step on its stored state and the Helper's message ({@code [variant][state, u16][message]}), through
   * {@link Prio3#leaderContinued}; an accepted state's output share must re-encode to the state's leading bytes.
   */
  @FuzzTest
  void leaderContinued(byte[] input) {
    Frames f = Frames.of(input, 1, 2);
    if (f == null) {
      UNFRAMED.increment();
      return;
    }
    byte[] state = f.part(0);
    decodes(() -> requirePrefix(f, state, f.variant().leaderContinued(state, f.part(1)).encode()));
  }

  private static boolean decodes(Decoding decoding) {
    try {
      decoding.run();
    } catch (VdafException e) {
      REJECTED.increment();
      return false;
    }
    ACCEPTED.increment();
    return true;
  }

  private static void requireEqual(Frames f, byte[] input, byte[] again) {
    if (!Arrays.equals(input, again)) {
      throw new AssertionError(f.variant() + ": " + f + " re-encodes to " + HexFormat.of().formatHex(again));
    }
  }

  private static void requirePrefix(Frames f, byte[] state, byte[] outputShare) {
    if (state.length < outputShare.length
        || !Arrays.equals(state, 0, outputShare.length, outputShare, 0, outputShare.length)) {
      throw new AssertionError(f.variant() + ": " + f + " yields output share " + HexFormat.of().formatHex(outputShare));
    }
  }

  /**
   * The harness's framing of one fuzz input: {@code headers} single bytes (the first picks the variant), then
   * {@code parts} byte strings, each but the last behind a u16 length.
   */
  record Frames(byte[] input, int[] headers, byte[][] parts) {
    static Frames of(byte[] input, int headerCount, int partCount) {
      if (input.length < headerCount) {
        return null;
      }
      int[] headers = new int[headerCount];
      for (int i = 0; i < headerCount; i++) {
        headers[i] = input[i] & 0xff;
      }
      byte[][] parts = new byte[partCount][];
      int pos = headerCount;
      for (int i = 0; i < partCount - 1; i++) {
        if (input.length - pos < 2) {
          return null;
        }
        int len = ((input[pos] & 0xff) << 8) | (input[pos + 1] & 0xff);
        pos += 2;
        if (input.length - pos < len) {
          return null;
        }
        parts[i] = Arrays.copyOfRange(input, pos, pos + len);
        pos += len;
      }
      parts[partCount - 1] = Arrays.copyOfRange(input, pos, input.length);
      return new Frames(input, headers, parts);
    }

    /** Encodes headers and parts in this framing, for writing seeds. */
    static byte[] encode(int[] headers, byte[]... parts) {
      int len = headers.length;
      for (int i = 0; i < parts.length; i++) {
        len += parts[i].length + (i < parts.length - 1 ? 2 : 0);
      }
      byte[] out = new byte[len];
      int pos = 0;
      for (int h : headers) {
        out[pos++] = (byte) h;
      }
      for (int i = 0; i < parts.length; i++) {
        if (i < parts.length - 1) {
          out[pos++] = (byte) (parts[i].length >>> 8);
          out[pos++] = (byte) parts[i].length;
        }
        System.arraycopy(parts[i], 0, out, pos, parts[i].length);
        pos += parts[i].length;
      }
      return out;
    }

    int header(int i) {
      return headers[i];
    }

    Prio3 variant() {
      return VARIANTS.get(headers[0] % VARIANTS.size());
    }

    byte[] part(int i) {
      return parts[i];
    }

    @Override
    public String toString() {
      return "input " + HexFormat.of().formatHex(input);
    }
  }
}
