package io.janus.aggregator.dap09;

import static io.janus.aggregator.dap09.TestAggregator.assertDapProblem;
import static io.janus.aggregator.dap09.TestAggregator.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.janus.server.datastore.model.BatchAggregation;
import io.janus.server.datastore.model.BatchIdentifier;
import io.janus.server.datastore.model.TaskAggregationCounter;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.core.vdaf.FakeVdaf;
import io.janus.messages.AggregationJobId;
import io.janus.messages.BatchId;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.Interval;
import io.janus.messages.ReportId;
import io.janus.messages.Role;
import io.janus.messages.Time;
import io.janus.messages.dap09.AggregationJobContinueReq;
import io.janus.messages.dap09.AggregationJobInitReq;
import io.janus.messages.dap09.AggregationJobResp;
import io.janus.messages.dap09.Dap09;
import io.janus.messages.dap09.Extension;
import io.janus.messages.dap09.PartialBatchSelector;
import io.janus.messages.dap09.PrepareContinue;
import io.janus.messages.dap09.PrepareError;
import io.janus.messages.dap09.PrepareInit;
import io.janus.messages.dap09.PrepareResp;
import io.janus.messages.dap09.ReportShare;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Helper's {@code PUT|POST|DELETE /tasks/{task_id}/aggregation_jobs/{id}} over real HTTP and PostgreSQL. */
class Dap09HelperAggregationTest {
  private static TestAggregator agg;
  private static HelperRequests helper;
  private static Task task;
  private static Task twoRoundTask;
  private static Task leaderTask;

  @BeforeAll
  static void setUp() {
    agg = new TestAggregator(10);
    helper = new HelperRequests(agg);
    task = agg.put(agg.task(Role.HELPER, new QueryType.TimeInterval(), TestAggregator.ONE_ROUND)
        .hpkeKeys(List.of(agg.newKeypair())).build());
    twoRoundTask = agg.put(agg.task(Role.HELPER, new QueryType.TimeInterval(), TestAggregator.TWO_ROUNDS)
        .hpkeKeys(List.of(agg.newKeypair())).build());
    leaderTask = agg.put(agg.task(Role.LEADER, new QueryType.TimeInterval(), TestAggregator.ONE_ROUND)
        .hpkeKeys(List.of(agg.newKeypair())).build());
  }

  @AfterAll
  static void tearDown() {
    agg.close();
  }

  private static PrepareInit init(Task t, long measurement) {
    return helper.prepareInit(t, agg.reportId(), agg.reportTime(), measurement, List.of());
  }

  @Test
  void initializationPreparesEveryReportAndAggregatesItsOutputShare() {
    Task t = agg.put(agg.task(Role.HELPER, new QueryType.TimeInterval(), TestAggregator.ONE_ROUND)
        .hpkeKeys(List.of(agg.newKeypair())).build());
    PrepareInit a = init(t, 3);
    PrepareInit b = init(t, 4);
    HttpResponse<byte[]> r = helper.put(t.id(), helper.jobId(), HelperRequests.init(a, b));
    assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(201);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(Dap09.MEDIA_TYPE_AGGREGATION_JOB_RESP);
    List<PrepareResp> resps = HelperRequests.resp(r).prepareResps();
    assertThat(resps).extracting(PrepareResp::reportId)
        .containsExactly(a.reportShare().metadata().reportId(), b.reportShare().metadata().reportId());
    // One round: the Helper answers "continue" carrying its final ping-pong message.
    assertThat(resps).allSatisfy(p -> assertThat(p.result()).isInstanceOf(PrepareResp.Continue.class));

    Time time = agg.reportTime();
    List<BatchAggregation> shards = agg.datastore().run("test_batch", tx -> tx.batchAggregations().getAll(t.id(),
        new BatchIdentifier.TimeInterval(new Interval(time, TestAggregator.PRECISION)), new byte[0]));
    assertThat(shards).hasSize(1);
    assertThat(shards.get(0).reportCount()).isEqualTo(2);
    // The Helper's share of each measurement is 1 (see FakeVdaf).
    assertThat(shards.get(0).aggregateShare()).hasValueSatisfying(s -> assertThat(s).isEqualTo(FakeVdaf.u64(2)));
    TaskAggregationCounter counter = agg.datastore().run("test_counter", tx -> tx.taskCounters().getAggregation(t.id()));
    assertThat(counter.success()).isEqualTo(2);
  }

