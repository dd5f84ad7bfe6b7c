package io.janus.aggregator.dap09;

import static io.janus.aggregator.dap09.TestAggregator.assertDapProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeException;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.core.vdaf.FakeVdaf;
import io.janus.messages.BatchId;
import io.janus.messages.DapDuration;
import io.janus.messages.Interval;
import io.janus.messages.ReportId;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.messages.dap09.AggregateShare;
import io.janus.messages.dap09.AggregateShareAad;
import io.janus.messages.dap09.AggregateShareReq;
import io.janus.messages.dap09.AggregationJobInitReq;
import io.janus.messages.dap09.BatchSelector;
import io.janus.messages.dap09.Dap09;
import io.janus.messages.dap09.PartialBatchSelector;
import io.janus.messages.dap09.PrepareError;
import io.janus.messages.dap09.PrepareInit;
import io.janus.messages.dap09.PrepareResp;
import io.janus.vdaf.VdafException;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Helper's {@code POST /tasks/{task_id}/aggregate_shares} over real HTTP and PostgreSQL. */
class Dap09AggregateShareTest {
  private static TestAggregator agg;
  private static HelperRequests helper;

  @BeforeAll
  static void setUp() {
    agg = new TestAggregator(10);
    helper = new HelperRequests(agg);
  }

  @AfterAll
  static void tearDown() {
    agg.close();
  }

  /** A Helper task that needs two reports per batch and allows one query per batch. */
  private static Task newTask() {
    return agg.put(agg.task(Role.HELPER, new QueryType.TimeInterval(), TestAggregator.ONE_ROUND)
        .hpkeKeys(List.of(agg.newKeypair())).minBatchSize(2).build());
  }

