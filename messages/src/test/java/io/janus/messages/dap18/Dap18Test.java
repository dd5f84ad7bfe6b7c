package io.janus.messages.dap18;

import static io.janus.messages.dap18.KnownAnswerTest.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.messages.AggregationJobId;
import io.janus.messages.CollectionJobId;
import io.janus.messages.DapProblemType;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The draft-18 constants: HPKE info bytes, VDAF context, media types, routes and problem types. */
class Dap18Test {
  @Test
  void inputShareInfoIsLabelThenClientThenRecipient() {
    // "dap-18 input share" in ASCII, then Role.client, then the recipient's role (section 4.4.2.1).
    assertThat(HexFormat.of().formatHex(Dap18.inputShareInfo(Role.LEADER)))
        .isEqualTo("6461702d313820696e707574207368617265" + "01" + "02");
    assertThat(HexFormat.of().formatHex(Dap18.inputShareInfo(Role.HELPER)))
        .isEqualTo("6461702d313820696e707574207368617265" + "01" + "03");
  }

  @Test
  void aggregateShareInfoIsLabelThenSenderThenCollector() {
    // "dap-18 aggregate share" in ASCII, then the sender's role, then Role.collector (section 4.6.7).
    assertThat(Dap18.aggregateShareInfo(Role.LEADER))
        .isEqualTo(hex("6461702d313820616767726567617465207368617265", "02", "00"));
    assertThat(Dap18.aggregateShareInfo(Role.HELPER))
        .isEqualTo(hex("6461702d313820616767726567617465207368617265", "03", "00"));
    assertThatThrownBy(() -> Dap18.inputShareInfo(Role.CLIENT)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Dap18.aggregateShareInfo(Role.COLLECTOR)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void vdafContextIsVersionThenTaskId() {
    assertThat(Dap18.vdafContext(KnownAnswerTest.TASK)).isEqualTo(hex("6461702d3138", "0C".repeat(32)));
  }

  @Test
  void mediaTypesMatchTheDraftAndTheRecords() {
    assertThat(Dap18.MEDIA_TYPES).containsExactlyInAnyOrder(
        "application/ppm-dap;message=hpke-config-list", "application/ppm-dap;message=upload-req",
        "application/ppm-dap;message=upload-errors", "application/ppm-dap;message=aggregation-job-init-req",
        "application/ppm-dap;message=aggregation-job-resp", "application/ppm-dap;message=aggregation-job-continue-req",
        "application/ppm-dap;message=aggregate-share-req", "application/ppm-dap;message=aggregate-share",
        "application/ppm-dap;message=collection-job-req", "application/ppm-dap;message=collection-job-resp");
    assertThat(UploadRequest.MEDIA_TYPE).isEqualTo("application/ppm-dap;message=upload-req");
    assertThat(UploadErrors.MEDIA_TYPE).isEqualTo("application/ppm-dap;message=upload-errors");
    assertThat(AggregationJobInitReq.MEDIA_TYPE).isEqualTo("application/ppm-dap;message=aggregation-job-init-req");
    assertThat(AggregationJobResp.MEDIA_TYPE).isEqualTo("application/ppm-dap;message=aggregation-job-resp");
    assertThat(AggregationJobContinueReq.MEDIA_TYPE)
        .isEqualTo("application/ppm-dap;message=aggregation-job-continue-req");
    assertThat(CollectionJobReq.MEDIA_TYPE).isEqualTo("application/ppm-dap;message=collection-job-req");
    assertThat(CollectionJobResp.MEDIA_TYPE).isEqualTo("application/ppm-dap;message=collection-job-resp");
    assertThat(AggregateShareReq.MEDIA_TYPE).isEqualTo("application/ppm-dap;message=aggregate-share-req");
    assertThat(AggregateShare.MEDIA_TYPE).isEqualTo("application/ppm-dap;message=aggregate-share");
  }

  @Test
  void contentTypesAreMatchedLikeHttpMediaTypes() {
    assertThat(Dap18.message("application/ppm-dap;message=upload-req")).contains("upload-req");
    assertThat(Dap18.message("Application/PPM-DAP ; Message=\"upload-req\" ; version=18")).contains("upload-req");
    assertThat(Dap18.message("application/ppm-dap;version=18;message=upload-req")).contains("upload-req");
    assertThat(Dap18.message("application/ppm-dap")).isEmpty();
    assertThat(Dap18.message("application/dap-report")).isEmpty();
    assertThat(Dap18.message("")).isEmpty();
    assertThat(Dap18.isMediaType("application/ppm-dap; message=upload-req", Dap18.MEDIA_TYPE_UPLOAD_REQ)).isTrue();
    assertThat(Dap18.isMediaType("application/ppm-dap;message=upload-errors", Dap18.MEDIA_TYPE_UPLOAD_REQ)).isFalse();
  }

  @Test
  void routesExpandWithBase64UrlIds() {
    TaskId task = new TaskId(new byte[32]);
    AggregationJobId job = new AggregationJobId(new byte[16]);
    CollectionJobId coll = new CollectionJobId(new byte[16]);
    String t = "A".repeat(43);
    String j = "A".repeat(22);
    assertThat(Dap18.reportsPath(task)).isEqualTo("/tasks/" + t + "/reports");
    assertThat(Dap18.aggregationJobsPath(task)).isEqualTo("/tasks/" + t + "/aggregation_jobs");
    assertThat(Dap18.aggregationJobPath(task, job)).isEqualTo("/tasks/" + t + "/aggregation_jobs/" + j);
    assertThat(Dap18.aggregationJobPath(task, job, 0)).isEqualTo("/tasks/" + t + "/aggregation_jobs/" + j + "?step=0");
    assertThat(Dap18.collectionJobsPath(task)).isEqualTo("/tasks/" + t + "/collection_jobs");
    assertThat(Dap18.collectionJobPath(task, coll)).isEqualTo("/tasks/" + t + "/collection_jobs/" + j);
    assertThat(Dap18.aggregateSharesPath(task)).isEqualTo("/tasks/" + t + "/aggregate_shares");
    assertThat(Dap18.aggregateSharePath(task, new byte[] {(byte) 0xFB, (byte) 0xFF}))
        .isEqualTo("/tasks/" + t + "/aggregate_shares/-_8");
    assertThat(Dap18.ROUTE_AGGREGATION_JOB)
        .isEqualTo(Dap18.ROUTE_AGGREGATION_JOBS + "/{" + Dap18.PARAM_AGGREGATION_JOB_ID + "}");
    assertThat(Dap18.ROUTE_COLLECTION_JOB)
        .isEqualTo(Dap18.ROUTE_COLLECTION_JOBS + "/{" + Dap18.PARAM_COLLECTION_JOB_ID + "}");
    assertThat(Dap18.ROUTE_AGGREGATE_SHARE)
        .isEqualTo(Dap18.ROUTE_AGGREGATE_SHARES + "/{" + Dap18.PARAM_AGGREGATE_SHARE_ID + "}");
    assertThat(Dap18.ROUTE_HPKE_CONFIG).isEqualTo("/hpke_config");
    assertThatThrownBy(() -> Dap18.aggregationJobPath(task, job, 0x10000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Dap18.aggregateSharePath(task, new byte[0])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void knowsTheDraft18ProblemTypes() {
    assertThat(Dap18.PROBLEM_TYPES).extracting(DapProblemType::errorName).containsExactlyInAnyOrder(
        "invalidMessage", "unrecognizedTask", "unrecognizedAggregationJob", "batchInvalid", "invalidBatchSize",
        "invalidAggregationParameter", "batchMismatch", "stepMismatch", "batchOverlap", "unsupportedExtension",
        "invalidExtension");
    assertThat(DapProblemType.INVALID_EXTENSION.urn()).isEqualTo("urn:ietf:params:ppm:dap:error:invalidExtension");
    for (DapProblemType t : Dap18.PROBLEM_TYPES) {
      assertThat(Dap18.problemStatus(t)).isEqualTo(400);
    }
    assertThatThrownBy(() -> Dap18.problemStatus(DapProblemType.UNAUTHORIZED_REQUEST))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void codePoints() {
    assertThat(Dap18.TASK_EXTENSION_TASK_INTERVAL).isEqualTo(1);
    assertThat(Dap18.AGGREGATION_JOB_EXTENSION_LEADER_SELECTED_BATCH_ID).isEqualTo(1);
    assertThat(Dap18.EXTENSION_RESERVED).isZero();
    assertThat(Dap18.QUERY_STEP).isEqualTo("step");
  }
}
