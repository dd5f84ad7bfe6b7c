package io.janus.messages.dap18;

import static io.janus.messages.dap18.KnownAnswerTest.HEX_CT42;
import static io.janus.messages.dap18.KnownAnswerTest.HEX_ID_UP;
import static io.janus.messages.dap18.KnownAnswerTest.HEX_METADATA_UP;
import static io.janus.messages.dap18.KnownAnswerTest.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.janus.messages.DapDuration;
import io.janus.messages.DecodeException;
import io.janus.messages.HpkeConfigList;
import io.janus.messages.Time;
import io.janus.messages.Url;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Malformed input: truncation, trailing bytes, oversized prefixes, bad codes, empty fields, out-of-range values. */
class StrictnessTest {
  static final List<Samples.Codec> CLOSED = Samples.ALL.stream().filter(c -> !c.openEnded()).toList();
  static final List<Samples.Codec> OPEN = Samples.ALL.stream().filter(Samples.Codec::openEnded).toList();

  private static DecodeException decodeFails(Runnable decode) {
    DecodeException e = catchThrowableOfType(DecodeException.class, decode::run);
    assertThat(e).as("expected a DecodeException").isNotNull();
    return e;
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("CLOSED")
  void everyProperPrefixAndEveryExtensionIsRejected(Samples.Codec codec) {
    long seed = new SplittableRandom().nextLong();
    System.out.println(codec.name() + " strictness seed: " + seed);
    RandomGenerator rng = new SplittableRandom(seed);
    for (int i = 0; i < 50; i++) {
      byte[] valid = codec.randomEncoding(rng);
      for (int len = 0; len < valid.length; len++) {
        byte[] prefix = Arrays.copyOf(valid, len);
        assertThatThrownBy(() -> codec.decoder().apply(prefix)).as("seed %d, prefix %d of %d", seed, len, valid.length)
            .isInstanceOf(DecodeException.class);
      }
      byte[] longer = Arrays.copyOf(valid, valid.length + 1 + rng.nextInt(4));
      DecodeException e = catchThrowableOfType(DecodeException.class, () -> codec.decoder().apply(longer));
      assertThat(e).as("seed %d", seed).isNotNull();
      assertThat(e.offset()).isEqualTo(valid.length);
      assertThat(e.getMessage()).contains("trailing");
    }
  }

  /**
   * Bodies that end in an unprefixed sequence accept a prefix that stops at an item boundary (fewer items), so the
   * check here is the contract: every prefix and extension is rejected or decodes to a value that re-encodes to it.
   */
  @ParameterizedTest(name = "{0}")
  @FieldSource("OPEN")
  void openEndedBodiesAcceptOnlyWholeItems(Samples.Codec codec) {
    long seed = new SplittableRandom().nextLong();
    System.out.println(codec.name() + " strictness seed: " + seed);
    RandomGenerator rng = new SplittableRandom(seed);
    int rejected = 0;
    for (int i = 0; i < 50; i++) {
      byte[] valid = codec.randomEncoding(rng);
      for (int len = 0; len < valid.length; len++) {
        rejected += DecoderContract.check(codec, Arrays.copyOf(valid, len)) ? 0 : 1;
      }
      rejected += DecoderContract.check(codec, Arrays.copyOf(valid, valid.length + 1 + rng.nextInt(4))) ? 0 : 1;
    }
    assertThat(rejected).as("seed %d", seed).isPositive();
  }

  @Test
  void truncatedLastItemOfAnOpenEndedBodyIsRejected() {
    String report = HEX_METADATA_UP + "00000000" + HEX_CT42 + HEX_CT42;
    byte[] oneAndAHalf = hex(report, report.substring(0, 40));
    DecodeException e = decodeFails(() -> UploadRequest.decode(oneAndAHalf));
    assertThat(e.offset()).isGreaterThanOrEqualTo(report.length() / 2);
    assertThat(decodeFails(() -> UploadErrors.decode(hex(HEX_ID_UP, "02", HEX_ID_UP))).getMessage())
        .contains("ReportError");
    assertThat(decodeFails(() -> AggregationJobContinueReq.decode(hex("00"))).getMessage()).contains("step");
  }

  @Test
  void oversizedLengthPrefixesNameFieldAndOffset() {
    byte[] report = hex(
        HEX_METADATA_UP, // report_metadata
        "FFFFFFFF", // public_share length, far beyond the input
        "00");
    DecodeException e = decodeFails(() -> Report.decode(report));
    assertThat(e.offset()).isEqualTo(26);
    assertThat(e.getMessage()).contains("Report.public_share");
    byte[] metadata = hex(HEX_ID_UP, "0000000000000001", "FFFF", "0000");
    assertThat(decodeFails(() -> ReportMetadata.decode(metadata)).getMessage()).contains("public_extensions");
    byte[] init = hex("00", "7FFFFFFF", "00");
    assertThat(decodeFails(() -> AggregationJobInitReq.decode(init)).getMessage()).contains("agg_param");
    byte[] extensions = hex("00", "00000000", "0005", "0000", "00");
    assertThat(decodeFails(() -> AggregationJobInitReq.decode(extensions)).getMessage()).contains("extensions");
    byte[] queryConfig = hex("01", "FFFF", "00");
    assertThat(decodeFails(() -> Query.decode(queryConfig)).getMessage()).contains("Query.config");
  }

  @Test
  void emptyNonEmptyFieldsAreRejected() {
    assertThat(decodeFails(() -> PlaintextInputShare.decode(hex("0000", "00000000"))).getMessage())
        .contains("PlaintextInputShare.payload must not be empty");
    String share = HEX_METADATA_UP + "00000000" + HEX_CT42;
    assertThat(decodeFails(() -> VerifyInit.decode(hex(share, "00000000"))).getMessage())
        .contains("VerifyInit.payload must not be empty");
    assertThat(decodeFails(() -> VerifyResp.decode(hex(HEX_ID_UP, "00", "00000000"))).getMessage())
        .contains("VerifyResp.payload must not be empty");
    assertThat(decodeFails(() -> VerifyContinue.decode(hex(HEX_ID_UP, "00000000"))).getMessage())
        .contains("VerifyContinue.payload must not be empty");
    assertThat(decodeFails(() -> AggregationJobResp.decode(new byte[0])).getMessage()).contains("not ready");
    assertThat(decodeFails(() -> HpkeConfigList.decode(hex("0000"))).getMessage()).contains("must not be empty");
    assertThat(decodeFails(() -> TaskConfiguration.decode(hex("00", "0001", "4C", "0001", "48"))).getMessage())
        .contains("task_info must not be empty");
  }

  @Test
  void unknownCodesAreRejected() {
    for (String mode : new String[] {"00", "03", "FF"}) {
      assertThat(decodeFails(() -> Query.decode(hex(mode, "0000"))).getMessage()).contains("Query.batch_mode");
      assertThat(decodeFails(() -> BatchSelector.decode(hex(mode, "0000"))).getMessage())
          .contains("BatchSelector.batch_mode");
    }
    assertThat(decodeFails(() -> VerifyResp.decode(hex(HEX_ID_UP, "03"))).offset()).isEqualTo(16);
    assertThat(decodeFails(() -> VerifyResp.decode(hex(HEX_ID_UP, "02", "00"))).getMessage())
        .contains("ReportError 0");
    assertThat(decodeFails(() -> VerifyResp.decode(hex(HEX_ID_UP, "02", "0C"))).getMessage())
        .contains("ReportError 12");
    assertThat(decodeFails(() -> ReportUploadStatus.decode(hex(HEX_ID_UP, "00"))).offset()).isEqualTo(16);
  }

  @Test
  void batchModeConfigsMustHaveExactlyTheirShape() {
    // leader_selected queries carry nothing; time_interval configs exactly one Interval; selectors one BatchID.
    assertThat(decodeFails(() -> Query.decode(hex("02", "0001", "00"))).getMessage()).contains("Query.config");
    assertThat(decodeFails(() -> Query.decode(hex("01", "0000"))).getMessage()).contains("Interval.start");
    assertThat(decodeFails(() -> Query.decode(hex("01", "0011", "00".repeat(17)))).getMessage())
        .contains("Query.config");
    assertThat(decodeFails(() -> BatchSelector.decode(hex("02", "001F", "00".repeat(31)))).getMessage())
        .contains("BatchId");
    assertThat(decodeFails(() -> BatchSelector.decode(hex("02", "0021", "00".repeat(33)))).getMessage())
        .contains("BatchSelector.config");
    assertThat(decodeFails(() -> BatchSelector.decode(hex("01", "0008", "00".repeat(8)))).offset()).isEqualTo(11);
  }

  @Test
  void u64ValuesAbove2To63AndOverflowingIntervalsAreRejected() {
    assertThat(decodeFails(() -> ReportMetadata.decode(hex(HEX_ID_UP, "8000000000000000", "0000"))).getMessage())
        .contains("ReportMetadata.time");
    assertThat(decodeFails(() -> Interval.decode(hex("7FFFFFFFFFFFFFFF", "0000000000000001"))).getMessage())
        .contains("overflows");
    assertThat(decodeFails(() -> Interval.decode(hex("0000000000000000", "FFFFFFFFFFFFFFFF"))).getMessage())
        .contains("Interval.duration");
    String ct = "01" + "0001" + "AA" + "00000001" + "BB";
    DecodeException e = decodeFails(() -> CollectionJobResp.decode(hex("8000000000000000", "00".repeat(16), ct, ct)));
    assertThat(e.getMessage()).contains("report_count");
    assertThat(e.offset()).isZero();
  }

  @Test
  void malformedExtensionPayloadsFailOnlyWhenAskedFor() {
    // The codec carries the bytes; reading them as a task interval or batch ID checks their shape.
    TaskExtension badInterval = TaskExtension.decode(hex("0001", "0001", "00"));
    assertThatThrownBy(badInterval::asTaskInterval).isInstanceOf(DecodeException.class);
    AggregationJobExtension shortId = AggregationJobExtension.decode(hex("0001", "0001", "00"));
    assertThatThrownBy(shortId::asLeaderSelectedBatchId).isInstanceOf(DecodeException.class);
  }

  @Test
  void extensionOrderIsCheckedByTheCallerNotTheDecoder() {
    ReportMetadata unordered = ReportMetadata.decode(hex(HEX_ID_UP, "0000000000000001", "0008",
        "0002", "0000", // extension_type 2
        "0001", "0000")); // extension_type 1
    assertThat(TypedExtension.inStrictlyIncreasingOrder(unordered.publicExtensions())).isFalse();
    assertThat(TypedExtension.inStrictlyIncreasingOrder(List.of(new Extension(1, new byte[0]),
        new Extension(1, new byte[0])))).isFalse();
    assertThat(TypedExtension.inStrictlyIncreasingOrder(List.of(new CollectionJobExtension(0, new byte[0]),
        new CollectionJobExtension(0xFFFF, new byte[0])))).isTrue();
    assertThat(TypedExtension.inStrictlyIncreasingOrder(List.of())).isTrue();
  }

  @Test
  void constructorsRejectIllegalValues() {
    assertThatThrownBy(() -> new AggregationJobResp(List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AggregationJobContinueReq(0x10000, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AggregationJobInitReq(256, new byte[0], List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Extension(0x10000, new byte[0])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PlaintextInputShare(List.of(), new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new VerifyResp.Continue(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Interval(Long.MAX_VALUE, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ReportMetadata(KnownAnswerTest.ID_UP, -1, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AggregateShareReq(KnownAnswerTest.leaderSelectedCollectionJobReq(),
        new BatchSelector.LeaderSelected(KnownAnswerTest.BATCH), 1, new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TaskConfiguration(new byte[0], new Url("a"), new Url("b"), 1, 1,
        BatchMode.TIME_INTERVAL, new byte[0], 1, new byte[0], List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TaskConfiguration(new byte[1], new Url("a"), new Url("b"), 1, 1,
        BatchMode.TIME_INTERVAL, new byte[0], 1L << 32, new byte[0], List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    // 16,384 empty extensions encode to 65,536 bytes: one more than the u16 vector holds.
    List<Extension> tooMany = java.util.Collections.nCopies(16_384, new Extension(0, new byte[0]));
    assertThatThrownBy(() -> new ReportMetadata(KnownAnswerTest.ID_UP, 0, tooMany))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void intervalsConvertBetweenUnitsAndSeconds() {
    DapDuration hour = DapDuration.ofSeconds(3600);
    Interval units = new Interval(10, 2);
    io.janus.messages.Interval seconds = new io.janus.messages.Interval(new Time(36_000), DapDuration.ofSeconds(7200));
    assertThat(units.toSeconds(hour)).isEqualTo(seconds);
    assertThat(Interval.fromSeconds(seconds, hour)).isEqualTo(units);
    assertThatThrownBy(() -> Interval.fromSeconds(new io.janus.messages.Interval(new Time(1), hour), hour))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> units.toSeconds(DapDuration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Interval(Long.MAX_VALUE / 2, 0).toSeconds(hour))
        .isInstanceOf(ArithmeticException.class);
    assertThat(units.contains(11)).isTrue();
    assertThat(units.contains(12)).isFalse();
    assertThat(Query.of(new io.janus.messages.Query.TimeInterval(seconds), hour))
        .isEqualTo(new Query.TimeInterval(units));
    assertThat(Query.of(new io.janus.messages.Query.FixedSizeCurrentBatch(), hour))
        .isEqualTo(new Query.LeaderSelected());
    assertThatThrownBy(() -> Query.of(new io.janus.messages.Query.FixedSizeByBatchId(KnownAnswerTest.BATCH), hour))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new Query.TimeInterval(units).toNeutral(hour))
        .isEqualTo(new io.janus.messages.Query.TimeInterval(seconds));
  }

  @Test
  void byteArraysAreCopiedInAndOut() {
    byte[] share = {1, 2, 3};
    Report report = new Report(KnownAnswerTest.metadataUp(), share, KnownAnswerTest.ct42(), KnownAnswerTest.ct13());
    share[0] = 9;
    assertThat(report.publicShare()).containsExactly(1, 2, 3);
    report.publicShare()[1] = 9;
    assertThat(report.publicShare()).containsExactly(1, 2, 3);
  }
}
