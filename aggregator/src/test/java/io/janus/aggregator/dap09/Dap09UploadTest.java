package io.janus.aggregator.dap09;

import static io.janus.aggregator.dap09.TestAggregator.assertDapProblem;
import static io.janus.aggregator.dap09.TestAggregator.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.janus.server.datastore.model.CollectionJob;
import io.janus.server.datastore.model.CollectionJobState;
import io.janus.server.datastore.model.CollectionQueryKind;
import io.janus.server.datastore.model.BatchIdentifier;
import io.janus.server.datastore.model.LeaderStoredReport;
import io.janus.server.datastore.model.TaskUploadCounter;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.core.vdaf.FakeVdaf;
import io.janus.core.vdaf.PingPongVdaf;
import io.janus.messages.CollectionJobId;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.HpkeConfigList;
import io.janus.messages.Interval;
import io.janus.messages.ReportId;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.messages.dap09.Dap09;
import io.janus.messages.dap09.Extension;
import io.janus.messages.dap09.Report;
import io.janus.messages.dap09.ReportMetadata;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /hpke_config} and {@code PUT /tasks/{task_id}/reports} over real HTTP and PostgreSQL. */
class Dap09UploadTest {
  private static TestAggregator agg;
  private static HpkeKeypair leaderKey;
  private static HpkeKeypair helperKey;
  private static Task leaderTask;
  private static Task expiringTask;
  private static Task helperTask;
  private static final FakeVdaf VDAF = new FakeVdaf();

  @BeforeAll
  static void setUp() {
    // Batches of one: every upload is written on its own, so no test waits on another's batch.
    agg = new TestAggregator(1);
    leaderKey = agg.newKeypair();
    helperKey = agg.newKeypair();
    leaderTask = agg.put(agg.task(Role.LEADER, new QueryType.TimeInterval(), TestAggregator.ONE_ROUND)
        .hpkeKeys(List.of(leaderKey)).build());
    expiringTask = agg.put(agg.task(Role.LEADER, new QueryType.TimeInterval(), TestAggregator.ONE_ROUND)
        .hpkeKeys(List.of(agg.newKeypair())).taskExpiration(agg.clock.now().plus(DapDuration.ofSeconds(1000)))
        .reportExpiryAge(DapDuration.ofSeconds(3600)).build());
    helperTask = agg.put(agg.task(Role.HELPER, new QueryType.TimeInterval(), TestAggregator.ONE_ROUND)
        .hpkeKeys(List.of(helperKey)).build());
  }

  @AfterAll
  static void tearDown() {
    agg.close();
  }

  private static Report report(Task task, ReportId id, Time time, long measurement, List<Extension> extensions) {
    PingPongVdaf.Sharded s = VDAF.shard(new long[] {measurement}, id.bytes(), new byte[0]);
    HpkeKeypair key = task.hpkeKeys().get(0);
    HpkeCiphertext leader = TestAggregator.seal(key, Role.LEADER, task.id(), id, time, s.publicShare(),
        s.leaderInputShare(), extensions);
    HpkeCiphertext helper = TestAggregator.seal(helperKey, Role.HELPER, task.id(), id, time, s.publicShare(),
        s.helperInputShare(), List.of());
    return new Report(new ReportMetadata(id, time), s.publicShare(), leader, helper);
  }

  private static HttpResponse<byte[]> upload(TaskId taskId, byte[] body) {
    return agg.send("PUT", Dap09.reportsPath(taskId), Optional.of(Dap09.MEDIA_TYPE_REPORT), body, Optional.empty());
  }

  private static Optional<LeaderStoredReport> stored(TaskId taskId, ReportId id) {
    return agg.datastore().run("test_get_report", tx -> tx.clientReports().get(taskId, id));
  }

  @Test
  void hpkeConfigOfATaskIsItsOwnKeyAndCacheable() {
    HttpResponse<byte[]> r = agg.send("GET", "/hpke_config?task_id=" + leaderTask.id().toBase64Url(),
        Optional.empty(), new byte[0], Optional.empty());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(Dap09.MEDIA_TYPE_HPKE_CONFIG_LIST);
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("max-age=86400");
    assertThat(HpkeConfigList.decode(r.body()).configs()).containsExactly(leaderKey.config());
  }

  @Test
  void hpkeConfigOfAnUnknownTaskIsUnrecognizedTask() {
    TaskId unknown = agg.taskId();
    HttpResponse<byte[]> r = agg.send("GET", "/hpke_config?task_id=" + unknown.toBase64Url(), Optional.empty(),
        new byte[0], Optional.empty());
    assertDapProblem(r, "unrecognizedTask", unknown);
  }

