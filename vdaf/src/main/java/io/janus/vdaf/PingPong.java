package io.janus.vdaf;

import io.janus.vdaf.internal.Bytes;

/**
 * The ping-pong Message of draft-irtf-cfrg-vdaf-08 section 5.8 in TLS presentation syntax: a one-byte type, then
 * {@code initialize: opaque prep_share<0..2^32-1>}, {@code continue: opaque prep_msg<0..2^32-1>; opaque
 * prep_share<0..2^32-1>} or {@code finish: opaque prep_msg<0..2^32-1>}.
 */
final class PingPong {
  static final int INITIALIZE = 0;
  static final int CONTINUE = 1;
  static final int FINISH = 2;

  private PingPong() {}

  /** A decoded message; absent fields are empty arrays. */
  record Message(int type, byte[] prepMessage, byte[] prepShare) {}

  static byte[] initialize(byte[] prepShare) {
    byte[] out = new byte[1 + 4 + prepShare.length];
    out[0] = INITIALIZE;
    Bytes.putIntBe(out, 1, prepShare.length);
    System.arraycopy(prepShare, 0, out, 5, prepShare.length);
    return out;
  }

  static byte[] continued(byte[] prepMessage, byte[] prepShare) {
    byte[] out = new byte[1 + 4 + prepMessage.length + 4 + prepShare.length];
    out[0] = CONTINUE;
    Bytes.putIntBe(out, 1, prepMessage.length);
    System.arraycopy(prepMessage, 0, out, 5, prepMessage.length);
    int o = 5 + prepMessage.length;
    Bytes.putIntBe(out, o, prepShare.length);
    System.arraycopy(prepShare, 0, out, o + 4, prepShare.length);
    return out;
  }

  static byte[] finish(byte[] prepMessage) {
    byte[] out = new byte[1 + 4 + prepMessage.length];
    out[0] = FINISH;
    Bytes.putIntBe(out, 1, prepMessage.length);
    System.arraycopy(prepMessage, 0, out, 5, prepMessage.length);
    return out;
  }

  /**
   * Decodes a message strictly: known type, length prefixes within the input, no trailing bytes.
   *
   * @throws VdafException if the encoding is invalid
   */
  static Message decode(byte[] in) throws VdafException {
    if (in.length < 1) {
      throw new VdafException("empty ping-pong message");
    }
    int type = in[0] & 0xff;
    int[] pos = {1};
    Message m =
        switch (type) {
          case INITIALIZE -> new Message(type, new byte[0], opaque32(in, pos, "prep_share"));
          case CONTINUE -> {
            byte[] msg = opaque32(in, pos, "prep_msg");
            yield new Message(type, msg, opaque32(in, pos, "prep_share"));
          }
          case FINISH -> new Message(type, opaque32(in, pos, "prep_msg"), new byte[0]);
          default -> throw new VdafException("unknown ping-pong message type " + type);
        };
    if (pos[0] != in.length) {
      throw new VdafException("trailing bytes after ping-pong message");
    }
    return m;
  }

  private static byte[] opaque32(byte[] in, int[] pos, String field) throws VdafException {
    int p = pos[0];
    if (in.length - p < 4) {
      throw new VdafException("ping-pong " + field + " length truncated");
    }
    long len = Integer.toUnsignedLong(Bytes.getIntBe(in, p));
    p += 4;
    if (len > in.length - p) {
      throw new VdafException("ping-pong " + field + " length " + len + " exceeds the message");
    }
    byte[] out = new byte[(int) len];
    System.arraycopy(in, p, out, 0, (int) len);
    pos[0] = p + (int) len;
    return out;
  }
}