  /** Aggregates {@code n} reports at {@code time} under {@code aggParam}; returns their IDs. */
  private static List<ReportId> aggregate(Task task, Time time, int n, byte[] aggParam) {
    List<PrepareInit> inits = new ArrayList<>();
    List<ReportId> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ReportId id = agg.reportId();
      ids.add(id);
      inits.add(helper.prepareInit(task, id, time, 1, List.of()));
    }
    HttpResponse<byte[]> r = helper.put(task.id(), helper.jobId(),
        new AggregationJobInitReq(aggParam, new PartialBatchSelector.TimeInterval(), inits));
    assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(201);
    return ids;
  }

  private static byte[] checksum(List<ReportId> ids) {
    byte[] c = new byte[32];
    for (ReportId id : ids) {
      byte[] h;
      try {
        h = MessageDigest.getInstance("SHA-256").digest(id.bytes());
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
      for (int i = 0; i < 32; i++) {
        c[i] ^= h[i];
      }
    }
    return c;
  }

  private static HttpResponse<byte[]> request(TaskId taskId, AggregateShareReq req) {
    return agg.send("POST", Dap09.aggregateSharesPath(taskId), Optional.of(Dap09.MEDIA_TYPE_AGGREGATE_SHARE_REQ),
        req.toBytes(), Optional.of(agg.leaderToken));
  }

  private static Interval bucket(Time time) {
    return new Interval(time, TestAggregator.PRECISION);
  }

  private static long open(TaskId taskId, AggregateShareReq req, HttpResponse<byte[]> r) {
    assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(Dap09.MEDIA_TYPE_AGGREGATE_SHARE);
    AggregateShare share = AggregateShare.decode(r.body());
    byte[] aad = new AggregateShareAad(taskId, req.aggregationParameter(), req.batchSelector()).toBytes();
    try {
      return FakeVdaf.value(Hpke.open(agg.collectorKey, Dap09.aggregateShareInfo(Role.HELPER),
          share.encryptedAggregateShare(), aad));
    } catch (HpkeException | VdafException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void theAggregateShareIsSealedToTheCollectorAndRepeatable() {
    Task task = newTask();
    Time time = agg.reportTime();
    List<ReportId> ids = aggregate(task, time, 3, new byte[0]);
    AggregateShareReq req = new AggregateShareReq(new BatchSelector.TimeInterval(bucket(time)), new byte[0], 3,
        checksum(ids));
    // The Helper's share of each FakeVdaf measurement is 1.
    assertThat(open(task.id(), req, request(task.id(), req))).isEqualTo(3);
    assertThat(open(task.id(), req, request(task.id(), req))).isEqualTo(3);
  }

  @Test
  void aReportCountOrChecksumThatDiffersIsBatchMismatch() {
    Task task = newTask();
    Time time = agg.reportTime();
    List<ReportId> ids = aggregate(task, time, 2, new byte[0]);
    BatchSelector batch = new BatchSelector.TimeInterval(bucket(time));
    assertDapProblem(request(task.id(), new AggregateShareReq(batch, new byte[0], 3, checksum(ids))),
        "batchMismatch", task.id());
    assertDapProblem(request(task.id(), new AggregateShareReq(batch, new byte[0], 2, checksum(ids.subList(0, 1)))),
        "batchMismatch", task.id());
    // Once answered, a repeat with other numbers is a mismatch too.
    AggregateShareReq good = new AggregateShareReq(batch, new byte[0], 2, checksum(ids));
    assertThat(request(task.id(), good).statusCode()).isEqualTo(200);
    assertDapProblem(request(task.id(), new AggregateShareReq(batch, new byte[0], 1, checksum(ids))),
        "batchMismatch", task.id());
  }

  @Test
  void anUnalignedBatchIntervalIsBatchInvalid() {
    Task task = newTask();
    Time time = agg.reportTime();
    List<ReportId> ids = aggregate(task, time, 2, new byte[0]);
    for (Interval bad : List.of(new Interval(time.plus(DapDuration.ofSeconds(1)), TestAggregator.PRECISION),
        new Interval(time, DapDuration.ofSeconds(150)), new Interval(time, DapDuration.ofSeconds(50)))) {
      assertDapProblem(request(task.id(), new AggregateShareReq(new BatchSelector.TimeInterval(bad), new byte[0], 2,
          checksum(ids))), "batchInvalid", task.id());
    }
  }

  @Test
  void tooFewReportsIsInvalidBatchSize() {
    Task task = newTask();
    Time time = agg.reportTime();
    List<ReportId> ids = aggregate(task, time, 1, new byte[0]);
    assertDapProblem(request(task.id(), new AggregateShareReq(new BatchSelector.TimeInterval(bucket(time)),
        new byte[0], 1, checksum(ids))), "invalidBatchSize", task.id());
  }

  @Test
  void anOverlappingBatchIsBatchOverlap() {
    Task task = newTask();
    Time time = agg.reportTime();
    List<ReportId> ids = aggregate(task, time, 2, new byte[0]);
    AggregateShareReq first = new AggregateShareReq(new BatchSelector.TimeInterval(bucket(time)), new byte[0], 2,
        checksum(ids));
    assertThat(request(task.id(), first).statusCode()).isEqualTo(200);
    Interval wider = new Interval(time, DapDuration.ofSeconds(2 * TestAggregator.PRECISION.seconds()));
    assertDapProblem(request(task.id(), new AggregateShareReq(new BatchSelector.TimeInterval(wider), new byte[0], 2,
        checksum(ids))), "batchOverlap", task.id());
  }

  @Test
  void aSecondAggregationParameterBeyondTheQueryCountIsBatchQueriedTooManyTimes() {
    Task task = newTask();
    Time time = agg.reportTime();
    List<ReportId> first = aggregate(task, time, 2, new byte[0]);
    List<ReportId> second = aggregate(task, time, 2, new byte[] {7});
    BatchSelector batch = new BatchSelector.TimeInterval(bucket(time));
    assertThat(request(task.id(), new AggregateShareReq(batch, new byte[0], 2, checksum(first))).statusCode())
        .isEqualTo(200);
    assertDapProblem(request(task.id(), new AggregateShareReq(batch, new byte[] {7}, 2, checksum(second))),
        "batchQueriedTooManyTimes", task.id());
  }

  @Test
  void aReportOfACollectedBatchIsRejectedAsBatchCollected() {
    Task task = newTask();
    Time time = agg.reportTime();
    List<ReportId> ids = aggregate(task, time, 2, new byte[0]);
    assertThat(request(task.id(), new AggregateShareReq(new BatchSelector.TimeInterval(bucket(time)), new byte[0], 2,
        checksum(ids))).statusCode()).isEqualTo(200);
    HttpResponse<byte[]> r = helper.put(task.id(), helper.jobId(),
        HelperRequests.init(helper.prepareInit(task, agg.reportId(), time, 1, List.of())));
    assertThat(HelperRequests.resp(r).prepareResps().get(0).result())
        .isEqualTo(new PrepareResp.Reject(PrepareError.BATCH_COLLECTED));
  }

  @Test
  void anUnknownFixedSizeBatchIsBatchInvalid() {
    Task fixed = agg.put(agg.task(Role.HELPER, new QueryType.FixedSize(OptionalLong.empty(), Optional.empty()),
        TestAggregator.ONE_ROUND).hpkeKeys(List.of(agg.newKeypair())).build());
    assertDapProblem(request(fixed.id(), new AggregateShareReq(new BatchSelector.FixedSize(new BatchId(agg.bytes(32))),
        new byte[0], 0, new byte[32])), "batchInvalid", fixed.id());
  }

  @Test
  void aBatchSelectorOfTheWrongQueryTypeIsInvalidMessage() {
    Task task = newTask();
    assertDapProblem(request(task.id(), new AggregateShareReq(new BatchSelector.FixedSize(new BatchId(agg.bytes(32))),
        new byte[0], 0, new byte[32])), "invalidMessage", task.id());
  }

  @Test
  void aRequestWithoutTheLeadersTokenIsUnauthorized() {
    Task task = newTask();
    AggregateShareReq req = new AggregateShareReq(new BatchSelector.TimeInterval(bucket(agg.reportTime())),
        new byte[0], 0, new byte[32]);
    HttpResponse<byte[]> r = agg.send("POST", Dap09.aggregateSharesPath(task.id()),
        Optional.of(Dap09.MEDIA_TYPE_AGGREGATE_SHARE_REQ), req.toBytes(), Optional.empty());
    assertDapProblem(r, "unauthorizedRequest", task.id());
  }

  @Test
  void aMalformedRequestIsInvalidMessageAndAWrongMediaTypeIs415() {
    Task task = newTask();
    assertDapProblem(agg.send("POST", Dap09.aggregateSharesPath(task.id()),
        Optional.of(Dap09.MEDIA_TYPE_AGGREGATE_SHARE_REQ), new byte[] {1, 2, 3}, Optional.of(agg.leaderToken)),
        "invalidMessage", task.id());
    AggregateShareReq req = new AggregateShareReq(new BatchSelector.TimeInterval(bucket(agg.reportTime())),
        new byte[0], 0, new byte[32]);
    TestAggregator.assertProblem(agg.send("POST", Dap09.aggregateSharesPath(task.id()),
        Optional.of(Dap09.MEDIA_TYPE_COLLECT_REQ), req.toBytes(), Optional.of(agg.leaderToken)), 415, "about:blank");
  }

  @Test
  void anUnknownTaskIsUnrecognizedTask() {
    TaskId unknown = agg.taskId();
    AggregateShareReq req = new AggregateShareReq(new BatchSelector.TimeInterval(bucket(agg.reportTime())),
        new byte[0], 0, new byte[32]);
    assertDapProblem(request(unknown, req), "unrecognizedTask", unknown);
  }
}
