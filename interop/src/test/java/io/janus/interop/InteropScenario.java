package io.janus.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.core.task.DapVersion;
import io.janus.core.task.VdafInstance;
import io.janus.core.vdaf.VdafDispatch;
import io.janus.messages.Base64Url;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeConfig;
import io.janus.messages.Interval;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.messages.Query;
import io.janus.messages.dap09.QueryType;
import java.net.URI;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The draft's test runner operation (draft-dcook-ppm-dap-interop-test-design-07 section 4.6) for one task, against
 * participants reachable on localhost: ready, endpoint_for_task, add_task (collector, Leader, Helper), uploads,
 * collection_start, then collection_poll until complete, checking the result exactly; {@link #run} in the DAP-09
 * form of the requests, {@link #run18} in the DAP-18 form of Janus main's interop binaries. Randomness is seeded.
 * Not thread-safe.
 */
final class InteropScenario {
  static final int REPORTS = 6;
  static final long PRECISION = 3600;
  /** How long one collection may take before the test fails (generous: the drivers run every few 100 ms). */
  static final long COLLECTION_DEADLINE_MS = 60_000;

  private final int client;
  private final int leader;
  private final int helper;
  private final int collector;
  private final long seed;
  private final Random random;
  private final TestRunner runner = new TestRunner();

  private InteropScenario(int client, int leader, int helper, int collector, long seed) {
    this.client = client;
    this.leader = leader;
    this.helper = helper;
    this.collector = collector;
    this.seed = seed;
    this.random = new Random(seed);
  }

  /** A scenario against the participants on these localhost ports, with randomness from {@code seed}. */
  static InteropScenario of(int client, int leader, int helper, int collector, long seed) {
    return new InteropScenario(client, leader, helper, collector, seed);
  }

  /** Every Prio3 VDAF of the draft, and Janus's Field64 multiproof SumVec, with both query types. */
  static Stream<Arguments> cases() {
    List<VdafInstance> vdafs = List.of(new VdafInstance.Prio3Count(), new VdafInstance.Prio3Sum(8),
        new VdafInstance.Prio3SumVec(4, 3, 2), new VdafInstance.Prio3Histogram(5, 2),
        new VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128(2, 4, 3, 2));
    List<Arguments> out = new ArrayList<>();
    for (VdafInstance v : vdafs) {
      for (QueryType q : QueryType.values()) {
        out.add(Arguments.of(v, q));
      }
    }
    return out.stream();
  }

  /**
   * The DAP-18 cases, as Janus main's interop test runner drives them: every VDAF object of Janus's DAP-18 form
   * (Prio3Sum and Prio3SumVec with {@code max_measurement}) with both batch modes, without a task interval as
   * Janus's runner sends them; Prio3Count once more in both modes with a task interval given to every party.
   */
  static Stream<Arguments> cases18() {
    List<VdafInstance> vdafs = List.of(new VdafInstance.Prio3Count(), new VdafInstance.Prio3SumMaxMeasurement(200),
        new VdafInstance.Prio3SumVecMaxMeasurement(4096, 4, 2), new VdafInstance.Prio3Histogram(5, 2));
    List<Arguments> out = new ArrayList<>();
    for (io.janus.core.task.QueryType mode : List.of(new io.janus.core.task.QueryType.TimeInterval(),
        Dap18Fields.leaderSelected())) {
      for (VdafInstance v : vdafs) {
        out.add(Arguments.of(v, mode, false));
      }
      out.add(Arguments.of(new VdafInstance.Prio3Count(), mode, true));
    }
    return out.stream();
  }

  /**
   * Runs one DAP-18 task end to end, with the requests in Janus main's DAP-18 form, and checks the collected
   * result: no batch ID in either batch mode, the interval in seconds.
   *
   * @param taskInterval whether every party gets {@code task_start} and {@code task_end}
   */
  void run18(VdafInstance vdaf, io.janus.core.task.QueryType batchMode, boolean taskInterval)
      throws InterruptedException {
    for (int port : new int[] {client, leader, helper, collector}) {
      runner.command(port, "ready", TestRunner.object());
    }
    TaskId taskId = TaskId.random(new SecureRandom());
    AuthenticationToken aggregatorToken = token();
    AuthenticationToken collectorToken = token();
    byte[] verifyKey = new byte[VdafDispatch.forTask(DapVersion.DAP_18, taskId, vdaf).verifyKeyLength()];
    random.nextBytes(verifyKey);
    URI leaderEndpoint = URI.create(runner.success(leader, "endpoint_for_task",
        new EndpointForTaskRequest(taskId, Role.LEADER, "localhost").toJson()).path("endpoint").asText());
    URI helperEndpoint = URI.create(runner.success(helper, "endpoint_for_task",
        new EndpointForTaskRequest(taskId, Role.HELPER, "localhost").toJson()).path("endpoint").asText());

    long now = System.currentTimeMillis() / 1000;
    long windowStart = (now / PRECISION) * PRECISION - PRECISION;
    Optional<Interval> interval = taskInterval
        ? Optional.of(new Interval(new Time(windowStart - PRECISION), new DapDuration(4 * PRECISION)))
        : Optional.empty();

    CollectorAddTaskRequest collectorRequest = new CollectorAddTaskRequest(taskId, leaderEndpoint, vdaf,
        collectorToken, batchMode, Optional.of(new CollectorAddTaskRequest.Dap18(helperEndpoint, REPORTS,
        new DapDuration(PRECISION), interval)));
    assertThat(collectorRequest.toJson().has("batch_mode")).isTrue();
    HpkeConfig collectorConfig = HpkeConfig.decode(Base64Url.decode(runner.success(collector, "add_task",
        collectorRequest.toJson()).path("collector_hpke_config").asText()));
    for (Role role : List.of(Role.LEADER, Role.HELPER)) {
      runner.success(role == Role.LEADER ? leader : helper, "add_task",
          AggregatorAddTaskRequest.dap18(taskId, leaderEndpoint, helperEndpoint, vdaf, aggregatorToken,
              role == Role.LEADER ? Optional.of(collectorToken) : Optional.empty(), role, verifyKey, batchMode,
              REPORTS, new DapDuration(PRECISION), collectorConfig, interval).toJson());
    }

    // As for DAP-09: time-interval reports go into the previous, closed window with explicit times; leader-selected
    // reports are stamped by the client.
    boolean timeInterval = batchMode instanceof io.janus.core.task.QueryType.TimeInterval;
    long[] expected = new long[resultLength(vdaf)];
    for (int i = 0; i < REPORTS; i++) {
      long[] m = measurement(vdaf);
      accumulate(vdaf, expected, m);
      Optional<Time> time = timeInterval
          ? Optional.of(new Time(windowStart + random.nextLong(PRECISION))) : Optional.empty();
      runner.success(client, "upload", new UploadRequest(taskId, leaderEndpoint, helperEndpoint, vdaf, m, time,
          new DapDuration(PRECISION), Optional.of(new UploadRequest.Dap18(batchMode, REPORTS, interval))).toJson());
    }

    Query query = timeInterval
        ? new Query.TimeInterval(new Interval(new Time(windowStart), new DapDuration(PRECISION)))
        : new Query.FixedSizeCurrentBatch();
    JsonNode result = collect(new CollectionStartRequest(taskId, new byte[0], query));

    assertThat(result.path("report_count").asLong()).as("seed %d: %s", seed, result).isEqualTo(REPORTS);
    assertThat(result.path("result")).as("seed %d", seed).isEqualTo(Measurement.resultToJson(vdaf, expected));
    assertThat(result.has("batch_id")).as("a DAP-18 collection names no batch: %s", result).isFalse();
    long intervalStart = result.path("interval_start").asLong();
    long intervalDuration = result.path("interval_duration").asLong();
    assertThat(intervalDuration).isPositive();
    assertThat(intervalStart % PRECISION).isZero();
    assertThat(intervalDuration % PRECISION).isZero();
    if (timeInterval) {
      assertThat(intervalStart).isGreaterThanOrEqualTo(windowStart);
      assertThat(intervalStart + intervalDuration).isLessThanOrEqualTo(windowStart + PRECISION);
    } else {
      assertThat(intervalStart).isLessThanOrEqualTo(now).isGreaterThan(now - 2 * PRECISION);
    }
  }

  /** Runs one task end to end and checks the collected result. */
  void run(VdafInstance vdaf, QueryType queryType) throws InterruptedException {
    for (int port : new int[] {client, leader, helper, collector}) {
      runner.command(port, "ready", TestRunner.object());
    }
    TaskId taskId = TaskId.random(new SecureRandom());
    AuthenticationToken aggregatorToken = token();
    AuthenticationToken collectorToken = token();
    byte[] verifyKey = new byte[VdafDispatch.forInstance(vdaf).verifyKeyLength()];
    random.nextBytes(verifyKey);

    URI leaderEndpoint = URI.create(runner.success(leader, "endpoint_for_task",
        new EndpointForTaskRequest(taskId, Role.LEADER, "localhost").toJson()).path("endpoint").asText());
    URI helperEndpoint = URI.create(runner.success(helper, "endpoint_for_task",
        new EndpointForTaskRequest(taskId, Role.HELPER, "localhost").toJson()).path("endpoint").asText());
    assertThat(leaderEndpoint).isEqualTo(URI.create("http://localhost:" + leader + "/"));

    JsonNode collectorTask = runner.success(collector, "add_task",
        new CollectorAddTaskRequest(taskId, leaderEndpoint, vdaf, collectorToken, queryType).toJson());
    HpkeConfig collectorConfig = HpkeConfig.decode(Base64Url.decode(collectorTask.path("collector_hpke_config")
        .asText()));

    // Prio3Count runs fixed size without a batch size limit (null), the others with one.
    OptionalLong maxBatchSize = queryType == QueryType.FIXED_SIZE && !(vdaf instanceof VdafInstance.Prio3Count)
        ? OptionalLong.of(REPORTS) : OptionalLong.empty();
    long now = System.currentTimeMillis() / 1000;
    Optional<Time> expiration = Optional.of(new Time(now + 86_400));
    for (Role role : List.of(Role.LEADER, Role.HELPER)) {
      runner.success(role == Role.LEADER ? leader : helper, "add_task",
          new AggregatorAddTaskRequest(taskId, leaderEndpoint, helperEndpoint, vdaf, aggregatorToken,
              role == Role.LEADER ? Optional.of(collectorToken) : Optional.empty(), role, verifyKey, 1, queryType,
              REPORTS, maxBatchSize, new DapDuration(PRECISION), collectorConfig, expiration).toJson());
    }

    // Time-interval reports go into the previous, already closed, time-precision window, with explicit times;
    // fixed-size reports are stamped by the client with the current time.
    long windowStart = (now / PRECISION) * PRECISION - PRECISION;
    long[] expected = new long[resultLength(vdaf)];
    for (int i = 0; i < REPORTS; i++) {
      long[] m = measurement(vdaf);
      accumulate(vdaf, expected, m);
      Optional<Time> time = queryType == QueryType.TIME_INTERVAL
          ? Optional.of(new Time(windowStart + random.nextLong(PRECISION))) : Optional.empty();
      runner.success(client, "upload", new UploadRequest(taskId, leaderEndpoint, helperEndpoint, vdaf, m, time,
          new DapDuration(PRECISION)).toJson());
    }

    Query query = queryType == QueryType.TIME_INTERVAL
        ? new Query.TimeInterval(new Interval(new Time(windowStart), new DapDuration(PRECISION)))
        : new Query.FixedSizeCurrentBatch();
    JsonNode result = collect(new CollectionStartRequest(taskId, new byte[0], query));

    assertThat(result.path("report_count").asLong()).as("seed %d: %s", seed, result).isEqualTo(REPORTS);
    assertThat(result.path("result")).as("seed %d", seed).isEqualTo(Measurement.resultToJson(vdaf, expected));
    long intervalStart = result.path("interval_start").asLong();
    long intervalDuration = result.path("interval_duration").asLong();
    assertThat(intervalDuration).isPositive();
    assertThat(intervalDuration % PRECISION).isZero();
    if (queryType == QueryType.TIME_INTERVAL) {
      assertThat(result.has("batch_id")).isFalse();
      assertThat(intervalStart).isGreaterThanOrEqualTo(windowStart);
      assertThat(intervalStart + intervalDuration).isLessThanOrEqualTo(windowStart + PRECISION);
    } else {
      assertThat(Base64Url.decode(result.path("batch_id").asText())).hasSize(32);
      assertThat(intervalStart).isLessThanOrEqualTo(now).isGreaterThan(now - 2 * PRECISION);
    }
  }

  /**
   * Starts a collection and polls it until complete. A fixed-size current-batch collection is refused until the
   * Leader has a full batch, so the start is retried until it is accepted, as a runner would.
   */
  JsonNode collect(CollectionStartRequest start) throws InterruptedException {
    long deadline = System.currentTimeMillis() + COLLECTION_DEADLINE_MS;
    String handle;
    while (true) {
      JsonNode started = runner.command(collector, "collection_start", start.toJson());
      if (started.path("status").asText().equals(TestApi.SUCCESS)) {
        handle = started.path("handle").asText();
        break;
      }
      assertThat(System.currentTimeMillis()).as("collection_start kept failing: %s", started).isLessThan(deadline);
      Thread.sleep(200);
    }
    while (true) {
      JsonNode polled = runner.command(collector, "collection_poll", new CollectionPollRequest(handle).toJson());
      String status = polled.path("status").asText();
      if (status.equals(InteropCollector.COMPLETE)) {
        // A finished collection answers the same again.
        assertThat(runner.command(collector, "collection_poll", new CollectionPollRequest(handle).toJson()))
            .isEqualTo(polled);
        return polled;
      }
      assertThat(status).as("collection_poll: %s", polled).isEqualTo(InteropCollector.IN_PROGRESS);
      assertThat(System.currentTimeMillis()).as("collection still in progress").isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  AuthenticationToken token() {
    byte[] b = new byte[16];
    random.nextBytes(b);
    return new AuthenticationToken(AuthenticationTokenType.DAP_AUTH, Base64Url.encode(b));
  }

  private long[] measurement(VdafInstance vdaf) {
    return switch (vdaf) {
      case VdafInstance.Prio3Count c -> new long[] {random.nextInt(2)};
      case VdafInstance.Prio3Sum s -> new long[] {random.nextLong(1L << s.bits())};
      case VdafInstance.Prio3Histogram h -> new long[] {random.nextInt(h.length())};
      case VdafInstance.Prio3SumVec v -> vector(v.length(), v.bits());
      case VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128 v -> vector(v.length(), v.bits());
      case VdafInstance.Prio3SumMaxMeasurement s -> new long[] {random.nextLong(s.maxMeasurement() + 1)};
      case VdafInstance.Prio3SumVecMaxMeasurement v -> vectorUpTo(v.length(), v.maxMeasurement());
      // Neither the test API nor Janus's interop binaries name this VDAF.
      case VdafInstance.Prio3MultihotCountVec v -> throw new IllegalArgumentException("not in the interop API");
    };
  }

  private long[] vector(int length, int bits) {
    return vectorUpTo(length, (1L << bits) - 1);
  }

  private long[] vectorUpTo(int length, long max) {
    long[] m = new long[length];
    for (int i = 0; i < m.length; i++) {
      m[i] = random.nextLong(max + 1);
    }
    return m;
  }

  private static int resultLength(VdafInstance vdaf) {
    return switch (vdaf) {
      case VdafInstance.Prio3Count c -> 1;
      case VdafInstance.Prio3Sum s -> 1;
      case VdafInstance.Prio3Histogram h -> h.length();
      case VdafInstance.Prio3SumVec v -> v.length();
      case VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128 v -> v.length();
      case VdafInstance.Prio3SumMaxMeasurement s -> 1;
      case VdafInstance.Prio3SumVecMaxMeasurement v -> v.length();
      case VdafInstance.Prio3MultihotCountVec v -> v.length();
    };
  }

  private static void accumulate(VdafInstance vdaf, long[] sum, long[] m) {
    if (vdaf instanceof VdafInstance.Prio3Histogram) {
      sum[(int) m[0]]++;
    } else {
      for (int i = 0; i < m.length; i++) {
        sum[i] += m[i];
      }
    }
  }
}
