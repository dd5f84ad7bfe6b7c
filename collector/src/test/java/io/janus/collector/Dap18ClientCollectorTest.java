package io.janus.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.client.Client;
import io.janus.client.PreparedReport;
import io.janus.client.ReportExtension;
import io.janus.client.ReportRejectedException;
import io.janus.client.ReportRejection;
import io.janus.client.TestDapServer;
import io.janus.client.TestDapServer.Reply;
import io.janus.client.TestRandom;
import io.janus.core.MockClock;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeException;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.http.RetryPolicy;
import io.janus.core.task.DapVersion;
import io.janus.core.task.QueryType;
import io.janus.core.task.TaskAgreement;
import io.janus.core.task.VdafInstance;
import io.janus.core.vdaf.PingPongVdaf;
import io.janus.core.vdaf.VdafDispatch;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeAlgorithms;
import io.janus.messages.HpkeConfigList;
import io.janus.messages.Interval;
import io.janus.messages.Query;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.messages.Url;
import io.janus.messages.dap18.AggregateShareAad;
import io.janus.messages.dap18.BatchMode;
import io.janus.messages.dap18.CollectionJobReq;
import io.janus.messages.dap18.CollectionJobResp;
import io.janus.messages.dap18.Dap18;
import io.janus.messages.dap18.Extension;
import io.janus.messages.dap18.InputShareAad;
import io.janus.messages.dap18.PlaintextInputShare;
import io.janus.messages.dap18.Report;
import io.janus.messages.dap18.ReportError;
import io.janus.messages.dap18.ReportUploadStatus;
import io.janus.messages.dap18.TaskConfiguration;
import io.janus.messages.dap18.UploadErrors;
import io.janus.messages.dap18.UploadRequest;
import io.janus.messages.dap18.VdafConfiguration;
import io.janus.vdaf.VdafException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The DAP-18 client and collector libraries against each other, with no aggregator: the test itself plays the
 * Leader and the Helper from the draft's structures. It opens each uploaded report with the aggregators' HPKE keys
 * under an {@code InputShareAad} built here from the task's parameters, runs both aggregators' VDAF-18 preparation
 * through the facade, sums the output shares, seals both aggregate shares to the collector under an
 * {@code AggregateShareAad} built here, and checks the collector unshards the exact result.
 */
class Dap18ClientCollectorTest {
  private static final DapDuration PRECISION = DapDuration.ofSeconds(3600);
  private static final Time START = new Time(1_735_689_600L);
  private static final Interval BATCH = new Interval(START, DapDuration.ofSeconds(7200));
  private static final byte[] NO_PARAM = new byte[0];
  private static final String JOB_ID = "AAECAwQFBgcICQoLDA0ODw";

  private final TestDapServer leader = TestDapServer.start();
  private final TestDapServer helper = TestDapServer.start();
  private final AuthenticationToken token = new AuthenticationToken(AuthenticationTokenType.BEARER, "c0llect0r");
  private final ReentrantLock lock = new ReentrantLock();
  private long seed;
  private SecureRandom random;
  private TaskId taskId;
  private MockClock clock;
  private volatile HpkeKeypair leaderKey;
  private HpkeKeypair helperKey;
  private HpkeKeypair collectorKey;
  private byte[] verifyKey;
  private final List<Report> accepted = new ArrayList<>();
  private final List<Extension> seenPrivate = new ArrayList<>();
  private final List<io.janus.messages.ReportId> rejected = new ArrayList<>();
  private PingPongVdaf.Accumulator leaderSum;
  private PingPongVdaf.Accumulator helperSum;
  private long minTime = Long.MAX_VALUE;
  private long maxTime = Long.MIN_VALUE;

  @BeforeEach
  void setUp(TestInfo info) {
    seed = TestRandom.seed(info.getDisplayName());
    random = TestRandom.secureRandom(seed);
    taskId = TaskId.random(random);
    clock = new MockClock(new Time(START.seconds() + 600));
    Random r = new Random(seed);
    leaderKey = keypair(1, r);
    helperKey = keypair(2, r);
    collectorKey = keypair(42, r);
    verifyKey = new byte[32];
    r.nextBytes(verifyKey);
  }

  @AfterEach
  void tearDown() {
    leader.close();
    helper.close();
  }

  private static HpkeKeypair keypair(int id, Random r) {
    byte[] ikm = new byte[32];
    r.nextBytes(ikm);
    return Hpke.derive(id, HpkeAlgorithms.KEM_X25519_HKDF_SHA256, HpkeAlgorithms.KDF_HKDF_SHA256,
        HpkeAlgorithms.AEAD_AES_128_GCM, ikm);
  }

  private TaskAgreement agreement(QueryType queryType, VdafInstance vdaf) {
    return new TaskAgreement("test task".getBytes(StandardCharsets.US_ASCII), leader.endpoint(), helper.endpoint(),
        PRECISION, 1, queryType, vdaf, Optional.empty());
  }

