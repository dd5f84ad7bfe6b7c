package io.janus.messages.dap18;

import io.janus.messages.DecodeException;
import io.janus.messages.Encodable;
import io.janus.messages.ReportId;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Arrays;
import java.util.Objects;

/**
 * The Helper's answer for one report (draft-ietf-ppm-dap-18 section 4.5.3.2): {@code ReportID report_id;
 * VerifyRespType verify_resp_type; select { continue: opaque payload<1..2^32-1>; finish: Empty;
 * reject: ReportError report_error }}, with {@code continue(0), finish(1), reject(2)}. Draft 09 called it
 * {@code PrepareResp}.
 *
 * @param reportId the report this answers
 * @param result what happened to it
 */
public record VerifyResp(ReportId reportId, Result result) implements Encodable {
  /** Wire code of {@link Continue}. */
  public static final int TYPE_CONTINUE = 0;
  /** Wire code of {@link Finish}. */
  public static final int TYPE_FINISH = 1;
  /** Wire code of {@link Reject}. */
  public static final int TYPE_REJECT = 2;

  /** Rejects null components. */
  public VerifyResp {
    Objects.requireNonNull(reportId, "reportId");
    Objects.requireNonNull(result, "result");
  }

  /** The outcome of one verification step; exactly one of three shapes. */
  public sealed interface Result permits Continue, Finish, Reject {
    /** The u8 {@code verify_resp_type} wire code. */
    int type();
  }

  /**
   * Verification goes on: the Helper's outbound ping-pong message.
   *
   * @param payload the message for the Leader; not empty
   */
  public record Continue(byte[] payload) implements Result {
    /** Copies the payload, which must not be empty. */
    public Continue {
      payload = Wire.nonEmptyCopy(payload, "VerifyResp.payload");
    }

    @Override
    public int type() {
      return TYPE_CONTINUE;
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

  /** Verification finished; the Helper has committed its output share. */
  public record Finish() implements Result {
    @Override
    public int type() {
      return TYPE_FINISH;
    }
  }

  /**
   * The Helper rejected the report.
   *
   * @param error why
   */
  public record Reject(ReportError error) implements Result {
    /** Rejects a null error. */
    public Reject {
      Objects.requireNonNull(error, "error");
    }

    @Override
    public int type() {
      return TYPE_REJECT;
    }
  }

  /** Reads a {@code VerifyResp}; fails on an unknown type, an empty payload or an unknown error code. */
  public static VerifyResp decode(WireReader r) {
    ReportId id = ReportId.decode(r);
    int at = r.position();
    int type = r.u8("VerifyResp.verify_resp_type");
    Result result = switch (type) {
      case TYPE_CONTINUE -> new Continue(Wire.nonEmptyOpaque32(r, "VerifyResp.payload"));
      case TYPE_FINISH -> new Finish();
      case TYPE_REJECT -> new Reject(ReportError.decode(r));
      default -> throw new DecodeException(at, "VerifyResp.verify_resp_type: unknown value " + type);
    };
    return new VerifyResp(id, result);
  }

  /** Decodes exactly one value from {@code bytes}. */
  public static VerifyResp decode(byte[] bytes) {
    return Wire.whole(bytes, "VerifyResp", VerifyResp::decode);
  }

  @Override
  public void encode(WireWriter w) {
    reportId.encode(w);
    w.u8(result.type());
    switch (result) {
      case Continue c -> w.opaque32(c.payload);
      case Finish f -> { }
      case Reject j -> j.error().encode(w);
    }
  }
}
