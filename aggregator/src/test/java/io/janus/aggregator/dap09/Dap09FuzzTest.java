package io.janus.aggregator.dap09;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.core.auth.AuthenticationToken;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.core.vdaf.FakeVdaf;
import io.janus.core.vdaf.PingPongVdaf;
import io.janus.messages.AggregationJobId;
import io.janus.messages.CollectionJobId;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.Interval;
import io.janus.messages.ReportId;
import io.janus.messages.Role;
import io.janus.messages.Time;
import io.janus.messages.dap09.AggregateShareReq;
import io.janus.messages.dap09.AggregationJobContinueReq;
import io.janus.messages.dap09.BatchSelector;
import io.janus.messages.dap09.CollectionReq;
import io.janus.messages.dap09.Dap09;
import io.janus.messages.dap09.PrepareContinue;
import io.janus.messages.dap09.Query;
import io.janus.messages.dap09.Report;
import io.janus.messages.dap09.ReportMetadata;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Mutated DAP messages on every endpoint that takes a body, with the right token so each reaches the decoder: no
 * answer may be a 5xx, and the server must still serve a valid request afterwards. Each mutation starts from a
 * valid message (so the decoders see plausible input, not only noise) and flips, overwrites, truncates, extends or
 * splices bytes. Seeded and printed; CI sends 300 per endpoint. A longer run:
 * {@code ./mvnw -B verify -pl aggregator -am -Dtest=Dap09FuzzTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Djanus.fuzz.requests=20000}.
 */
class Dap09FuzzTest {
  private static final FakeVdaf VDAF = new FakeVdaf();
  private static TestAggregator agg;
  private static Task leaderTask;
  private static Task helperTask;
  private static HpkeKeypair helperKey;

  @BeforeAll
  static void setUp() {
    agg = new TestAggregator(10);
    leaderTask = agg.put(agg.task(Role.LEADER, new QueryType.TimeInterval(), TestAggregator.ONE_ROUND)
        .hpkeKeys(List.of(agg.newKeypair())).build());
    helperTask = agg.put(agg.task(Role.HELPER, new QueryType.TimeInterval(), TestAggregator.ONE_ROUND)
        .hpkeKeys(List.of(agg.newKeypair())).build());
    helperKey = agg.newKeypair();
  }

  @AfterAll
  static void tearDown() {
    agg.close();
  }

  /** One endpoint: how to send a body to it, and a valid body to start from. */
  private record Target(String name, String method, Supplier<String> path, String mediaType,
      Optional<AuthenticationToken> auth, Supplier<byte[]> valid) {}