  /** The task configuration as every party must encode it, built here field by field (section 4.2). */
  private TaskConfiguration expectedConfiguration(BatchMode mode, VdafConfiguration vdaf) {
    return new TaskConfiguration("test task".getBytes(StandardCharsets.US_ASCII),
        new Url(leader.endpoint().toString()), new Url(helper.endpoint().toString()), PRECISION.seconds(), 1, mode,
        new byte[0], vdaf.vdafType(), vdaf.configuration(), List.of());
  }

  /** Plays both aggregators: HPKE config lists, uploads (prepared to the end at once), and collection jobs. */
  private void serve(TaskConfiguration config, VdafInstance vdafInstance, Optional<ReportError> rejectFirst) {
    PingPongVdaf vdaf = VdafDispatch.forTask(DapVersion.DAP_18, taskId, vdafInstance);
    leaderSum = vdaf.accumulator(NO_PARAM);
    helperSum = vdaf.accumulator(NO_PARAM);
    leader.handle("GET", "/hpke_config", r -> configList(leaderKey));
    helper.handle("GET", "/hpke_config", r -> configList(helperKey));
    AtomicInteger uploads = new AtomicInteger();
    leader.handle("POST", Dap18.reportsPath(taskId), r -> {
      assertThat(r.header("Content-Type")).hasValue(Dap18.MEDIA_TYPE_UPLOAD_REQ);
      UploadRequest request = UploadRequest.decode(r.body());
      List<ReportUploadStatus> errors = new ArrayList<>();
      for (Report report : request.reports()) {
        if (rejectFirst.isPresent() && uploads.getAndIncrement() == 0) {
          errors.add(new ReportUploadStatus(report.metadata().reportId(), rejectFirst.get()));
          rejected.add(report.metadata().reportId());
          if (rejectFirst.get() == ReportError.OUTDATED_CONFIG) {
            leaderKey = keypair(9, new Random(seed + 1));
          }
          continue;
        }
        aggregate(config, vdaf, report);
      }
      return errors.isEmpty() ? Reply.status(200)
          : Reply.of(200, Dap18.MEDIA_TYPE_UPLOAD_ERRORS, new UploadErrors(errors).toBytes());
    });
    String jobPath = Dap18.collectionJobsPath(taskId) + "/" + JOB_ID;
    List<CollectionJobReq> requests = new ArrayList<>();
    leader.handle("POST", Dap18.collectionJobsPath(taskId), r -> {
      assertThat(r.header("Content-Type")).hasValue(Dap18.MEDIA_TYPE_COLLECTION_JOB_REQ);
      requests.add(CollectionJobReq.decode(r.body()));
      // Asynchronous creation (section 3.1): the job's URL, no body.
      return Reply.status(201).withHeader("Location", "/dap" + jobPath).withHeader("Retry-After", "5");
    });
    AtomicInteger polls = new AtomicInteger();
    leader.handle("GET", jobPath, r -> {
      if (polls.incrementAndGet() == 1) {
        return Reply.status(200).withHeader("Retry-After", "7");
      }
      byte[] aad = new AggregateShareAad(taskId, config, requests.get(0)).toBytes();
      lock.lock();
      try {
        CollectionJobResp resp = new CollectionJobResp(accepted.size(),
            new io.janus.messages.dap18.Interval(minTime, maxTime - minTime + 1),
            Hpke.seal(collectorKey.config(), Dap18.aggregateShareInfo(Role.LEADER), aad, leaderSum.encode()),
            Hpke.seal(collectorKey.config(), Dap18.aggregateShareInfo(Role.HELPER), aad, helperSum.encode()));
        return Reply.of(200, Dap18.MEDIA_TYPE_COLLECTION_JOB_RESP, resp.toBytes());
      } finally {
        lock.unlock();
      }
    });
  }

  private static Reply configList(HpkeKeypair key) {
    return Reply.of(200, Dap18.MEDIA_TYPE_HPKE_CONFIG_LIST, new HpkeConfigList(List.of(key.config())).toBytes());
  }

