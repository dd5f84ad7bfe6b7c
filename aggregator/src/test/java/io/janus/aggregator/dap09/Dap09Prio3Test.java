package io.janus.aggregator.dap09;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.server.datastore.model.LeaderStoredReport;
import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.core.task.VdafInstance;
import io.janus.core.vdaf.PingPongVdaf;
import io.janus.core.vdaf.VdafDispatch;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.Interval;
import io.janus.messages.ReportId;
import io.janus.messages.Role;
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
import io.janus.messages.dap09.Report;
import io.janus.messages.dap09.ReportMetadata;
import io.janus.messages.dap09.ReportShare;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real Prio3Count (draft-irtf-cfrg-vdaf-08) through the HTTP API: an upload to the Leader, and a Helper
 * aggregation job whose answers this test finishes as the Leader would, down to the unsharded count.
 */
class Dap09Prio3Test {
  private static final byte[] NO_PARAM = new byte[0];
  private static final PingPongVdaf PRIO3 = VdafDispatch.forInstance(new VdafInstance.Prio3Count());

  private static TestAggregator agg;
  private static HelperRequests helper;

  @BeforeAll
  static void setUp() {
    agg = new TestAggregator(10, VdafDispatch::forInstance);
    helper = new HelperRequests(agg);
  }

  @AfterAll
  static void tearDown() {
    agg.close();
  }

  private record Client(ReportId id, Time time, PingPongVdaf.Sharded shards) {}

  private static Client client(long measurement) {
    ReportId id = agg.reportId();
    return new Client(id, agg.reportTime(),
        PRIO3.shard(new long[] {measurement}, id.bytes(), agg.bytes(PRIO3.randomnessLength())));
  }

  @Test
  void theLeaderStoresAnUploadedPrio3Report() {
    HpkeKeypair key = agg.newKeypair();
    Task task = agg.put(agg.task(Role.LEADER, new QueryType.TimeInterval(), new VdafInstance.Prio3Count())
        .vdafVerifyKey(agg.bytes(PRIO3.verifyKeyLength())).hpkeKeys(List.of(key)).build());
    Client c = client(1);
    HpkeCiphertext leader = TestAggregator.seal(key, Role.LEADER, task.id(), c.id(), c.time(),
        c.shards().publicShare(), c.shards().leaderInputShare(), List.of());
    HpkeCiphertext helperShare = TestAggregator.seal(agg.newKeypair(), Role.HELPER, task.id(), c.id(), c.time(),
        c.shards().publicShare(), c.shards().helperInputShare(), List.of());
    Report report = new Report(new ReportMetadata(c.id(), c.time()), c.shards().publicShare(), leader, helperShare);
    HttpResponse<byte[]> r = agg.send("PUT", Dap09.reportsPath(task.id()), Optional.of(Dap09.MEDIA_TYPE_REPORT),
        report.toBytes(), Optional.empty());
    assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(201);
    LeaderStoredReport stored = agg.datastore().run("test_get", tx -> tx.clientReports().get(task.id(), c.id()))
        .orElseThrow();
    assertThat(stored.leaderInputShare()).isEqualTo(c.shards().leaderInputShare());
  }

  /**
   * The upload path only decodes the Leader's share (strict lengths, canonical field elements): an undecodable
   * share is invalid_message, while a well-formed share with a bad proof is stored, to be rejected in preparation.
   */
  @Test
  void theLeaderDecodesButDoesNotVerifyAnUploadedShare() {
    HpkeKeypair key = agg.newKeypair();
    Task task = agg.put(agg.task(Role.LEADER, new QueryType.TimeInterval(), new VdafInstance.Prio3Count())
        .vdafVerifyKey(agg.bytes(PRIO3.verifyKeyLength())).hpkeKeys(List.of(key)).build());
    Client bad = client(1);
    // All ones is above the Field64 prime: the measurement share is not a canonical element.
    byte[] nonCanonical = bad.shards().leaderInputShare();
    Arrays.fill(nonCanonical, 0, 8, (byte) 0xff);
    TestAggregator.assertDapProblem(upload(key, task, bad, nonCanonical), "invalidMessage", task.id());
    Optional<LeaderStoredReport> stored = agg.datastore().run("test_get",
        tx -> tx.clientReports().get(task.id(), bad.id()));
    assertThat(stored).isEmpty();

    Client tampered = client(1);
    byte[] altered = tampered.shards().leaderInputShare();
    altered[0] ^= 1;
    HttpResponse<byte[]> r = upload(key, task, tampered, altered);
    assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(201);
  }

