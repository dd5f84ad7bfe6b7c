package io.janus.messages.dap18;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.messages.BatchId;
import io.janus.messages.DecodeException;
import io.janus.messages.Encodable;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.ReportId;
import io.janus.messages.TaskId;
import io.janus.messages.Url;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Known-answer tests: byte strings worked out by hand from the struct definitions of draft-ietf-ppm-dap-18, one
 * field per line, so a change to field order, width or length-prefix size fails here rather than at a peer.
 */
class KnownAnswerTest {
  static final ReportId ID_UP = new ReportId(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
  static final ReportId ID_DOWN = new ReportId(new byte[] {16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1});
  static final String HEX_ID_UP = "0102030405060708090A0B0C0D0E0F10";
  static final String HEX_ID_DOWN = "100F0E0D0C0B0A090807060504030201";
  static final TaskId TASK = new TaskId(filled(32, 0x0C));
  static final BatchId BATCH = new BatchId(filled(32, 0x1F));

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

  static final String HEX_CT42 = String.join("",
      "2A", // config_id
      "0006", // enc length
      "303132333435", // enc
      "00000006", // payload length
      "353433323130"); // payload

  static HpkeCiphertext ct13() {
    return new HpkeCiphertext(13, ascii("abce"), ascii("abfd"));
  }

  static final String HEX_CT13 = String.join("",
      "0D", // config_id
      "0004", // enc length
      "61626365", // enc
      "00000004", // payload length
      "61626664"); // payload

  static ReportMetadata metadataUp() {
    return new ReportMetadata(ID_UP, 12345, List.of());
  }

  static final String HEX_METADATA_UP = String.join("",
      HEX_ID_UP, // report_id
      "0000000000003039", // time: 12345 time-precision units
      "0000"); // public_extensions length

  /** A task configuration with a task_interval extension. */
  static TaskConfiguration configuration() {
    return new TaskConfiguration(ascii("foo"), new Url("L"), new Url("H"), 3600, 100, BatchMode.TIME_INTERVAL,
        new byte[0], 1, new byte[0], List.of(TaskExtension.taskInterval(new Interval(10, 20))));
  }

  static final String HEX_CONFIGURATION = String.join("",
      "03", // task_info length
      "666F6F", // task_info
      "0001", // leader_aggregator_endpoint length
      "4C", // leader_aggregator_endpoint
      "0001", // helper_aggregator_endpoint length
      "48", // helper_aggregator_endpoint
      "0000000000000E10", // time_precision: 3600 s
      "0000000000000064", // min_batch_size: 100
      "01", // batch_mode: time_interval
      "0000", // batch_config length
      "00000001", // vdaf_type
      "0000", // vdaf_configuration length
      "0014", // extensions length
      "0001", //   extension_type: task_interval
      "0010", //   extension_data length
      "000000000000000A", //   task_interval.start
      "0000000000000014"); //   task_interval.duration

  static CollectionJobReq leaderSelectedCollectionJobReq() {
    return new CollectionJobReq(new Query.LeaderSelected(), new byte[0], List.of());
  }

  static final String HEX_LEADER_SELECTED_COLLECTION_JOB_REQ = String.join("",
      "02", // query.batch_mode: leader_selected
      "0000", // query.config length
      "00000000", // agg_param length
      "0000"); // extensions length

  @Test
  void extensions() {
    kat(new Extension(0, new byte[0]), Extension::decode, hex(
        "0000", // extension_type
        "0000")); // extension_data length
    kat(new CollectionJobExtension(0x0101, ascii("ab")), CollectionJobExtension::decode, hex(
        "0101", // extension_type
        "0002", // extension_data length
        "6162")); // extension_data
    kat(AggregationJobExtension.leaderSelectedBatchId(BATCH), AggregationJobExtension::decode, hex(
        "0001", // extension_type: leader_selected_batch_id
        "0020", // extension_data length
        "1F".repeat(32))); // extension_data: BatchID
    kat(TaskExtension.taskInterval(new Interval(10, 20)), TaskExtension::decode, hex(
        "0001", // extension_type: task_interval
        "0010", // extension_data length
        "000000000000000A", // start
        "0000000000000014")); // duration
    assertThat(AggregationJobExtension.leaderSelectedBatchId(BATCH).asLeaderSelectedBatchId()).contains(BATCH);
    assertThat(new AggregationJobExtension(2, new byte[32]).asLeaderSelectedBatchId()).isEmpty();
    assertThat(configuration().taskInterval()).contains(new Interval(10, 20));
  }

  @Test
  void reportMetadata() {
    kat(metadataUp(), ReportMetadata::decode, hex(HEX_METADATA_UP));
    kat(new ReportMetadata(ID_DOWN, 54321, List.of(new Extension(0, new byte[0]), new Extension(1, ascii("0123")))),
        ReportMetadata::decode, hex(
            HEX_ID_DOWN, // report_id
            "000000000000D431", // time: 54321
            "000C", // public_extensions length
            "0000", //   extension_type
            "0000", //   extension_data length
            "0001", //   extension_type
            "0004", //   extension_data length
            "30313233")); //   extension_data
  }

  @Test
  void reportAndUploadRequest() {
    Report up = new Report(metadataUp(), new byte[0], ct42(), ct13());
    String hexUp = String.join("",
        HEX_METADATA_UP, // report_metadata
        "00000000", // public_share length
        HEX_CT42, // leader_encrypted_input_share
        HEX_CT13); // helper_encrypted_input_share
    kat(up, Report::decode, hex(hexUp));
    Report down = new Report(new ReportMetadata(ID_DOWN, 54321, List.of()), ascii("3210"), ct13(), ct42());
    String hexDown = String.join("",
        HEX_ID_DOWN, // report_metadata.report_id
        "000000000000D431", // report_metadata.time
        "0000", // report_metadata.public_extensions length
        "00000004", // public_share length
        "33323130", // public_share
        HEX_CT13, // leader_encrypted_input_share
        HEX_CT42); // helper_encrypted_input_share
    kat(down, Report::decode, hex(hexDown));
    // UploadRequest: the reports end to end, no length prefix.
    kat(new UploadRequest(List.of(up, down)), UploadRequest::decode, hex(hexUp, hexDown));
    kat(new UploadRequest(List.of()), UploadRequest::decode, new byte[0]);
  }

  @Test
  void uploadErrors() {
    kat(new UploadErrors(List.of(new ReportUploadStatus(ID_UP, ReportError.REPORT_REPLAYED),
        new ReportUploadStatus(ID_DOWN, ReportError.OUTDATED_CONFIG))), UploadErrors::decode, hex(
            HEX_ID_UP, // status[0].id
            "02", // status[0].error: report_replayed
            HEX_ID_DOWN, // status[1].id
            "0B")); // status[1].error: outdated_config
    kat(new UploadErrors(List.of()), UploadErrors::decode, new byte[0]);
  }

  @Test
  void plaintextInputShare() {
    kat(new PlaintextInputShare(List.of(), ascii("0123")), PlaintextInputShare::decode, hex(
        "0000", // private_extensions length
        "00000004", // payload length
        "30313233")); // payload
    kat(new PlaintextInputShare(List.of(new Extension(0x00FF, ascii("x"))), ascii("4")), PlaintextInputShare::decode,
        hex(
            "0005", // private_extensions length
            "00FF", //   extension_type
            "0001", //   extension_data length
            "78", //   extension_data
            "00000001", // payload length
            "34")); // payload
  }

  @Test
  void taskConfigurationAndInputShareAad() {
    kat(configuration(), TaskConfiguration::decode, hex(HEX_CONFIGURATION));
    kat(new InputShareAad(TASK, configuration(), new ReportMetadata(ID_UP, 54321, List.of()), ascii("0123")),
        InputShareAad::decode, hex(
            "0C".repeat(32), // task_id
            HEX_CONFIGURATION, // task_configuration
            HEX_ID_UP, // report_metadata.report_id
            "000000000000D431", // report_metadata.time
            "0000", // report_metadata.public_extensions length
            "00000004", // public_share length
            "30313233")); // public_share
  }

  @Test
  void aggregationJobInitReqTimeInterval() {
    VerifyInit init = new VerifyInit(new ReportShare(metadataUp(), new byte[0], ct42()), ascii("ab"));
    kat(new AggregationJobInitReq(7, new byte[0], List.of(), List.of(init)), AggregationJobInitReq::decode, hex(
        "07", // verification_key_id
        "00000000", // agg_param length
        "0000", // extensions length
        HEX_METADATA_UP, // verify_inits[0].report_share.report_metadata
        "00000000", // verify_inits[0].report_share.public_share length
        HEX_CT42, // verify_inits[0].report_share.encrypted_input_share
        "00000002", // verify_inits[0].payload length
        "6162")); // verify_inits[0].payload
  }

  @Test
  void aggregationJobInitReqLeaderSelected() {
    VerifyInit first = new VerifyInit(new ReportShare(metadataUp(), ascii("P"), ct13()), ascii("a"));
    VerifyInit second =
        new VerifyInit(new ReportShare(new ReportMetadata(ID_DOWN, 1, List.of()), new byte[0], ct42()), ascii("b"));
    kat(new AggregationJobInitReq(0, new byte[] {1, 2}, List.of(AggregationJobExtension.leaderSelectedBatchId(BATCH)),
        List.of(first, second)), AggregationJobInitReq::decode, hex(
            "00", // verification_key_id
            "00000002", // agg_param length
            "0102", // agg_param
            "0024", // extensions length
            "0001", //   extension_type: leader_selected_batch_id
            "0020", //   extension_data length
            "1F".repeat(32), //   extension_data: BatchID
            HEX_METADATA_UP, // verify_inits[0].report_share.report_metadata
            "00000001", // verify_inits[0].report_share.public_share length
            "50", // verify_inits[0].report_share.public_share
            HEX_CT13, // verify_inits[0].report_share.encrypted_input_share
            "00000001", // verify_inits[0].payload length
            "61", // verify_inits[0].payload
            HEX_ID_DOWN, // verify_inits[1].report_share.report_metadata.report_id
            "0000000000000001", // verify_inits[1].report_share.report_metadata.time
            "0000", // verify_inits[1].report_share.report_metadata.public_extensions length
            "00000000", // verify_inits[1].report_share.public_share length
            HEX_CT42, // verify_inits[1].report_share.encrypted_input_share
            "00000001", // verify_inits[1].payload length
            "62")); // verify_inits[1].payload
  }

  @Test
  void aggregationJobRespAndItsNotReadyForm() {
    kat(new AggregationJobResp(List.of(
        new VerifyResp(ID_UP, new VerifyResp.Continue(ascii("0123"))),
        new VerifyResp(ID_DOWN, new VerifyResp.Finish()),
        new VerifyResp(ID_UP, new VerifyResp.Reject(ReportError.VDAF_VERIFY_ERROR)))), AggregationJobResp::decode, hex(
            HEX_ID_UP, // verify_resps[0].report_id
            "00", // verify_resps[0].verify_resp_type: continue
            "00000004", // verify_resps[0].payload length
            "30313233", // verify_resps[0].payload
            HEX_ID_DOWN, // verify_resps[1].report_id
            "01", // verify_resps[1].verify_resp_type: finish
            HEX_ID_UP, // verify_resps[2].report_id
            "02", // verify_resps[2].verify_resp_type: reject
            "06")); // verify_resps[2].report_error: vdaf_verify_error
    // Draft 18 has no status field: "processing" is a 2xx with an empty body (section 3.1).
    assertThat(Dap18.isNotReady(200, new byte[0])).isTrue();
    assertThat(Dap18.isNotReady(202, new byte[0])).isTrue();
    assertThat(Dap18.isNotReady(200, hex(HEX_ID_DOWN, "01"))).isFalse();
    assertThat(Dap18.isNotReady(400, new byte[0])).isFalse();
  }

  @Test
  void aggregationJobContinueReq() {
    kat(new AggregationJobContinueReq(1, List.of(new VerifyContinue(ID_UP, ascii("0123")),
        new VerifyContinue(ID_DOWN, ascii("4")))), AggregationJobContinueReq::decode, hex(
            "0001", // step
            HEX_ID_UP, // verify_continues[0].report_id
            "00000004", // verify_continues[0].payload length
            "30313233", // verify_continues[0].payload
            HEX_ID_DOWN, // verify_continues[1].report_id
            "00000001", // verify_continues[1].payload length
            "34")); // verify_continues[1].payload
  }

  @Test
  void queries() {
    kat(new Query.TimeInterval(new Interval(1659544, 1)), Query::decode, hex(
        "01", // batch_mode: time_interval
        "0010", // config length
        "0000000000195298", // config.batch_interval.start: 1659544
        "0000000000000001")); // config.batch_interval.duration: 1
    kat(new Query.LeaderSelected(), Query::decode, hex(
        "02", // batch_mode: leader_selected
        "0000")); // config length: empty
  }

  @Test
  void collectionJobReq() {
    kat(leaderSelectedCollectionJobReq(), CollectionJobReq::decode, hex(HEX_LEADER_SELECTED_COLLECTION_JOB_REQ));
    kat(new CollectionJobReq(new Query.TimeInterval(new Interval(1659544, 100)), new byte[] {0, 1},
        List.of(new CollectionJobExtension(0x0101, ascii("ab")))), CollectionJobReq::decode, hex(
            "01", // query.batch_mode: time_interval
            "0010", // query.config length
            "0000000000195298", // query.config.batch_interval.start
            "0000000000000064", // query.config.batch_interval.duration: 100
            "00000002", // agg_param length
            "0001", // agg_param
            "0006", // extensions length
            "0101", //   extension_type
            "0002", //   extension_data length
            "6162")); //   extension_data
  }

  @Test
  void collectionJobResp() {
    kat(new CollectionJobResp(1000, new Interval(16595440, 1), ct42(), ct13()), CollectionJobResp::decode, hex(
        "00000000000003E8", // report_count: 1000
        "0000000000FD39F0", // interval.start: 16595440
        "0000000000000001", // interval.duration
        HEX_CT42, // leader_encrypted_agg_share
        HEX_CT13)); // helper_encrypted_agg_share
  }

  @Test
  void batchSelectors() {
    kat(new BatchSelector.TimeInterval(new Interval(1659544, 10)), BatchSelector::decode, hex(
        "01", // batch_mode: time_interval
        "0010", // config length
        "0000000000195298", // config.batch_interval.start
        "000000000000000A")); // config.batch_interval.duration
    kat(new BatchSelector.LeaderSelected(BATCH), BatchSelector::decode, hex(
        "02", // batch_mode: leader_selected
        "0020", // config length
        "1F".repeat(32))); // config.batch_id
  }

  @Test
  void aggregateShareReqShareAndAad() {
    kat(new AggregateShareReq(leaderSelectedCollectionJobReq(), new BatchSelector.LeaderSelected(BATCH), 1000,
        filled(32, 0x0A)), AggregateShareReq::decode, hex(
            HEX_LEADER_SELECTED_COLLECTION_JOB_REQ, // collection_job_req
            "02", // batch_selector.batch_mode: leader_selected
            "0020", // batch_selector.config length
            "1F".repeat(32), // batch_selector.config.batch_id
            "00000000000003E8", // report_count
            "0A".repeat(32))); // checksum
    kat(new AggregateShare(ct42()), AggregateShare::decode, hex(HEX_CT42));
    kat(new AggregateShareAad(TASK, configuration(), leaderSelectedCollectionJobReq()), AggregateShareAad::decode, hex(
        "0C".repeat(32), // task_id
        HEX_CONFIGURATION, // task_configuration
        HEX_LEADER_SELECTED_COLLECTION_JOB_REQ)); // collection_job_req
  }

  @Test
  void vdafConfigurations() {
    assertThat(new VdafConfiguration.Prio3Count().configuration()).isEmpty();
    assertThat(new VdafConfiguration.Prio3Sum(255).configuration()).isEqualTo(hex(
        "00000000000000FF")); // max_measurement
    assertThat(new VdafConfiguration.Prio3SumVec(10, 255, 3).configuration()).isEqualTo(hex(
        "0000000A", // length
        "00000000000000FF", // max_measurement
        "00000003")); // chunk_length
    assertThat(new VdafConfiguration.Prio3Histogram(4, 2).configuration()).isEqualTo(hex(
        "00000004", // length
        "00000002")); // chunk_length
    assertThat(new VdafConfiguration.Prio3MultihotCountVec(4, 2, 3).configuration()).isEqualTo(hex(
        "00000004", // length
        "00000002", // chunk_length
        "0000000000000003")); // max_weight
    assertThat(new VdafConfiguration.Poplar1(256).configuration()).isEqualTo(hex(
        "0100")); // bits
    assertThat(VdafConfiguration.decode(3, hex("0000000A", "00000000000000FF", "00000003")))
        .contains(new VdafConfiguration.Prio3SumVec(10, 255, 3));
    assertThat(VdafConfiguration.decode(0xFFFF1003L, new byte[] {1})).isEmpty();
    assertThat(configuration().vdaf()).contains(new VdafConfiguration.Prio3Count());
    assertThatThrownBy(() -> VdafConfiguration.decode(1, new byte[] {0}))
        .isInstanceOf(DecodeException.class).hasMessageContaining("trailing");
    assertThatThrownBy(() -> VdafConfiguration.decode(4, new byte[4]))
        .isInstanceOf(DecodeException.class).hasMessageContaining("chunk_length");
  }

  @Test
  void reportErrorCodesAreDraft18s() {
    assertThat(Arrays.stream(ReportError.values()).mapToInt(ReportError::code))
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    assertThat(ReportError.values()).extracting(Enum::name).containsExactly("BATCH_COLLECTED", "REPORT_REPLAYED",
        "REPORT_DROPPED", "HPKE_UNKNOWN_CONFIG_ID", "HPKE_DECRYPT_ERROR", "VDAF_VERIFY_ERROR", "TASK_EXPIRED",
        "INVALID_MESSAGE", "REPORT_TOO_EARLY", "TASK_NOT_STARTED", "OUTDATED_CONFIG");
    assertThat(ReportError.fromCode(0)).isEmpty();
    assertThat(ReportError.fromCode(12)).isEmpty();
    assertThat(BatchMode.TIME_INTERVAL.code()).isEqualTo(1);
    assertThat(BatchMode.LEADER_SELECTED.code()).isEqualTo(2);
    assertThat(BatchMode.fromCode(0)).isEmpty();
    assertThat(VerifyResp.TYPE_CONTINUE).isZero();
    assertThat(VerifyResp.TYPE_FINISH).isEqualTo(1);
    assertThat(VerifyResp.TYPE_REJECT).isEqualTo(2);
  }
}
