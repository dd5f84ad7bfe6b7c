package io.janus.interop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRouting;
import io.janus.aggregationjobcreator.AggregationJobCreator;
import io.janus.aggregationjobdriver.AggregationJobDriver;
import io.janus.aggregator.Aggregator;
import io.janus.collectionjobdriver.CollectionJobDriver;
import io.janus.core.Clock;
import io.janus.server.binary.BinaryServices;
import io.janus.server.binary.InProcessRunner;
import io.janus.server.binary.RunningBinary;
import io.janus.server.config.ListenAddress;
import io.janus.server.datastore.Datastore;
import io.janus.server.datastore.model.GlobalHpkeKeypair;
import io.janus.server.datastore.model.HpkeKeyState;
import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.server.job.JobDriver;
import io.janus.server.job.PeerHttpConfig;
import io.janus.core.task.DapVersion;
import io.janus.core.task.Task;
import io.janus.core.vdaf.VdafDispatch;
import io.janus.messages.HpkeAlgorithms;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The interop aggregator (draft-dcook-ppm-dap-interop-test-design-07 section 4.3) as one unit: the DAP-09
 * aggregator API and the test API on one HTTP server, plus the aggregation job creator, the aggregation job driver
 * and the collection job driver, all started in this JVM through their production entry points
 * ({@link InProcessRunner}) with short intervals, over one datastore.
 *
 * <p>{@code endpoint_for_task} answers the absolute URL {@code http://<hostname>:<port>/}, with the port this
 * server listens on (8080 in a container, which is what the draft's relative-URL rule would give too).
 * {@code add_task} stores the task in either role, a DAP-09 task with a fresh per-task HPKE keypair in the
 * mandatory suite. A request in the DAP-18 form (see {@link AggregatorAddTaskRequest}) makes a DAP-18 task, which
 * this server serves on draft 18's routes and its drivers run in draft 18; its clients seal to the global HPKE key,
 * one of which is made active at start if none is.
 * Thread-safe; {@link #close()} stops everything.
 */
public final class InteropAggregator implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(InteropAggregator.class.getName());
  /** Shards per task counter row; a test deployment sees little contention. */
  private static final int TASK_COUNTER_SHARDS = 4;

  /**
   * How the in-process components are paced.
   *
   * @param jobInterval how often the creator looks for reports and the drivers for jobs (also the shortest wait
   *     before a not-yet-ready collection job is retried)
   * @param maxAggregationJobSize the most reports per aggregation job
   * @param batchAggregationShardCount shards per batch aggregation, shared by all writers
   * @param tolerableClockSkew how far in the future a report may be, for every task added
   */
  public record Settings(Duration jobInterval, int maxAggregationJobSize, int batchAggregationShardCount,
      io.janus.messages.DapDuration tolerableClockSkew) {
    /** Pacing for tests that should finish in seconds. */
    public static final Settings DEFAULT = new Settings(Duration.ofMillis(250), 100, 4,
        io.janus.messages.DapDuration.ofSeconds(60));

    /** Validates the ranges. */
    public Settings {
      if (!jobInterval.isPositive() || maxAggregationJobSize < 1 || batchAggregationShardCount < 1) {
        throw new IllegalArgumentException("invalid interop aggregator settings: " + jobInterval + ", "
            + maxAggregationJobSize + ", " + batchAggregationShardCount);
      }
    }
  }

  private final Datastore datastore;
  private final Settings settings;
  private final SecureRandom random = new SecureRandom();
  private final InProcessRunner runner = new InProcessRunner();
  private volatile RunningBinary server;

  private InteropAggregator(Datastore datastore, Settings settings) {
    this.datastore = datastore;
    this.settings = settings;
  }

  /**
   * Starts the aggregator: the HTTP server, then the job binaries, each through its production entry point.
   *
   * @param datastore the aggregator's own database (migrated)
   * @param clock the time source of every component
   * @param meters where every component's metrics go
   * @param settings pacing
   * @param host the address to listen on
   * @param port the port to listen on; 0 picks a free one (see {@link #port()})
   */
  public static InteropAggregator start(Datastore datastore, Clock clock, MeterRegistry meters, Settings settings,
      String host, int port) {
    InteropAggregator a = new InteropAggregator(datastore, settings);
    try {
      a.ensureActiveGlobalHpkeKey();
      a.startBinaries(BinaryServices.of(clock, datastore, meters), new ListenAddress(host, port));
      return a;
    } catch (RuntimeException e) {
      a.close();
      throw e;
    }
  }

  private void startBinaries(BinaryServices services, ListenAddress address) {
    Duration interval = settings.jobInterval();
    int shards = settings.batchAggregationShardCount();
    int maxJob = settings.maxAggregationJobSize();
    PeerHttpConfig http = new PeerHttpConfig(10, 30, 100, 1_000, 30_000);
    JobDriver.Settings jobs = new JobDriver.Settings(interval, 8, Duration.ofSeconds(60), Duration.ofSeconds(5));
    // Each binary gets a stopper of its own, so the runner stops them one by one, newest first.
    server = runner.start(() -> io.janus.aggregator.Main.start(new io.janus.aggregator.Main.Settings(address,
            // Uploads are written at once and tasks re-read after a second, so a test sees its writes promptly.
            new Aggregator.Settings(100, 0, shards, TASK_COUNTER_SHARDS, 1_000, 1_000, 1_000)),
        services.withNewStopper(), this::testApi));
    runner.start(() -> io.janus.aggregationjobcreator.Main.start(new io.janus.aggregationjobcreator.Main.Settings(
            new AggregationJobCreator.Settings(shards, 1, maxJob, maxJob * 10, 0), interval, interval),
        services.withNewStopper()));
    runner.start(() -> io.janus.aggregationjobdriver.Main.start(new io.janus.aggregationjobdriver.Main.Settings(
            new AggregationJobDriver.Settings(shards, 10, TASK_COUNTER_SHARDS), jobs, http),
        services.withNewStopper()));
    runner.start(() -> io.janus.collectionjobdriver.Main.start(new io.janus.collectionjobdriver.Main.Settings(
            new CollectionJobDriver.Settings(shards, 10, interval, interval.multipliedBy(4), 1.5), jobs, http),
        services.withNewStopper()));
  }

  /**
   * Makes sure an active global HPKE key exists, before the server starts answering: DAP-18 has no per-task keys,
   * so clients of a DAP-18 task fetch the global ones ({@code GET /hpke_config}). Janus's interop aggregator runs
   * its key rotator for this; one key serves a test deployment's life. A database that already holds an active key
   * (given with {@code --database-url}) keeps it. DAP-09 tasks keep their own keys, which take precedence.
   */
  private void ensureActiveGlobalHpkeKey() {
    datastore.run("interop_global_hpke_key", tx -> {
      List<GlobalHpkeKeypair> keys = tx.hpkeKeys().getAll();
      if (keys.stream().anyMatch(k -> k.state() == HpkeKeyState.ACTIVE)) {
        return null;
      }
      Set<Integer> taken = new HashSet<>();
      keys.forEach(k -> taken.add(k.keypair().config().id()));
      int id = 0;
      while (taken.contains(id)) {
        id++;
      }
      HpkeKeypair key = generateKey(id);
      tx.hpkeKeys().put(key);
      tx.hpkeKeys().setState(id, HpkeKeyState.ACTIVE);
      LOG.info("made global HPKE key " + key.config().id() + " active");
      return null;
    });
  }

  private static HpkeKeypair generateKey(int configId) {
    return Hpke.generate(configId, HpkeAlgorithms.KEM_X25519_HKDF_SHA256, HpkeAlgorithms.KDF_HKDF_SHA256,
        HpkeAlgorithms.AEAD_AES_128_GCM);
  }

  /** The port the HTTP server listens on. */
  public int port() {
    return server.port().orElseThrow();
  }

  /** The test API, on the DAP API's server and ahead of it. */
  private void testApi(HttpRouting.Builder routing) {
    TestApi.command(routing, "ready", req -> TestApi.success());
    TestApi.command(routing, "endpoint_for_task", req -> endpointForTask(EndpointForTaskRequest.parse(req)));
    TestApi.command(routing, "add_task", req -> addTask(AggregatorAddTaskRequest.parse(req)));
    TestApi.notFoundFallback(routing);
  }

  /** Answers the DAP endpoint for a task: this server's root, at the hostname the runner gave. */
  public ObjectNode endpointForTask(EndpointForTaskRequest request) {
    String host = request.hostname().contains(":") && !request.hostname().startsWith("[")
        ? "[" + request.hostname() + "]" : request.hostname();
    return TestApi.success().put("endpoint", "http://" + host + ":" + port() + "/");
  }

  /**
   * Stores the task: a DAP-09 task with a new per-task HPKE keypair, a DAP-18 task with none (its clients use the
   * global key).
   *
   * @throws InteropRequestException if the verification key has the wrong length for the VDAF, or the task
   *     already exists
   */
  public ObjectNode addTask(AggregatorAddTaskRequest request) {
    int expected = VdafDispatch.forTask(request.protocol(), request.taskId(), request.vdaf()).verifyKeyLength();
    if (request.vdafVerifyKey().length != expected) {
      throw new InteropRequestException("field \"vdaf_verify_key\" must encode " + expected + " bytes for "
          + request.vdaf() + ", got " + request.vdafVerifyKey().length);
    }
    List<HpkeKeypair> keys = request.protocol() == DapVersion.DAP_09
        ? List.of(generateKey(random.nextInt(256))) : List.of();
    Task task = request.toTask(keys, settings.tolerableClockSkew());
    boolean stored = datastore.run("interop_add_task", tx -> tx.tasks().put(task));
    if (!stored) {
      throw new InteropRequestException("task " + request.taskId().toBase64Url() + " already exists");
    }
    LOG.info(() -> "added task " + task);
    return TestApi.success();
  }

  /** Stops the job binaries, then the HTTP server, and flushes the aggregator's upload batcher. */
  @Override
  public void close() {
    runner.close();
  }
}
