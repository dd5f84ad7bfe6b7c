package io.janus.interop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRules;
import io.janus.client.DapClientException;
import io.janus.collector.CollectionJob;
import io.janus.collector.CollectionResult;
import io.janus.collector.Collector;
import io.janus.collector.PollResult;
import io.janus.core.Clock;
import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.DapVersion;
import io.janus.core.task.VdafInstance;
import io.janus.messages.Base64Url;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeAlgorithms;
import io.janus.messages.Interval;
import io.janus.messages.Query;
import io.janus.messages.TaskId;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The interop collector (draft-dcook-ppm-dap-interop-test-design-07 section 4.4): {@code ready}, {@code add_task}
 * (which makes an HPKE keypair for the task, in the mandatory X25519 / HKDF-SHA256 / AES-128-GCM suite),
 * {@code collection_start} (which creates the collection job on the Leader before answering) and
 * {@code collection_poll} (which polls the Leader once per call, and remembers a finished result or failure).
 *
 * <p>A task added in the DAP-18 form (see {@link Dap18Fields}) is collected with the DAP-18 collector library on
 * the task configuration the request describes, with {@code task_info} {@link Dap18Fields#TASK_INFO}; its
 * {@code collection_start} query is read as a batch mode, and, as Janus does, a time interval's start and duration
 * are rounded down to the time precision. Results are reported as for DAP-09, in seconds, with no {@code batch_id}
 * (a DAP-18 collection names no batch).
 *
 * <p>State lives in memory for the life of the process. Thread-safe.
 */
public final class InteropCollector {
  /** The status of a collection that is not finished. */
  public static final String IN_PROGRESS = "in progress";
  /** The status of a finished collection. */
  public static final String COMPLETE = "complete";

  /** One added task; {@code dap18Precision} is the time precision of a DAP-18 task, empty for DAP-09. */
  private record TaskState(Collector collector, VdafInstance vdaf, Optional<DapDuration> dap18Precision) {
    DapVersion protocol() {
      return dap18Precision.isPresent() ? DapVersion.DAP_18 : DapVersion.DAP_09;
    }
  }

  /** One started collection; {@code outcome} is set once it finished or failed, and never changes after. */
  private record Job(TaskState task, CollectionJob job, AtomicReference<Optional<ObjectNode>> outcome) {}

  private final HttpClient http;
  private final Clock clock;
  private final SecureRandom random;
  private final Map<TaskId, TaskState> tasks = new ConcurrentHashMap<>();
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();

  /**
   * Creates the collector service.
   *
   * @param http the connection pool every request to a Leader shares
   * @param clock the time source of the collector library
   * @param random source of keys, collection job IDs and handles
   */
  public InteropCollector(HttpClient http, Clock clock, SecureRandom random) {
    this.http = http;
    this.clock = clock;
    this.random = random;
  }

  /** Registers the collector's commands on {@code rules}, then the 404 fallback. */
  public void routing(HttpRules rules) {
    TestApi.command(rules, "ready", req -> TestApi.success());
    TestApi.command(rules, "add_task", req -> addTask(CollectorAddTaskRequest.parse(req)));
    TestApi.command(rules, "collection_start", this::collectionStart);
    TestApi.command(rules, "collection_poll", req -> collectionPoll(CollectionPollRequest.parse(req)));
    TestApi.notFoundFallback(rules);
  }

  /**
   * Registers a task and returns its new HPKE configuration as {@code collector_hpke_config}.
   *
   * @throws InteropRequestException if the task was already added
   */
  public ObjectNode addTask(CollectorAddTaskRequest request) {
    HpkeKeypair keypair = Hpke.generate(random.nextInt(256), HpkeAlgorithms.KEM_X25519_HKDF_SHA256,
        HpkeAlgorithms.KDF_HKDF_SHA256, HpkeAlgorithms.AEAD_AES_128_GCM);
    Collector.Builder builder = request.agreement()
        .map(a -> Collector.builder(request.taskId(), request.collectorAuthenticationToken(), keypair, a))
        .orElseGet(() -> Collector.builder(request.taskId(), request.leader(), request.collectorAuthenticationToken(),
            keypair, request.vdaf()));
    Collector collector;
    try {
      collector = builder.httpClient(http).clock(clock).random(random).build();
    } catch (IllegalArgumentException e) {
      // Parameters the collector library refuses, e.g. a task configuration DAP-18 cannot encode.
      throw new InteropRequestException("add_task refused: " + e.getMessage());
    }
    TaskState state = new TaskState(collector, request.vdaf(),
        request.dap18().map(CollectorAddTaskRequest.Dap18::timePrecision));
    if (tasks.putIfAbsent(request.taskId(), state) != null) {
      throw new InteropRequestException("task " + request.taskId().toBase64Url() + " was already added");
    }
    return TestApi.success().put("collector_hpke_config", Base64Url.encode(keypair.config().toBytes()));
  }

  /**
   * Reads a {@code collection_start} body as the version of the task it names, then runs it.
   *
   * @throws InteropRequestException if the body is malformed or the task was not added
   */
  ObjectNode collectionStart(JsonFields body) {
    return collectionStart(CollectionStartRequest.parse(body, task(body.taskId("task_id")).protocol()));
  }

  private TaskState task(TaskId taskId) {
    TaskState task = tasks.get(taskId);
    if (task == null) {
      throw new InteropRequestException("task " + taskId.toBase64Url() + " was not added");
    }
    return task;
  }

  /**
   * Creates a collection job on the Leader and returns its {@code handle}.
   *
   * @throws InteropRequestException if the task was not added, or a DAP-18 time interval is shorter than the time
   *     precision
   */
  public ObjectNode collectionStart(CollectionStartRequest request) {
    TaskState task = task(request.taskId());
    Query query = request.query();
    if (task.dap18Precision().isPresent() && query instanceof Query.TimeInterval t) {
      query = new Query.TimeInterval(roundDown(t.batchInterval(), task.dap18Precision().get()));
    }
    CollectionJob job;
    try {
      job = task.collector().startCollection(query, request.aggregationParameter());
    } catch (DapClientException e) {
      return TestApi.error("collection request failed: " + TestApi.describe(e));
    }
    byte[] handleBytes = new byte[16];
    random.nextBytes(handleBytes);
    String handle = Base64Url.encode(handleBytes);
    jobs.put(handle, new Job(task, job, new AtomicReference<>(Optional.empty())));
    return TestApi.success().put("handle", handle);
  }

  /**
   * Polls a collection job once: {@code "in progress"}, {@code "complete"} with the result, or {@code "error"}.
   *
   * @throws InteropRequestException if the handle is unknown
   */
  public ObjectNode collectionPoll(CollectionPollRequest request) {
    Job job = jobs.get(request.handle());
    if (job == null) {
      throw new InteropRequestException("unknown collection handle \"" + request.handle() + "\"");
    }
    Optional<ObjectNode> done = job.outcome().get();
    if (done.isPresent()) {
      return done.get().deepCopy();
    }
    ObjectNode outcome;
    try {
      PollResult poll = job.task().collector().poll(job.job());
      if (poll instanceof PollResult.Ready ready) {
        outcome = complete(job.task().vdaf(), ready.result());
      } else {
        return TestApi.success().put("status", IN_PROGRESS);
      }
    } catch (DapClientException e) {
      outcome = TestApi.error("collection failed: " + TestApi.describe(e));
    }
    // Concurrent polls may both finish; the first recorded outcome is the one every later poll sees.
    job.outcome().compareAndSet(Optional.empty(), Optional.of(outcome));
    return job.outcome().get().orElseThrow().deepCopy();
  }

  /** Rounds the start and the duration down to the precision, as Janus's interop collector does. */
  private static Interval roundDown(Interval interval, DapDuration precision) {
    long p = precision.seconds();
    long duration = interval.duration().seconds() - interval.duration().seconds() % p;
    if (duration == 0) {
      throw new InteropRequestException("field \"query.batch_interval_duration\" must be at least the task's time"
          + " precision (" + p + " s), got " + interval.duration().seconds());
    }
    return new Interval(interval.start().truncateTo(precision), DapDuration.ofSeconds(duration));
  }

  private static ObjectNode complete(VdafInstance vdaf, CollectionResult result) {
    ObjectNode o = TestApi.success().put("status", COMPLETE);
    result.batchId().ifPresent(id -> o.put("batch_id", id.toBase64Url()));
    o.put("report_count", result.reportCount())
        .put("interval_start", result.interval().start().seconds())
        .put("interval_duration", result.interval().duration().seconds());
    o.set("result", Measurement.resultToJson(vdaf, result.aggregateResult()));
    return o;
  }
}
