package io.janus.messages.dap18;

import io.janus.messages.BatchId;
import io.janus.messages.Encodable;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.HpkeConfig;
import io.janus.messages.HpkeConfigList;
import io.janus.messages.ReportId;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Url;
import io.janus.messages.WireWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/** Random valid values of every DAP-18 wire type, and the registry of whole-value decoders the codec tests walk. */
final class Samples {
  private Samples() {}

  /**
   * One decodable wire type: its name, its whole-input decoder, a generator of random valid values, and whether its
   * encoding ends in a sequence with no length prefix (so some prefixes and extensions of a valid encoding are valid).
   */
  record Codec(String name, Function<byte[], Object> decoder, Function<RandomGenerator, Encodable> generator,
      boolean openEnded) {
    byte[] randomEncoding(RandomGenerator rng) {
      return generator.apply(rng).toBytes();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static Codec closed(String name, Function<byte[], Object> decoder, Function<RandomGenerator, Encodable> gen) {
    return new Codec(name, decoder, gen, false);
  }

  private static Codec open(String name, Function<byte[], Object> decoder, Function<RandomGenerator, Encodable> gen) {
    return new Codec(name, decoder, gen, true);
  }

  /** Every top-level decoder in the package plus the shared types the DAP-18 messages embed. */
  static final List<Codec> ALL = List.of(
      closed("Extension", Extension::decode, Samples::extension),
      closed("TaskExtension", TaskExtension::decode, Samples::taskExtension),
      closed("AggregationJobExtension", AggregationJobExtension::decode, Samples::aggregationJobExtension),
      closed("CollectionJobExtension", CollectionJobExtension::decode, Samples::collectionJobExtension),
      closed("Interval", Interval::decode, Samples::interval),
      closed("ReportMetadata", ReportMetadata::decode, Samples::reportMetadata),
      closed("Report", Report::decode, Samples::report),
      open("UploadRequest", UploadRequest::decode, Samples::uploadRequest),
      closed("ReportUploadStatus", ReportUploadStatus::decode, Samples::reportUploadStatus),
      open("UploadErrors", UploadErrors::decode, Samples::uploadErrors),
      closed("PlaintextInputShare", PlaintextInputShare::decode, Samples::plaintextInputShare),
      closed("TaskConfiguration", TaskConfiguration::decode, Samples::taskConfiguration),
      closed("InputShareAad", InputShareAad::decode, Samples::inputShareAad),
      closed("ReportShare", ReportShare::decode, Samples::reportShare),
      closed("VerifyInit", VerifyInit::decode, Samples::verifyInit),
      open("AggregationJobInitReq", AggregationJobInitReq::decode, Samples::aggregationJobInitReq),
      closed("VerifyResp", VerifyResp::decode, Samples::verifyResp),
      open("AggregationJobResp", AggregationJobResp::decode, Samples::aggregationJobResp),
      closed("VerifyContinue", VerifyContinue::decode, Samples::verifyContinue),
      open("AggregationJobContinueReq", AggregationJobContinueReq::decode, Samples::aggregationJobContinueReq),
      closed("Query", Query::decode, Samples::query),
      closed("CollectionJobReq", CollectionJobReq::decode, Samples::collectionJobReq),
      closed("CollectionJobResp", CollectionJobResp::decode, Samples::collectionJobResp),
      closed("BatchSelector", BatchSelector::decode, Samples::batchSelector),
      closed("AggregateShareReq", AggregateShareReq::decode, Samples::aggregateShareReq),
      closed("AggregateShare", AggregateShare::decode, Samples::aggregateShare),
      closed("AggregateShareAad", AggregateShareAad::decode, Samples::aggregateShareAad),
      closed("HpkeCiphertext", HpkeCiphertext::decode, Samples::ciphertext),
      closed("HpkeConfigList", HpkeConfigList::decode, Samples::hpkeConfigList),
      closed("ReportError", b -> new EnumValue(Wire.whole(b, "ReportError", ReportError::decode)),
          rng -> new EnumValue(ReportError.values()[rng.nextInt(ReportError.values().length)])),
      closed("BatchMode", b -> new EnumValue(Wire.whole(b, "BatchMode", r -> BatchMode.decode(r, "BatchMode"))),
          rng -> new EnumValue(BatchMode.values()[rng.nextInt(BatchMode.values().length)])));

  /** An enum with a one-byte wire code, wrapped so the generic tests can treat it like a record. */
  record EnumValue(Enum<?> value) implements Encodable {
    @Override
    public void encode(WireWriter w) {
      switch (value) {
        case ReportError e -> e.encode(w);
        case BatchMode m -> m.encode(w);
        case Role r -> r.encode(w);
        default -> throw new IllegalStateException("not a wire enum: " + value);
      }
    }
  }

  static byte[] bytes(RandomGenerator rng, int maxLen) {
    // Mostly short, sometimes empty: both matter for length prefixes.
    byte[] b = new byte[rng.nextInt(maxLen + 1)];
    rng.nextBytes(b);
    return b;
  }

  static byte[] nonEmpty(RandomGenerator rng, int maxLen) {
    byte[] b = new byte[1 + rng.nextInt(maxLen)];
    rng.nextBytes(b);
    return b;
  }

  static byte[] fixed(RandomGenerator rng, int len) {
    byte[] b = new byte[len];
    rng.nextBytes(b);
    return b;
  }

  static long u64(RandomGenerator rng) {
    return rng.nextBoolean() ? rng.nextLong(2_000_000_000L) : rng.nextLong(Long.MAX_VALUE / 2);
  }

  static <T> List<T> list(RandomGenerator rng, int min, int max, Function<RandomGenerator, T> gen) {
    int n = min + rng.nextInt(max - min + 1);
    List<T> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(gen.apply(rng));
    }
    return out;
  }

  static int extensionType(RandomGenerator rng) {
    return rng.nextBoolean() ? rng.nextInt(4) : rng.nextInt(0x10000);
  }

  static Extension extension(RandomGenerator rng) {
    return new Extension(extensionType(rng), bytes(rng, 12));
  }

  static TaskExtension taskExtension(RandomGenerator rng) {
    return rng.nextBoolean()
        ? TaskExtension.taskInterval(interval(rng))
        : new TaskExtension(extensionType(rng), bytes(rng, 12));
  }

  static AggregationJobExtension aggregationJobExtension(RandomGenerator rng) {
    return rng.nextBoolean()
        ? AggregationJobExtension.leaderSelectedBatchId(new BatchId(fixed(rng, 32)))
        : new AggregationJobExtension(extensionType(rng), bytes(rng, 12));
  }

  static CollectionJobExtension collectionJobExtension(RandomGenerator rng) {
    return new CollectionJobExtension(extensionType(rng), bytes(rng, 12));
  }

  static Interval interval(RandomGenerator rng) {
    return new Interval(u64(rng), rng.nextLong(1L << 40));
  }

  static ReportId reportId(RandomGenerator rng) {
    return new ReportId(fixed(rng, 16));
  }

  static ReportMetadata reportMetadata(RandomGenerator rng) {
    return new ReportMetadata(reportId(rng), u64(rng), list(rng, 0, 2, Samples::extension));
  }

  static HpkeCiphertext ciphertext(RandomGenerator rng) {
    return new HpkeCiphertext(rng.nextInt(256), nonEmpty(rng, 32), nonEmpty(rng, 48));
  }

  static HpkeConfig hpkeConfig(RandomGenerator rng) {
    return new HpkeConfig(rng.nextInt(256), rng.nextInt(0x10000), rng.nextInt(0x10000), rng.nextInt(0x10000),
        nonEmpty(rng, 32));
  }

  static HpkeConfigList hpkeConfigList(RandomGenerator rng) {
    return new HpkeConfigList(list(rng, 1, 3, Samples::hpkeConfig));
  }

  static Report report(RandomGenerator rng) {
    return new Report(reportMetadata(rng), bytes(rng, 24), ciphertext(rng), ciphertext(rng));
  }

  static UploadRequest uploadRequest(RandomGenerator rng) {
    return new UploadRequest(list(rng, 0, 3, Samples::report));
  }

  static ReportUploadStatus reportUploadStatus(RandomGenerator rng) {
    return new ReportUploadStatus(reportId(rng), ReportError.values()[rng.nextInt(ReportError.values().length)]);
  }

  static UploadErrors uploadErrors(RandomGenerator rng) {
    return new UploadErrors(list(rng, 0, 3, Samples::reportUploadStatus));
  }

  static PlaintextInputShare plaintextInputShare(RandomGenerator rng) {
    return new PlaintextInputShare(list(rng, 0, 3, Samples::extension), nonEmpty(rng, 40));
  }

  static Url url(RandomGenerator rng) {
    int n = 1 + rng.nextInt(30);
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append((char) rng.nextInt(0x80));
    }
    return new Url(sb.toString());
  }

