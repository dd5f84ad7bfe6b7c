package io.janus.aggregationjobdriver;

import io.helidon.webserver.WebServer;
import io.janus.aggregator.Aggregator;
import io.janus.aggregator.AggregatorServer;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.server.datastore.model.AggregationJob;
import io.janus.server.datastore.model.AggregationJobState;
import io.janus.server.datastore.model.BatchAggregation;
import io.janus.server.datastore.model.BatchIdentifier;
import io.janus.server.datastore.model.LeaderStoredReport;
import io.janus.server.datastore.model.ReportAggregation;
import io.janus.server.datastore.model.ReportAggregationState;
import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.server.job.BatchShards;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.core.task.VdafInstance;
import io.janus.server.testing.TestDatabase;
import io.janus.core.vdaf.FakeVdaf;
import io.janus.core.vdaf.PingPongVdaf;
import io.janus.core.vdaf.VdafDispatch;
import io.janus.messages.AggregationJobId;
import io.janus.messages.BatchId;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeAlgorithms;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.Interval;
import io.janus.messages.ReportId;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.messages.dap09.Dap09;
import io.janus.messages.dap09.InputShareAad;
import io.janus.messages.dap09.PlaintextInputShare;
import io.janus.messages.dap09.ReportMetadata;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A Leader database and a Helper: the production aggregator (its DAP-09 routing) on an ephemeral port over its own
 * database. Tasks are provisioned on both sides with the same ID, verify key and tokens; reports are sharded and
 * sealed as a client would, and stored as the Leader's upload would store them.
 */
final class LeaderHelperPair implements AutoCloseable {
  /** Time precision of every test task. */
  static final DapDuration PRECISION = DapDuration.ofSeconds(3600);
  /** A VDAF that prepares in two rounds (the Fake VDAF stands in for it on both sides). */
  static final VdafInstance TWO_ROUNDS = new VdafInstance.Prio3Sum(8);
  /** Real Prio3 for everything but {@link #TWO_ROUNDS}. */
  static final Function<VdafInstance, PingPongVdaf> VDAFS =
      v -> v.equals(TWO_ROUNDS) ? new FakeVdaf(2) : VdafDispatch.forInstance(v);

  final TestDatabase leader = TestDatabase.create();
  final TestDatabase helper = TestDatabase.create();
  final Aggregator helperAggregator;
  final WebServer helperServer;
  final SplittableRandom random;
  final long seed;
  final AuthenticationToken leaderToken;
  final HpkeKeypair collectorKey;

  LeaderHelperPair() {
    seed = System.nanoTime();
    System.out.println("LeaderHelperPair seed: " + seed);
    random = new SplittableRandom(seed);
    helperAggregator = new Aggregator(helper.datastore(), helper.clock(), io.janus.core.vdaf.TaskVdafs.byInstance(VDAFS),
        new Aggregator.Settings(10, 5, 4, 4, 0, 100, 0));
    helperServer = WebServer.builder().host("127.0.0.1").port(0)
        .routing(r -> AggregatorServer.routing(r, helperAggregator, new SimpleMeterRegistry())).build().start();
    leaderToken = new AuthenticationToken(AuthenticationTokenType.BEARER, HexFormat.of().formatHex(bytes(16)));
    collectorKey = keypair(200);
  }

  byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  HpkeKeypair keypair(int configId) {
    return Hpke.derive(configId, HpkeAlgorithms.KEM_X25519_HKDF_SHA256, HpkeAlgorithms.KDF_HKDF_SHA256,
        HpkeAlgorithms.AEAD_AES_128_GCM, bytes(32));
  }

  URI helperEndpoint() {
    return URI.create("http://127.0.0.1:" + helperServer.port() + "/");
  }

  /**
   * The same task on both sides.
   *
   * @param leaderTask the Leader's view
   * @param helperTask the Helper's view
   * @param helperKey the Helper's HPKE key for the task
   */
  record Tasks(Task leaderTask, Task helperTask, HpkeKeypair helperKey) {
    TaskId id() {
      return leaderTask.id();
    }
  }

  Tasks tasks(QueryType queryType, VdafInstance vdaf) {
    return tasks(queryType, vdaf, helperEndpoint());
  }

  /** The same task on both sides, the Leader's pointing at {@code helperEndpoint}. */
  Tasks tasks(QueryType queryType, VdafInstance vdaf, URI helperEndpoint) {
    TaskId id = new TaskId(bytes(TaskId.LENGTH));
    byte[] verifyKey = bytes(VDAFS.apply(vdaf).verifyKeyLength());
    HpkeKeypair helperKey = keypair(1);
    AuthenticationToken collectorToken = new AuthenticationToken(AuthenticationTokenType.DAP_AUTH,
        HexFormat.of().formatHex(bytes(16)));
    Task l = Task.builder(id, Role.LEADER, helperEndpoint, queryType, vdaf, verifyKey, PRECISION,
            collectorKey.config())
        .aggregatorAuthToken(leaderToken).collectorAuthTokenHash(collectorToken.hash()).minBatchSize(1)
        .maxBatchQueryCount(1).tolerableClockSkew(DapDuration.ofSeconds(60)).hpkeKeys(List.of(keypair(2))).build();
    Task h = Task.builder(id, Role.HELPER, URI.create("https://leader.example/"), queryType, vdaf, verifyKey,
            PRECISION, collectorKey.config())
        .aggregatorAuthTokenHash(leaderToken.hash()).minBatchSize(1).maxBatchQueryCount(1)
        .tolerableClockSkew(DapDuration.ofSeconds(60)).hpkeKeys(List.of(helperKey)).build();
    leader.datastore().run("test_put_task", tx -> tx.tasks().put(l));
    helper.datastore().run("test_put_task", tx -> tx.tasks().put(h));
    return new Tasks(l, h, helperKey);
  }

