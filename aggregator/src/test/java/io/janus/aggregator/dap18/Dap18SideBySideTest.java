package io.janus.aggregator.dap18;

import static io.janus.aggregator.dap18.TestAggregator18.assertDapProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.janus.core.task.DapVersion;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.messages.AggregationJobId;
import io.janus.messages.CollectionJobId;
import io.janus.messages.HpkeConfigList;
import io.janus.messages.Role;
import io.janus.messages.dap09.CollectionReq;
import io.janus.messages.dap09.Dap09;
import io.janus.messages.dap18.AggregationJobContinueReq;
import io.janus.messages.dap18.CollectionJobReq;
import io.janus.messages.dap18.Dap18;
import io.janus.messages.dap18.Query;
import io.janus.messages.dap18.UploadRequest;
import io.janus.messages.dap18.VerifyContinue;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One aggregator serves a DAP-09 task and a DAP-18 task side by side, in both roles, on the routes the drafts
 * share, and refuses each task on the other draft's requests with that draft's {@code unrecognizedTask}.
 */
class Dap18SideBySideTest {
  private static TestAggregator18 agg;
  private static Task leader09;
  private static Task leader18;
  private static Task helper09;
  private static Task helper18;

  @BeforeAll
  static void setUp() {
    agg = new TestAggregator18();
    leader09 = agg.put(agg.task(Role.LEADER, new QueryType.TimeInterval(), TestAggregator18.ONE_ROUND,
        DapVersion.DAP_09).hpkeKeys(List.of(agg.keypair(40))).build());
    leader18 = agg.put(agg.task(Role.LEADER, new QueryType.TimeInterval(), TestAggregator18.ONE_ROUND).build());
    helper09 = agg.put(agg.task(Role.HELPER, new QueryType.TimeInterval(), TestAggregator18.ONE_ROUND,
        DapVersion.DAP_09).build());
    helper18 = agg.put(agg.task(Role.HELPER, new QueryType.TimeInterval(), TestAggregator18.ONE_ROUND).build());
  }

  @AfterAll
  static void tearDown() {
    agg.close();
  }

  @Test
  void uploadsAndHpkeConfigsGoToEachTasksDraft() {
    // DAP-09's HPKE configuration of its task; a DAP-18 task is unknown there.
    HttpResponse<byte[]> c09 = agg.send("GET", Dap09.ROUTE_HPKE_CONFIG + "?task_id=" + leader09.id().toBase64Url(),
        Optional.empty(), new byte[0], Optional.empty());
    assertThat(c09.statusCode()).isEqualTo(200);
    assertThat(HpkeConfigList.decode(c09.body()).configs()).containsExactly(leader09.hpkeKeys().get(0).config());
    assertDapProblem(agg.send("GET", Dap09.ROUTE_HPKE_CONFIG + "?task_id=" + leader18.id().toBase64Url(),
        Optional.empty(), new byte[0], Optional.empty()), "unrecognizedTask");

    HttpResponse<byte[]> ok18 = agg.send("POST", Dap18.reportsPath(leader18.id()),
        Optional.of(Dap18.MEDIA_TYPE_UPLOAD_REQ), new UploadRequest(List.of(agg.report(leader18, 1).report()))
            .toBytes(), Optional.empty());
    assertThat(ok18.statusCode()).isEqualTo(200);
    assertThat(ok18.body()).isEmpty();
    assertDapProblem(agg.send("POST", Dap18.reportsPath(leader09.id()), Optional.of(Dap18.MEDIA_TYPE_UPLOAD_REQ),
        new UploadRequest(List.of()).toBytes(), Optional.empty()), "unrecognizedTask");
    assertDapProblem(agg.send("PUT", Dap09.reportsPath(leader18.id()), Optional.of(Dap09.MEDIA_TYPE_REPORT),
        new byte[] {0}, Optional.empty()), "unrecognizedTask");
  }

