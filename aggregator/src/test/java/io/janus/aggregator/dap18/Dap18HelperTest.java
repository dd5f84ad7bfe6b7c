package io.janus.aggregator.dap18;

import static io.janus.aggregator.dap18.TestAggregator18.assertDapProblem;
import static io.janus.aggregator.dap18.TestAggregator18.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.janus.core.auth.AuthenticationToken;
import io.janus.core.dap18.Dap18TaskConfigurations;
import io.janus.core.hpke.Hpke;
import io.janus.core.task.QueryType;
import io.janus.core.task.ReportIdChecksum;
import io.janus.core.task.Task;
import io.janus.messages.AggregationJobId;
import io.janus.messages.BatchId;
import io.janus.messages.ReportId;
import io.janus.messages.Role;
import io.janus.messages.dap18.AggregateShare;
import io.janus.messages.dap18.AggregateShareAad;
import io.janus.messages.dap18.AggregateShareReq;
import io.janus.messages.dap18.AggregationJobContinueReq;
import io.janus.messages.dap18.AggregationJobExtension;
import io.janus.messages.dap18.AggregationJobInitReq;
import io.janus.messages.dap18.AggregationJobResp;
import io.janus.messages.dap18.BatchSelector;
import io.janus.messages.dap18.CollectionJobReq;
import io.janus.messages.dap18.Dap18;
import io.janus.messages.dap18.Extension;
import io.janus.messages.dap18.Interval;
import io.janus.messages.dap18.Query;
import io.janus.messages.dap18.ReportError;
import io.janus.messages.dap18.VerifyContinue;
import io.janus.messages.dap18.VerifyInit;
import io.janus.messages.dap18.VerifyResp;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The synchronous DAP-18 Helper over real HTTP and PostgreSQL: aggregation jobs and aggregate shares. */
class Dap18HelperTest {
  private static TestAggregator18 agg;

  @BeforeAll
  static void setUp() {
    agg = new TestAggregator18();
  }

  @AfterAll
  static void tearDown() {
    agg.close();
  }

  private static Task task(QueryType queryType, io.janus.core.task.VdafInstance vdaf) {
    return agg.put(agg.task(Role.HELPER, queryType, vdaf).build());
  }

  private static Task timeInterval() {
    return task(new QueryType.TimeInterval(), TestAggregator18.ONE_ROUND);
  }

  static HttpResponse<byte[]> create(TestAggregator18 agg, Task t, byte[] body,
      Optional<AuthenticationToken> auth) {
    return agg.send("POST", Dap18.aggregationJobsPath(t.id()),
        Optional.of(Dap18.MEDIA_TYPE_AGGREGATION_JOB_INIT_REQ), body, auth);
  }

  static HttpResponse<byte[]> create(TestAggregator18 agg, Task t, AggregationJobInitReq req) {
    return create(agg, t, req.toBytes(), Optional.of(agg.leaderToken));
  }

  static AggregationJobInitReq init(List<AggregationJobExtension> extensions, VerifyInit... inits) {
    return new AggregationJobInitReq(0, new byte[0], extensions, List.of(inits));
  }

  static HttpResponse<byte[]> get(TestAggregator18 agg, String location, String query) {
    return agg.send("GET", location + query, Optional.empty(), new byte[0], Optional.of(agg.leaderToken));
  }

  static HttpResponse<byte[]> cont(TestAggregator18 agg, String location, AggregationJobContinueReq req) {
    return agg.send("POST", location, Optional.of(Dap18.MEDIA_TYPE_AGGREGATION_JOB_CONTINUE_REQ), req.toBytes(),
        Optional.of(agg.leaderToken));
  }