  /** Section 4.5: both aggregators decrypt, verify and commit one report. */
  private void aggregate(TaskConfiguration config, PingPongVdaf vdaf, Report report) {
    byte[] aad = new InputShareAad(taskId, config, report.metadata(), report.publicShare()).toBytes();
    byte[] nonce = report.metadata().reportId().bytes();
    try {
      PlaintextInputShare l = PlaintextInputShare.decode(Hpke.open(leaderKey, Dap18.inputShareInfo(Role.LEADER),
          report.leaderEncryptedInputShare(), aad));
      PlaintextInputShare h = PlaintextInputShare.decode(Hpke.open(helperKey, Dap18.inputShareInfo(Role.HELPER),
          report.helperEncryptedInputShare(), aad));
      PingPongVdaf.LeaderStart start =
          vdaf.leaderInitialized(verifyKey, NO_PARAM, nonce, report.publicShare(), l.payload());
      PingPongVdaf.Finished helperDone = (PingPongVdaf.Finished) vdaf.helperInitialized(verifyKey, NO_PARAM, nonce,
          report.publicShare(), h.payload(), start.outbound());
      PingPongVdaf.Finished leaderDone = (PingPongVdaf.Finished) vdaf.leaderContinued(NO_PARAM, start.state(),
          helperDone.finalMessage().orElseThrow());
      lock.lock();
      try {
        leaderSum.addOutputShare(leaderDone.outputShare());
        helperSum.addOutputShare(helperDone.outputShare());
        accepted.add(report);
        seenPrivate.addAll(l.privateExtensions());
        minTime = Math.min(minTime, report.metadata().time());
        maxTime = Math.max(maxTime, report.metadata().time());
      } finally {
        lock.unlock();
      }
    } catch (HpkeException | VdafException e) {
      throw new AssertionError("report did not open or verify: " + e.getMessage(), e);
    }
  }

  private Collector collector(TaskAgreement agreement) {
    return Collector.builder(taskId, token, collectorKey, agreement)
        .clock(clock).random(random).retryPolicy(RetryPolicy.NONE).sleeper(d -> clock.advanceMillis(d.toMillis()))
        .build();
  }

  private Client.Builder client(TaskAgreement agreement) {
    return Client.builder(taskId, agreement).clock(clock).random(random).retryPolicy(RetryPolicy.NONE);
  }

  @Test
  void histogramOverATimeIntervalWithExtensions() {
    VdafInstance vdaf = new VdafInstance.Prio3Histogram(4, 2);
    TaskAgreement agreement = agreement(new QueryType.TimeInterval(), vdaf);
    serve(expectedConfiguration(BatchMode.TIME_INTERVAL, new VdafConfiguration.Prio3Histogram(4, 2)), vdaf,
        Optional.empty());
    Client client = client(agreement)
        .publicExtensions(List.of(new ReportExtension(0x7000, new byte[] {1})))
        .privateExtensions(List.of(new ReportExtension(0x7002, new byte[] {2}), new ReportExtension(0x7001,
            new byte[0])))
        .build();
    Random r = new Random(seed);
    long[] expected = new long[4];
    for (int i = 0; i < 12; i++) {
      int bucket = r.nextInt(4);
      expected[bucket]++;
      client.uploadWithTime(new long[] {bucket}, new Time(START.seconds() + 100 * i));
    }
    assertThat(accepted).hasSize(12).allSatisfy(report -> {
      assertThat(report.metadata().publicExtensions()).containsExactly(new Extension(0x7000, new byte[] {1}));
      // Time counts hours (section 4.1.1).
      assertThat(report.metadata().time()).isEqualTo(START.seconds() / 3600);
    });
    // Sorted into strictly increasing order (section 4.4.3).
    assertThat(seenPrivate.subList(0, 2)).containsExactly(new Extension(0x7001, new byte[0]),
        new Extension(0x7002, new byte[] {2}));
    assertThat(leader.requests("GET", "/hpke_config")).hasSize(1)
        .allSatisfy(q -> assertThat(q.query()).isNullOrEmpty());

    CollectionResult result = collector(agreement).collect(new Query.TimeInterval(BATCH));
    assertThat(result.aggregateResult()).containsExactly(expected);
    assertThat(result.reportCount()).isEqualTo(12);
    assertThat(result.batchId()).isEmpty();
    assertThat(result.interval()).isEqualTo(new Interval(START, PRECISION));
    CollectionJobReq sent = CollectionJobReq.decode(leader.requests("POST", Dap18.collectionJobsPath(taskId))
        .get(0).body());
    assertThat(sent.query()).isEqualTo(new io.janus.messages.dap18.Query.TimeInterval(
        new io.janus.messages.dap18.Interval(START.seconds() / 3600, 2)));
  }