  @Test
  void hpkeConfigWithAMalformedTaskIdIsInvalidMessage() {
    HttpResponse<byte[]> r = agg.send("GET", "/hpke_config?task_id=not*base64", Optional.empty(), new byte[0],
        Optional.empty());
    assertProblem(r, 400, "invalidMessage");
  }

  @Test
  void hpkeConfigWithoutTaskIdOrGlobalKeysIsMissingTaskId() {
    HttpResponse<byte[]> r = agg.send("GET", "/hpke_config", Optional.empty(), new byte[0], Optional.empty());
    assertProblem(r, 400, "missingTaskID");
  }

  @Test
  void uploadStoresTheDecryptedReport() {
    ReportId id = agg.reportId();
    Time time = agg.reportTime();
    Report report = report(leaderTask, id, time, 5, List.of());
    HttpResponse<byte[]> r = upload(leaderTask.id(), report.toBytes());
    assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(201);
    LeaderStoredReport stored = stored(leaderTask.id(), id).orElseThrow();
    assertThat(stored.time()).isEqualTo(time);
    assertThat(stored.publicShare()).isEqualTo(report.publicShare());
    assertThat(stored.leaderInputShare()).isEqualTo(FakeVdaf.u64(4));
    assertThat(stored.helperEncryptedInputShare()).isEqualTo(report.helperEncryptedInputShare());
  }

  @Test
  void aDuplicateUploadSucceedsAndLeavesTheFirstReport() {
    ReportId id = agg.reportId();
    Time time = agg.reportTime();
    assertThat(upload(leaderTask.id(), report(leaderTask, id, time, 1, List.of()).toBytes()).statusCode())
        .isEqualTo(201);
    assertThat(upload(leaderTask.id(), report(leaderTask, id, time, 9, List.of()).toBytes()).statusCode())
        .isEqualTo(201);
    assertThat(stored(leaderTask.id(), id).orElseThrow().leaderInputShare()).isEqualTo(FakeVdaf.u64(0));
  }

  @Test
  void browsersOfAnyOriginMayFetchConfigsAndUpload() {
    java.util.Map<String, String> origin = java.util.Map.of("Origin", "https://app.example");
    HttpResponse<byte[]> preflight = agg.send("OPTIONS", Dap09.reportsPath(leaderTask.id()), Optional.empty(),
        new byte[0], Optional.empty(), origin);
    assertThat(preflight.statusCode()).isEqualTo(200);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example");
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).hasValue("PUT");
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers")).hasValue("content-type");

    HttpResponse<byte[]> configPreflight = agg.send("OPTIONS", "/hpke_config", Optional.empty(), new byte[0],
        Optional.empty(), origin);
    assertThat(configPreflight.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET");

    Report report = report(leaderTask, agg.reportId(), agg.reportTime(), 1, List.of());
    HttpResponse<byte[]> r = agg.send("PUT", Dap09.reportsPath(leaderTask.id()), Optional.of(Dap09.MEDIA_TYPE_REPORT),
        report.toBytes(), Optional.empty(), origin);
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example");
  }