  static TaskConfiguration taskConfiguration(RandomGenerator rng) {
    return new TaskConfiguration(nonEmpty(rng, 20), url(rng), url(rng), 1 + rng.nextLong(86_400), u64(rng),
        BatchMode.values()[rng.nextInt(BatchMode.values().length)], bytes(rng, 4), rng.nextLong(1L << 32),
        bytes(rng, 16), list(rng, 0, 2, Samples::taskExtension));
  }

  static TaskId taskId(RandomGenerator rng) {
    return new TaskId(fixed(rng, 32));
  }

  static InputShareAad inputShareAad(RandomGenerator rng) {
    return new InputShareAad(taskId(rng), taskConfiguration(rng), reportMetadata(rng), bytes(rng, 24));
  }

  static ReportShare reportShare(RandomGenerator rng) {
    return new ReportShare(reportMetadata(rng), bytes(rng, 24), ciphertext(rng));
  }

  static VerifyInit verifyInit(RandomGenerator rng) {
    return new VerifyInit(reportShare(rng), nonEmpty(rng, 24));
  }

  static AggregationJobInitReq aggregationJobInitReq(RandomGenerator rng) {
    return new AggregationJobInitReq(rng.nextInt(256), bytes(rng, 8), list(rng, 0, 2, Samples::aggregationJobExtension),
        list(rng, 0, 3, Samples::verifyInit));
  }