  @Test
  void sumInOneBulkUploadAndALeaderSelectedBatch() {
    VdafInstance vdaf = new VdafInstance.Prio3SumMaxMeasurement(1000);
    TaskAgreement agreement = agreement(new QueryType.FixedSize(OptionalLong.empty(), Optional.empty()), vdaf);
    serve(expectedConfiguration(BatchMode.LEADER_SELECTED, new VdafConfiguration.Prio3Sum(1000)), vdaf,
        Optional.empty());
    Client client = client(agreement).build();
    List<PreparedReport> reports = new ArrayList<>();
    long sum = 0;
    for (int i = 0; i < 7; i++) {
      long m = 1000 - 37L * i;
      sum += m;
      reports.add(client.prepareReport(new long[] {m}, new Time(START.seconds() + 1000 * i)));
    }
    assertThat(client.uploadReports(reports)).isEmpty();
    assertThat(leader.requests("POST", Dap18.reportsPath(taskId))).hasSize(1);

    Collector collector = collector(agreement);
    CollectionJob job = collector.startCollection(new Query.FixedSizeCurrentBatch());
    assertThat(job.id().toBase64Url()).isEqualTo(JOB_ID);
    assertThat(job.location()).hasValue(URI.create(leader.endpoint() + Dap18.collectionJobsPath(taskId) + "/"
        + JOB_ID));
    assertThat(collector.poll(job)).isInstanceOfSatisfying(PollResult.NotReady.class,
        n -> assertThat(n.retryAfter()).hasValue(java.time.Duration.ofSeconds(7)));
    long total = sum;
    assertThat(collector.poll(job)).isInstanceOfSatisfying(PollResult.Ready.class,
        ready -> assertThat(ready.result().aggregateResult()).containsExactly(total));
    assertThatThrownBy(() -> collector.startCollection(new Query.FixedSizeByBatchId(
        new io.janus.messages.BatchId(new byte[32])))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void multihotCountVecAndSumVec() {
    for (VdafInstance vdaf : List.of(new VdafInstance.Prio3MultihotCountVec(5, 2, 2),
        new VdafInstance.Prio3SumVecMaxMeasurement(9, 5, 3))) {
      accepted.clear();
      TaskAgreement agreement = agreement(new QueryType.TimeInterval(), vdaf);
      VdafConfiguration config = vdaf instanceof VdafInstance.Prio3MultihotCountVec
          ? new VdafConfiguration.Prio3MultihotCountVec(5, 2, 2) : new VdafConfiguration.Prio3SumVec(5, 9, 3);
      serve(expectedConfiguration(BatchMode.TIME_INTERVAL, config), vdaf, Optional.empty());
      Client client = client(agreement).build();
      List<long[]> ms = List.of(new long[] {1, 0, 0, 1, 0}, new long[] {0, 1, 0, 1, 0}, new long[] {0, 0, 0, 0, 1});
      for (long[] m : ms) {
        client.uploadWithTime(m, START);
      }
      assertThat(collector(agreement).collect(new Query.TimeInterval(BATCH)).aggregateResult())
          .containsExactly(1, 1, 0, 2, 1);
    }
  }

  @Test
  void perReportErrorsReachTheCaller() {
    VdafInstance vdaf = new VdafInstance.Prio3Count();
    TaskAgreement agreement = agreement(new QueryType.TimeInterval(), vdaf);
    serve(expectedConfiguration(BatchMode.TIME_INTERVAL, new VdafConfiguration.Prio3Count()), vdaf,
        Optional.of(ReportError.REPORT_TOO_EARLY));
    Client client = client(agreement).build();
    PreparedReport first = client.prepareReport(new long[] {1}, START);
    PreparedReport second = client.prepareReport(new long[] {1}, START);
    assertThat(client.uploadReports(List.of(first, second)))
        .containsExactly(new ReportRejection(first.reportId(), "report_too_early"));
    assertThat(accepted).hasSize(1);
  }

  @Test
  void aSingleUploadThrowsItsRejection() {
    VdafInstance vdaf = new VdafInstance.Prio3Count();
    TaskAgreement agreement = agreement(new QueryType.TimeInterval(), vdaf);
    serve(expectedConfiguration(BatchMode.TIME_INTERVAL, new VdafConfiguration.Prio3Count()), vdaf,
        Optional.of(ReportError.TASK_EXPIRED));
    Client client = client(agreement).build();
    assertThatThrownBy(() -> client.uploadWithTime(new long[] {1}, START))
        .isInstanceOfSatisfying(ReportRejectedException.class,
            e -> assertThat(e.rejection().error()).isEqualTo("task_expired"));
  }

  @Test
  void outdatedConfigRefetchesAndUploadsAFreshReport() {
    VdafInstance vdaf = new VdafInstance.Prio3Count();
    TaskAgreement agreement = agreement(new QueryType.TimeInterval(), vdaf);
    serve(expectedConfiguration(BatchMode.TIME_INTERVAL, new VdafConfiguration.Prio3Count()), vdaf,
        Optional.of(ReportError.OUTDATED_CONFIG));
    Client client = client(agreement).build();
    // The Leader answers outdated_config and rotates its key; the client refetches and sends a new report.
    client.uploadWithTime(new long[] {1}, START);
    assertThat(accepted).hasSize(1);
    assertThat(accepted.get(0).leaderEncryptedInputShare().configId()).isEqualTo(9);
    assertThat(rejected).hasSize(1).doesNotContain(accepted.get(0).metadata().reportId());
    assertThat(leader.requests("GET", "/hpke_config")).hasSize(2);
  }
}