  @Test
  void initializationIsIdempotentAndPollable() {
    Task task = timeInterval();
    TestAggregator18.Parts good = agg.report(task, 1);
    TestAggregator18.Parts unknownKey = agg.report(task, agg.keypair(99), agg.reportUnits(), 1, List.of(),
        List.of());
    TestAggregator18.Parts early = agg.report(task, agg.globalKey, agg.reportUnits() + 10, 1, List.of(), List.of());
    Extension e = new Extension(3, new byte[0]);
    TestAggregator18.Parts both = agg.report(task, agg.globalKey, agg.reportUnits(), 1, List.of(e), List.of(e));
    AggregationJobInitReq req = init(List.of(), good.verifyInit(), unknownKey.verifyInit(), early.verifyInit(),
        both.verifyInit());
    HttpResponse<byte[]> r = create(agg, task, req);
    assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(201);
    String location = r.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith(Dap18.aggregationJobsPath(task.id()) + "/");
    AggregationJobId.fromBase64Url(location.substring(location.lastIndexOf('/') + 1));
    List<VerifyResp> resps = AggregationJobResp.decode(r.body()).verifyResps();
    assertThat(resps.get(0).result()).isInstanceOf(VerifyResp.Continue.class);
    assertThat(resps.subList(1, 4)).extracting(v -> ((VerifyResp.Reject) v.result()).error()).containsExactly(
        ReportError.HPKE_DECRYPT_ERROR, ReportError.REPORT_TOO_EARLY, ReportError.INVALID_MESSAGE);

    HttpResponse<byte[]> again = create(agg, task, req);
    assertThat(again.headers().firstValue("Location")).hasValue(location);
    assertThat(again.body()).isEqualTo(r.body());
    HttpResponse<byte[]> polled = get(agg, location, "?step=0");
    assertThat(polled.statusCode()).isEqualTo(200);
    assertThat(polled.body()).isEqualTo(r.body());
    assertDapProblem(get(agg, location, ""), "invalidMessage");
    assertDapProblem(get(agg, location, "?step=x"), "invalidMessage");
    assertDapProblem(get(agg, location, "?step=1"), "stepMismatch");
    assertDapProblem(cont(agg, location, new AggregationJobContinueReq(0, List.of(
        new VerifyContinue(good.metadata().reportId(), new byte[] {1})))), "invalidMessage");

    // The same report in another job is a replay.
    HttpResponse<byte[]> replay = create(agg, task, init(List.of(), good.verifyInit(), agg.report(task, 0)
        .verifyInit()));
    assertThat(((VerifyResp.Reject) AggregationJobResp.decode(replay.body()).verifyResps().get(0).result()).error())
        .isEqualTo(ReportError.REPORT_REPLAYED);

    assertThat(agg.send("DELETE", location, Optional.empty(), new byte[0], Optional.of(agg.leaderToken))
        .statusCode()).isEqualTo(204);
    assertProblem(get(agg, location, "?step=0"), 410, "about:blank");
  }

  @Test
  void continuationAdvancesAndReplays() {
    Task task = task(new QueryType.TimeInterval(), TestAggregator18.TWO_ROUNDS);
    TestAggregator18.Parts p = agg.report(task, 1);
    HttpResponse<byte[]> r = create(agg, task, init(List.of(), p.verifyInit()));
    String location = r.headers().firstValue("Location").orElseThrow();
    VerifyResp.Continue c = (VerifyResp.Continue) AggregationJobResp.decode(r.body()).verifyResps().get(0).result();
    assertThat(c.payload()).isNotEmpty();
    // The fake VDAF takes any message for its second round.
    AggregationJobContinueReq step1 = new AggregationJobContinueReq(1, List.of(
        new VerifyContinue(p.metadata().reportId(), new byte[] {1, 1})));
    HttpResponse<byte[]> continued = cont(agg, location, step1);
    assertThat(continued.statusCode()).as(new String(continued.body())).isEqualTo(200);
    assertThat(AggregationJobResp.decode(continued.body()).verifyResps()).hasSize(1);
    assertThat(cont(agg, location, step1).body()).isEqualTo(continued.body());
    assertThat(get(agg, location, "?step=1").body()).isEqualTo(continued.body());
    assertDapProblem(cont(agg, location, new AggregationJobContinueReq(3, step1.verifyContinues())), "stepMismatch");
  }

  @Test
  void initializationErrors() {
    Task task = timeInterval();
    VerifyInit v = agg.report(task, 1).verifyInit();
    assertProblem(create(agg, task, init(List.of(), v).toBytes(), Optional.empty()), 403, "about:blank");
    AggregationJobExtension unknown = new AggregationJobExtension(9, new byte[0]);
    assertThat(assertDapProblem(create(agg, task, init(List.of(unknown), v)), "unsupportedExtension")
        .get("unsupported_extensions").get(0).asInt()).isEqualTo(9);
    AggregationJobExtension batch = AggregationJobExtension.leaderSelectedBatchId(new BatchId(agg.bytes(32)));
    assertDapProblem(create(agg, task, init(List.of(unknown, batch), v)), "invalidMessage");
    assertDapProblem(create(agg, task, init(List.of(batch), v)), "invalidMessage");
    Task leaderSelected = task(new QueryType.FixedSize(OptionalLong.empty(), Optional.empty()),
        TestAggregator18.ONE_ROUND);
    VerifyInit lv = agg.report(leaderSelected, 1).verifyInit();
    assertDapProblem(create(agg, leaderSelected, init(List.of(), lv)), "invalidMessage");
    assertThat(create(agg, leaderSelected, init(List.of(batch), lv)).statusCode()).isEqualTo(201);
    assertDapProblem(create(agg, task, new AggregationJobInitReq(0, new byte[] {1}, List.of(), List.of(v))),
        "invalidAggregationParameter");
    assertDapProblem(create(agg, task, new byte[] {0, 0}, Optional.of(agg.leaderToken)), "invalidMessage");
    assertProblem(agg.send("POST", Dap18.aggregationJobsPath(task.id()), Optional.of("application/octet-stream"),
        new byte[0], Optional.of(agg.leaderToken)), 415, "about:blank");
    Task unknownTask = agg.task(Role.HELPER, new QueryType.TimeInterval(), TestAggregator18.ONE_ROUND).build();
    assertDapProblem(create(agg, unknownTask, init(List.of(), v)), "unrecognizedTask");
    assertDapProblem(get(agg, Dap18.aggregationJobPath(task.id(), new AggregationJobId(agg.bytes(16))), "?step=0"),
        "unrecognizedAggregationJob");
  }