  @Test
  void collectionJobsGoToEachTasksDraft() {
    CollectionJobId id = new CollectionJobId(agg.bytes(16));
    CollectionReq req09 = new CollectionReq(new io.janus.messages.dap09.Query.TimeInterval(
        new io.janus.messages.Interval(agg.clock.now().truncateTo(TestAggregator18.PRECISION),
            TestAggregator18.PRECISION)), new byte[0]);
    HttpResponse<byte[]> created09 = agg.send("PUT", Dap09.collectionJobPath(leader09.id(), id),
        Optional.of(Dap09.MEDIA_TYPE_COLLECT_REQ), req09.toBytes(), Optional.of(agg.collectorToken));
    assertThat(created09.statusCode()).as(new String(created09.body())).isEqualTo(201);
    // DELETE exists in both drafts: the task's draft answers.
    assertThat(agg.send("DELETE", Dap09.collectionJobPath(leader09.id(), id), Optional.empty(), new byte[0],
        Optional.of(agg.collectorToken)).statusCode()).isEqualTo(204);
    assertDapProblem(agg.send("PUT", Dap09.collectionJobPath(leader18.id(), id),
        Optional.of(Dap09.MEDIA_TYPE_COLLECT_REQ), req09.toBytes(), Optional.of(agg.collectorToken)),
        "unrecognizedTask");
    CollectionJobReq req18 = new CollectionJobReq(new Query.LeaderSelected(), new byte[0], List.of());
    assertDapProblem(agg.send("POST", Dap18.collectionJobsPath(leader09.id()),
        Optional.of(Dap18.MEDIA_TYPE_COLLECTION_JOB_REQ), req18.toBytes(), Optional.of(agg.collectorToken)),
        "unrecognizedTask");
    assertDapProblem(agg.send("GET", Dap18.collectionJobPath(leader09.id(), id), Optional.empty(), new byte[0],
        Optional.of(agg.collectorToken)), "unrecognizedTask");
  }

  @Test
  void helperRequestsGoToEachTasksDraft() {
    AggregationJobId job = new AggregationJobId(agg.bytes(16));
    // DAP-09 init (PUT) of a DAP-18 task, DAP-18 init (POST) of a DAP-09 task.
    assertDapProblem(agg.send("PUT", Dap09.aggregationJobPath(helper18.id(), job),
        Optional.of(Dap09.MEDIA_TYPE_AGGREGATION_JOB_INIT_REQ), new byte[] {0}, Optional.of(agg.leaderToken)),
        "unrecognizedTask");
    assertDapProblem(Dap18HelperTest.create(agg, helper09, Dap18HelperTest.init(List.of(),
        agg.report(helper18, 1).verifyInit())), "unrecognizedTask");
    // POST on a job exists in both drafts: the body's media type says which.
    byte[] cont = new AggregationJobContinueReq(1, List.of(new VerifyContinue(agg.reportId(), new byte[] {1})))
        .toBytes();
    assertDapProblem(agg.send("POST", Dap18.aggregationJobPath(helper09.id(), job),
        Optional.of(Dap18.MEDIA_TYPE_AGGREGATION_JOB_CONTINUE_REQ), cont, Optional.of(agg.leaderToken)),
        "unrecognizedTask");
    assertDapProblem(agg.send("POST", Dap09.aggregationJobPath(helper18.id(), job),
        Optional.of(Dap09.MEDIA_TYPE_AGGREGATION_JOB_CONTINUE_REQ), new byte[] {0}, Optional.of(agg.leaderToken)),
        "unrecognizedTask");
    // DELETE without a body goes by the task's draft: each answers for its own unknown job.
    assertDapProblem(agg.send("DELETE", Dap09.aggregationJobPath(helper09.id(), job), Optional.empty(), new byte[0],
        Optional.of(agg.leaderToken)), "unrecognizedAggregationJob");
    assertDapProblem(agg.send("DELETE", Dap18.aggregationJobPath(helper18.id(), job), Optional.empty(),
        new byte[0], Optional.of(agg.leaderToken)), "unrecognizedAggregationJob");
    // Aggregate shares: same path and method in both drafts.
    assertDapProblem(agg.send("POST", Dap09.aggregateSharesPath(helper18.id()),
        Optional.of(Dap09.MEDIA_TYPE_AGGREGATE_SHARE_REQ), new byte[] {0}, Optional.of(agg.leaderToken)),
        "unrecognizedTask");
    assertDapProblem(agg.send("POST", Dap18.aggregateSharesPath(helper09.id()),
        Optional.of(Dap18.MEDIA_TYPE_AGGREGATE_SHARE_REQ), new byte[] {0}, Optional.of(agg.leaderToken)),
        "unrecognizedTask");
    // A draft-18 GET of a DAP-09 task's job.
    assertDapProblem(agg.send("GET", Dap18.aggregationJobPath(helper09.id(), job, 0), Optional.empty(),
        new byte[0], Optional.of(agg.leaderToken), Map.of()), "unrecognizedTask");
  }

  @Test
  void aMethodNoDraftServesIs405() {
    HttpResponse<byte[]> r = agg.send("PATCH", Dap18.aggregationJobsPath(helper18.id()), Optional.empty(),
        new byte[0], Optional.of(agg.leaderToken));
    TestAggregator18.assertProblem(r, 405, "about:blank");
    assertThat(r.headers().firstValue("Allow")).hasValue("POST");
    assertThat(agg.send("PUT", Dap18.collectionJobsPath(leader18.id()), Optional.empty(), new byte[0],
        Optional.empty()).statusCode()).isEqualTo(405);
  }
}
