package io.janus.messages.dap09;

import io.janus.messages.DecodeException;
import io.janus.messages.Encodable;
import io.janus.messages.ReportId;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Arrays;
import java.util.Objects;

/**
 * The Helper's answer for one report (draft-ietf-ppm-dap-09 section 4.4.1.2): {@code ReportID report_id;
 * u8 prepare_resp_state; select { continue: opaque payload<0..2^32-1>; finished: Empty;
 * reject: PrepareError prepare_error }}.
 *
 * @param reportId the report this answers
 * @param result what happened to it
 */
public record PrepareResp(ReportId reportId, Result result) implements Encodable {
  /** Wire code of {@link Continue}. */
  public static final int STATE_CONTINUE = 0;
  /** Wire code of {@link Finished}. */
  public static final int STATE_FINISHED = 1;
  /** Wire code of {@link Reject}. */
  public static final int STATE_REJECT = 2;

  /** Rejects null components. */
  public PrepareResp {
    Objects.requireNonNull(reportId, "reportId");
    Objects.requireNonNull(result, "result");
  }

  /** The outcome of one preparation step; exactly one of three shapes. */
  public sealed interface Result permits Continue, Finished, Reject {
    /** The u8 {@code prepare_resp_state} wire code. */
    int state();
  }

  /**
   * Preparation goes on: the Helper's outbound ping-pong message.
   *
   * @param payload the message for the Leader
   */
  public record Continue(byte[] payload) implements Result {
    /** Copies the payload. */
    public Continue {
      payload = payload.clone();
    }

    @Override
    public int state() {
      return STATE_CONTINUE;
    }

    @Override
    public byte[] payload() {
      return payload.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Continue c && Arrays.equals(c.payload, payload);
    }

    @Override
    public int hashCode() {
      return Wire.hash(payload);
    }

    @Override
    public String toString() {
      return "Continue[payload=" + Wire.show(payload) + "]";
    }
  }

  /** Preparation finished; the Helper has its output share. */
  public record Finished() implements Result {
    @Override
    public int state() {
      return STATE_FINISHED;
    }
  }

  /**
   * The Helper rejected the report.
   *
   * @param error why
   */
  public record Reject(PrepareError error) implements Result {
    /** Rejects a null error. */
    public Reject {
      Objects.requireNonNull(error, "error");
    }

    @Override
    public int state() {
      return STATE_REJECT;
    }
  }

  /** Reads a {@code PrepareResp}; fails on an unknown state or error code. */
  public static PrepareResp decode(WireReader r) {
    ReportId id = ReportId.decode(r);
    int at = r.position();
    int state = r.u8("PrepareResp.prepare_resp_state");
    Result result = switch (state) {
      case STATE_CONTINUE -> new Continue(r.opaque32("PrepareResp.payload"));
      case STATE_FINISHED -> new Finished();
      case STATE_REJECT -> new Reject(PrepareError.decode(r));
      default -> throw new DecodeException(at, "PrepareResp.prepare_resp_state: unknown value " + state);
    };
    return new PrepareResp(id, result);
  }

  /** Decodes exactly one value from {@code bytes}. */
  public static PrepareResp decode(byte[] bytes) {
    return Wire.whole(bytes, "PrepareResp", PrepareResp::decode);
  }

  @Override
  public void encode(WireWriter w) {
    reportId.encode(w);
    w.u8(result.state());
    switch (result) {
      case Continue c -> w.opaque32(c.payload);
      case Finished f -> { }
      case Reject j -> j.error().encode(w);
    }
  }
}
