package io.janus.aggregationjobdriver.dap18;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.aggregationjobdriver.AggregationJobDriver;
import io.janus.aggregationjobdriver.AggregationJobHelper.InvalidHelperResponseException;
import io.janus.aggregationjobdriver.AggregationJobHelpers;
import io.janus.aggregationjobdriver.dap18.ScriptedHelper.Reply;
import io.janus.aggregationjobdriver.dap18.ScriptedHelper.Request;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.http.DapRequestException;
import io.janus.core.task.AgreedTerms;
import io.janus.core.task.DapVersion;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.core.task.VdafInstance;
import io.janus.core.vdaf.FakeVdaf;
import io.janus.core.vdaf.PingPongVdaf;
import io.janus.core.vdaf.TaskVdafs;
import io.janus.core.vdaf.VdafDispatch;
import io.janus.messages.AggregationJobId;
import io.janus.messages.BatchId;
import io.janus.messages.DapDuration;
import io.janus.messages.DapProblemType;
import io.janus.messages.HpkeAlgorithms;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.Interval;
import io.janus.messages.ReportId;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.messages.dap18.AggregationJobContinueReq;
import io.janus.messages.dap18.AggregationJobExtension;
import io.janus.messages.dap18.AggregationJobInitReq;
import io.janus.messages.dap18.AggregationJobResp;
import io.janus.messages.dap18.Dap18;
import io.janus.messages.dap18.Extension;
import io.janus.messages.dap18.ReportError;
import io.janus.messages.dap18.VerifyContinue;
import io.janus.messages.dap18.VerifyInit;
import io.janus.messages.dap18.VerifyResp;
import io.janus.server.datastore.model.AcquiredAggregationJob;
import io.janus.server.datastore.model.AggregationJob;
import io.janus.server.datastore.model.AggregationJobState;
import io.janus.server.datastore.model.BatchIdentifier;
import io.janus.server.datastore.model.Lease;
import io.janus.server.datastore.model.LeaderStoredReport;
import io.janus.server.datastore.model.ReportAggregation;
import io.janus.server.datastore.model.ReportAggregationState;
import io.janus.server.datastore.model.ReportExtension;
import io.janus.server.datastore.model.ReportFailure;
import io.janus.server.job.BatchShards;
import io.janus.server.job.PeerHttpConfig;
import io.janus.server.testing.TestDatabase;
import io.janus.vdaf.VdafException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Leader's DAP-18 aggregation-job requests ({@link Dap18AggregationJobHelper} under the production
 * {@link AggregationJobDriver}), over real HTTP against a scripted Helper that verifies with the real VDAF-18 (or
 * the two-round fake), the Leader on real PostgreSQL.
 */
class Dap18AggregationJobHelperTest {
  private static final Duration LEASE = Duration.ofSeconds(600);
  private static final Instant FAR = Instant.parse("2100-01-01T00:00:00Z");
  private static final DapDuration PRECISION = DapDuration.ofSeconds(3600);
  /** Runs as the two-round fake VDAF on both sides. */
  private static final VdafInstance TWO_ROUNDS = new VdafInstance.Prio3Histogram(4, 2);
  private static final TaskVdafs VDAFS = (version, taskId, instance) ->
      instance.equals(TWO_ROUNDS) ? new FakeVdaf(2) : VdafDispatch.forTask(version, taskId, instance);

  private static TestDatabase leader;
  private static ScriptedHelper helper;
  private static SplittableRandom random;
  private static AuthenticationToken token;
  private static List<Duration> sleeps;

  @BeforeAll
  static void setUp() {
    leader = TestDatabase.create();
    helper = new ScriptedHelper();
    long seed = System.nanoTime();
    System.out.println("Dap18AggregationJobHelperTest seed: " + seed);
    random = new SplittableRandom(seed);
    token = new AuthenticationToken(AuthenticationTokenType.BEARER, HexFormat.of().formatHex(bytes(16)));
    sleeps = new CopyOnWriteArrayList<>();
  }