  /** A report of {@code measurement}, sharded and sealed as a client does, stored as the Leader's upload does. */
  LeaderStoredReport report(Tasks t, Time time, long measurement) {
    ReportId id = new ReportId(bytes(ReportId.LENGTH));
    PingPongVdaf vdaf = VDAFS.apply(t.leaderTask().vdaf());
    PingPongVdaf.Sharded s = vdaf.shard(new long[] {measurement}, id.bytes(), bytes(vdaf.randomnessLength()));
    byte[] aad = new InputShareAad(t.id(), new ReportMetadata(id, time), s.publicShare()).toBytes();
    HpkeCiphertext helperShare = Hpke.seal(t.helperKey().config(), Dap09.inputShareInfo(Role.HELPER), aad,
        new PlaintextInputShare(List.of(), s.helperInputShare()).toBytes());
    LeaderStoredReport r = new LeaderStoredReport(t.id(), id, time, List.of(), s.publicShare(), s.leaderInputShare(),
        helperShare);
    leader.datastore().run("test_upload", tx -> tx.clientReports().putAll(List.of(r)));
    return r;
  }

  /** A report whose Helper share is sealed to a config ID the Helper does not have. */
  LeaderStoredReport reportForUnknownKey(Tasks t, Time time) {
    LeaderStoredReport good = report(t, time, 1);
    HpkeCiphertext c = good.helperEncryptedInputShare();
    return new LeaderStoredReport(t.id(), good.reportId(), time, List.of(), good.publicShare(),
        good.leaderInputShare(), new HpkeCiphertext(99, c.encapsulatedKey(), c.payload()));
  }

  /** Stores a job over {@code reports} as the creator does (START report aggregations, jobs-created counted). */
  AggregationJobId createJob(Tasks t, List<LeaderStoredReport> reports, Optional<BatchId> batchId) {
    AggregationJobId jobId = new AggregationJobId(bytes(AggregationJobId.LENGTH));
    leader.datastore().run("test_create_job", tx -> {
      Interval interval = Interval.EMPTY;
      for (LeaderStoredReport r : reports) {
        interval = interval.mergedWith(r.time());
      }
      tx.aggregationJobs().put(new AggregationJob(t.id(), jobId, new byte[0], batchId, interval,
          AggregationJobState.IN_PROGRESS, 0, Optional.empty()));
      List<ReportAggregation> ras = new java.util.ArrayList<>();
      java.util.Set<BatchIdentifier> batches = new java.util.HashSet<>();
      for (int i = 0; i < reports.size(); i++) {
        LeaderStoredReport r = reports.get(i);
        ras.add(new ReportAggregation(t.id(), jobId, r.reportId(), r.time(), i, Optional.empty(),
            new ReportAggregationState.Start(r.leaderExtensions(), r.publicShare(), r.leaderInputShare(),
                r.helperEncryptedInputShare())));
        batches.add(BatchShards.batchFor(t.leaderTask(), r.time(), batchId));
      }
      tx.reportAggregations().putAll(ras);
      for (BatchIdentifier b : batches) {
        BatchShards.addJobCounts(tx, t.id(), b, new byte[0], 0, 1, 0);
      }
      return null;
    });
    return jobId;
  }

  /** Every shard of a batch in {@code db}. */
  static List<BatchAggregation> shards(TestDatabase db, TaskId taskId, BatchIdentifier batch) {
    return db.datastore().run("test_shards", tx -> tx.batchAggregations().getAll(taskId, batch, new byte[0]));
  }

  /** The merge of every shard's aggregate share of a batch in {@code db}. */
  static byte[] mergedShare(TestDatabase db, Tasks t, BatchIdentifier batch) throws Exception {
    PingPongVdaf vdaf = VDAFS.apply(t.leaderTask().vdaf());
    byte[] share = vdaf.emptyAggregateShare(new byte[0]);
    for (BatchAggregation b : shards(db, t.id(), batch)) {
      if (b.aggregateShare().isPresent()) {
        share = vdaf.merge(new byte[0], share, b.aggregateShare().get());
      }
    }
    return share;
  }

  @Override
  public void close() {
    helperServer.stop();
    helperAggregator.close();
    helper.close();
    leader.close();
  }
}
