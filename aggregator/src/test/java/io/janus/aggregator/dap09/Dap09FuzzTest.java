package io.janus.aggregator.dap09;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.aggregator.FuzzRequests;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.core.vdaf.FakeVdaf;
import io.janus.core.vdaf.PingPongVdaf;
import io.janus.messages.AggregationJobId;
import io.janus.messages.CollectionJobId;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.Interval;
import io.janus.messages.ReportId;
import io.janus.messages.Role;
import io.janus.messages.Time;
import io.janus.messages.dap09.AggregateShareReq;
import io.janus.messages.dap09.AggregationJobContinueReq;
import io.janus.messages.dap09.BatchSelector;
import io.janus.messages.dap09.CollectionReq;
import io.janus.messages.dap09.Dap09;
import io.janus.messages.dap09.PrepareContinue;
import io.janus.messages.dap09.Query;
import io.janus.messages.dap09.Report;
import io.janus.messages.dap09.ReportMetadata;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Mutated requests on every DAP endpoint of both roles, with the right token so each reaches its decoder. Bodies
 * start from a valid message (so the decoders see plausible input, not only noise) with bytes flipped, overwritten,
 * truncated, extended or spliced; endpoints without a body get mutated task, job and query strings in their paths.
 * No answer may be a 5xx, no request may go unanswered for {@link TestAggregator#REQUEST_TIMEOUT} (a hang), the
 * server may log nothing at error level (SEVERE), and it must still serve a valid request afterwards. Seeded and
 * printed; CI sends 300 per endpoint. The documented run (100,000 requests, docs/RELIABILITY.md):
 * {@code ./mvnw -B verify -pl aggregator -am -Dtest=Dap09FuzzTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Djanus.fuzz.requests=11112}.
 */
class Dap09FuzzTest {
  private static final FakeVdaf VDAF = new FakeVdaf();
  private static TestAggregator agg;
  private static Task leaderTask;
  private static Task helperTask;
  private static HpkeKeypair helperKey;

  @BeforeAll
  static void setUp() {
    agg = new TestAggregator(10);
    leaderTask = agg.put(agg.task(Role.LEADER, new QueryType.TimeInterval(), TestAggregator.ONE_ROUND)
        .hpkeKeys(List.of(agg.newKeypair())).build());
    helperTask = agg.put(agg.task(Role.HELPER, new QueryType.TimeInterval(), TestAggregator.ONE_ROUND)
        .hpkeKeys(List.of(agg.newKeypair())).build());
    helperKey = agg.newKeypair();
  }

  @AfterAll
  static void tearDown() {
    agg.close();
  }

  @Test
  void mutatedRequestsNeverGetAServerErrorAHangOrAnErrorLogLine() {
    int perEndpoint = Integer.getInteger("janus.fuzz.requests", 300);
    long seed = Long.getLong("janus.test.seed", System.nanoTime());
    Time time = agg.reportTime();
    Interval batch = new Interval(time, TestAggregator.PRECISION);
    List<FuzzRequests.Target> targets = List.of(
        FuzzRequests.Target.body("upload", "PUT", () -> Dap09.reportsPath(leaderTask.id()), Dap09.MEDIA_TYPE_REPORT,
            Optional.empty(), () -> report(time).toBytes()),
        FuzzRequests.Target.body("aggregation job init", "PUT",
            () -> Dap09.aggregationJobPath(helperTask.id(), new AggregationJobId(agg.bytes(16))),
            Dap09.MEDIA_TYPE_AGGREGATION_JOB_INIT_REQ, Optional.of(agg.leaderToken),
            () -> HelperRequests.init(new HelperRequests(agg).prepareInit(helperTask, new ReportId(agg.bytes(16)),
                time, 1, List.of())).toBytes()),
        FuzzRequests.Target.body("aggregation job continue", "POST",
            () -> Dap09.aggregationJobPath(helperTask.id(), new AggregationJobId(agg.bytes(16))),
            Dap09.MEDIA_TYPE_AGGREGATION_JOB_CONTINUE_REQ, Optional.of(agg.leaderToken),
            () -> new AggregationJobContinueReq(1, List.of(new PrepareContinue(new ReportId(agg.bytes(16)),
                agg.bytes(8)))).toBytes()),
        FuzzRequests.Target.body("aggregate share", "POST", () -> Dap09.aggregateSharesPath(helperTask.id()),
            Dap09.MEDIA_TYPE_AGGREGATE_SHARE_REQ, Optional.of(agg.leaderToken),
            () -> new AggregateShareReq(new BatchSelector.TimeInterval(batch), new byte[0], 1, agg.bytes(32))
                .toBytes()),
        FuzzRequests.Target.body("collection job", "PUT",
            () -> Dap09.collectionJobPath(leaderTask.id(), new CollectionJobId(agg.bytes(16))),
            Dap09.MEDIA_TYPE_COLLECT_REQ, Optional.of(agg.collectorToken),
            () -> new CollectionReq(new Query.TimeInterval(batch), new byte[0]).toBytes()),
        FuzzRequests.Target.path("hpke config", "GET", () -> Dap09.ROUTE_HPKE_CONFIG + "?" + Dap09.QUERY_TASK_ID + "="
            + leaderTask.id().toBase64Url(), Optional.empty()),
        FuzzRequests.Target.path("collection job poll", "POST",
            () -> Dap09.collectionJobPath(leaderTask.id(), new CollectionJobId(agg.bytes(16))),
            Optional.of(agg.collectorToken)),
        FuzzRequests.Target.path("collection job delete", "DELETE",
            () -> Dap09.collectionJobPath(leaderTask.id(), new CollectionJobId(agg.bytes(16))),
            Optional.of(agg.collectorToken)),
        FuzzRequests.Target.path("aggregation job delete", "DELETE",
            () -> Dap09.aggregationJobPath(helperTask.id(), new AggregationJobId(agg.bytes(16))),
            Optional.of(agg.leaderToken)));
    FuzzRequests.sendMutated("Dap09FuzzTest", targets, perEndpoint, seed,
        (t, path, body) -> agg.send(t.method(), path, t.mediaType(), body, t.auth()));
    // Still serving. (Not an upload into the fuzzed task: a mutated collection request may have been accepted,
    // and a collection holding the interval rightly refuses further reports.)
    HttpResponse<byte[]> ok = agg.send("GET", Dap09.ROUTE_HPKE_CONFIG + "?" + Dap09.QUERY_TASK_ID + "="
        + leaderTask.id().toBase64Url(), Optional.empty(), new byte[0], Optional.empty());
    assertThat(ok.statusCode()).isEqualTo(200);
  }

  private static Report report(Time time) {
    ReportId id = new ReportId(agg.bytes(16));
    PingPongVdaf.Sharded s = VDAF.shard(new long[] {1}, id.bytes(), new byte[0]);
    HpkeCiphertext leader = TestAggregator.seal(leaderTask.hpkeKeys().get(0), Role.LEADER, leaderTask.id(), id, time,
        s.publicShare(), s.leaderInputShare(), List.of());
    HpkeCiphertext helper = TestAggregator.seal(helperKey, Role.HELPER, leaderTask.id(), id, time, s.publicShare(),
        s.helperInputShare(), List.of());
    return new Report(new ReportMetadata(id, time), s.publicShare(), leader, helper);
  }
}
