package io.janus.core.vdaf;

import io.janus.vdaf.VdafException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A VDAF for tests that prepares in a chosen number of rounds and fails on purpose, so that callers can drive
 * their error paths without crafting invalid Prio3 proofs.
 *
 * <p>Sharding splits a measurement {@code m} additively into {@code m - 1} (Leader) and {@code 1} (Helper); the
 * output share is the input share, so the Helper's aggregate share counts reports and {@link #unshard} returns the
 * sum of measurements. The public share is one flag byte: {@link #FAIL_INIT} makes the Helper's first step fail,
 * {@link #FAIL_CONTINUE} its second. Ping-pong messages are {@code [type, round]} with type 0 initialize,
 * 1 continue, 2 finish. Aggregation parameters are arbitrary bytes; one is valid if it was not used before.
 */
public final class FakeVdaf implements PingPongVdaf {
  /** Measurement whose report fails the Helper's first preparation step. */
  public static final long FAIL_INIT = Long.MIN_VALUE;
  /** Measurement whose report fails the Helper's continuation step (only with two or more rounds). */
  public static final long FAIL_CONTINUE = Long.MIN_VALUE + 1;

  private static final byte OK = 0;
  private static final byte FLAG_FAIL_INIT = 1;
  private static final byte FLAG_FAIL_CONTINUE = 2;
  private static final byte MSG_INITIALIZE = 0;
  private static final byte MSG_CONTINUE = 1;
  private static final byte MSG_FINISH = 2;

  private final int rounds;

  /** A one-round VDAF, like Prio3. */
  public FakeVdaf() {
    this(1);
  }

  /** A VDAF preparing in {@code rounds} rounds (1 or more). */
  public FakeVdaf(int rounds) {
    if (rounds < 1) {
      throw new IllegalArgumentException("rounds must be at least 1");
    }
    this.rounds = rounds;
  }

  @Override
  public int verifyKeyLength() {
    return 16;
  }

  @Override
  public int randomnessLength() {
    return 0;
  }

  @Override
  public Sharded shard(long[] measurement, byte[] nonce, byte[] randomness) {
    if (measurement.length != 1) {
      throw new IllegalArgumentException("FakeVdaf measures one value");
    }
    long m = measurement[0];
    byte flag = m == FAIL_INIT ? FLAG_FAIL_INIT : m == FAIL_CONTINUE ? FLAG_FAIL_CONTINUE : OK;
    long value = flag == OK ? m : 0;
    return new Sharded(new byte[] {flag}, u64(value - 1), u64(1));
  }

  @Override
  public void checkShares(int aggregatorId, byte[] publicShare, byte[] inputShare) throws VdafException {
    if (publicShare.length != 1 || publicShare[0] < OK || publicShare[0] > FLAG_FAIL_CONTINUE) {
      throw new VdafException("malformed public share");
    }
    if (inputShare.length != 8) {
      throw new VdafException("malformed input share");
    }
  }

  @Override
  public boolean isValidAggregationParameter(byte[] aggregationParameter, List<byte[]> previous) {
    for (byte[] p : previous) {
      if (Arrays.equals(p, aggregationParameter)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public LeaderStart leaderInitialized(byte[] verifyKey, byte[] aggregationParameter, byte[] nonce,
      byte[] publicShare, byte[] inputShare) throws VdafException {
    checkShares(0, publicShare, inputShare);
    return new LeaderStart(state(0, publicShare[0], inputShare), new byte[] {MSG_INITIALIZE, 0});
  }

  @Override
  public Transition helperInitialized(byte[] verifyKey, byte[] aggregationParameter, byte[] nonce,
      byte[] publicShare, byte[] inputShare, byte[] inbound) throws VdafException {
    checkShares(1, publicShare, inputShare);
    if (inbound.length != 2 || inbound[0] != MSG_INITIALIZE) {
      throw new VdafException("malformed initialize message");
    }
    if (publicShare[0] == FLAG_FAIL_INIT) {
      throw new VdafException("preparation failed on purpose");
    }
    if (rounds == 1) {
      return new Finished(inputShare, Optional.of(new byte[] {MSG_FINISH, 0}));
    }
    return new Continued(state(1, publicShare[0], inputShare), new byte[] {MSG_CONTINUE, 0});
  }

  @Override
  public Transition leaderContinued(byte[] aggregationParameter, byte[] state, byte[] inbound) throws VdafException {
    return step(state, inbound);
  }

  @Override
  public Transition helperContinued(byte[] aggregationParameter, byte[] state, byte[] inbound) throws VdafException {
    if (state.length == 10 && state[1] == FLAG_FAIL_CONTINUE) {
      throw new VdafException("preparation failed on purpose");
    }
    return step(state, inbound);
  }

  private Transition step(byte[] state, byte[] inbound) throws VdafException {
    if (state.length != 10) {
      throw new VdafException("malformed state");
    }
    if (inbound.length != 2) {
      throw new VdafException("malformed message");
    }
    byte[] share = Arrays.copyOfRange(state, 2, 10);
    if (inbound[0] == MSG_FINISH) {
      return new Finished(share, Optional.empty());
    }
    if (inbound[0] != MSG_CONTINUE) {
      throw new VdafException("unexpected message type " + inbound[0]);
    }
    int next = state[0] + 1;
    if (next >= rounds - 1) {
      return new Finished(share, Optional.of(new byte[] {MSG_FINISH, (byte) next}));
    }
    return new Continued(state(next, state[1], share), new byte[] {MSG_CONTINUE, (byte) next});
  }

  @Override
  public byte[] emptyAggregateShare(byte[] aggregationParameter) {
    return u64(0);
  }

  @Override
  public byte[] accumulate(byte[] aggregationParameter, byte[] aggregateShare, byte[] outputShare)
      throws VdafException {
    return u64(value(aggregateShare) + value(outputShare));
  }

  @Override
  public byte[] merge(byte[] aggregationParameter, byte[] left, byte[] right) throws VdafException {
    return u64(value(left) + value(right));
  }

  @Override
  public long[] unshard(byte[] aggregationParameter, List<byte[]> aggregateShares, long reportCount)
      throws VdafException {
    long sum = 0;
    for (byte[] s : aggregateShares) {
      sum += value(s);
    }
    return new long[] {sum};
  }

  private static byte[] state(int round, byte flag, byte[] share) {
    byte[] s = new byte[10];
    s[0] = (byte) round;
    s[1] = flag;
    System.arraycopy(share, 0, s, 2, 8);
    return s;
  }

  /** The big-endian encoding of {@code v}, as this VDAF encodes shares. */
  public static byte[] u64(long v) {
    byte[] b = new byte[8];
    for (int i = 7; i >= 0; i--) {
      b[i] = (byte) v;
      v >>>= 8;
    }
    return b;
  }

  /** Decodes an 8-byte share. */
  public static long value(byte[] share) throws VdafException {
    if (share.length != 8) {
      throw new VdafException("malformed share");
    }
    long v = 0;
    for (byte b : share) {
      v = (v << 8) | (b & 0xff);
    }
    return v;
  }
}
