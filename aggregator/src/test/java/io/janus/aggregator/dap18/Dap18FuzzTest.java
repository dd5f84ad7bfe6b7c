package io.janus.aggregator.dap18;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.aggregator.FuzzRequests;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.messages.AggregationJobId;
import io.janus.messages.CollectionJobId;
import io.janus.messages.ReportId;
import io.janus.messages.Role;
import io.janus.messages.dap18.AggregateShareReq;
import io.janus.messages.dap18.AggregationJobContinueReq;
import io.janus.messages.dap18.AggregationJobInitReq;
import io.janus.messages.dap18.BatchSelector;
import io.janus.messages.dap18.CollectionJobReq;
import io.janus.messages.dap18.Dap18;
import io.janus.messages.dap18.Interval;
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
 * Mutated requests on every DAP-18 endpoint of both roles, as {@code Dap09FuzzTest} sends DAP-09's: bodies start
 * from a valid message and get bytes flipped, overwritten, truncated, extended or spliced; endpoints without a body
 * get mutated paths. The token is right, so each request reaches its decoder and the checks after it. No answer may
 * be a 5xx, none may hang, the server may log nothing at error level, and it still serves afterwards. Seeded and
 * printed; CI sends 200 per endpoint ({@code -Djanus.fuzz.requests=N} for more).
 */
class Dap18FuzzTest {
  private static TestAggregator18 agg;
  private static Task leaderTask;
  private static Task helperTask;

  @BeforeAll
  static void setUp() {
    agg = new TestAggregator18();
    leaderTask = agg.put(agg.task(Role.LEADER, new QueryType.TimeInterval(), TestAggregator18.ONE_ROUND).build());
    helperTask = agg.put(agg.task(Role.HELPER, new QueryType.TimeInterval(), TestAggregator18.ONE_ROUND).build());
  }

  @AfterAll
  static void tearDown() {
    agg.close();
  }

  @Test
  void mutatedRequestsNeverGetAServerErrorAHangOrAnErrorLogLine() {
    int perEndpoint = Integer.getInteger("janus.fuzz.requests", 200);
    long seed = Long.getLong("janus.test.seed", System.nanoTime());
    Interval batch = new Interval(agg.reportUnits(), 1);
    CollectionJobReq query = new CollectionJobReq(new Query.TimeInterval(batch), new byte[0], List.of());
    Optional<AuthenticationToken> leader = Optional.of(agg.leaderToken);
    Optional<AuthenticationToken> collector = Optional.of(agg.collectorToken);
    List<FuzzRequests.Target> targets = List.of(
        FuzzRequests.Target.body("upload", "POST", () -> Dap18.reportsPath(leaderTask.id()), Dap18.MEDIA_TYPE_UPLOAD_REQ,
            Optional.empty(), () -> new UploadRequest(List.of(agg.report(leaderTask, 1).report(),
                agg.report(leaderTask, 0).report())).toBytes()),
        FuzzRequests.Target.body("aggregation job init", "POST", () -> Dap18.aggregationJobsPath(helperTask.id()),
            Dap18.MEDIA_TYPE_AGGREGATION_JOB_INIT_REQ, leader, () -> new AggregationJobInitReq(0, new byte[0],
                List.of(), List.of(agg.report(helperTask, 1).verifyInit())).toBytes()),
        FuzzRequests.Target.body("aggregation job continue", "POST",
            () -> Dap18.aggregationJobPath(helperTask.id(), new AggregationJobId(agg.bytes(16))),
            Dap18.MEDIA_TYPE_AGGREGATION_JOB_CONTINUE_REQ, leader, () -> new AggregationJobContinueReq(1,
                List.of(new VerifyContinue(new ReportId(agg.bytes(16)), agg.bytes(8)))).toBytes()),
        FuzzRequests.Target.body("aggregate share", "POST", () -> Dap18.aggregateSharesPath(helperTask.id()),
            Dap18.MEDIA_TYPE_AGGREGATE_SHARE_REQ, leader,
            () -> new AggregateShareReq(query, new BatchSelector.TimeInterval(batch), 1, agg.bytes(32)).toBytes()),
        FuzzRequests.Target.body("collection job", "POST", () -> Dap18.collectionJobsPath(leaderTask.id()),
            Dap18.MEDIA_TYPE_COLLECTION_JOB_REQ, collector, query::toBytes),
        FuzzRequests.Target.path("hpke config", "GET", () -> Dap18.ROUTE_HPKE_CONFIG, Optional.empty()),
        FuzzRequests.Target.path("collection job poll", "GET",
            () -> Dap18.collectionJobPath(leaderTask.id(), new CollectionJobId(agg.bytes(16))), collector),
        FuzzRequests.Target.path("collection job delete", "DELETE",
            () -> Dap18.collectionJobPath(leaderTask.id(), new CollectionJobId(agg.bytes(16))), collector),
        FuzzRequests.Target.path("aggregation job poll", "GET",
            () -> Dap18.aggregationJobPath(helperTask.id(), new AggregationJobId(agg.bytes(16)), 0), leader),
        FuzzRequests.Target.path("aggregation job delete", "DELETE",
            () -> Dap18.aggregationJobPath(helperTask.id(), new AggregationJobId(agg.bytes(16))), leader),
        FuzzRequests.Target.path("aggregate share poll", "GET",
            () -> Dap18.aggregateSharePath(helperTask.id(), agg.bytes(48)), leader));
    // The draft-18 Accept makes GET /hpke_config (and its mutations) draft 18's.
    Map<String, String> accept = Map.of("Accept", Dap18.MEDIA_TYPE_HPKE_CONFIG_LIST);
    FuzzRequests.sendMutated("Dap18FuzzTest", targets, perEndpoint, seed,
        (t, path, body) -> agg.send(t.method(), path, t.mediaType(), body, t.auth(), accept));
    HttpResponse<byte[]> ok = agg.send("GET", Dap18.ROUTE_HPKE_CONFIG, Optional.empty(), new byte[0],
        Optional.empty(), Map.of("Accept", Dap18.MEDIA_TYPE_HPKE_CONFIG_LIST));
    assertThat(ok.statusCode()).isEqualTo(200);
  }
}