  private static HttpResponse<byte[]> share(Task t, AggregateShareReq req) {
    return agg.send("POST", Dap18.aggregateSharesPath(t.id()), Optional.of(Dap18.MEDIA_TYPE_AGGREGATE_SHARE_REQ),
        req.toBytes(), Optional.of(agg.leaderToken));
  }

  @Test
  void aggregateSharesAreCreatedIdempotentlyAndSealedUnderDraft18Aad() throws Exception {
    Task task = timeInterval();
    TestAggregator18.Parts a = agg.report(task, 1);
    TestAggregator18.Parts b = agg.report(task, 1);
    assertThat(create(agg, task, init(List.of(), a.verifyInit(), b.verifyInit())).statusCode()).isEqualTo(201);
    Interval interval = new Interval(agg.reportUnits(), 1);
    CollectionJobReq query = new CollectionJobReq(new Query.TimeInterval(interval), new byte[0], List.of());
    byte[] checksum = ReportIdChecksum.of(a.metadata().reportId()).updatedWith(b.metadata().reportId()).encode();

    assertDapProblem(share(task, new AggregateShareReq(query, new BatchSelector.TimeInterval(
        new Interval(interval.start() + 1, 1)), 2, checksum)), "batchMismatch");
    assertDapProblem(share(task, new AggregateShareReq(query, new BatchSelector.TimeInterval(interval), 3,
        checksum)), "batchMismatch");

    AggregateShareReq req = new AggregateShareReq(query, new BatchSelector.TimeInterval(interval), 2, checksum);
    HttpResponse<byte[]> r = share(task, req);
    assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(201);
    String location = r.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith(Dap18.aggregateSharesPath(task.id()) + "/");
    AggregateShare s = AggregateShare.decode(r.body());
    byte[] aad = new AggregateShareAad(task.id(), Dap18TaskConfigurations.toTaskConfiguration(task.agreement().get()),
        query).toBytes();
    assertThat(Hpke.open(agg.collectorKey, Dap18.aggregateShareInfo(Role.HELPER), s.encryptedAggregateShare(), aad))
        .isNotEmpty();

    assertThat(share(task, req).headers().firstValue("Location")).hasValue(location);
    HttpResponse<byte[]> got = agg.send("GET", location, Optional.empty(), new byte[0], Optional.of(agg.leaderToken));
    assertThat(got.statusCode()).isEqualTo(200);
    AggregateShare again = AggregateShare.decode(got.body());
    assertThat(Hpke.open(agg.collectorKey, Dap18.aggregateShareInfo(Role.HELPER), again.encryptedAggregateShare(),
        aad)).isEqualTo(Hpke.open(agg.collectorKey, Dap18.aggregateShareInfo(Role.HELPER),
            s.encryptedAggregateShare(), aad));
    assertThat(agg.send("DELETE", location, Optional.empty(), new byte[0], Optional.of(agg.leaderToken))
        .statusCode()).isEqualTo(204);
    assertProblem(agg.send("GET", Dap18.aggregateSharesPath(task.id()) + "/AAAA", Optional.empty(), new byte[0],
        Optional.of(agg.leaderToken)), 404, "about:blank");
    assertProblem(agg.send("GET", location, Optional.empty(), new byte[0], Optional.empty()), 403, "about:blank");

    // A report of the collected batch is now refused.
    HttpResponse<byte[]> late = create(agg, task, init(List.of(), agg.report(task, 1).verifyInit()));
    assertThat(((VerifyResp.Reject) AggregationJobResp.decode(late.body()).verifyResps().get(0).result()).error())
        .isEqualTo(ReportError.BATCH_COLLECTED);
    assertThat(ReportId.LENGTH).isEqualTo(16);
  }
}
