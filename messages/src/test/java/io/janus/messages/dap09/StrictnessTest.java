package io.janus.messages.dap09;

import static io.janus.messages.dap09.KnownAnswerTest.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.janus.messages.DecodeException;
import io.janus.messages.HpkeConfigList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Malformed input: truncation, trailing bytes, oversized prefixes, bad codes, empty vectors, out-of-range values. */
class StrictnessTest {
  // DpConfig is excluded from the prefix and suffix checks: an unrecognised mechanism owns every remaining byte of
  // its vector by design, so some prefixes and extensions of a valid encoding are valid too.
  static final List<Samples.Codec> DELIMITED =
      Samples.ALL.stream().filter(c -> !c.name().equals("DpConfig")).toList();

  @ParameterizedTest(name = "{0}")
  @FieldSource("DELIMITED")
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

  private static DecodeException decodeFails(Runnable decode) {
    DecodeException e = catchThrowableOfType(DecodeException.class, decode::run);
    assertThat(e).as("expected a DecodeException").isNotNull();
    return e;
  }

  @Test
  void oversizedOpaquePrefixNamesFieldAndOffset() {
    byte[] report = hex(
        "0102030405060708090A0B0C0D0E0F10", // metadata.report_id
        "0000000000003039", // metadata.time
        "FFFFFFFF", // public_share length, far beyond the input
        "00");
    DecodeException e = decodeFails(() -> Report.decode(report));
    assertThat(e.offset()).isEqualTo(24);
    assertThat(e.getMessage()).contains("Report.public_share");
  }

  @Test
  void oversizedVectorPrefixIsRejected() {
    byte[] req = hex(
        "00000000", // agg_param length
        "01", // part_batch_selector
        "7FFFFFFF", // prepare_inits length, far beyond the input
        "00");
    DecodeException e = decodeFails(() -> AggregationJobInitReq.decode(req));
    assertThat(e.offset()).isEqualTo(5);
    assertThat(e.getMessage()).contains("prepare_inits");
    byte[] ext = hex("0000", "FFFF", "01");
    assertThat(decodeFails(() -> Extension.decode(ext)).getMessage()).contains("extension_data");
  }

  @Test
  void emptyNonEmptyVectorsAreRejected() {
    assertThat(decodeFails(() -> AggregationJobInitReq.decode(hex("00000000", "01", "00000000"))).getMessage())
        .contains("prepare_inits must not be empty");
    assertThat(decodeFails(() -> AggregationJobResp.decode(hex("00000000"))).getMessage())
        .contains("prepare_resps must not be empty");
    assertThat(decodeFails(() -> AggregationJobContinueReq.decode(hex("0001", "00000000"))).getMessage())
        .contains("prepare_continues must not be empty");
    assertThat(decodeFails(() -> HpkeConfigList.decode(hex("0000"))).getMessage()).contains("must not be empty");
    byte[] emptyEnc = hex("01", "0000", "00000001", "AA");
    assertThat(decodeFails(() -> AggregateShare.decode(emptyEnc)).getMessage()).contains("enc must not be empty");
    byte[] emptyPayload = hex("01", "0001", "AA", "00000000");
    assertThat(decodeFails(() -> AggregateShare.decode(emptyPayload)).getMessage())
        .contains("payload must not be empty");
  }

  @Test
  void unknownSelectCodesAreRejected() {
    for (String code : new String[] {"00", "03", "FF"}) {
      assertThat(decodeFails(() -> PartialBatchSelector.decode(hex(code))).getMessage())
          .contains("PartialBatchSelector.query_type");
      assertThat(decodeFails(() -> BatchSelector.decode(hex(code, "00".repeat(32)))).getMessage())
          .contains("BatchSelector.query_type");
      assertThat(decodeFails(() -> Query.decode(hex(code, "00".repeat(16)))).getMessage())
          .contains("Query.query_type");
    }
    assertThat(decodeFails(() -> FixedSizeQuery.decode(hex("02"))).getMessage()).contains("FixedSizeQuery.query_type");
    String id = "00".repeat(16);
    assertThat(decodeFails(() -> PrepareResp.decode(hex(id, "03"))).offset()).isEqualTo(16);
    assertThat(decodeFails(() -> PrepareResp.decode(hex(id, "02", "0A"))).getMessage()).contains("PrepareError 10");
    assertThat(decodeFails(() -> VdafType.decode(hex("00000004"))).getMessage()).contains("vdaf_type");
    assertThat(decodeFails(() -> QueryConfig.decode(hex("0000000000000001", "0001", "00000001", "00"))).getMessage())
        .contains("QueryConfig.query_type");
  }