  @Test
  void aRetriedInitializationGetsTheStoredAnswer() {
    AggregationJobId job = helper.jobId();
    AggregationJobInitReq req = HelperRequests.init(init(task, 1), init(task, FakeVdaf.FAIL_INIT));
    HttpResponse<byte[]> first = helper.put(task.id(), job, req);
    HttpResponse<byte[]> second = helper.put(task.id(), job, req);
    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(second.statusCode()).isEqualTo(201);
    assertThat(HelperRequests.resp(second)).isEqualTo(HelperRequests.resp(first));
  }

  @Test
  void aDifferentInitializationOfAnExistingJobIsAConflict() {
    AggregationJobId job = helper.jobId();
    assertThat(helper.put(task.id(), job, HelperRequests.init(init(task, 1))).statusCode()).isEqualTo(201);
    assertProblem(helper.put(task.id(), job, HelperRequests.init(init(task, 1))), 409, "about:blank");
  }

  @Test
  void initializationWithoutTheLeadersTokenIsUnauthorized() {
    byte[] body = HelperRequests.init(init(task, 1)).toBytes();
    assertDapProblem(helper.put(task.id(), helper.jobId(), body, Optional.empty()), "unauthorizedRequest", task.id());
    assertDapProblem(helper.put(task.id(), helper.jobId(), body, Optional.of(agg.collectorToken)),
        "unauthorizedRequest", task.id());
  }

  @Test
  void initializationForAnUnknownOrLeaderTaskIsUnrecognizedTask() {
    var unknown = agg.taskId();
    assertDapProblem(helper.put(unknown, helper.jobId(), HelperRequests.init(init(task, 1))), "unrecognizedTask",
        unknown);
    assertDapProblem(helper.put(leaderTask.id(), helper.jobId(), HelperRequests.init(init(leaderTask, 1))),
        "unrecognizedTask", leaderTask.id());
  }

  @Test
  void aRepeatedReportIdIsInvalidMessage() {
    PrepareInit a = init(task, 1);
    assertDapProblem(helper.put(task.id(), helper.jobId(), HelperRequests.init(a, a)), "invalidMessage", task.id());
  }

  @Test
  void aBatchSelectorOfTheWrongQueryTypeIsInvalidMessage() {
    AggregationJobInitReq req = new AggregationJobInitReq(new byte[0],
        new PartialBatchSelector.FixedSize(new BatchId(agg.bytes(32))), List.of(init(task, 1)));
    assertDapProblem(helper.put(task.id(), helper.jobId(), req), "invalidMessage", task.id());
  }

  @Test
  void aMalformedBodyIsInvalidMessageAndAWrongMediaTypeIs415() {
    assertDapProblem(helper.put(task.id(), helper.jobId(), new byte[] {0, 0, 0, 1}, Optional.of(agg.leaderToken)),
        "invalidMessage", task.id());
    HttpResponse<byte[]> r = agg.send("PUT", Dap09.aggregationJobPath(task.id(), helper.jobId()),
        Optional.of(Dap09.MEDIA_TYPE_REPORT), HelperRequests.init(init(task, 1)).toBytes(),
        Optional.of(agg.leaderToken));
    assertProblem(r, 415, "about:blank");
  }