  private static HttpResponse<byte[]> upload(HpkeKeypair key, Task task, Client c, byte[] leaderInputShare) {
    HpkeCiphertext leader = TestAggregator.seal(key, Role.LEADER, task.id(), c.id(), c.time(),
        c.shards().publicShare(), leaderInputShare, List.of());
    HpkeCiphertext helperShare = TestAggregator.seal(agg.newKeypair(), Role.HELPER, task.id(), c.id(), c.time(),
        c.shards().publicShare(), c.shards().helperInputShare(), List.of());
    Report report = new Report(new ReportMetadata(c.id(), c.time()), c.shards().publicShare(), leader, helperShare);
    return agg.send("PUT", Dap09.reportsPath(task.id()), Optional.of(Dap09.MEDIA_TYPE_REPORT), report.toBytes(),
        Optional.empty());
  }

  @Test
  void theHelperPreparesAndAggregatesPrio3ReportsToTheRightCount() throws Exception {
    HpkeKeypair key = agg.newKeypair();
    byte[] verifyKey = agg.bytes(PRIO3.verifyKeyLength());
    Task task = agg.put(agg.task(Role.HELPER, new QueryType.TimeInterval(), new VdafInstance.Prio3Count())
        .vdafVerifyKey(verifyKey).hpkeKeys(List.of(key)).build());

    long[] measurements = {1, 0, 1, 1};
    List<PrepareInit> inits = new ArrayList<>();
    List<PingPongVdaf.LeaderStart> leaderStates = new ArrayList<>();
    for (long m : measurements) {
      Client c = client(m);
      PingPongVdaf.LeaderStart l = PRIO3.leaderInitialized(verifyKey, NO_PARAM, c.id().bytes(),
          c.shards().publicShare(), c.shards().leaderInputShare());
      leaderStates.add(l);
      HpkeCiphertext sealed = TestAggregator.seal(key, Role.HELPER, task.id(), c.id(), c.time(),
          c.shards().publicShare(), c.shards().helperInputShare(), List.of());
      inits.add(new PrepareInit(new ReportShare(new ReportMetadata(c.id(), c.time()), c.shards().publicShare(),
          sealed), l.outbound()));
    }
    // A report whose Leader message comes from another report: its proof cannot verify.
    Client forged = client(1);
    HpkeCiphertext forgedShare = TestAggregator.seal(key, Role.HELPER, task.id(), forged.id(), forged.time(),
        forged.shards().publicShare(), forged.shards().helperInputShare(), List.of());
    inits.add(new PrepareInit(new ReportShare(new ReportMetadata(forged.id(), forged.time()),
        forged.shards().publicShare(), forgedShare), leaderStates.get(0).outbound()));

    HttpResponse<byte[]> r = helper.put(task.id(), helper.jobId(),
        new AggregationJobInitReq(NO_PARAM, new PartialBatchSelector.TimeInterval(), inits));
    assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(201);
    List<PrepareResp> resps = HelperRequests.resp(r).prepareResps();
    assertThat(resps.get(measurements.length).result()).isEqualTo(new PrepareResp.Reject(PrepareError.VDAF_PREP_ERROR));

    byte[] leaderAgg = PRIO3.emptyAggregateShare(NO_PARAM);
    byte[] checksum = new byte[32];
    for (int i = 0; i < measurements.length; i++) {
      PrepareResp.Continue cont = (PrepareResp.Continue) resps.get(i).result();
      PingPongVdaf.Finished done = (PingPongVdaf.Finished) PRIO3.leaderContinued(NO_PARAM,
          leaderStates.get(i).state(), cont.payload());
      leaderAgg = PRIO3.accumulate(NO_PARAM, leaderAgg, done.outputShare());
      byte[] h = MessageDigest.getInstance("SHA-256").digest(resps.get(i).reportId().bytes());
      for (int j = 0; j < 32; j++) {
        checksum[j] ^= h[j];
      }
    }

    BatchSelector batch = new BatchSelector.TimeInterval(new Interval(agg.reportTime(), TestAggregator.PRECISION));
    AggregateShareReq req = new AggregateShareReq(batch, NO_PARAM, measurements.length, checksum);
    HttpResponse<byte[]> shareResp = agg.send("POST", Dap09.aggregateSharesPath(task.id()),
        Optional.of(Dap09.MEDIA_TYPE_AGGREGATE_SHARE_REQ), req.toBytes(), Optional.of(agg.leaderToken));
    assertThat(shareResp.statusCode()).as(new String(shareResp.body())).isEqualTo(200);
    byte[] helperAgg = Hpke.open(agg.collectorKey, Dap09.aggregateShareInfo(Role.HELPER),
        AggregateShare.decode(shareResp.body()).encryptedAggregateShare(),
        new AggregateShareAad(task.id(), NO_PARAM, batch).toBytes());
    assertThat(PRIO3.unshard(NO_PARAM, List.of(leaderAgg, helperAgg), measurements.length)).containsExactly(3);
  }
}
