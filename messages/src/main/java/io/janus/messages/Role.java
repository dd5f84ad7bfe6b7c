package io.janus.messages;

/** A DAP protocol participant, with its wire code. */
public enum Role {
  COLLECTOR(0),
  CLIENT(1),
  LEADER(2),
  HELPER(3);

  private final int code;

  Role(int code) {
    this.code = code;
  }

  /** The u8 wire code. */
  public int code() {
    return code;
  }

  /** True for the Leader and the Helper. */
  public boolean isAggregator() {
    return this == LEADER || this == HELPER;
  }

  /** Reads the u8 wire code; fails on an unknown value. */
  public static Role decode(WireReader r) {
    int at = r.position();
    int c = r.u8("Role");
    for (Role role : values()) {
      if (role.code == c) {
        return role;
      }
    }
    throw new DecodeException(at, "unknown Role " + c);
  }

  /** Writes the u8 wire code. */
  public void encode(WireWriter w) {
    w.u8(code);
  }
}
