package io.janus.aggregationjobdriver;

import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;

/**
 * What the Leader stores for a report that waits for the Helper's next answer (the opaque blob of
 * {@link io.janus.server.datastore.model.ReportAggregationState.WaitingLeader}): the ping-pong message still to send,
 * and either its VDAF preparation state (it expects the Helper's next message) or its output share (it finished and
 * expects the Helper to finish too).
 *
 * <p>Storage encoding, this project's own: {@code u8 kind (0 continuing, 1 finished); opaque32 state_or_output;
 * opaque32 outbound}.
 *
 * @param finished true if the Leader already holds its output share
 * @param stateOrOutputShare the preparation state, or the output share when finished
 * @param outbound the message to send to the Helper in the next continuation request
 */
record LeaderPending(boolean finished, byte[] stateOrOutputShare, byte[] outbound) {
  LeaderPending {
    stateOrOutputShare = stateOrOutputShare.clone();
    outbound = outbound.clone();
  }

  @Override
  public byte[] stateOrOutputShare() {
    return stateOrOutputShare.clone();
  }

  @Override
  public byte[] outbound() {
    return outbound.clone();
  }

  byte[] encode() {
    return new WireWriter(9 + stateOrOutputShare.length + outbound.length).u8(finished ? 1 : 0)
        .opaque32(stateOrOutputShare).opaque32(outbound).toByteArray();
  }

  /**
   * Decodes {@link #encode()}.
   *
   * @throws IllegalStateException on bytes this class did not write (a corrupted store)
   */
  static LeaderPending decode(byte[] bytes) {
    try {
      WireReader r = WireReader.of(bytes);
      int kind = r.u8("LeaderPending.kind");
      if (kind > 1) {
        throw new IllegalStateException("unknown kind " + kind);
      }
      LeaderPending p = new LeaderPending(kind == 1, r.opaque32("state_or_output"), r.opaque32("outbound"));
      r.expectEnd("LeaderPending");
      return p;
    } catch (RuntimeException e) {
      throw new IllegalStateException("malformed stored Leader preparation state: " + e.getMessage(), e);
    }
  }
}
