package io.janus.messages.dap09;

import io.janus.messages.DecodeException;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;

/**
 * The DAP-09 query types (draft-ietf-ppm-dap-09 section 4.2), with their u8 wire codes. The reserved code 0 is
 * rejected by every decoder: it only exists for testing and names no batch.
 */
public enum QueryType {
  /** Batches are time intervals chosen by the Collector. */
  TIME_INTERVAL(1),
  /** Batches are chosen by the Leader and named by a {@link io.janus.messages.BatchId}. */
  FIXED_SIZE(2);

  private final int code;

  QueryType(int code) {
    this.code = code;
  }

  /** The u8 wire code. */
  public int code() {
    return code;
  }

  /** The query type with wire code {@code code}, if there is one (0, the reserved code, has none). */
  public static java.util.Optional<QueryType> fromCode(int code) {
    return switch (code) {
      case 1 -> java.util.Optional.of(TIME_INTERVAL);
      case 2 -> java.util.Optional.of(FIXED_SIZE);
      default -> java.util.Optional.empty();
    };
  }

  /** Reads the u8 query type; fails on any code other than 1 or 2. */
  public static QueryType decode(WireReader r, String field) {
    int at = r.position();
    int c = r.u8(field);
    return fromCode(c).orElseThrow(() -> new DecodeException(at, field + ": unknown query type " + c));
  }

  /** Writes the u8 wire code. */
  public void encode(WireWriter w) {
    w.u8(code);
  }
}