  @Test
  void innerVectorsMustBeFilledExactly() {
    // A VdafConfig whose dp_config vector holds "none" plus a stray byte.
    DecodeException e = decodeFails(() -> VdafConfig.decode(hex("0002", "01", "00", "00000000")));
    assertThat(e.getMessage()).contains("VdafConfig.dp_config");
    assertThat(e.offset()).isEqualTo(3);
    // prepare_continues whose last item is cut short inside the vector.
    byte[] req = hex("0001", "00000015", "00".repeat(16), "00000000", "77");
    assertThat(decodeFails(() -> AggregationJobContinueReq.decode(req)).offset()).isEqualTo(26);
    // A PlaintextInputShare whose extensions vector ends mid-extension.
    assertThat(decodeFails(() -> PlaintextInputShare.decode(hex("0003", "000000", "00000000"))).getMessage())
        .contains("Extension");
  }

  @Test
  void taskConfigFieldRules() {
    String url = "0001" + "61";
    String queryConfig = "000F" + "0000000000000001" + "0001" + "00000001" + "01";
    String vdafConfig = "0007" + "0001" + "01" + "00000000";
    assertThat(TaskConfig.decode(hex("01", "66", url, url, queryConfig, "0000000000000000", vdafConfig))).isNotNull();
    assertThat(decodeFails(() -> TaskConfig.decode(hex("00", url, url, queryConfig, "0000000000000000", vdafConfig)))
        .getMessage()).contains("task_info must not be empty");
    assertThat(decodeFails(() -> TaskConfig.decode(hex("01", "66", "0000", url, queryConfig, "0000000000000000",
        vdafConfig))).getMessage()).contains("Url must not be empty");
    DecodeException nonAscii = decodeFails(() -> TaskConfig.decode(hex("01", "66", "0001", "80", url, queryConfig,
        "0000000000000000", vdafConfig)));
    assertThat(nonAscii.getMessage()).contains("ASCII");
    assertThat(nonAscii.offset()).isEqualTo(4);
    String longQueryConfig = "0010" + "0000000000000001" + "0001" + "00000001" + "01" + "00";
    assertThat(decodeFails(() -> TaskConfig.decode(hex("01", "66", url, url, longQueryConfig, "0000000000000000",
        vdafConfig))).getMessage()).contains("TaskConfig.query_config");
  }

  @Test
  void u64ValuesAbove2To63AreRejected() {
    String ct = "01" + "0001" + "AA" + "00000001" + "BB";
    byte[] collection = hex("01", "8000000000000000", "00".repeat(16), ct, ct);
    DecodeException e = decodeFails(() -> Collection.decode(collection));
    assertThat(e.getMessage()).contains("report_count");
    assertThat(e.offset()).isEqualTo(1);
    assertThat(decodeFails(() -> ReportMetadata.decode(hex("00".repeat(16), "FFFFFFFFFFFFFFFF"))).getMessage())
        .contains("Time");
    assertThat(decodeFails(() -> QueryConfig.decode(hex("FFFFFFFFFFFFFFFF", "0001", "00000001", "01"))).getMessage())
        .contains("Duration");
  }

  @Test
  void constructorsRejectIllegalValues() {
    assertThatThrownBy(() -> new AggregationJobResp(List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AggregationJobContinueReq(0x10000, List.of(Samples.prepareContinue(
        new SplittableRandom(1))))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Extension(0x10000, new byte[0])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AggregateShareReq(new BatchSelector.FixedSize(Samples.batchId()), new byte[0], 1,
        new byte[31])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DpMechanism.Unrecognized(1, new byte[0])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TaskConfig(new byte[256], new io.janus.messages.Url("a"),
        new io.janus.messages.Url("b"), Samples.queryConfig(new SplittableRandom(2)), new io.janus.messages.Time(0),
        Samples.vdafConfig(new SplittableRandom(3)))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void byteArraysAreCopiedInAndOut() {
    byte[] share = {1, 2, 3};
    Report report = new Report(Samples.reportMetadata(new SplittableRandom(4)), share,
        Samples.ciphertext(new SplittableRandom(5)), Samples.ciphertext(new SplittableRandom(6)));
    share[0] = 9;
    assertThat(report.publicShare()).containsExactly(1, 2, 3);
    report.publicShare()[1] = 9;
    assertThat(report.publicShare()).containsExactly(1, 2, 3);
  }
}
