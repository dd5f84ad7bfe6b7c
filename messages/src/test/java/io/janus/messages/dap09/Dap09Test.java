package io.janus.messages.dap09;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.messages.AggregationJobId;
import io.janus.messages.CollectionJobId;
import io.janus.messages.DapProblemType;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The draft-09 constants: HPKE info layout, media types, routes and problem types. */
class Dap09Test {
  @Test
  void inputShareInfoIsLabelThenClientThenRecipient() {
    byte[] label = "dap-09 input share".getBytes(StandardCharsets.US_ASCII);
    byte[] leader = Dap09.inputShareInfo(Role.LEADER);
    assertThat(Arrays.copyOf(leader, label.length)).isEqualTo(label);
    assertThat(Arrays.copyOfRange(leader, label.length, leader.length)).containsExactly(0x01, 0x02);
    byte[] helper = Dap09.inputShareInfo(Role.HELPER);
    assertThat(Arrays.copyOfRange(helper, label.length, helper.length)).containsExactly(0x01, 0x03);
  }

  @Test
  void aggregateShareInfoIsLabelThenSenderThenCollector() {
    byte[] label = "dap-09 aggregate share".getBytes(StandardCharsets.US_ASCII);
    byte[] helper = Dap09.aggregateShareInfo(Role.HELPER);
    assertThat(helper).hasSize(label.length + 2);
    assertThat(Arrays.copyOf(helper, label.length)).isEqualTo(label);
    assertThat(Arrays.copyOfRange(helper, label.length, helper.length)).containsExactly(0x03, 0x00);
    byte[] leader = Dap09.aggregateShareInfo(Role.LEADER);
    assertThat(Arrays.copyOfRange(leader, label.length, leader.length)).containsExactly(0x02, 0x00);
  }

  @Test
  void infoHelpersRejectNonAggregators() {
    assertThatThrownBy(() -> Dap09.inputShareInfo(Role.CLIENT)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Dap09.aggregateShareInfo(Role.COLLECTOR)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void mediaTypesMatchTheDraftAndTheRecords() {
    assertThat(Dap09.MEDIA_TYPES).containsExactlyInAnyOrder(
        "application/dap-hpke-config-list", "application/dap-report", "application/dap-aggregation-job-init-req",
        "application/dap-aggregation-job-resp", "application/dap-aggregation-job-continue-req",
        "application/dap-aggregate-share-req", "application/dap-aggregate-share", "application/dap-collect-req",
        "application/dap-collection");
    assertThat(Report.MEDIA_TYPE).isEqualTo("application/dap-report");
    assertThat(AggregationJobInitReq.MEDIA_TYPE).isEqualTo("application/dap-aggregation-job-init-req");
    assertThat(AggregationJobContinueReq.MEDIA_TYPE).isEqualTo("application/dap-aggregation-job-continue-req");
    assertThat(AggregationJobResp.MEDIA_TYPE).isEqualTo("application/dap-aggregation-job-resp");
    assertThat(CollectionReq.MEDIA_TYPE).isEqualTo("application/dap-collect-req");
    assertThat(Collection.MEDIA_TYPE).isEqualTo("application/dap-collection");
    assertThat(AggregateShareReq.MEDIA_TYPE).isEqualTo("application/dap-aggregate-share-req");
    assertThat(AggregateShare.MEDIA_TYPE).isEqualTo("application/dap-aggregate-share");
  }

  @Test
  void routesExpandWithBase64UrlIds() {
    TaskId task = new TaskId(new byte[32]);
    AggregationJobId job = new AggregationJobId(new byte[16]);
    CollectionJobId coll = new CollectionJobId(new byte[16]);
    String t = "A".repeat(43);
    String j = "A".repeat(22);
    assertThat(Dap09.reportsPath(task)).isEqualTo("/tasks/" + t + "/reports");
    assertThat(Dap09.aggregationJobPath(task, job)).isEqualTo("/tasks/" + t + "/aggregation_jobs/" + j);
    assertThat(Dap09.collectionJobPath(task, coll)).isEqualTo("/tasks/" + t + "/collection_jobs/" + j);
    assertThat(Dap09.aggregateSharesPath(task)).isEqualTo("/tasks/" + t + "/aggregate_shares");
    assertThat(Dap09.ROUTE_AGGREGATION_JOB)
        .isEqualTo("/tasks/{" + Dap09.PARAM_TASK_ID + "}/aggregation_jobs/{" + Dap09.PARAM_AGGREGATION_JOB_ID + "}");
    assertThat(Dap09.ROUTE_HPKE_CONFIG).isEqualTo("/hpke_config");
  }

  @Test
  void knowsTheDraft09ProblemTypesAndTaskprovCodes() {
    assertThat(Dap09.PROBLEM_TYPES).hasSize(15)
        .contains(DapProblemType.BATCH_OVERLAP, DapProblemType.MISSING_TASK_ID, DapProblemType.INVALID_TASK)
        .doesNotContain(DapProblemType.INVALID_AGGREGATION_PARAMETER, DapProblemType.UNSUPPORTED_EXTENSION,
            DapProblemType.INVALID_EXTENSION);
    assertThat(Dap09.EXTENSION_TASKPROV).isEqualTo(0xFF00);
    assertThat(QueryType.TIME_INTERVAL.code()).isEqualTo(1);
    assertThat(QueryType.FIXED_SIZE.code()).isEqualTo(2);
    assertThat(QueryType.fromCode(2)).contains(QueryType.FIXED_SIZE);
    assertThat(QueryType.fromCode(0)).isEmpty();
    assertThat(PrepareError.fromCode(9)).contains(PrepareError.REPORT_TOO_EARLY);
    assertThat(PrepareError.fromCode(10)).isEmpty();
    assertThat(PrepareError.fromCode(-1)).isEmpty();
  }
}
