package io.janus.messages.dap09;

import io.janus.messages.BatchId;
import io.janus.messages.DapDuration;
import io.janus.messages.Encodable;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.HpkeConfig;
import io.janus.messages.HpkeConfigList;
import io.janus.messages.Interval;
import io.janus.messages.ReportId;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.messages.Url;
import io.janus.messages.WireWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/** Random valid values of every DAP-09 wire type, and the registry of whole-value decoders the codec tests walk. */
final class Samples {
  private Samples() {}

  /** One decodable wire type: its name, its whole-input decoder and a generator of random valid values. */
  record Codec(String name, Function<byte[], Object> decoder, Function<RandomGenerator, Encodable> generator) {
    byte[] randomEncoding(RandomGenerator rng) {
      return generator.apply(rng).toBytes();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** Every top-level decoder in the package plus the shared HPKE types the DAP-09 messages embed, and Role. */
  static final List<Codec> ALL = List.of(
      new Codec("Extension", Extension::decode, Samples::extension),
      new Codec("ReportMetadata", ReportMetadata::decode, Samples::reportMetadata),
      new Codec("Report", Report::decode, Samples::report),
      new Codec("PlaintextInputShare", PlaintextInputShare::decode, Samples::plaintextInputShare),
      new Codec("InputShareAad", InputShareAad::decode, Samples::inputShareAad),
      new Codec("ReportShare", ReportShare::decode, Samples::reportShare),
      new Codec("PrepareInit", PrepareInit::decode, Samples::prepareInit),
      new Codec("PartialBatchSelector", PartialBatchSelector::decode, Samples::partialBatchSelector),
      new Codec("AggregationJobInitReq", AggregationJobInitReq::decode, Samples::aggregationJobInitReq),
      new Codec("PrepareResp", PrepareResp::decode, Samples::prepareResp),
      new Codec("AggregationJobResp", AggregationJobResp::decode, Samples::aggregationJobResp),
      new Codec("PrepareContinue", PrepareContinue::decode, Samples::prepareContinue),
      new Codec("AggregationJobContinueReq", AggregationJobContinueReq::decode, Samples::aggregationJobContinueReq),
      new Codec("FixedSizeQuery", FixedSizeQuery::decode, Samples::fixedSizeQuery),
      new Codec("Query", Query::decode, Samples::query),
      new Codec("CollectionReq", CollectionReq::decode, Samples::collectionReq),
      new Codec("Collection", Collection::decode, Samples::collection),
      new Codec("BatchSelector", BatchSelector::decode, Samples::batchSelector),
      new Codec("AggregateShareReq", AggregateShareReq::decode, Samples::aggregateShareReq),
      new Codec("AggregateShare", AggregateShare::decode, Samples::aggregateShare),
      new Codec("AggregateShareAad", AggregateShareAad::decode, Samples::aggregateShareAad),
      new Codec("TaskConfig", TaskConfig::decode, Samples::taskConfig),
      new Codec("QueryConfig", QueryConfig::decode, Samples::queryConfig),
      new Codec("VdafConfig", VdafConfig::decode, Samples::vdafConfig),
      new Codec("VdafType", VdafType::decode, Samples::vdafType),
      new Codec("DpConfig", DpConfig::decode, Samples::dpConfig),
      new Codec("HpkeCiphertext", HpkeCiphertext::decode, Samples::ciphertext),
      new Codec("HpkeConfig", HpkeConfig::decode, Samples::hpkeConfig),
      new Codec("HpkeConfigList", HpkeConfigList::decode, Samples::hpkeConfigList),
      new Codec("PrepareError", b -> new EnumValue(Wire.whole(b, "PrepareError", PrepareError::decode)),
          rng -> new EnumValue(PrepareError.values()[rng.nextInt(PrepareError.values().length)])),
      new Codec("QueryType", b -> new EnumValue(Wire.whole(b, "QueryType", r -> QueryType.decode(r, "QueryType"))),
          rng -> new EnumValue(QueryType.values()[rng.nextInt(QueryType.values().length)])),
      new Codec("Role", b -> new EnumValue(Wire.whole(b, "Role", Role::decode)),
          rng -> new EnumValue(Role.values()[rng.nextInt(Role.values().length)])));

  /** An enum with a one-byte wire code, wrapped so the generic tests can treat it like a record. */
  record EnumValue(Enum<?> value) implements Encodable {
    @Override
    public void encode(WireWriter w) {
      switch (value) {
        case PrepareError p -> p.encode(w);
        case QueryType q -> q.encode(w);
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

  /** A fixed batch ID for tests that need any valid one. */
  static BatchId batchId() {
    return new BatchId(new byte[BatchId.LENGTH]);
  }

  static long u32(RandomGenerator rng) {
    return rng.nextLong(1L << 32);
  }

  static Time time(RandomGenerator rng) {
    return new Time(rng.nextBoolean() ? rng.nextLong(2_000_000_000L) : rng.nextLong(Long.MAX_VALUE / 2));
  }

  static Interval interval(RandomGenerator rng) {
    return new Interval(time(rng), DapDuration.ofSeconds(rng.nextLong(1L << 40)));
  }

  static Extension extension(RandomGenerator rng) {
    int type = rng.nextBoolean() ? Dap09.EXTENSION_TASKPROV : rng.nextInt(0x10000);
    return new Extension(type, bytes(rng, 12));
  }

  static ReportMetadata reportMetadata(RandomGenerator rng) {
    return new ReportMetadata(new ReportId(fixed(rng, 16)), time(rng));
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

  static PlaintextInputShare plaintextInputShare(RandomGenerator rng) {
    return new PlaintextInputShare(list(rng, 0, 3, Samples::extension), bytes(rng, 40));
  }

  static InputShareAad inputShareAad(RandomGenerator rng) {
    return new InputShareAad(new TaskId(fixed(rng, 32)), reportMetadata(rng), bytes(rng, 24));
  }

  static ReportShare reportShare(RandomGenerator rng) {
    return new ReportShare(reportMetadata(rng), bytes(rng, 24), ciphertext(rng));
  }

  static PrepareInit prepareInit(RandomGenerator rng) {
    return new PrepareInit(reportShare(rng), bytes(rng, 24));
  }

  static PartialBatchSelector partialBatchSelector(RandomGenerator rng) {
    return rng.nextBoolean()
        ? PartialBatchSelector.TIME_INTERVAL
        : new PartialBatchSelector.FixedSize(new BatchId(fixed(rng, 32)));
  }

  static AggregationJobInitReq aggregationJobInitReq(RandomGenerator rng) {
    return new AggregationJobInitReq(bytes(rng, 8), partialBatchSelector(rng), list(rng, 1, 3, Samples::prepareInit));
  }

  static PrepareResp prepareResp(RandomGenerator rng) {
    ReportId id = new ReportId(fixed(rng, 16));
    return switch (rng.nextInt(3)) {
      case 0 -> new PrepareResp(id, new PrepareResp.Continue(bytes(rng, 24)));
      case 1 -> new PrepareResp(id, new PrepareResp.Finished());
      default -> new PrepareResp(id,
          new PrepareResp.Reject(PrepareError.values()[rng.nextInt(PrepareError.values().length)]));
    };
  }

  static AggregationJobResp aggregationJobResp(RandomGenerator rng) {
    return new AggregationJobResp(list(rng, 1, 4, Samples::prepareResp));
  }

  static PrepareContinue prepareContinue(RandomGenerator rng) {
    return new PrepareContinue(new ReportId(fixed(rng, 16)), bytes(rng, 24));
  }

  static AggregationJobContinueReq aggregationJobContinueReq(RandomGenerator rng) {
    return new AggregationJobContinueReq(rng.nextInt(0x10000), list(rng, 1, 3, Samples::prepareContinue));
  }

  static FixedSizeQuery fixedSizeQuery(RandomGenerator rng) {
    return rng.nextBoolean() ? FixedSizeQuery.CURRENT : new FixedSizeQuery.ByBatchId(new BatchId(fixed(rng, 32)));
  }

  static Query query(RandomGenerator rng) {
    return rng.nextBoolean() ? new Query.TimeInterval(interval(rng)) : new Query.FixedSize(fixedSizeQuery(rng));
  }

  static CollectionReq collectionReq(RandomGenerator rng) {
    return new CollectionReq(query(rng), bytes(rng, 8));
  }

  static Collection collection(RandomGenerator rng) {
    return new Collection(partialBatchSelector(rng), rng.nextLong(Long.MAX_VALUE), interval(rng), ciphertext(rng),
        ciphertext(rng));
  }

  static BatchSelector batchSelector(RandomGenerator rng) {
    return rng.nextBoolean()
        ? new BatchSelector.TimeInterval(interval(rng))
        : new BatchSelector.FixedSize(new BatchId(fixed(rng, 32)));
  }

  static AggregateShareReq aggregateShareReq(RandomGenerator rng) {
    return new AggregateShareReq(batchSelector(rng), bytes(rng, 8), rng.nextLong(Long.MAX_VALUE), fixed(rng, 32));
  }

  static AggregateShare aggregateShare(RandomGenerator rng) {
    return new AggregateShare(ciphertext(rng));
  }

  static AggregateShareAad aggregateShareAad(RandomGenerator rng) {
    return new AggregateShareAad(new TaskId(fixed(rng, 32)), bytes(rng, 8), batchSelector(rng));
  }

  static Url url(RandomGenerator rng) {
    int n = 1 + rng.nextInt(30);
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append((char) rng.nextInt(0x80));
    }
    return new Url(sb.toString());
  }

  static QueryConfig queryConfig(RandomGenerator rng) {
    QueryConfig.BatchMode mode =
        rng.nextBoolean() ? new QueryConfig.TimeInterval() : new QueryConfig.FixedSize(u32(rng));
    return new QueryConfig(DapDuration.ofSeconds(rng.nextLong(Long.MAX_VALUE)), rng.nextInt(0x10000), u32(rng), mode);
  }

  static DpConfig dpConfig(RandomGenerator rng) {
    if (rng.nextBoolean()) {
      return new DpConfig(new DpMechanism.None());
    }
    int code = rng.nextInt(256);
    if (code == DpMechanism.NONE) {
      code = 0;
    }
    return new DpConfig(new DpMechanism.Unrecognized(code, bytes(rng, 8)));
  }

  static VdafType vdafType(RandomGenerator rng) {
    return switch (rng.nextInt(6)) {
      case 0 -> new VdafType.Prio3Count();
      case 1 -> new VdafType.Prio3Sum(rng.nextInt(256));
      case 2 -> new VdafType.Prio3SumVec(u32(rng), rng.nextInt(256), u32(rng));
      case 3 -> new VdafType.Prio3SumVecField64MultiproofHmacSha256Aes128(u32(rng), rng.nextInt(256), u32(rng),
          rng.nextInt(256));
      case 4 -> new VdafType.Prio3Histogram(u32(rng), u32(rng));
      default -> new VdafType.Poplar1(rng.nextInt(0x10000));
    };
  }

  static VdafConfig vdafConfig(RandomGenerator rng) {
    return new VdafConfig(dpConfig(rng), vdafType(rng));
  }

  static TaskConfig taskConfig(RandomGenerator rng) {
    return new TaskConfig(nonEmpty(rng, 20), url(rng), url(rng), queryConfig(rng), time(rng), vdafConfig(rng));
  }

  static <T> List<T> list(RandomGenerator rng, int min, int max, Function<RandomGenerator, T> gen) {
    int n = min + rng.nextInt(max - min + 1);
    List<T> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(gen.apply(rng));
    }
    return out;
  }
}
