package io.janus.aggregator.dap09;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.server.datastore.model.HpkeKeyState;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.core.vdaf.FakeVdaf;
import io.janus.core.vdaf.PingPongVdaf;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.HpkeConfigList;
import io.janus.messages.ReportId;
import io.janus.messages.Role;
import io.janus.messages.Time;
import io.janus.messages.dap09.Dap09;
import io.janus.messages.dap09.Report;
import io.janus.messages.dap09.ReportMetadata;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Global HPKE keys (advertised when ACTIVE, accepted in any state) and concurrent, batched uploads. */
class Dap09GlobalKeysTest {
  private static final FakeVdaf VDAF = new FakeVdaf();
  private static TestAggregator agg;
  private static HpkeKeypair active;
  private static HpkeKeypair pending;
  private static Task task;

  @BeforeAll
  static void setUp() {
    agg = new TestAggregator(5);
    active = agg.newKeypair();
    pending = agg.newKeypair();
    agg.datastore().run("test_keys", tx -> {
      tx.hpkeKeys().put(active);
      tx.hpkeKeys().setState(active.config().id(), HpkeKeyState.ACTIVE);
      return tx.hpkeKeys().put(pending);
    });
    task = agg.put(agg.task(Role.LEADER, new QueryType.TimeInterval(), TestAggregator.ONE_ROUND).build());
  }

  @AfterAll
  static void tearDown() {
    agg.close();
  }

  private static byte[] report(HpkeKeypair key, ReportId id) {
    Time time = agg.reportTime();
    PingPongVdaf.Sharded s = VDAF.shard(new long[] {1}, id.bytes(), new byte[0]);
    HpkeCiphertext leader = TestAggregator.seal(key, Role.LEADER, task.id(), id, time, s.publicShare(),
        s.leaderInputShare(), List.of());
    HpkeCiphertext helper = TestAggregator.seal(key, Role.HELPER, task.id(), id, time, s.publicShare(),
        s.helperInputShare(), List.of());
    return new Report(new ReportMetadata(id, time), s.publicShare(), leader, helper).toBytes();
  }

  private static HttpResponse<byte[]> upload(byte[] body) {
    return agg.send("PUT", Dap09.reportsPath(task.id()), Optional.of(Dap09.MEDIA_TYPE_REPORT), body,
        Optional.empty());
  }

  @Test
  void onlyActiveGlobalKeysAreAdvertised() {
    for (String path : List.of("/hpke_config", "/hpke_config?task_id=" + task.id().toBase64Url())) {
      HttpResponse<byte[]> r = agg.send("GET", path, Optional.empty(), new byte[0], Optional.empty());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(HpkeConfigList.decode(r.body()).configs()).containsExactly(active.config());
    }
  }

  @Test
  void reportsSealedToAnActiveOrPendingGlobalKeyAreAccepted() {
    assertThat(upload(report(active, agg.reportId())).statusCode()).isEqualTo(201);
    assertThat(upload(report(pending, agg.reportId())).statusCode()).isEqualTo(201);
  }

  @Test
  void concurrentUploadsAreAllStored() throws Exception {
    List<ReportId> ids = new ArrayList<>();
    List<byte[]> bodies = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      ReportId id = agg.reportId();
      ids.add(id);
      bodies.add(report(active, id));
    }
    List<CompletableFuture<Integer>> statuses = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (byte[] body : bodies) {
        statuses.add(CompletableFuture.supplyAsync(() -> upload(body).statusCode(), pool));
      }
      for (CompletableFuture<Integer> s : statuses) {
        assertThat(s.get()).isEqualTo(201);
      }
    }
    for (ReportId id : ids) {
      boolean stored = agg.datastore().run("test_get", tx -> tx.clientReports().exists(task.id(), id));
      assertThat(stored).as("report %s stored", id).isTrue();
    }
  }
}