  @Test
  void eachBadReportIsRejectedWithItsOwnError() {
    Time now = agg.reportTime();
    PrepareInit ok = init(task, 1);
    PrepareInit unknownKey = HelperRequests.prepareInit(agg.newKeypair(), task.id(), agg.reportId(), now, 1,
        List.of());
    PrepareInit good = init(task, 1);
    PrepareInit undecryptable = new PrepareInit(new ReportShare(
        new io.janus.messages.dap09.ReportMetadata(agg.reportId(), now), good.reportShare().publicShare(),
        good.reportShare().encryptedInputShare()), good.payload());
    ReportId badShareId = agg.reportId();
    HpkeCiphertext badShare = TestAggregator.seal(task.hpkeKeys().get(0), Role.HELPER, task.id(), badShareId, now,
        new byte[] {0}, new byte[3], List.of());
    PrepareInit undecodable = new PrepareInit(new ReportShare(
        new io.janus.messages.dap09.ReportMetadata(badShareId, now), new byte[] {0}, badShare), good.payload());
    PrepareInit tooEarly = helper.prepareInit(task, agg.reportId(),
        agg.clock.now().plus(TestAggregator.SKEW).plus(DapDuration.ofSeconds(1)), 1, List.of());
    PrepareInit prepFails = init(task, FakeVdaf.FAIL_INIT);
    PrepareInit extension = helper.prepareInit(task, agg.reportId(), now, 1,
        List.of(new Extension(0xFF00, new byte[0])));

    HttpResponse<byte[]> r = helper.put(task.id(), helper.jobId(), HelperRequests.init(ok, unknownKey, undecryptable,
        undecodable, tooEarly, prepFails, extension));
    assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(201);
    List<PrepareResp> resps = HelperRequests.resp(r).prepareResps();
    assertThat(resps.get(0).result()).isInstanceOf(PrepareResp.Continue.class);
    assertThat(resps.subList(1, resps.size())).extracting(p -> ((PrepareResp.Reject) p.result()).error())
        .containsExactly(PrepareError.HPKE_UNKNOWN_CONFIG_ID, PrepareError.HPKE_DECRYPT_ERROR,
            PrepareError.INVALID_MESSAGE, PrepareError.REPORT_TOO_EARLY, PrepareError.VDAF_PREP_ERROR,
            PrepareError.INVALID_MESSAGE);
  }

  @Test
  void reportsPastTheTaskExpirationOrTheExpiryAgeAreRejected() {
    Time now = agg.reportTime();
    Task expiring = agg.put(agg.task(Role.HELPER, new QueryType.TimeInterval(), TestAggregator.ONE_ROUND)
        .hpkeKeys(List.of(agg.newKeypair())).taskExpiration(now.plus(DapDuration.ofSeconds(30)))
        .reportExpiryAge(DapDuration.ofSeconds(1000)).build());
    PrepareInit late = helper.prepareInit(expiring, agg.reportId(), now.plus(DapDuration.ofSeconds(40)), 1, List.of());
    PrepareInit old = helper.prepareInit(expiring, agg.reportId(), now.minusSaturating(DapDuration.ofSeconds(1100)), 1,
        List.of());
    PrepareInit fine = helper.prepareInit(expiring, agg.reportId(), now, 1, List.of());
    List<PrepareResp> resps = HelperRequests.resp(helper.put(expiring.id(), helper.jobId(),
        HelperRequests.init(late, old, fine))).prepareResps();
    assertThat(resps).extracting(PrepareResp::result).containsExactly(
        new PrepareResp.Reject(PrepareError.TASK_EXPIRED), new PrepareResp.Reject(PrepareError.REPORT_DROPPED),
        resps.get(2).result());
    assertThat(resps.get(2).result()).isInstanceOf(PrepareResp.Continue.class);
  }

  @Test
  void aReportInASecondJobIsAReplay() {
    PrepareInit report = init(task, 1);
    assertThat(helper.put(task.id(), helper.jobId(), HelperRequests.init(report)).statusCode()).isEqualTo(201);
    HttpResponse<byte[]> r = helper.put(task.id(), helper.jobId(), HelperRequests.init(report, init(task, 1)));
    List<PrepareResp> resps = HelperRequests.resp(r).prepareResps();
    assertThat(resps.get(0).result()).isEqualTo(new PrepareResp.Reject(PrepareError.REPORT_REPLAYED));
    assertThat(resps.get(1).result()).isInstanceOf(PrepareResp.Continue.class);
  }