  @AfterAll
  static void tearDown() {
    helper.close();
    leader.close();
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /**
   * A driver over the production dispatch; a request (with its polls) is retried for 10 s at most, backing off from
   * 100 ms to 2 s, and the Helper may ask to be polled again within 2 s (longer waits end the step). Waits advance
   * the Leader's mock clock.
   */
  private static AggregationJobDriver driver(int maxAttempts) {
    sleeps.clear();
    AggregationJobHelpers helpers = AggregationJobHelpers.all(new PeerHttpConfig(5, 10, 100, 2000, 10000).client(
        leader.clock(), d -> {
          sleeps.add(d);
          leader.clock().advanceMillis(d.toMillis());
        }));
    return new AggregationJobDriver(leader.datastore(), leader.clock(), VDAFS, helpers,
        new AggregationJobDriver.Settings(2, maxAttempts, 2), new Random(1), new SimpleMeterRegistry());
  }

  /** A DAP-18 Leader task pointing at the scripted Helper, with what the Helper would know of each report. */
  private record Dap18Task(Task task, HpkeKeypair helperKey, Map<ReportId, PingPongVdaf.Sharded> shares) {
    TaskId id() {
      return task.id();
    }

    PingPongVdaf vdaf() {
      return VDAFS.of(task);
    }
  }

  private static Dap18Task task(QueryType queryType, VdafInstance vdaf) {
    TaskId id = new TaskId(bytes(TaskId.LENGTH));
    HpkeKeypair collector = keypair(200);
    Task t = Task.builder(id, Role.LEADER, helper.endpoint(), queryType, vdaf,
            bytes(VDAFS.vdaf(DapVersion.DAP_18, id, vdaf).verifyKeyLength()), PRECISION, collector.config())
        .protocol(DapVersion.DAP_18)
        .agreedTerms(new AgreedTerms(new byte[] {1, 2, 3}, URI.create("https://leader.example/"), Optional.empty()))
        .aggregatorAuthToken(token).collectorAuthTokenHash(token.hash()).minBatchSize(1).maxBatchQueryCount(1)
        .tolerableClockSkew(DapDuration.ofSeconds(60)).build();
    leader.datastore().run("test_put_task", tx -> tx.tasks().put(t));
    return new Dap18Task(t, keypair(1), new ConcurrentHashMap<>());
  }

  private static HpkeKeypair keypair(int configId) {
    return Hpke.derive(configId, HpkeAlgorithms.KEM_X25519_HKDF_SHA256, HpkeAlgorithms.KDF_HKDF_SHA256,
        HpkeAlgorithms.AEAD_AES_128_GCM, bytes(32));
  }

  private static Time reportTime() {
    return new Time(leader.clock().now().seconds() - 7200).truncateTo(PRECISION);
  }

  /**
   * A report stored as the Leader's upload stores it. The Helper's share is "sealed" with a stand-in ciphertext:
   * the scripted Helper reads the plain share from {@code t.shares()}, so what is checked here is that the Leader
   * forwards the ciphertext untouched.
   */
  private static LeaderStoredReport report(Dap18Task t, Time time, long measurement,
      List<ReportExtension> publicExtensions) {
    ReportId id = new ReportId(bytes(ReportId.LENGTH));
    PingPongVdaf.Sharded s = t.vdaf().shard(new long[] {measurement}, id.bytes(),
        bytes(t.vdaf().randomnessLength()));
    t.shares().put(id, s);
    LeaderStoredReport r = new LeaderStoredReport(t.id(), id, time, List.of(), s.publicShare(),
        s.leaderInputShare(), new HpkeCiphertext(1, bytes(32), bytes(48)), publicExtensions);
    leader.datastore().run("test_upload", tx -> tx.clientReports().putAll(List.of(r)));
    return r;
  }

  private static AggregationJobId createJob(Dap18Task t, List<LeaderStoredReport> reports,
      Optional<BatchId> batchId) {
    AggregationJobId jobId = new AggregationJobId(bytes(AggregationJobId.LENGTH));
    leader.datastore().run("test_create_job", tx -> {
      Interval interval = Interval.EMPTY;
      for (LeaderStoredReport r : reports) {
        interval = interval.mergedWith(r.time());
      }
      tx.aggregationJobs().put(new AggregationJob(t.id(), jobId, new byte[0], batchId, interval,
          AggregationJobState.IN_PROGRESS, 0, Optional.empty()));
      List<ReportAggregation> ras = new ArrayList<>();
      Set<BatchIdentifier> batches = new HashSet<>();
      for (int i = 0; i < reports.size(); i++) {
        LeaderStoredReport r = reports.get(i);
        ras.add(new ReportAggregation(t.id(), jobId, r.reportId(), r.time(), i, Optional.empty(),
            new ReportAggregationState.Start(r.leaderExtensions(), r.publicShare(), r.leaderInputShare(),
                r.helperEncryptedInputShare(), r.publicExtensions())));
        batches.add(BatchShards.batchFor(t.task(), r.time(), batchId));
      }
      tx.reportAggregations().putAll(ras);
      for (BatchIdentifier b : batches) {
        BatchShards.addJobCounts(tx, t.id(), b, new byte[0], 0, 1, 0);
      }
      return null;
    });
    return jobId;
  }

  /** The Helper's side of verification, with the real (or fake) VDAF: answers an init or continue request. */
  private static final class Verifier {
    private final Dap18Task task;
    private final Map<ReportId, byte[]> states = new HashMap<>();
    final List<byte[]> outputShares = new ArrayList<>();

    Verifier(Dap18Task task) {
      this.task = task;
    }

    synchronized byte[] init(byte[] body) {
      AggregationJobInitReq req = AggregationJobInitReq.decode(body);
      List<VerifyResp> out = new ArrayList<>();
      for (VerifyInit v : req.verifyInits()) {
        ReportId id = v.reportShare().metadata().reportId();
        PingPongVdaf.Sharded s = task.shares().get(id);
        try {
          out.add(answer(id, task.vdaf().helperInitialized(task.task().vdafVerifyKey(), req.aggregationParameter(),
              id.bytes(), v.reportShare().publicShare(), s.helperInputShare(), v.payload())));
        } catch (VdafException e) {
          out.add(new VerifyResp(id, new VerifyResp.Reject(ReportError.VDAF_VERIFY_ERROR)));
        }
      }
      return new AggregationJobResp(out).toBytes();
    }

    synchronized byte[] proceed(byte[] body) {
      AggregationJobContinueReq req = AggregationJobContinueReq.decode(body);
      List<VerifyResp> out = new ArrayList<>();
      for (VerifyContinue c : req.verifyContinues()) {
        try {
          out.add(answer(c.reportId(), task.vdaf().helperContinued(new byte[0], states.get(c.reportId()),
              c.payload())));
        } catch (VdafException e) {
          out.add(new VerifyResp(c.reportId(), new VerifyResp.Reject(ReportError.VDAF_VERIFY_ERROR)));
        }
      }
      return new AggregationJobResp(out).toBytes();
    }

    private VerifyResp answer(ReportId id, PingPongVdaf.Transition t) {
      return switch (t) {
        case PingPongVdaf.Continued c -> {
          states.put(id, c.state());
          yield new VerifyResp(id, new VerifyResp.Continue(c.message()));
        }
        case PingPongVdaf.Finished f -> {
          outputShares.add(f.outputShare());
          yield new VerifyResp(id, f.finalMessage().<VerifyResp.Result>map(VerifyResp.Continue::new)
              .orElseGet(VerifyResp.Finish::new));
        }
      };
    }
  }

  private static String jobsPath(Dap18Task t) {
    return "/helper" + Dap18.aggregationJobsPath(t.id());
  }

  private static String jobPath(Dap18Task t) {
    return jobsPath(t) + "/helper-chosen-id";
  }

  private static Lease<AcquiredAggregationJob> acquireOne(AggregationJobDriver d, AggregationJobId jobId) {
    List<Lease<AcquiredAggregationJob>> leases = d.acquire(LEASE, 100);
    return leases.stream().filter(l -> l.leased().jobId().equals(jobId)).findFirst().orElseThrow(
        () -> new AssertionError("job " + jobId + " was not acquired; got " + leases));
  }

  private static AggregationJob job(TaskId taskId, AggregationJobId jobId) {
    return leader.datastore().run("test_job", tx -> tx.aggregationJobs().get(taskId, jobId).orElseThrow());
  }

  private static List<ReportAggregationState> states(TaskId taskId, AggregationJobId jobId) {
    return leader.datastore().run("test_ras", tx -> tx.reportAggregations().getForJob(taskId, jobId)).stream()
        .map(ReportAggregation::state).toList();
  }

  private static long leaderReportCount(Dap18Task t, BatchIdentifier batch) {
    return leader.datastore().run("test_shards", tx -> tx.batchAggregations().getAll(t.id(), batch, new byte[0]))
        .stream().mapToLong(b -> b.reportCount()).sum();
  }

  private static byte[] leaderShare(Dap18Task t, BatchIdentifier batch) throws VdafException {
    byte[] share = t.vdaf().emptyAggregateShare(new byte[0]);
    for (var b : leader.datastore().run("test_shards",
        tx -> tx.batchAggregations().getAll(t.id(), batch, new byte[0]))) {
      if (b.aggregateShare().isPresent()) {
        share = t.vdaf().merge(new byte[0], share, b.aggregateShare().get());
      }
    }
    return share;
  }

  private static BatchIdentifier hourOf(Time t) {
    return new BatchIdentifier.TimeInterval(new Interval(t.truncateTo(PRECISION), PRECISION));
  }

  private static void assertAuthenticated(Request r) {
    assertThat(r.authorization()).contains("Bearer " + token.token());
  }

  @Test
  void aSynchronousHelperAnswersTheInitAndBothSharesAddUpUnderTheDap18Context() throws Exception {
    Dap18Task t = task(new QueryType.TimeInterval(), new VdafInstance.Prio3Count());
    Verifier v = new Verifier(t);
    Time time = reportTime();
    List<ReportExtension> ext = List.of(new ReportExtension(0xff00, new byte[] {7, 7}));
    List<LeaderStoredReport> reports = List.of(report(t, time, 1, ext), report(t, time, 0, List.of()),
        report(t, time, 1, List.of()));
    AggregationJobId jobId = createJob(t, reports, Optional.empty());
    helper.script(r -> Reply.body(201, v.init(r.body()), "Location", jobPath(t),
        "Content-Type", AggregationJobResp.MEDIA_TYPE));
    AggregationJobDriver d = driver(3);

    d.step(acquireOne(d, jobId), FAR);

    assertThat(helper.requests).hasSize(1);
    Request post = helper.requests.get(0);
    assertThat(post.method()).isEqualTo("POST");
    assertThat(post.path()).isEqualTo(jobsPath(t));
    assertThat(post.query()).isEmpty();
    assertThat(post.contentType()).contains(Dap18.MEDIA_TYPE_AGGREGATION_JOB_INIT_REQ);
    assertAuthenticated(post);
    AggregationJobInitReq sent = AggregationJobInitReq.decode(post.body());
    assertThat(sent.verificationKeyId()).isZero();
    assertThat(sent.aggregationParameter()).isEmpty();
    assertThat(sent.extensions()).isEmpty();
    assertThat(sent.verifyInits()).extracting(i -> i.reportShare().metadata().reportId())
        .containsExactlyElementsOf(reports.stream().map(LeaderStoredReport::reportId).toList());
    VerifyInit first = sent.verifyInits().get(0);
    // Section 4.1.1: the time in time-precision units; the public extensions and sealed share as uploaded.
    assertThat(first.reportShare().metadata().time()).isEqualTo(time.seconds() / PRECISION.seconds());
    assertThat(first.reportShare().metadata().publicExtensions()).containsExactly(new Extension(0xff00,
        new byte[] {7, 7}));
    assertThat(first.reportShare().encryptedInputShare()).isEqualTo(reports.get(0).helperEncryptedInputShare());
    assertThat(sent.verifyInits().get(1).reportShare().metadata().publicExtensions()).isEmpty();

    AggregationJob job = job(t.id(), jobId);
    assertThat(job.state()).isEqualTo(AggregationJobState.FINISHED);
    assertThat(job.helperLocation()).contains(URI.create("http://127.0.0.1:" + helper.endpoint().getPort()
        + jobPath(t)));
    assertThat(states(t.id(), jobId)).containsOnly(new ReportAggregationState.Finished());
    assertThat(leaderReportCount(t, hourOf(time))).isEqualTo(3);
    byte[] helperShare = t.vdaf().emptyAggregateShare(new byte[0]);
    for (byte[] o : v.outputShares) {
      helperShare = t.vdaf().accumulate(new byte[0], helperShare, o);
    }
    assertThat(t.vdaf().unshard(new byte[0], List.of(leaderShare(t, hourOf(time)), helperShare), 3))
        .containsExactly(2);
  }

  @Test
  void aDeferredInitIsPolledWithGetAtStepZeroHonouringRetryAfter() throws Exception {
    Dap18Task t = task(new QueryType.TimeInterval(), new VdafInstance.Prio3Count());
    Verifier v = new Verifier(t);
    Time time = reportTime();
    AggregationJobId jobId = createJob(t, List.of(report(t, time, 1, List.of()), report(t, time, 1, List.of())),
        Optional.empty());
    byte[][] answer = new byte[1][];
    helper.script(
        r -> {
          answer[0] = v.init(r.body());
          return Reply.deferred(201, "Location", jobPath(t) + "?step=0", "Retry-After", "1");
        },
        r -> Reply.deferred(200, "Location", jobPath(t) + "?step=0", "Retry-After", "2"),
        r -> Reply.body(200, answer[0], "Content-Type", AggregationJobResp.MEDIA_TYPE));
    AggregationJobDriver d = driver(3);

    d.step(acquireOne(d, jobId), FAR);

    assertThat(helper.requests).extracting(Request::method).containsExactly("POST", "GET", "GET");
    for (Request get : helper.requests.subList(1, 3)) {
      assertThat(get.path()).isEqualTo(jobPath(t));
      assertThat(get.query()).contains("step=0");
      assertThat(get.body()).isEmpty();
      assertAuthenticated(get);
    }
    assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    AggregationJob job = job(t.id(), jobId);
    assertThat(job.state()).isEqualTo(AggregationJobState.FINISHED);
    // The job's own URL, without the poll's step.
    assertThat(job.helperLocation().orElseThrow().getRawQuery()).isNull();
    assertThat(job.helperLocation().orElseThrow().getPath()).isEqualTo(jobPath(t));
    assertThat(leaderReportCount(t, hourOf(time))).isEqualTo(2);
  }

  @Test
  void anInitStillDeferredAtTheDeadlineReleasesTheJobAndTheRetryPostsTheSameBytes() throws Exception {
    Dap18Task t = task(new QueryType.FixedSize(OptionalLong.empty(), Optional.empty()),
        new VdafInstance.Prio3Count());
    Verifier v = new Verifier(t);
    BatchId batchId = new BatchId(bytes(BatchId.LENGTH));
    Time time = reportTime();
    AggregationJobId jobId = createJob(t, List.of(report(t, time, 1, List.of()), report(t, time, 0, List.of()),
        report(t, time, 1, List.of())), Optional.of(batchId));
    // The Helper asks to be polled in a minute: longer than a step waits, so the step ends and the job is released.
    helper.script(r -> Reply.deferred(201, "Location", jobPath(t) + "?step=0", "Retry-After", "60"));
    AggregationJobDriver d = driver(3);

    Lease<AcquiredAggregationJob> first = acquireOne(d, jobId);
    d.step(first, FAR);

    assertThat(helper.requests).hasSize(1);
    byte[] firstBody = helper.requests.get(0).body();
    AggregationJobInitReq sent = AggregationJobInitReq.decode(firstBody);
    // Section 5.2.2: a leader-selected job names its batch.
    assertThat(sent.extensions()).containsExactly(AggregationJobExtension.leaderSelectedBatchId(batchId));
    AggregationJob deferred = job(t.id(), jobId);
    assertThat(deferred.state()).isEqualTo(AggregationJobState.IN_PROGRESS);
    assertThat(deferred.step()).isZero();
    assertThat(deferred.helperLocation().orElseThrow().getPath()).isEqualTo(jobPath(t));
    assertThat(states(t.id(), jobId)).allSatisfy(s -> assertThat(s).isInstanceOf(ReportAggregationState.Start.class));
    // Released until the Retry-After, and not counted as a failed attempt.
    leader.clock().advance(DapDuration.ofSeconds(59));
    assertThat(d.acquire(LEASE, 100)).noneMatch(l -> l.leased().jobId().equals(jobId));
    leader.clock().advance(DapDuration.ofSeconds(1));
    Lease<AcquiredAggregationJob> second = acquireOne(d, jobId);
    assertThat(second.attempts()).isEqualTo(1);

    // The idempotent Helper maps the identical body to its job, now ready.
    helper.script(r -> Reply.body(201, v.init(r.body()), "Location", jobPath(t)));
    d.step(second, FAR);
    assertThat(helper.requests).hasSize(1);
    assertThat(helper.requests.get(0).method()).isEqualTo("POST");
    assertThat(helper.requests.get(0).body()).isEqualTo(firstBody);
    assertThat(job(t.id(), jobId).state()).isEqualTo(AggregationJobState.FINISHED);
    assertThat(leaderReportCount(t, new BatchIdentifier.FixedSize(batchId))).isEqualTo(3);
  }

  @Test
  void aHelperNeverReadyIsPolledWithinTheRetryBudgetEvenWhenItAsksForNoWait() throws Exception {
    Dap18Task t = task(new QueryType.TimeInterval(), new VdafInstance.Prio3Count());
    AggregationJobId jobId = createJob(t, List.of(report(t, reportTime(), 1, List.of())), Optional.empty());
    helper.script(r -> Reply.deferred(r.method().equals("POST") ? 201 : 200, "Location", jobPath(t) + "?step=0",
        "Retry-After", "0"));
    AggregationJobDriver d = driver(3);

    d.step(acquireOne(d, jobId), FAR);

    // Backoff 0.1, 0.2, 0.4, 0.8, 1.6, then 2 s per poll, until the next wait would pass 10 s.
    assertThat(sleeps).extracting(Duration::toMillis).containsExactly(100L, 200L, 400L, 800L, 1600L, 2000L, 2000L,
        2000L);
    assertThat(helper.requests).extracting(Request::method).containsExactly("POST", "GET", "GET", "GET", "GET",
        "GET", "GET", "GET", "GET");
    assertThat(job(t.id(), jobId).state()).isEqualTo(AggregationJobState.IN_PROGRESS);
    // Released for the last backoff.
    leader.clock().advance(DapDuration.ofSeconds(1));
    assertThat(d.acquire(LEASE, 100)).noneMatch(l -> l.leased().jobId().equals(jobId));
    leader.clock().advance(DapDuration.ofSeconds(1));
    assertThat(acquireOne(d, jobId).attempts()).isEqualTo(1);
  }

  @Test
  void aTwoRoundJobContinuesAtTheHelpersLocationAndPollsAtItsStep() throws Exception {
    Dap18Task t = task(new QueryType.TimeInterval(), TWO_ROUNDS);
    Verifier v = new Verifier(t);
    Time time = reportTime();
    List<LeaderStoredReport> reports = List.of(report(t, time, 5, List.of()), report(t, time, 7, List.of()),
        report(t, time, FakeVdaf.FAIL_CONTINUE, List.of()));
    AggregationJobId jobId = createJob(t, reports, Optional.empty());
    helper.script(r -> Reply.body(201, v.init(r.body()), "Location", jobPath(t)));
    AggregationJobDriver d = driver(3);
    d.step(acquireOne(d, jobId), FAR);
    assertThat(job(t.id(), jobId).step()).isZero();
    assertThat(states(t.id(), jobId)).allSatisfy(s ->
        assertThat(s).isInstanceOf(ReportAggregationState.WaitingLeader.class));

    byte[][] answer = new byte[1][];
    helper.script(
        r -> {
          answer[0] = v.proceed(r.body());
          return Reply.deferred(200, "Location", jobPath(t) + "?step=1", "Retry-After", "1");
        },
        r -> Reply.body(200, answer[0], "Content-Type", AggregationJobResp.MEDIA_TYPE));
    d.step(acquireOne(d, jobId), FAR);

    assertThat(helper.requests).extracting(Request::method).containsExactly("POST", "GET");
    Request post = helper.requests.get(0);
    assertThat(post.path()).isEqualTo(jobPath(t));
    assertThat(post.query()).isEmpty();
    assertThat(post.contentType()).contains(Dap18.MEDIA_TYPE_AGGREGATION_JOB_CONTINUE_REQ);
    assertAuthenticated(post);
    AggregationJobContinueReq sent = AggregationJobContinueReq.decode(post.body());
    assertThat(sent.step()).isEqualTo(1);
    assertThat(sent.verifyContinues()).extracting(VerifyContinue::reportId)
        .containsExactlyElementsOf(reports.stream().map(LeaderStoredReport::reportId).toList());
    assertThat(helper.requests.get(1).query()).contains("step=1");
    AggregationJob job = job(t.id(), jobId);
    assertThat(job.step()).isEqualTo(1);
    while (job(t.id(), jobId).state() == AggregationJobState.IN_PROGRESS) {
      helper.script(r -> Reply.body(200, v.proceed(r.body())));
      d.step(acquireOne(d, jobId), FAR);
    }
    assertThat(states(t.id(), jobId)).containsExactly(new ReportAggregationState.Finished(),
        new ReportAggregationState.Finished(), new ReportAggregationState.Failed(ReportFailure.VDAF_PREP_ERROR));
    assertThat(leaderReportCount(t, hourOf(time))).isEqualTo(2);
  }

  @Test
  void aProblemOnContinuationAbandonsTheJobAndDeletesItAtTheHelpersLocation() throws Exception {
    Dap18Task t = task(new QueryType.TimeInterval(), TWO_ROUNDS);
    Verifier v = new Verifier(t);
    Time time = reportTime();
    AggregationJobId jobId = createJob(t, List.of(report(t, time, 5, List.of())), Optional.empty());
    helper.script(r -> Reply.body(201, v.init(r.body()), "Location", jobPath(t)));
    AggregationJobDriver d = driver(3);
    d.step(acquireOne(d, jobId), FAR);

    helper.script(r -> r.method().equals("DELETE") ? Reply.deferred(200)
        : Reply.problem(400, DapProblemType.STEP_MISMATCH.urn()));
    d.step(acquireOne(d, jobId), FAR);

    assertThat(job(t.id(), jobId).state()).isEqualTo(AggregationJobState.ABANDONED);
    assertThat(helper.requests).extracting(Request::method).containsExactly("POST", "DELETE");
    Request delete = helper.requests.get(1);
    assertThat(delete.path()).isEqualTo(jobPath(t));
    assertThat(delete.query()).isEmpty();
    assertAuthenticated(delete);
  }

  @Test
  void anAnswerForOtherReportsFailsTheStepAndKeepsTheJob() throws Exception {
    Dap18Task t = task(new QueryType.TimeInterval(), new VdafInstance.Prio3Count());
    Verifier v = new Verifier(t);
    Time time = reportTime();
    AggregationJobId jobId = createJob(t, List.of(report(t, time, 1, List.of()), report(t, time, 1, List.of())),
        Optional.empty());
    // The Helper answers both reports, in the wrong order.
    helper.script(r -> {
      List<VerifyResp> resps = new ArrayList<>(AggregationJobResp.decode(v.init(r.body())).verifyResps());
      java.util.Collections.reverse(resps);
      return Reply.body(201, new AggregationJobResp(resps).toBytes(), "Location", jobPath(t));
    });
    AggregationJobDriver d = driver(3);
    Lease<AcquiredAggregationJob> lease = acquireOne(d, jobId);

    assertThatThrownBy(() -> d.step(lease, FAR)).isInstanceOf(InvalidHelperResponseException.class)
        .hasMessageContaining("expected");

    assertThat(job(t.id(), jobId).state()).isEqualTo(AggregationJobState.IN_PROGRESS);
    assertThat(states(t.id(), jobId)).allSatisfy(s -> assertThat(s).isInstanceOf(ReportAggregationState.Start.class));
    // Retried after the failure backoff, the attempt counted.
    leader.clock().advance(DapDuration.ofSeconds(1));
    assertThat(acquireOne(d, jobId).attempts()).isEqualTo(2);
  }

  @Test
  void aTransient5xxIsRetriedWithTheSameBodyAndRejectionsMapToReportFailures() throws Exception {
    Dap18Task t = task(new QueryType.TimeInterval(), new VdafInstance.Prio3Count());
    Verifier v = new Verifier(t);
    Time time = reportTime();
    AggregationJobId jobId = createJob(t, List.of(report(t, time, 1, List.of()), report(t, time, 1, List.of())),
        Optional.empty());
    helper.script(
        r -> Reply.problem(503, "about:blank"),
        r -> {
          List<VerifyResp> resps = new ArrayList<>(AggregationJobResp.decode(v.init(r.body())).verifyResps());
          resps.set(1, new VerifyResp(resps.get(1).reportId(), new VerifyResp.Reject(ReportError.TASK_NOT_STARTED)));
          return Reply.body(201, new AggregationJobResp(resps).toBytes(), "Location", jobPath(t));
        });
    AggregationJobDriver d = driver(3);

    d.step(acquireOne(d, jobId), FAR);

    assertThat(helper.requests).hasSize(2);
    assertThat(helper.requests.get(1).body()).isEqualTo(helper.requests.get(0).body());
    assertThat(states(t.id(), jobId)).containsExactly(new ReportAggregationState.Finished(),
        new ReportAggregationState.Failed(ReportFailure.TASK_NOT_STARTED));
    assertThat(job(t.id(), jobId).state()).isEqualTo(AggregationJobState.FINISHED);
  }

  @Test
  void anAuthenticationFailureIsRetriedLaterNotAbandoned() throws Exception {
    Dap18Task t = task(new QueryType.TimeInterval(), new VdafInstance.Prio3Count());
    Time time = reportTime();
    AggregationJobId jobId = createJob(t, List.of(report(t, time, 1, List.of())), Optional.empty());
    helper.script(r -> new Reply(401, Map.of(), new byte[0]));
    AggregationJobDriver d = driver(3);
    Lease<AcquiredAggregationJob> lease = acquireOne(d, jobId);

    assertThatThrownBy(() -> d.step(lease, FAR)).isInstanceOfSatisfying(DapRequestException.class, e -> {
      assertThat(e.status()).hasValue(401);
      assertThat(e.isFinalRefusal()).isFalse();
    });
    assertThat(helper.requests).hasSize(1);
    assertThat(job(t.id(), jobId).state()).isEqualTo(AggregationJobState.IN_PROGRESS);
  }

  @Test
  void reportErrorsMapToTheNeutralFailures() {
    assertThat(Dap18AggregationJobHelper.failure(ReportError.VDAF_VERIFY_ERROR)).isEqualTo(
        ReportFailure.VDAF_PREP_ERROR);
    assertThat(Dap18AggregationJobHelper.failure(ReportError.OUTDATED_CONFIG)).isEqualTo(
        ReportFailure.OUTDATED_CONFIG);
    for (ReportError e : ReportError.values()) {
      assertThat(Dap18AggregationJobHelper.failure(e).name()).isEqualTo(
          e == ReportError.VDAF_VERIFY_ERROR ? "VDAF_PREP_ERROR" : e.name());
    }
  }

  @Test
  void theStepQueryIsSetOnTheJobsUrlKeepingOtherParameters() {
    URI job = URI.create("https://h.example/dap/tasks/t/aggregation_jobs/j?step=0&x=1");
    assertThat(Dap18AggregationJobHelper.resource(job)).isEqualTo(
        URI.create("https://h.example/dap/tasks/t/aggregation_jobs/j?x=1"));
    assertThat(Dap18AggregationJobHelper.withStep(job, 3)).isEqualTo(
        URI.create("https://h.example/dap/tasks/t/aggregation_jobs/j?x=1&step=3"));
    assertThat(Dap18AggregationJobHelper.withStep(URI.create("https://h.example/j"), 0)).isEqualTo(
        URI.create("https://h.example/j?step=0"));
    assertThat(Dap18AggregationJobHelper.resource(URI.create("https://h.example/j?step=2"))).isEqualTo(
        URI.create("https://h.example/j"));
  }
}