  @Test
  void mutatedMessagesNeverGetAServerError() {
    int perEndpoint = Integer.getInteger("janus.fuzz.requests", 300);
    long seed = Long.getLong("janus.test.seed", System.nanoTime());
    System.out.println("Dap09FuzzTest seed: " + seed + " (replay with -Djanus.test.seed=" + seed + ")");
    SplittableRandom random = new SplittableRandom(seed);
    Time time = agg.reportTime();
    Interval batch = new Interval(time, TestAggregator.PRECISION);
    List<Target> targets = List.of(
        new Target("upload", "PUT", () -> Dap09.reportsPath(leaderTask.id()), Dap09.MEDIA_TYPE_REPORT,
            Optional.empty(), () -> report(time).toBytes()),
        new Target("aggregation job init", "PUT",
            () -> Dap09.aggregationJobPath(helperTask.id(), new AggregationJobId(agg.bytes(16))),
            Dap09.MEDIA_TYPE_AGGREGATION_JOB_INIT_REQ, Optional.of(agg.leaderToken),
            () -> HelperRequests.init(new HelperRequests(agg).prepareInit(helperTask, new ReportId(agg.bytes(16)),
                time, 1, List.of())).toBytes()),
        new Target("aggregation job continue", "POST",
            () -> Dap09.aggregationJobPath(helperTask.id(), new AggregationJobId(agg.bytes(16))),
            Dap09.MEDIA_TYPE_AGGREGATION_JOB_CONTINUE_REQ, Optional.of(agg.leaderToken),
            () -> new AggregationJobContinueReq(1, List.of(new PrepareContinue(new ReportId(agg.bytes(16)),
                agg.bytes(8)))).toBytes()),
        new Target("aggregate share", "POST", () -> Dap09.aggregateSharesPath(helperTask.id()),
            Dap09.MEDIA_TYPE_AGGREGATE_SHARE_REQ, Optional.of(agg.leaderToken),
            () -> new AggregateShareReq(new BatchSelector.TimeInterval(batch), new byte[0], 1, agg.bytes(32))
                .toBytes()),
        new Target("collection job", "PUT",
            () -> Dap09.collectionJobPath(leaderTask.id(), new CollectionJobId(agg.bytes(16))),
            Dap09.MEDIA_TYPE_COLLECT_REQ, Optional.of(agg.collectorToken),
            () -> new CollectionReq(new Query.TimeInterval(batch), new byte[0]).toBytes()));
    Map<String, Map<Integer, Integer>> statuses = new TreeMap<>();
    for (Target t : targets) {
      Map<Integer, Integer> counts = statuses.computeIfAbsent(t.name(), k -> new TreeMap<>());
      byte[] valid = t.valid().get();
      for (int i = 0; i < perEndpoint; i++) {
        byte[] body = mutate(valid, random);
        HttpResponse<byte[]> r = agg.send(t.method(), t.path().get(), Optional.of(t.mediaType()), body, t.auth());
        counts.merge(r.statusCode(), 1, Integer::sum);
        assertThat(r.statusCode()).as("%s, mutation %d of seed %d", t.name(), i, seed).isLessThan(500);
      }
    }
    System.out.println("Dap09FuzzTest statuses per endpoint: " + statuses);
    // Still serving. (Not an upload into the fuzzed task: a mutated collection request may have been accepted,
    // and a collection holding the interval rightly refuses further reports.)
    HttpResponse<byte[]> ok = agg.send("GET", Dap09.ROUTE_HPKE_CONFIG + "?" + Dap09.QUERY_TASK_ID + "="
        + leaderTask.id().toBase64Url(), Optional.empty(), new byte[0], Optional.empty());
    assertThat(ok.statusCode()).isEqualTo(200);
  }

  private static Report report(Time time) {
    ReportId id = new ReportId(agg.bytes(16));
    PingPongVdaf.Sharded s = VDAF.shard(new long[] {1}, id.bytes(), new byte[0]);
    HpkeCiphertext leader = TestAggregator.seal(leaderTask.hpkeKeys().get(0), Role.LEADER, leaderTask.id(), id, time,
        s.publicShare(), s.leaderInputShare(), List.of());
    HpkeCiphertext helper = TestAggregator.seal(helperKey, Role.HELPER, leaderTask.id(), id, time, s.publicShare(),
        s.helperInputShare(), List.of());
    return new Report(new ReportMetadata(id, time), s.publicShare(), leader, helper);
  }

  /** A valid message with one to three random edits. */
  static byte[] mutate(byte[] valid, SplittableRandom random) {
    byte[] b = valid.clone();
    int edits = 1 + random.nextInt(3);
    for (int e = 0; e < edits; e++) {
      if (b.length == 0) {
        b = new byte[] {(byte) random.nextInt(256)};
        continue;
      }
      int at = random.nextInt(b.length);
      switch (random.nextInt(6)) {
        case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
        case 1 -> b[at] = (byte) random.nextInt(256);
        case 2 -> {
          // Overwrite what may be a length prefix with an extreme value.
          for (int k = at; k < Math.min(b.length, at + 4); k++) {
            b[k] = random.nextBoolean() ? (byte) 0xff : 0;
          }
        }
        case 3 -> b = java.util.Arrays.copyOf(b, at);
        case 4 -> {
          byte[] extra = new byte[1 + random.nextInt(64)];
          random.nextBytes(extra);
          byte[] longer = java.util.Arrays.copyOf(b, b.length + extra.length);
          System.arraycopy(extra, 0, longer, b.length, extra.length);
          b = longer;
        }
        default -> {
          // Splice: repeat a random slice.
          int len = 1 + random.nextInt(Math.min(32, b.length - at));
          byte[] longer = new byte[b.length + len];
          System.arraycopy(b, 0, longer, 0, at + len);
          System.arraycopy(b, at, longer, at + len, b.length - at);
          b = longer;
        }
      }
    }
    return b;
  }
}
