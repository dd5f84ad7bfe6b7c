package io.janus.aggregator.dap18;

import static io.janus.aggregator.dap18.TestAggregator18.assertDapProblem;
import static io.janus.aggregator.dap18.TestAggregator18.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.janus.client.Client;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.AgreedTerms;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.messages.HpkeConfigList;
import io.janus.messages.ReportId;
import io.janus.messages.Role;
import io.janus.messages.Time;
import io.janus.messages.dap09.Dap09;
import io.janus.messages.dap18.CollectionJobExtension;
import io.janus.messages.dap18.CollectionJobReq;
import io.janus.messages.dap18.Dap18;
import io.janus.messages.dap18.Extension;
import io.janus.messages.dap18.Interval;
import io.janus.messages.dap18.Query;
import io.janus.messages.dap18.Report;
import io.janus.messages.dap18.ReportError;
import io.janus.messages.dap18.ReportUploadStatus;
import io.janus.messages.dap18.UploadErrors;
import io.janus.messages.dap18.UploadRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The DAP-18 Leader over real HTTP and PostgreSQL: HPKE configuration, bulk upload, collection jobs. */
class Dap18LeaderTest {
  private static TestAggregator18 agg;
  private static Task task;
  private static Task leaderSelected;
  /** The task collection tests use: a collection job refuses later uploads to its interval. */
  private static Task collected;

  @BeforeAll
  static void setUp() {
    agg = new TestAggregator18();
    task = agg.put(agg.task(Role.LEADER, new QueryType.TimeInterval(), TestAggregator18.ONE_ROUND).build());
    collected = agg.put(agg.task(Role.LEADER, new QueryType.TimeInterval(), TestAggregator18.ONE_ROUND).build());
    leaderSelected = agg.put(agg.task(Role.LEADER, new QueryType.FixedSize(java.util.OptionalLong.empty(), Optional.empty()), TestAggregator18.ONE_ROUND)
        .build());
  }

  @AfterAll
  static void tearDown() {
    agg.close();
  }

  private static HttpResponse<byte[]> upload(Task t, List<Report> reports) {
    return agg.send("POST", Dap18.reportsPath(t.id()), Optional.of(Dap18.MEDIA_TYPE_UPLOAD_REQ),
        new UploadRequest(reports).toBytes(), Optional.empty());
  }

  @Test
  void hpkeConfigIsServedByAcceptAndQuery() {
    HttpResponse<byte[]> r = agg.send("GET", Dap18.ROUTE_HPKE_CONFIG, Optional.empty(), new byte[0],
        Optional.empty(), Map.of("Accept", Dap18.MEDIA_TYPE_HPKE_CONFIG_LIST));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(Dap18.MEDIA_TYPE_HPKE_CONFIG_LIST);
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("max-age=86400");
    assertThat(HpkeConfigList.decode(r.body()).configs()).containsExactly(agg.globalKey.config());
    // No Accept naming draft 18: the DAP-09 answer, as before.
    HttpResponse<byte[]> old = agg.send("GET", Dap18.ROUTE_HPKE_CONFIG, Optional.empty(), new byte[0],
        Optional.empty());
    assertThat(old.headers().firstValue("Content-Type")).hasValue(Dap09.MEDIA_TYPE_HPKE_CONFIG_LIST);
  }

  @Test
  void theClientLibraryUploads() {
    Client client = Client.builder(task.id(), task.agreement().get())
        .clock(agg.clock)
        .helperHpkeConfig(agg.globalKey.config())
        .build();
    client.upload(1);
    var prepared = List.of(client.prepareReport(new long[] {0}, agg.clock.now()),
        client.prepareReport(new long[] {1}, agg.clock.now()));
    assertThat(client.uploadReports(prepared)).isEmpty();
    for (var p : prepared) {
      boolean exists = agg.datastore().run("exists", tx -> tx.clientReports().exists(task.id(), p.reportId()));
      assertThat(exists).isTrue();
    }
  }

