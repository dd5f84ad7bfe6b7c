package io.janus.messages.dap09;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.messages.BatchId;
import io.janus.messages.DapDuration;
import io.janus.messages.Encodable;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.Interval;
import io.janus.messages.ReportId;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.messages.Url;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Known-answer tests: the byte strings are the ones Janus release/0.7 pins in its message tests
 * ({@code messages/src/tests/*.rs}, {@code messages/src/taskprov.rs}), annotated one field per line.
 */
class KnownAnswerTest {
  private static final ReportId ID_UP = new ReportId(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
  private static final ReportId ID_DOWN =
      new ReportId(new byte[] {16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1});
  private static final Interval INTERVAL = new Interval(new Time(54321), DapDuration.ofSeconds(12345));

  /** Joins annotated hex fragments. */
  static byte[] hex(String... parts) {
    return HexFormat.of().parseHex(String.join("", parts).toLowerCase());
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] filled(int n, int b) {
    byte[] out = new byte[n];
    Arrays.fill(out, (byte) b);
    return out;
  }

  /** Asserts {@code value} encodes to {@code expected} and {@code expected} decodes to {@code value}. */
  static void kat(Encodable value, Function<byte[], ?> decoder, byte[] expected) {
    assertThat(HexFormat.of().formatHex(value.toBytes())).isEqualTo(HexFormat.of().formatHex(expected));
    assertThat(decoder.apply(expected)).isEqualTo(value);
  }

  static HpkeCiphertext ct42() {
    return new HpkeCiphertext(42, ascii("012345"), ascii("543210"));
  }

  static HpkeCiphertext ct13() {
    return new HpkeCiphertext(13, ascii("abce"), ascii("abfd"));
  }

  @Test
  void extension() {
    kat(new Extension(Dap09.EXTENSION_TBD, new byte[0]), Extension::decode, hex(
        "0000", // extension_type
        "0000")); // extension_data length
    kat(new Extension(Dap09.EXTENSION_TASKPROV, ascii("0123")), Extension::decode, hex(
        "FF00", // extension_type
        "0004", // extension_data length
        "30313233")); // extension_data
  }

  @Test
  void reportMetadata() {
    kat(new ReportMetadata(ID_UP, new Time(12345)), ReportMetadata::decode, hex(
        "0102030405060708090A0B0C0D0E0F10", // report_id
        "0000000000003039")); // time
    kat(new ReportMetadata(ID_DOWN, new Time(54321)), ReportMetadata::decode, hex(
        "100F0E0D0C0B0A090807060504030201", // report_id
        "000000000000D431")); // time
  }

  @Test
  void plaintextInputShare() {
    kat(new PlaintextInputShare(List.of(), ascii("0123")), PlaintextInputShare::decode, hex(
        "0000", // extensions length
        "00000004", // payload length
        "30313233")); // payload
    kat(new PlaintextInputShare(List.of(new Extension(0, ascii("0123"))), ascii("4567")),
        PlaintextInputShare::decode, hex(
            "0008", // extensions length
            "0000", //   extension_type
            "0004", //   extension_data length
            "30313233", //   extension_data
            "00000004", // payload length
            "34353637")); // payload
  }

  @Test
  void report() {
    kat(new Report(new ReportMetadata(ID_UP, new Time(12345)), new byte[0], ct42(), ct13()), Report::decode, hex(
        "0102030405060708090A0B0C0D0E0F10", // metadata.report_id
        "0000000000003039", // metadata.time
        "00000000", // public_share length
        "2A", // leader_encrypted_input_share.config_id
        "0006", // leader_encrypted_input_share.enc length
        "303132333435", // leader_encrypted_input_share.enc
        "00000006", // leader_encrypted_input_share.payload length
        "353433323130", // leader_encrypted_input_share.payload
        "0D", // helper_encrypted_input_share.config_id
        "0004", // helper_encrypted_input_share.enc length
        "61626365", // helper_encrypted_input_share.enc
        "00000004", // helper_encrypted_input_share.payload length
        "61626664")); // helper_encrypted_input_share.payload
    kat(new Report(new ReportMetadata(ID_DOWN, new Time(54321)), ascii("3210"), ct42(), ct13()), Report::decode, hex(
        "100F0E0D0C0B0A090807060504030201", // metadata.report_id
        "000000000000D431", // metadata.time
        "00000004", // public_share length
        "33323130", // public_share
        "2A", // leader_encrypted_input_share.config_id
        "0006", // leader_encrypted_input_share.enc length
        "303132333435", // leader_encrypted_input_share.enc
        "00000006", // leader_encrypted_input_share.payload length
        "353433323130", // leader_encrypted_input_share.payload
        "0D", // helper_encrypted_input_share.config_id
        "0004", // helper_encrypted_input_share.enc length
        "61626365", // helper_encrypted_input_share.enc
        "00000004", // helper_encrypted_input_share.payload length
        "61626664")); // helper_encrypted_input_share.payload
  }

  @Test
  void inputShareAad() {
    kat(new InputShareAad(new TaskId(filled(32, 12)), new ReportMetadata(ID_UP, new Time(54321)), ascii("0123")),
        InputShareAad::decode, hex(
            "0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C", // task_id
            "0102030405060708090A0B0C0D0E0F10", // metadata.report_id
            "000000000000D431", // metadata.time
            "00000004", // public_share length
            "30313233")); // public_share
  }

  @Test
  void reportShare() {
    kat(new ReportShare(new ReportMetadata(ID_DOWN, new Time(73542)), ascii("0123"), ct13()), ReportShare::decode,
        hex(
            "100F0E0D0C0B0A090807060504030201", // metadata.report_id
            "0000000000011F46", // metadata.time
            "00000004", // public_share length
            "30313233", // public_share
            "0D", // encrypted_input_share.config_id
            "0004", // encrypted_input_share.enc length
            "61626365", // encrypted_input_share.enc
            "00000004", // encrypted_input_share.payload length
            "61626664")); // encrypted_input_share.payload
  }

  @Test
  void prepareResp() {
    kat(new PrepareResp(ID_UP, new PrepareResp.Continue(hex("01", "00000006", "303132333435", "00000004", "36373839"))),
        PrepareResp::decode, hex(
            "0102030405060708090A0B0C0D0E0F10", // report_id
            "00", // prepare_resp_state = continue
            "00000013", // payload length
            "01", //   ping-pong message type = continue
            "00000006", //   prep_msg length
            "303132333435", //   prep_msg
            "00000004", //   prep_share length
            "36373839")); //   prep_share
    kat(new PrepareResp(ID_DOWN, new PrepareResp.Finished()), PrepareResp::decode, hex(
        "100F0E0D0C0B0A090807060504030201", // report_id
        "01")); // prepare_resp_state = finished
    kat(new PrepareResp(new ReportId(filled(16, 0xff)), new PrepareResp.Reject(PrepareError.VDAF_PREP_ERROR)),
        PrepareResp::decode, hex(
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", // report_id
            "02", // prepare_resp_state = reject
            "05")); // prepare_error = vdaf_prep_error
  }

  @Test
  void prepareErrorCodes() {
    PrepareError[] all = PrepareError.values();
    for (int code = 0; code < all.length; code++) {
      assertThat(all[code].code()).isEqualTo(code);
    }
    assertThat(all).containsExactly(PrepareError.BATCH_COLLECTED, PrepareError.REPORT_REPLAYED,
        PrepareError.REPORT_DROPPED, PrepareError.HPKE_UNKNOWN_CONFIG_ID, PrepareError.HPKE_DECRYPT_ERROR,
        PrepareError.VDAF_PREP_ERROR, PrepareError.BATCH_SATURATED, PrepareError.TASK_EXPIRED,
        PrepareError.INVALID_MESSAGE, PrepareError.REPORT_TOO_EARLY);
  }

  private static List<PrepareInit> twoPrepareInits() {
    return List.of(
        new PrepareInit(new ReportShare(new ReportMetadata(ID_UP, new Time(54321)), new byte[0], ct42()),
            hex("00", "00000006", "303132333435")),
        new PrepareInit(new ReportShare(new ReportMetadata(ID_DOWN, new Time(73542)), ascii("0123"), ct13()),
            hex("02", "00000000")));
  }

  private static final String[] TWO_PREPARE_INITS = {
    "00000076", // prepare_inits length
    "0102030405060708090A0B0C0D0E0F10", //   report_share.metadata.report_id
    "000000000000D431", //   report_share.metadata.time
    "00000000", //   report_share.public_share length
    "2A", //   report_share.encrypted_input_share.config_id
    "0006", //   report_share.encrypted_input_share.enc length
    "303132333435", //   report_share.encrypted_input_share.enc
    "00000006", //   report_share.encrypted_input_share.payload length
    "353433323130", //   report_share.encrypted_input_share.payload
    "0000000B", //   payload length
    "00", //     ping-pong message type = initialize
    "00000006", //     prep_share length
    "303132333435", //     prep_share
    "100F0E0D0C0B0A090807060504030201", //   report_share.metadata.report_id
    "0000000000011F46", //   report_share.metadata.time
    "00000004", //   report_share.public_share length
    "30313233", //   report_share.public_share
    "0D", //   report_share.encrypted_input_share.config_id
    "0004", //   report_share.encrypted_input_share.enc length
    "61626365", //   report_share.encrypted_input_share.enc
    "00000004", //   report_share.encrypted_input_share.payload length
    "61626664", //   report_share.encrypted_input_share.payload
    "00000005", //   payload length
    "02", //     ping-pong message type = finish
    "00000000", //     prep_msg length
  };

  @Test
  void aggregationJobInitReqTimeInterval() {
    kat(new AggregationJobInitReq(ascii("012345"), PartialBatchSelector.TIME_INTERVAL, twoPrepareInits()),
        AggregationJobInitReq::decode, hex(
            "00000006", // agg_param length
            "303132333435", // agg_param
            "01", // part_batch_selector.query_type = time_interval
            String.join("", TWO_PREPARE_INITS)));
  }

  @Test
  void aggregationJobInitReqFixedSize() {
    kat(new AggregationJobInitReq(ascii("012345"), new PartialBatchSelector.FixedSize(new BatchId(filled(32, 2))),
        twoPrepareInits()), AggregationJobInitReq::decode, hex(
            "00000006", // agg_param length
            "303132333435", // agg_param
            "02", // part_batch_selector.query_type = fixed_size
            "0202020202020202020202020202020202020202020202020202020202020202", // part_batch_selector.batch_id
            String.join("", TWO_PREPARE_INITS)));
  }

  @Test
  void aggregationJobContinueReq() {
    byte[] init = hex("00", "00000006", "303132333435");
    kat(new AggregationJobContinueReq(42405, List.of(new PrepareContinue(ID_UP, init), new PrepareContinue(ID_DOWN,
        init))), AggregationJobContinueReq::decode, hex(
            "A5A5", // step
            "0000003E", // prepare_continues length
            "0102030405060708090A0B0C0D0E0F10", //   report_id
            "0000000B", //   payload length
            "00", //     ping-pong message type = initialize
            "00000006", //     prep_share length
            "303132333435", //     prep_share
            "100F0E0D0C0B0A090807060504030201", //   report_id
            "0000000B", //   payload length
            "00", //     ping-pong message type = initialize
            "00000006", //     prep_share length
            "303132333435")); //     prep_share
  }

  @Test
  void aggregationJobResp() {
    kat(new AggregationJobResp(List.of(
        new PrepareResp(ID_UP, new PrepareResp.Continue(hex("01", "00000005", "3031323334", "00000005", "3536373839"))),
        new PrepareResp(ID_DOWN, new PrepareResp.Finished()))), AggregationJobResp::decode, hex(
            "00000039", // prepare_resps length
            "0102030405060708090A0B0C0D0E0F10", //   report_id
            "00", //   prepare_resp_state = continue
            "00000013", //   payload length
            "01", //     ping-pong message type = continue
            "00000005", //     prep_msg length
            "3031323334", //     prep_msg
            "00000005", //     prep_share length
            "3536373839", //     prep_share
            "100F0E0D0C0B0A090807060504030201", //   report_id
            "01")); //   prepare_resp_state = finished
  }

  @Test
  void collectionReq() {
    kat(new CollectionReq(new Query.TimeInterval(INTERVAL), new byte[0]), CollectionReq::decode, hex(
        "01", // query.query_type = time_interval
        "000000000000D431", // query.batch_interval.start
        "0000000000003039", // query.batch_interval.duration
        "00000000")); // agg_param length
    kat(new CollectionReq(new Query.TimeInterval(new Interval(new Time(48913), DapDuration.ofSeconds(44721))),
        ascii("012345")), CollectionReq::decode, hex(
            "01", // query.query_type = time_interval
            "000000000000BF11", // query.batch_interval.start
            "000000000000AEB1", // query.batch_interval.duration
            "00000006", // agg_param length
            "303132333435")); // agg_param
    kat(new CollectionReq(new Query.FixedSize(new FixedSizeQuery.ByBatchId(new BatchId(filled(32, 10)))),
        new byte[0]), CollectionReq::decode, hex(
            "02", // query.query_type = fixed_size
            "00", // query.fixed_size_query.query_type = by_batch_id
            "0A0A0A0A0A0A0A0A0A0A0A0A0A0A0A0A0A0A0A0A0A0A0A0A0A0A0A0A0A0A0A0A", // query.fixed_size_query.batch_id
            "00000000")); // agg_param length
    kat(new CollectionReq(new Query.FixedSize(FixedSizeQuery.CURRENT), ascii("012345")), CollectionReq::decode, hex(
        "02", // query.query_type = fixed_size
        "01", // query.fixed_size_query.query_type = current_batch
        "00000006", // agg_param length
        "303132333435")); // agg_param
  }

  @Test
  void partialBatchSelector() {
    kat(PartialBatchSelector.TIME_INTERVAL, PartialBatchSelector::decode, hex(
        "01")); // query_type = time_interval
    kat(new PartialBatchSelector.FixedSize(new BatchId(filled(32, 3))), PartialBatchSelector::decode, hex(
        "02", // query_type = fixed_size
        "0303030303030303030303030303030303030303030303030303030303030303")); // batch_id
  }

  private static final String[] TWO_AGG_SHARES = {
    "0A", // leader_encrypted_agg_share.config_id
    "0004", // leader_encrypted_agg_share.enc length
    "30313233", // leader_encrypted_agg_share.enc
    "00000004", // leader_encrypted_agg_share.payload length
    "34353637", // leader_encrypted_agg_share.payload
    "0C", // helper_encrypted_agg_share.config_id
    "0005", // helper_encrypted_agg_share.enc length
    "3031323334", // helper_encrypted_agg_share.enc
    "00000003", // helper_encrypted_agg_share.payload length
    "353637", // helper_encrypted_agg_share.payload
  };

  @Test
  void collection() {
    HpkeCiphertext leader = new HpkeCiphertext(10, ascii("0123"), ascii("4567"));
    HpkeCiphertext helper = new HpkeCiphertext(12, ascii("01234"), ascii("567"));
    kat(new Collection(PartialBatchSelector.TIME_INTERVAL, 0, INTERVAL, leader, helper), Collection::decode, hex(
        "01", // part_batch_selector.query_type = time_interval
        "0000000000000000", // report_count
        "000000000000D431", // interval.start
        "0000000000003039", // interval.duration
        String.join("", TWO_AGG_SHARES)));
    kat(new Collection(PartialBatchSelector.TIME_INTERVAL, 23, INTERVAL, leader, helper), Collection::decode, hex(
        "01", // part_batch_selector.query_type = time_interval
        "0000000000000017", // report_count
        "000000000000D431", // interval.start
        "0000000000003039", // interval.duration
        String.join("", TWO_AGG_SHARES)));
    kat(new Collection(new PartialBatchSelector.FixedSize(new BatchId(filled(32, 3))), 0, INTERVAL, leader, helper),
        Collection::decode, hex(
            "02", // part_batch_selector.query_type = fixed_size
            "0303030303030303030303030303030303030303030303030303030303030303", // part_batch_selector.batch_id
            "0000000000000000", // report_count
            "000000000000D431", // interval.start
            "0000000000003039", // interval.duration
            String.join("", TWO_AGG_SHARES)));
  }

  @Test
  void batchSelector() {
    kat(new BatchSelector.TimeInterval(new Interval(new Time(50821), DapDuration.ofSeconds(84354))),
        BatchSelector::decode, hex(
            "01", // query_type = time_interval
            "000000000000C685", // batch_interval.start
            "0000000000014982")); // batch_interval.duration
    kat(new BatchSelector.FixedSize(new BatchId(filled(32, 12))), BatchSelector::decode, hex(
        "02", // query_type = fixed_size
        "0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C")); // batch_id
  }

  @Test
  void aggregateShareReq() {
    kat(new AggregateShareReq(new BatchSelector.TimeInterval(INTERVAL), new byte[0], 439, filled(32, 0)),
        AggregateShareReq::decode, hex(
            "01", // batch_selector.query_type = time_interval
            "000000000000D431", // batch_selector.batch_interval.start
            "0000000000003039", // batch_selector.batch_interval.duration
            "00000000", // agg_param length
            "00000000000001B7", // report_count
            "0000000000000000000000000000000000000000000000000000000000000000")); // checksum
    kat(new AggregateShareReq(new BatchSelector.FixedSize(new BatchId(filled(32, 7))), ascii("012345"), 8725,
        filled(32, 0xff)), AggregateShareReq::decode, hex(
            "02", // batch_selector.query_type = fixed_size
            "0707070707070707070707070707070707070707070707070707070707070707", // batch_selector.batch_id
            "00000006", // agg_param length
            "303132333435", // agg_param
            "0000000000002215", // report_count
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF")); // checksum
  }

  @Test
  void aggregateShare() {
    kat(new AggregateShare(new HpkeCiphertext(12, ascii("01234"), ascii("567"))), AggregateShare::decode, hex(
        "0C", // encrypted_aggregate_share.config_id
        "0005", // encrypted_aggregate_share.enc length
        "3031323334", // encrypted_aggregate_share.enc
        "00000003", // encrypted_aggregate_share.payload length
        "353637")); // encrypted_aggregate_share.payload
  }

  @Test
  void aggregateShareAad() {
    kat(new AggregateShareAad(new TaskId(filled(32, 12)), new byte[] {0, 1, 2, 3},
        new BatchSelector.TimeInterval(INTERVAL)), AggregateShareAad::decode, hex(
            "0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C0C", // task_id
            "00000004", // agg_param length
            "00010203", // agg_param
            "01", // batch_selector.query_type = time_interval
            "000000000000D431", // batch_selector.batch_interval.start
            "0000000000003039")); // batch_selector.batch_interval.duration
    kat(new AggregateShareAad(new TaskId(filled(32, 0)), new byte[] {3, 2, 1, 0},
        new BatchSelector.FixedSize(new BatchId(filled(32, 7)))), AggregateShareAad::decode, hex(
            "0000000000000000000000000000000000000000000000000000000000000000", // task_id
            "00000004", // agg_param length
            "03020100", // agg_param
            "02", // batch_selector.query_type = fixed_size
            "0707070707070707070707070707070707070707070707070707070707070707")); // batch_selector.batch_id
  }

  @Test
  void dpConfig() {
    kat(new DpConfig(new DpMechanism.Unrecognized(0, new byte[0])), DpConfig::decode, hex(
        "00")); // dp_mechanism = reserved
    kat(new DpConfig(new DpMechanism.None()), DpConfig::decode, hex(
        "01")); // dp_mechanism = none
    kat(new DpConfig(new DpMechanism.Unrecognized(0xff, hex("DEADBEEF"))), DpConfig::decode, hex(
        "FF", // dp_mechanism
        "DEADBEEF")); // uninterpreted rest of the config
  }

  @Test
  void vdafType() {
    kat(new VdafType.Prio3Count(), VdafType::decode, hex(
        "00000000")); // vdaf_type
    kat(new VdafType.Prio3Sum(0x80), VdafType::decode, hex(
        "00000001", // vdaf_type
        "80")); // bits
    kat(new VdafType.Prio3SumVec(12, 8, 14), VdafType::decode, hex(
        "00000002", // vdaf_type
        "0000000C", // length
        "08", // bits
        "0000000E")); // chunk_length
    kat(new VdafType.Prio3SumVecField64MultiproofHmacSha256Aes128(12, 8, 14, 2), VdafType::decode, hex(
        "FFFF1003", // vdaf_type
        "0000000C", // length
        "08", // bits
        "0000000E", // chunk_length
        "02")); // proofs
    kat(new VdafType.Prio3Histogram(256, 18), VdafType::decode, hex(
        "00000003", // vdaf_type
        "00000100", // length
        "00000012")); // chunk_length
    kat(new VdafType.Poplar1(0xABAB), VdafType::decode, hex(
        "00001000", // vdaf_type
        "ABAB")); // bits
  }

  @Test
  void queryConfig() {
    kat(new QueryConfig(DapDuration.ofSeconds(0x3C), 0x40, 0x24, new QueryConfig.TimeInterval()), QueryConfig::decode,
        hex(
            "000000000000003C", // time_precision
            "0040", // max_batch_query_count
            "00000024", // min_batch_size
            "01")); // query_type = time_interval
    kat(new QueryConfig(DapDuration.ofSeconds(0x3C), 0x40, 0x24, new QueryConfig.FixedSize(0xFAFA)),
        QueryConfig::decode, hex(
            "000000000000003C", // time_precision
            "0040", // max_batch_query_count
            "00000024", // min_batch_size
            "02", // query_type = fixed_size
            "0000FAFA")); // max_batch_size
    kat(new QueryConfig(DapDuration.ZERO, 0xFFFF, 0xFFFF_FFFFL, new QueryConfig.FixedSize(0xFFFF_FFFFL)),
        QueryConfig::decode, hex(
            "0000000000000000", // time_precision
            "FFFF", // max_batch_query_count
            "FFFFFFFF", // min_batch_size
            "02", // query_type = fixed_size
            "FFFFFFFF")); // max_batch_size
  }

  @Test
  void taskConfig() {
    Url leader = new Url("https://example.com/");
    Url helper = new Url("https://another.example.com/");
    kat(new TaskConfig(ascii("foobar"), leader, helper,
        new QueryConfig(DapDuration.ofSeconds(0xAAAA), 0xBBBB, 0xCCCC, new QueryConfig.FixedSize(0xDDDD)),
        new Time(0xEEEE), new VdafConfig(new DpConfig(new DpMechanism.None()), new VdafType.Prio3Count())),
        TaskConfig::decode, hex(
            "06", // task_info length
            "666F6F626172", // task_info
            "0014", // leader_aggregator_endpoint length
            "68747470733A2F2F6578616D706C652E636F6D2F", // leader_aggregator_endpoint
            "001C", // helper_aggregator_endpoint length
            "68747470733A2F2F616E6F746865722E6578616D706C652E636F6D2F", // helper_aggregator_endpoint
            "0013", // query_config length
            "000000000000AAAA", //   time_precision
            "BBBB", //   max_batch_query_count
            "0000CCCC", //   min_batch_size
            "02", //   query_type = fixed_size
            "0000DDDD", //   max_batch_size
            "000000000000EEEE", // task_expiration
            "0007", // vdaf_config length
            "0001", //   dp_config length
            "01", //     dp_mechanism = none
            "00000000")); //   vdaf_type = prio3_count
    kat(new TaskConfig(ascii("f"), leader, helper,
        new QueryConfig(DapDuration.ofSeconds(0xAAAA), 0xBBBB, 0xCCCC, new QueryConfig.TimeInterval()),
        new Time(0xEEEE), new VdafConfig(new DpConfig(new DpMechanism.None()), new VdafType.Prio3Histogram(10, 4))),
        TaskConfig::decode, hex(
            "01", // task_info length
            "66", // task_info
            "0014", // leader_aggregator_endpoint length
            "68747470733A2F2F6578616D706C652E636F6D2F", // leader_aggregator_endpoint
            "001C", // helper_aggregator_endpoint length
            "68747470733A2F2F616E6F746865722E6578616D706C652E636F6D2F", // helper_aggregator_endpoint
            "000F", // query_config length
            "000000000000AAAA", //   time_precision
            "BBBB", //   max_batch_query_count
            "0000CCCC", //   min_batch_size
            "01", //   query_type = time_interval
            "000000000000EEEE", // task_expiration
            "000F", // vdaf_config length
            "0001", //   dp_config length
            "01", //     dp_mechanism = none
            "00000003", //   vdaf_type = prio3_histogram
            "0000000A", //   length
            "00000004")); //   chunk_length
  }
}
