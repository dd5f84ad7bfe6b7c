package io.janus.aggregator;

import io.janus.messages.BatchId;
import io.janus.messages.DecodeException;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.ReportId;
import io.janus.messages.Time;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import io.janus.server.datastore.model.ReportExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The layout in which the Helper stores a deferred aggregation job request ({@code helper_aggregation_requests.
 * request}): the neutral {@link AggregationJobInit} or {@link AggregationJobContinue}, with times in seconds, in
 * janus-java's own length-prefixed layout, so the database never holds one draft's wire encoding. Only this class
 * reads and writes it.
 */
final class HelperRequestCodec {
  private static final int INIT = 0;
  private static final int CONTINUE = 1;

  private HelperRequestCodec() {}

  static byte[] encode(AggregationJobInit init) {
    WireWriter w = new WireWriter();
    w.u8(INIT);
    w.opaque32(init.aggregationParameter());
    w.u8(init.batchId().isPresent() ? 1 : 0);
    init.batchId().ifPresent(b -> b.encode(w));
    w.u32(init.prepareInits().size());
    for (AggregationJobInit.PrepareInit p : init.prepareInits()) {
      ReportShare s = p.reportShare();
      s.reportId().encode(w);
      w.u64(s.time().seconds());
      w.opaque32(s.publicShare());
      s.encryptedInputShare().encode(w);
      w.u32(s.publicExtensions().size());
      for (ReportExtension e : s.publicExtensions()) {
        w.u16(e.type());
        w.opaque32(e.data());
      }
      w.opaque32(p.message());
    }
    return w.toByteArray();
  }

  static byte[] encode(AggregationJobContinue request) {
    WireWriter w = new WireWriter();
    w.u8(CONTINUE);
    w.u16(request.step());
    w.u32(request.prepareContinues().size());
    for (AggregationJobContinue.PrepareContinue p : request.prepareContinues()) {
      p.reportId().encode(w);
      w.opaque32(p.message());
    }
    return w.toByteArray();
  }

  /**
   * Reads a stored initialization.
   *
   * @throws DecodeException if the bytes are not one (a bug or a corrupted row)
   */
  static AggregationJobInit decodeInit(byte[] stored) {
    WireReader r = WireReader.of(stored);
    expectKind(r, INIT);
    byte[] aggParam = r.opaque32("aggregation_parameter");
    Optional<BatchId> batchId = r.u8("has_batch_id") == 1 ? Optional.of(BatchId.decode(r)) : Optional.empty();
    long count = r.u32("count");
    List<AggregationJobInit.PrepareInit> inits = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      ReportId id = ReportId.decode(r);
      Time time = new Time(r.u64("time"));
      byte[] publicShare = r.opaque32("public_share");
      HpkeCiphertext ciphertext = HpkeCiphertext.decode(r);
      long extensions = r.u32("extensions");
      List<ReportExtension> publicExtensions = new ArrayList<>();
      for (long e = 0; e < extensions; e++) {
        publicExtensions.add(new ReportExtension(r.u16("type"), r.opaque32("data")));
      }
      byte[] message = r.opaque32("message");
      inits.add(new AggregationJobInit.PrepareInit(new ReportShare(id, time, publicShare, ciphertext,
          publicExtensions), message));
    }
    r.expectEnd("stored aggregation job initialization");
    return new AggregationJobInit(aggParam, batchId, inits);
  }

  /**
   * Reads a stored continuation.
   *
   * @throws DecodeException if the bytes are not one
   */
  static AggregationJobContinue decodeContinue(byte[] stored) {
    WireReader r = WireReader.of(stored);
    expectKind(r, CONTINUE);
    int step = r.u16("step");
    long count = r.u32("count");
    List<AggregationJobContinue.PrepareContinue> continues = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      continues.add(new AggregationJobContinue.PrepareContinue(ReportId.decode(r), r.opaque32("message")));
    }
    r.expectEnd("stored aggregation job continuation");
    return new AggregationJobContinue(step, continues);
  }

  private static void expectKind(WireReader r, int kind) {
    int got = r.u8("kind");
    if (got != kind) {
      throw new DecodeException(0, "stored request kind " + got + ", expected " + kind);
    }
  }
}