  static VerifyResp verifyResp(RandomGenerator rng) {
    ReportId id = reportId(rng);
    return switch (rng.nextInt(3)) {
      case 0 -> new VerifyResp(id, new VerifyResp.Continue(nonEmpty(rng, 24)));
      case 1 -> new VerifyResp(id, new VerifyResp.Finish());
      default -> new VerifyResp(id,
          new VerifyResp.Reject(ReportError.values()[rng.nextInt(ReportError.values().length)]));
    };
  }

  static AggregationJobResp aggregationJobResp(RandomGenerator rng) {
    return new AggregationJobResp(list(rng, 1, 4, Samples::verifyResp));
  }

  static VerifyContinue verifyContinue(RandomGenerator rng) {
    return new VerifyContinue(reportId(rng), nonEmpty(rng, 24));
  }

  static AggregationJobContinueReq aggregationJobContinueReq(RandomGenerator rng) {
    return new AggregationJobContinueReq(rng.nextInt(0x10000), list(rng, 0, 3, Samples::verifyContinue));
  }

  static Query query(RandomGenerator rng) {
    return rng.nextBoolean() ? new Query.TimeInterval(interval(rng)) : new Query.LeaderSelected();
  }

  static CollectionJobReq collectionJobReq(RandomGenerator rng) {
    return new CollectionJobReq(query(rng), bytes(rng, 8), list(rng, 0, 2, Samples::collectionJobExtension));
  }

  static CollectionJobResp collectionJobResp(RandomGenerator rng) {
    return new CollectionJobResp(u64(rng), interval(rng), ciphertext(rng), ciphertext(rng));
  }

  static BatchSelector batchSelector(RandomGenerator rng) {
    return rng.nextBoolean()
        ? new BatchSelector.TimeInterval(interval(rng))
        : new BatchSelector.LeaderSelected(new BatchId(fixed(rng, 32)));
  }

  static AggregateShareReq aggregateShareReq(RandomGenerator rng) {
    return new AggregateShareReq(collectionJobReq(rng), batchSelector(rng), u64(rng), fixed(rng, 32));
  }

  static AggregateShare aggregateShare(RandomGenerator rng) {
    return new AggregateShare(ciphertext(rng));
  }

  static AggregateShareAad aggregateShareAad(RandomGenerator rng) {
    return new AggregateShareAad(taskId(rng), taskConfiguration(rng), collectionJobReq(rng));
  }
}