  @Test
  void concurrentJobsWithTheSameReportAggregateItOnce() throws Exception {
    PrepareInit report = init(task, 1);
    List<java.util.concurrent.CompletableFuture<HttpResponse<byte[]>>> calls = new java.util.ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 4; i++) {
        AggregationJobId job = helper.jobId();
        calls.add(java.util.concurrent.CompletableFuture.supplyAsync(
            () -> helper.put(task.id(), job, HelperRequests.init(report)), pool));
      }
      long prepared = 0;
      long replayed = 0;
      for (var call : calls) {
        HttpResponse<byte[]> r = call.get();
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(201);
        PrepareResp.Result result = HelperRequests.resp(r).prepareResps().get(0).result();
        if (result instanceof PrepareResp.Continue) {
          prepared++;
        } else {
          assertThat(result).isEqualTo(new PrepareResp.Reject(PrepareError.REPORT_REPLAYED));
          replayed++;
        }
      }
      assertThat(prepared).isEqualTo(1);
      assertThat(replayed).isEqualTo(3);
    }
  }

  @Test
  void aFixedSizeJobAggregatesIntoItsBatch() {
    Task fixed = agg.put(agg.task(Role.HELPER, new QueryType.FixedSize(OptionalLong.of(10), Optional.empty()),
        TestAggregator.ONE_ROUND).hpkeKeys(List.of(agg.newKeypair())).build());
    BatchId batch = new BatchId(agg.bytes(32));
    AggregationJobInitReq req = new AggregationJobInitReq(new byte[0], new PartialBatchSelector.FixedSize(batch),
        List.of(init(fixed, 1), init(fixed, 1)));
    assertThat(helper.put(fixed.id(), helper.jobId(), req).statusCode()).isEqualTo(201);
    long count = agg.datastore().run("test_batch", tx -> tx.batchAggregations().getAll(fixed.id(),
        new BatchIdentifier.FixedSize(batch), new byte[0])).stream().mapToLong(BatchAggregation::reportCount).sum();
    assertThat(count).isEqualTo(2);
  }

  @Test
  void reportsBeyondAFixedSizeBatchsMaximumAreRejectedAsSaturated() {
    Task fixed = agg.put(agg.task(Role.HELPER, new QueryType.FixedSize(OptionalLong.of(3), Optional.empty()),
        TestAggregator.ONE_ROUND).hpkeKeys(List.of(agg.newKeypair())).build());
    BatchId batch = new BatchId(agg.bytes(32));
    AggregationJobInitReq first = new AggregationJobInitReq(new byte[0], new PartialBatchSelector.FixedSize(batch),
        List.of(init(fixed, 1), init(fixed, 1)));
    assertThat(helper.put(fixed.id(), helper.jobId(), first).statusCode()).isEqualTo(201);
    AggregationJobInitReq second = new AggregationJobInitReq(new byte[0], new PartialBatchSelector.FixedSize(batch),
        List.of(init(fixed, FakeVdaf.FAIL_INIT), init(fixed, 1), init(fixed, 1)));
    List<PrepareResp> resps = HelperRequests.resp(helper.put(fixed.id(), helper.jobId(), second)).prepareResps();
    // The failed report takes no room; the batch has room for one more.
    assertThat(resps.get(0).result()).isEqualTo(new PrepareResp.Reject(PrepareError.VDAF_PREP_ERROR));
    assertThat(resps.get(1).result()).isInstanceOf(PrepareResp.Continue.class);
    assertThat(resps.get(2).result()).isEqualTo(new PrepareResp.Reject(PrepareError.BATCH_SATURATED));
  }

  private static byte[] finishMessage() {
    // The Leader's last message in FakeVdaf's two-round exchange.
    return new byte[] {2, 1};
  }

  @Test
  void aTwoRoundJobFinishesOnContinuationAndAnswersARetryAgain() {
    AggregationJobId job = helper.jobId();
    PrepareInit a = init(twoRoundTask, 2);
    PrepareInit failing = init(twoRoundTask, FakeVdaf.FAIL_CONTINUE);
    HttpResponse<byte[]> initResp = helper.put(twoRoundTask.id(), job, HelperRequests.init(a, failing));
    assertThat(HelperRequests.resp(initResp).prepareResps())
        .allSatisfy(p -> assertThat(p.result()).isInstanceOf(PrepareResp.Continue.class));

    AggregationJobContinueReq cont = new AggregationJobContinueReq(1, List.of(
        new PrepareContinue(a.reportShare().metadata().reportId(), finishMessage()),
        new PrepareContinue(failing.reportShare().metadata().reportId(), finishMessage())));
    HttpResponse<byte[]> r = helper.post(twoRoundTask.id(), job, cont);
    assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
    AggregationJobResp resp = HelperRequests.resp(r);
    assertThat(resp.prepareResps()).extracting(PrepareResp::result)
        .containsExactly(new PrepareResp.Finished(), new PrepareResp.Reject(PrepareError.VDAF_PREP_ERROR));

    HttpResponse<byte[]> retry = helper.post(twoRoundTask.id(), job, cont);
    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(HelperRequests.resp(retry)).isEqualTo(resp);

    AggregationJobContinueReq changed = new AggregationJobContinueReq(1, List.of(
        new PrepareContinue(a.reportShare().metadata().reportId(), finishMessage())));
    assertProblem(helper.post(twoRoundTask.id(), job, changed), 409, "about:blank");
    assertDapProblem(helper.post(twoRoundTask.id(), job, new AggregationJobContinueReq(3, cont.prepareContinues())),
        "stepMismatch", twoRoundTask.id());
    // A job that was continued cannot be initialized again.
    assertProblem(helper.put(twoRoundTask.id(), job, HelperRequests.init(a, failing)), 409, "about:blank");
  }

  @Test
  void continuationStepZeroIsInvalidMessage() {
    AggregationJobId job = helper.jobId();
    PrepareInit a = init(twoRoundTask, 2);
    helper.put(twoRoundTask.id(), job, HelperRequests.init(a));
    AggregationJobContinueReq cont = new AggregationJobContinueReq(0, List.of(
        new PrepareContinue(a.reportShare().metadata().reportId(), finishMessage())));
    assertDapProblem(helper.post(twoRoundTask.id(), job, cont), "invalidMessage", twoRoundTask.id());
  }

  @Test
  void continuingAReportNotInTheJobIsInvalidMessage() {
    AggregationJobId job = helper.jobId();
    helper.put(twoRoundTask.id(), job, HelperRequests.init(init(twoRoundTask, 2)));
    AggregationJobContinueReq cont = new AggregationJobContinueReq(1, List.of(
        new PrepareContinue(agg.reportId(), finishMessage())));
    assertDapProblem(helper.post(twoRoundTask.id(), job, cont), "invalidMessage", twoRoundTask.id());
  }

  @Test
  void continuingAnUnknownJobIsUnrecognizedAggregationJob() {
    AggregationJobContinueReq cont = new AggregationJobContinueReq(1, List.of(
        new PrepareContinue(agg.reportId(), finishMessage())));
    assertDapProblem(helper.post(twoRoundTask.id(), helper.jobId(), cont), "unrecognizedAggregationJob",
        twoRoundTask.id());
  }

  @Test
  void aDeletedJobIsGone() {
    AggregationJobId job = helper.jobId();
    PrepareInit a = init(twoRoundTask, 2);
    helper.put(twoRoundTask.id(), job, HelperRequests.init(a));
    assertThat(helper.delete(twoRoundTask.id(), job).statusCode()).isEqualTo(204);
    assertThat(helper.delete(twoRoundTask.id(), job).statusCode()).isEqualTo(204);
    AggregationJobContinueReq cont = new AggregationJobContinueReq(1, List.of(
        new PrepareContinue(a.reportShare().metadata().reportId(), finishMessage())));
    assertProblem(helper.post(twoRoundTask.id(), job, cont), 410, "about:blank");
  }

  @Test
  void deletingAnUnknownJobIsUnrecognizedAggregationJob() {
    assertDapProblem(helper.delete(task.id(), helper.jobId()), "unrecognizedAggregationJob", task.id());
  }

  @Test
  void anInternalFailureIsABare500() {
    Task broken = agg.put(agg.task(Role.HELPER, new QueryType.TimeInterval(), TestAggregator.BROKEN)
        .hpkeKeys(List.of(agg.newKeypair())).build());
    HttpResponse<byte[]> r = helper.put(broken.id(), helper.jobId(), HelperRequests.init(init(broken, 1)));
    assertThat(r.statusCode()).isEqualTo(500);
    // Nothing about the failure reaches the client.
    assertThat(r.body()).isEmpty();
  }

  @Test
  void deletingWithoutTheLeadersTokenIsUnauthorized() {
    HttpResponse<byte[]> r = agg.send("DELETE", Dap09.aggregationJobPath(task.id(), helper.jobId()),
        Optional.empty(), new byte[0], Optional.empty());
    assertDapProblem(r, "unauthorizedRequest", task.id());
  }
}