  @Test
  void requestsAreTimedByResourceAndStatus() throws InterruptedException {
    TaskId unknown = agg.taskId();
    upload(unknown, report(leaderTask, agg.reportId(), agg.reportTime(), 1, List.of()).toBytes());
    // The server records the request once its handler returns, which may be just after the client has the answer.
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
    while (agg.meters.find("janus_http_server_request_duration").tag("method", "PUT").tag("route", "reports")
        .tag("status", "400").timer() == null && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(agg.meters.find("janus_http_server_request_duration").tag("method", "PUT").tag("route", "reports")
        .tag("status", "400").timer()).isNotNull();
  }

  @Test
  void uploadToAnUnknownTaskIsUnrecognizedTask() {
    TaskId unknown = agg.taskId();
    Report report = report(leaderTask, agg.reportId(), agg.reportTime(), 1, List.of());
    assertDapProblem(upload(unknown, report.toBytes()), "unrecognizedTask", unknown);
  }

  @Test
  void uploadToAHelperTaskIsUnrecognizedTask() {
    Report report = report(helperTask, agg.reportId(), agg.reportTime(), 1, List.of());
    assertDapProblem(upload(helperTask.id(), report.toBytes()), "unrecognizedTask", helperTask.id());
  }

  @Test
  void uploadSealedToAnUnknownConfigIsOutdatedConfig() {
    Report good = report(leaderTask, agg.reportId(), agg.reportTime(), 1, List.of());
    HpkeCiphertext c = good.leaderEncryptedInputShare();
    Report bad = new Report(good.metadata(), good.publicShare(),
        new HpkeCiphertext(200, c.encapsulatedKey(), c.payload()), good.helperEncryptedInputShare());
    assertDapProblem(upload(leaderTask.id(), bad.toBytes()), "outdatedConfig", leaderTask.id());
  }

  @Test
  void uploadFromTheFarFutureIsReportTooEarly() {
    Time future = agg.clock.now().plus(TestAggregator.SKEW).plus(DapDuration.ofSeconds(1));
    Report report = report(leaderTask, agg.reportId(), future, 1, List.of());
    assertDapProblem(upload(leaderTask.id(), report.toBytes()), "reportTooEarly", leaderTask.id());
  }

  @Test
  void uploadWithinTheClockSkewIsAccepted() {
    Time future = agg.clock.now().plus(TestAggregator.SKEW);
    Report report = report(leaderTask, agg.reportId(), future, 1, List.of());
    assertThat(upload(leaderTask.id(), report.toBytes()).statusCode()).isEqualTo(201);
  }

  @Test
  void uploadPastTheTaskExpirationIsReportRejected() {
    Time late = expiringTask.taskExpiration().orElseThrow().plus(DapDuration.ofSeconds(1));
    // Within the clock skew of "now" would not be past expiration; move the report, not the clock.
    Report report = report(expiringTask, agg.reportId(), late, 1, List.of());
    assertDapProblem(upload(expiringTask.id(), report.toBytes()), "reportRejected", expiringTask.id());
  }

  @Test
  void uploadOlderThanTheReportExpiryAgeIsReportRejected() {
    Time old = agg.clock.now().minusSaturating(DapDuration.ofSeconds(3601));
    Report report = report(expiringTask, agg.reportId(), old, 1, List.of());
    assertDapProblem(upload(expiringTask.id(), report.toBytes()), "reportRejected", expiringTask.id());
  }

  @Test
  void uploadThatDoesNotDecryptIsReportRejected() {
    Report good = report(leaderTask, agg.reportId(), agg.reportTime(), 1, List.of());
    // Same ciphertext, other metadata: the AAD no longer matches.
    Report bad = new Report(new ReportMetadata(agg.reportId(), good.metadata().time()), good.publicShare(),
        good.leaderEncryptedInputShare(), good.helperEncryptedInputShare());
    assertDapProblem(upload(leaderTask.id(), bad.toBytes()), "reportRejected", leaderTask.id());
  }

  @Test
  void uploadWithAnUnknownExtensionIsInvalidMessage() {
    Report report = report(leaderTask, agg.reportId(), agg.reportTime(), 1,
        List.of(new Extension(0xFF00, new byte[] {1})));
    assertDapProblem(upload(leaderTask.id(), report.toBytes()), "invalidMessage", leaderTask.id());
  }

  @Test
  void uploadWithAnUndecodableVdafShareIsInvalidMessage() {
    ReportId id = agg.reportId();
    Time time = agg.reportTime();
    HpkeCiphertext leader = TestAggregator.seal(leaderKey, Role.LEADER, leaderTask.id(), id, time, new byte[] {0},
        new byte[3], List.of());
    Report report = new Report(new ReportMetadata(id, time), new byte[] {0}, leader,
        report(leaderTask, id, time, 1, List.of()).helperEncryptedInputShare());
    assertDapProblem(upload(leaderTask.id(), report.toBytes()), "invalidMessage", leaderTask.id());
  }

  @Test
  void aMalformedBodyIsInvalidMessage() {
    byte[] body = report(leaderTask, agg.reportId(), agg.reportTime(), 1, List.of()).toBytes();
    byte[] truncated = java.util.Arrays.copyOf(body, body.length - 1);
    assertDapProblem(upload(leaderTask.id(), truncated), "invalidMessage", leaderTask.id());
  }

  @Test
  void theWrongContentTypeIsUnsupportedMediaType() {
    byte[] body = report(leaderTask, agg.reportId(), agg.reportTime(), 1, List.of()).toBytes();
    HttpResponse<byte[]> r = agg.send("PUT", Dap09.reportsPath(leaderTask.id()), Optional.of("application/json"),
        body, Optional.empty());
    assertProblem(r, 415, "about:blank");
  }

  @Test
  void aMalformedTaskIdInThePathIsInvalidMessage() {
    byte[] body = report(leaderTask, agg.reportId(), agg.reportTime(), 1, List.of()).toBytes();
    HttpResponse<byte[]> r = agg.send("PUT", "/tasks/too-short/reports", Optional.of(Dap09.MEDIA_TYPE_REPORT), body,
        Optional.empty());
    assertProblem(r, 400, "invalidMessage");
  }

  @Test
  void uploadIntoACollectedBatchIsReportRejected() {
    Task task = agg.put(agg.task(Role.LEADER, new QueryType.TimeInterval(), TestAggregator.ONE_ROUND)
        .hpkeKeys(List.of(agg.newKeypair())).build());
    Time time = agg.reportTime();
    Interval batch = new Interval(time, TestAggregator.PRECISION);
    agg.datastore().run("test_collected", tx -> tx.collectionJobs().put(new CollectionJob(task.id(),
        new CollectionJobId(agg.bytes(16)), CollectionQueryKind.TIME_INTERVAL, new byte[0],
        new BatchIdentifier.TimeInterval(batch), new CollectionJobState.Finished(1, batch, FakeVdaf.u64(1),
            report(task, agg.reportId(), time, 1, List.of()).helperEncryptedInputShare()))));
    ReportId id = agg.reportId();
    assertDapProblem(upload(task.id(), report(task, id, time, 1, List.of()).toBytes()), "reportRejected", task.id());
    assertThat(stored(task.id(), id)).isEmpty();
  }

  @Test
  void uploadIntoABatchWithAPendingCollectionIsReportRejectedUnlessTheJobWasAbandonedUnbegun() {
    Task task = agg.put(agg.task(Role.LEADER, new QueryType.TimeInterval(), TestAggregator.ONE_ROUND)
        .hpkeKeys(List.of(agg.newKeypair())).build());
    Time time = agg.reportTime();
    Interval batch = new Interval(time, TestAggregator.PRECISION);
    Time earlier = new Time(time.seconds() - TestAggregator.PRECISION.seconds());
    Interval next = new Interval(earlier, TestAggregator.PRECISION);
    agg.datastore().run("test_requested", tx -> {
      tx.collectionJobs().put(new CollectionJob(task.id(), new CollectionJobId(agg.bytes(16)),
          CollectionQueryKind.TIME_INTERVAL, new byte[0], new BatchIdentifier.TimeInterval(batch),
          new CollectionJobState.Start()));
      return tx.collectionJobs().put(new CollectionJob(task.id(), new CollectionJobId(agg.bytes(16)),
          CollectionQueryKind.TIME_INTERVAL, new byte[0], new BatchIdentifier.TimeInterval(next),
          new CollectionJobState.Abandoned()));
    });
    ReportId rejected = agg.reportId();
    assertDapProblem(upload(task.id(), report(task, rejected, time, 1, List.of()).toBytes()), "reportRejected",
        task.id());
    assertThat(stored(task.id(), rejected)).isEmpty();
    // A job abandoned before it began holds nothing: its batch takes reports for a later collection.
    ReportId accepted = agg.reportId();
    assertThat(upload(task.id(), report(task, accepted, earlier, 1, List.of()).toBytes()).statusCode())
        .isEqualTo(201);
    assertThat(stored(task.id(), accepted)).isPresent();
    assertThat(agg.datastore().run("test_counters", tx -> tx.taskCounters().getUpload(task.id()))
        .intervalCollected()).isEqualTo(1);
  }

  @Test
  void everyOutcomeIsCounted() {
    Task task = agg.put(agg.task(Role.LEADER, new QueryType.TimeInterval(), TestAggregator.ONE_ROUND)
        .hpkeKeys(List.of(agg.newKeypair())).build());
    assertThat(upload(task.id(), report(task, agg.reportId(), agg.reportTime(), 1, List.of()).toBytes())
        .statusCode()).isEqualTo(201);
    Time future = agg.clock.now().plus(DapDuration.ofSeconds(3600));
    assertThat(upload(task.id(), report(task, agg.reportId(), future, 1, List.of()).toBytes()).statusCode())
        .isEqualTo(400);
    assertThat(upload(task.id(), report(task, agg.reportId(), agg.reportTime(), 1, List.of()).toBytes())
        .statusCode()).isEqualTo(201);
    TaskUploadCounter c = agg.datastore().run("test_counters", tx -> tx.taskCounters().getUpload(task.id()));
    assertThat(c.reportSuccess()).isEqualTo(2);
    assertThat(c.reportTooEarly()).isEqualTo(1);
  }
}