  @Test
  void eachRefusedReportIsAnsweredInOrder() {
    HpkeKeypair impostor = agg.keypair(agg.globalKey.config().id());
    long now = agg.reportUnits();
    List<Report> reports = new ArrayList<>();
    reports.add(agg.report(task, 1).report());
    reports.add(agg.report(task, agg.keypair(99), now, 1, List.of(), List.of()).report());
    reports.add(agg.report(task, agg.globalKey, now + 10, 1, List.of(), List.of()).report());
    reports.add(agg.report(task, impostor, now, 1, List.of(), List.of()).report());
    Extension e1 = new Extension(1, new byte[0]);
    Extension e2 = new Extension(2, new byte[0]);
    reports.add(agg.report(task, agg.globalKey, now, 1, List.of(e2, e1), List.of()).report());
    reports.add(agg.report(task, agg.globalKey, now, 1, List.of(e1), List.of(e1)).report());
    reports.add(agg.report(task, agg.globalKey, now, 1, List.of(e1, e1), List.of()).report());
    reports.add(agg.report(task, 0).report());
    HttpResponse<byte[]> r = upload(task, reports);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(Dap18.MEDIA_TYPE_UPLOAD_ERRORS);
    List<ReportUploadStatus> status = UploadErrors.decode(r.body()).status();
    assertThat(status).extracting(ReportUploadStatus::error).containsExactly(ReportError.OUTDATED_CONFIG,
        ReportError.REPORT_TOO_EARLY, ReportError.HPKE_DECRYPT_ERROR, ReportError.INVALID_MESSAGE,
        ReportError.INVALID_MESSAGE, ReportError.INVALID_MESSAGE);
    assertThat(status).extracting(ReportUploadStatus::id).containsExactly(reports.get(1).metadata().reportId(),
        reports.get(2).metadata().reportId(), reports.get(3).metadata().reportId(),
        reports.get(4).metadata().reportId(), reports.get(5).metadata().reportId(),
        reports.get(6).metadata().reportId());
    // Full success is an empty body; a duplicate counts as stored.
    HttpResponse<byte[]> again = upload(task, List.of(reports.get(0), agg.report(task, 1).report()));
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.body()).isEmpty();
  }

  @Test
  void reportsOutsideTheTaskIntervalAreRefused() {
    long now = agg.clock.now().seconds();
    long start = (now / 100 + 5) * 100;
    Task bounded = agg.put(agg.task(Role.LEADER, new QueryType.TimeInterval(), TestAggregator18.ONE_ROUND)
        .agreedTerms(new AgreedTerms(agg.bytes(4), agg.endpoint(), Optional.of(new Time(start - 1000))))
        .taskExpiration(new Time(start - 500)).build());
    Task future = agg.put(agg.task(Role.LEADER, new QueryType.TimeInterval(), TestAggregator18.ONE_ROUND)
        .agreedTerms(new AgreedTerms(agg.bytes(4), agg.endpoint(), Optional.of(new Time(start))))
        .taskExpiration(new Time(start + 1000)).build());
    assertThat(UploadErrors.decode(upload(bounded, List.of(agg.report(bounded, 1).report())).body()).status())
        .extracting(ReportUploadStatus::error).containsExactly(ReportError.TASK_EXPIRED);
    assertThat(UploadErrors.decode(upload(future, List.of(agg.report(future, 1).report())).body()).status())
        .extracting(ReportUploadStatus::error).containsExactly(ReportError.TASK_NOT_STARTED);
  }

  @Test
  void malformedUploadsAbort() {
    assertDapProblem(agg.send("POST", Dap18.reportsPath(task.id()), Optional.of(Dap18.MEDIA_TYPE_UPLOAD_REQ),
        new byte[] {1, 2, 3}, Optional.empty()), "invalidMessage");
    assertProblem(agg.send("POST", Dap18.reportsPath(task.id()), Optional.of(Dap18.MEDIA_TYPE_COLLECTION_JOB_REQ),
        new byte[0], Optional.empty()), 415, "about:blank");
    Task unknown = agg.task(Role.LEADER, new QueryType.TimeInterval(), TestAggregator18.ONE_ROUND).build();
    assertDapProblem(upload(unknown, List.of()), "unrecognizedTask");
  }

  private static HttpResponse<byte[]> createCollection(Task t, CollectionJobReq req,
      Optional<io.janus.core.auth.AuthenticationToken> auth) {
    return agg.send("POST", Dap18.collectionJobsPath(t.id()), Optional.of(Dap18.MEDIA_TYPE_COLLECTION_JOB_REQ),
        req.toBytes(), auth);
  }

  @Test
  void collectionJobsAreCreatedIdempotentlyPolledAndDeleted() {
    long units = agg.reportUnits();
    CollectionJobReq req = new CollectionJobReq(new Query.TimeInterval(new Interval(units, 1)), new byte[0],
        List.of());
    HttpResponse<byte[]> created = createCollection(collected, req, Optional.of(agg.collectorToken));
    assertThat(created.statusCode()).isEqualTo(201);
    String location = created.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith(Dap18.collectionJobsPath(collected.id()) + "/");
    assertThat(io.janus.messages.CollectionJobId.fromBase64Url(location.substring(location.lastIndexOf('/') + 1)))
        .isNotNull();
    assertThat(createCollection(collected, req, Optional.of(agg.collectorToken)).headers().firstValue("Location"))
        .hasValue(location);

    HttpResponse<byte[]> poll = agg.send("GET", location, Optional.empty(), new byte[0],
        Optional.of(agg.collectorToken));
    assertThat(poll.statusCode()).isEqualTo(200);
    assertThat(poll.body()).isEmpty();
    assertThat(poll.headers().firstValue("Retry-After")).isPresent();

    assertProblem(agg.send("GET", location, Optional.empty(), new byte[0], Optional.empty()), 403, "about:blank");
    assertThat(agg.send("DELETE", location, Optional.empty(), new byte[0], Optional.of(agg.collectorToken))
        .statusCode()).isEqualTo(204);
    assertProblem(agg.send("GET", location, Optional.empty(), new byte[0], Optional.of(agg.collectorToken)), 404,
        "about:blank");

    HttpResponse<byte[]> ls = createCollection(leaderSelected, new CollectionJobReq(new Query.LeaderSelected(),
        new byte[0], List.of()), Optional.of(agg.collectorToken));
    // No batch holds a report yet.
    assertDapProblem(ls, "batchInvalid");
  }

  @Test
  void collectionJobErrors() {
    long units = agg.reportUnits();
    Query q = new Query.TimeInterval(new Interval(units, 1));
    assertProblem(createCollection(collected, new CollectionJobReq(q, new byte[0], List.of()), Optional.empty()), 403,
        "about:blank");
    JsonNode doc = assertDapProblem(createCollection(collected, new CollectionJobReq(q, new byte[0],
        List.of(new CollectionJobExtension(5, new byte[0]))), Optional.of(agg.collectorToken)),
        "unsupportedExtension");
    assertThat(doc.get("unsupported_extensions").get(0).asInt()).isEqualTo(5);
    assertThat(doc.get("taskid").asText()).isEqualTo(collected.id().toBase64Url());
    assertDapProblem(createCollection(collected, new CollectionJobReq(q, new byte[0],
        List.of(new CollectionJobExtension(5, new byte[0]), new CollectionJobExtension(3, new byte[0]))),
        Optional.of(agg.collectorToken)), "invalidExtension");
    assertDapProblem(createCollection(collected, new CollectionJobReq(q, new byte[] {1}, List.of()),
        Optional.of(agg.collectorToken)), "invalidAggregationParameter");
    assertDapProblem(agg.send("POST", Dap18.collectionJobsPath(collected.id()),
        Optional.of(Dap18.MEDIA_TYPE_COLLECTION_JOB_REQ), new byte[] {9}, Optional.of(agg.collectorToken)),
        "invalidMessage");
    assertProblem(agg.send("GET", Dap18.collectionJobsPath(collected.id()) + "/" + ReportId.class.getSimpleName(),
        Optional.empty(), new byte[0], Optional.of(agg.collectorToken)), 404, "about:blank");
  }

  @Test
  void aFinishedCollectionJobSealsTheLeadersShareUnderTheDraft18Aad() throws Exception {
    Task t = agg.put(agg.task(Role.LEADER, new QueryType.TimeInterval(), TestAggregator18.ONE_ROUND).build());
    long units = agg.reportUnits();
    CollectionJobReq req = new CollectionJobReq(new Query.TimeInterval(new Interval(units, 1)), new byte[0],
        List.of());
    String location = createCollection(t, req, Optional.of(agg.collectorToken)).headers().firstValue("Location")
        .orElseThrow();
    io.janus.messages.CollectionJobId jobId = io.janus.messages.CollectionJobId.fromBase64Url(
        location.substring(location.lastIndexOf('/') + 1));
    byte[] leaderShare = {1, 2, 3};
    io.janus.messages.HpkeCiphertext helperShare = new io.janus.messages.HpkeCiphertext(1, new byte[] {4},
        new byte[] {5});
    io.janus.messages.Interval seconds = new io.janus.messages.Interval(
        new Time(units * TestAggregator18.PRECISION.seconds() + 7), io.janus.messages.DapDuration.ofSeconds(1));
    // What the collection job driver stores once both shares are in.
    agg.datastore().run("finish", tx -> {
      for (var lease : tx.collectionJobs().acquireIncomplete(java.time.Duration.ofMinutes(1), 100)) {
        if (lease.leased().jobId().equals(jobId)) {
          var job = tx.collectionJobs().get(t.id(), jobId).orElseThrow();
          tx.collectionJobs().update(job.withState(new io.janus.server.datastore.model.CollectionJobState.Finished(
              2, seconds, leaderShare, helperShare)), lease);
        }
      }
      return null;
    });
    HttpResponse<byte[]> r = agg.send("GET", location, Optional.empty(), new byte[0],
        Optional.of(agg.collectorToken));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(Dap18.MEDIA_TYPE_COLLECTION_JOB_RESP);
    io.janus.messages.dap18.CollectionJobResp resp = io.janus.messages.dap18.CollectionJobResp.decode(r.body());
    assertThat(resp.reportCount()).isEqualTo(2);
    assertThat(resp.interval()).isEqualTo(new Interval(units, 1));
    assertThat(resp.helperEncryptedAggregateShare()).isEqualTo(helperShare);
    byte[] aad = new io.janus.messages.dap18.AggregateShareAad(t.id(),
        io.janus.core.dap18.Dap18TaskConfigurations.toTaskConfiguration(t.agreement().get()), req).toBytes();
    assertThat(io.janus.core.hpke.Hpke.open(agg.collectorKey, Dap18.aggregateShareInfo(Role.LEADER),
        resp.leaderEncryptedAggregateShare(), aad)).isEqualTo(leaderShare);
  }

  @Test
  void theCollectorLibraryCreatesPollsAndDeletes() {
    Task t = agg.put(agg.task(Role.LEADER, new QueryType.TimeInterval(), TestAggregator18.ONE_ROUND).build());
    io.janus.collector.Collector collector = io.janus.collector.Collector.builder(t.id(), agg.collectorToken,
        agg.collectorKey, t.agreement().get()).build();
    io.janus.messages.Interval interval = new io.janus.messages.Interval(
        agg.clock.now().truncateTo(TestAggregator18.PRECISION), TestAggregator18.PRECISION);
    io.janus.collector.CollectionJob job = collector.startCollection(new io.janus.messages.Query.TimeInterval(
        interval));
    assertThat(job.location()).isPresent();
    assertThat(collector.poll(job)).isInstanceOf(io.janus.collector.PollResult.NotReady.class);
    // Starting the same collection again names the same job.
    assertThat(collector.startCollection(new io.janus.messages.Query.TimeInterval(interval)).id())
        .isEqualTo(job.id());
    collector.delete(job);
  }

  @Test
  void expiredAndCollectedReportsAreRefused() {
    Task aging = agg.put(agg.task(Role.LEADER, new QueryType.TimeInterval(), TestAggregator18.ONE_ROUND)
        .reportExpiryAge(io.janus.messages.DapDuration.ofSeconds(1000)).build());
    Report old = agg.report(aging, agg.globalKey, agg.reportUnits() - 20, 1, List.of(), List.of()).report();
    assertThat(UploadErrors.decode(upload(aging, List.of(old)).body()).status())
        .extracting(ReportUploadStatus::error).containsExactly(ReportError.REPORT_DROPPED);

    Task t = agg.put(agg.task(Role.LEADER, new QueryType.TimeInterval(), TestAggregator18.ONE_ROUND).build());
    assertThat(createCollection(t, new CollectionJobReq(new Query.TimeInterval(new Interval(agg.reportUnits(), 1)),
        new byte[0], List.of()), Optional.of(agg.collectorToken)).statusCode()).isEqualTo(201);
    Report late = agg.report(t, 1).report();
    Report corrupt = new Report(late.metadata(), new byte[] {1, 2}, late.leaderEncryptedInputShare(),
        late.helperEncryptedInputShare());
    assertThat(UploadErrors.decode(upload(t, List.of(late, corrupt)).body()).status())
        .extracting(ReportUploadStatus::error).containsExactly(ReportError.REPORT_REPLAYED,
            ReportError.HPKE_DECRYPT_ERROR);
  }
}
