package io.janus.interop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.janus.aggregationjobcreator.AggregationJobCreator;
import io.janus.aggregationjobdriver.AggregationJobDriver;
import io.janus.aggregationjobdriver.dap09.Dap09AggregationJobHelper;
import io.janus.aggregator.Aggregator;
import io.janus.aggregator.AggregatorServer;
import io.janus.collectionjobdriver.CollectionJobDriver;
import io.janus.collectionjobdriver.dap09.Dap09AggregateShareHelper;
import io.janus.core.Clock;
import io.janus.core.binary.Stopper;
import io.janus.core.datastore.Datastore;
import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.job.JobDriver;
import io.janus.core.job.PeerHttpConfig;
import io.janus.core.job.RetryingHttpClient;
import io.janus.core.task.Task;
import io.janus.core.vdaf.VdafDispatch;
import io.janus.messages.HpkeAlgorithms;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The interop aggregator (draft-dcook-ppm-dap-interop-test-design-07 section 4.3) as one unit: the DAP-09
 * aggregator API and the test API on one HTTP server, plus the aggregation job creator, the aggregation job driver
 * and the collection job driver running in-process with short intervals, all over one datastore.
 *
 * <p>{@code endpoint_for_task} answers the absolute URL {@code http://<hostname>:<port>/}, with the port this
 * server listens on (8080 in a container, which is what the draft's relative-URL rule would give too).
 * {@code add_task} stores the task in either role with a fresh per-task HPKE keypair in the mandatory suite.
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
      io.janus.messages.Duration tolerableClockSkew) {
    /** Pacing for tests that should finish in seconds. */
    public static final Settings DEFAULT = new Settings(Duration.ofMillis(250), 100, 4,
        io.janus.messages.Duration.ofSeconds(60));

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
  private final SecureRandom random;
  private final Aggregator aggregator;
  private final Stopper stopper = new Stopper();
  private final List<Thread> workers = new ArrayList<>();
  private final WebServer server;

  private InteropAggregator(Datastore datastore, Clock clock, MeterRegistry meters, Settings settings,
      SecureRandom random, String host, int port) {
    this.datastore = datastore;
    this.settings = settings;
    this.random = random;
    int shards = settings.batchAggregationShardCount();
    this.aggregator = new Aggregator(datastore, clock, VdafDispatch::forInstance,
        // Uploads are written at once and tasks re-read after a second, so a test sees its writes promptly.
        new Aggregator.Settings(100, 0, shards, TASK_COUNTER_SHARDS, 1_000, 1_000, 1_000));
    this.server = WebServer.builder().host(host).port(port).routing(r -> routing(r, meters)).build();
  }

  /**
   * Starts the aggregator: the job threads, then the HTTP server.
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
    InteropAggregator a = new InteropAggregator(datastore, clock, meters, settings, new SecureRandom(), host, port);
    try {
      a.startWorkers(clock, meters);
      a.server.start();
      return a;
    } catch (RuntimeException e) {
      a.close();
      throw e;
    }
  }

  /** The port the HTTP server listens on. */
  public int port() {
    return server.port();
  }

  private void routing(HttpRouting.Builder routing, MeterRegistry meters) {
    TestApi.command(routing, "ready", req -> TestApi.success());
    TestApi.command(routing, "endpoint_for_task", req -> endpointForTask(EndpointForTaskRequest.parse(req)));
    TestApi.command(routing, "add_task", req -> addTask(AggregatorAddTaskRequest.parse(req)));
    TestApi.notFoundFallback(routing);
    AggregatorServer.routing(routing, aggregator, meters);
  }

  /** Answers the DAP endpoint for a task: this server's root, at the hostname the runner gave. */
  public ObjectNode endpointForTask(EndpointForTaskRequest request) {
    String host = request.hostname().contains(":") && !request.hostname().startsWith("[")
        ? "[" + request.hostname() + "]" : request.hostname();
    return TestApi.success().put("endpoint", "http://" + host + ":" + port() + "/");
  }

  /**
   * Stores the task with a new per-task HPKE keypair.
   *
   * @throws InteropRequestException if the verification key has the wrong length for the VDAF, or the task
   *     already exists
   */
  public ObjectNode addTask(AggregatorAddTaskRequest request) {
    int expected = VdafDispatch.forInstance(request.vdaf()).verifyKeyLength();
    if (request.vdafVerifyKey().length != expected) {
      throw new InteropRequestException("field \"vdaf_verify_key\" must encode " + expected + " bytes for "
          + request.vdaf() + ", got " + request.vdafVerifyKey().length);
    }
    HpkeKeypair key = Hpke.generate(random.nextInt(256), HpkeAlgorithms.KEM_X25519_HKDF_SHA256,
        HpkeAlgorithms.KDF_HKDF_SHA256, HpkeAlgorithms.AEAD_AES_128_GCM);
    Task task = request.toTask(List.of(key), settings.tolerableClockSkew());
    boolean stored = datastore.run("interop_add_task", tx -> tx.tasks().put(task));
    if (!stored) {
      throw new InteropRequestException("task " + request.taskId().toBase64Url() + " already exists");
    }
    LOG.info(() -> "added task " + task);
    return TestApi.success();
  }

  private void startWorkers(Clock clock, MeterRegistry meters) {
    Duration interval = settings.jobInterval();
    int shards = settings.batchAggregationShardCount();
    int maxJob = settings.maxAggregationJobSize();
    PeerHttpConfig http = new PeerHttpConfig(10, 30, 100, 1_000, 30_000);
    JobDriver.Settings jobs = new JobDriver.Settings(interval, 8, Duration.ofSeconds(60), Duration.ofSeconds(5));

    AggregationJobCreator creator = new AggregationJobCreator(datastore, clock,
        new AggregationJobCreator.Settings(shards, 1, maxJob, maxJob * 10, 0), random, meters);
    JobDriver<?> aggregationDriver = new AggregationJobDriver(datastore, clock, VdafDispatch::forInstance,
        new Dap09AggregationJobHelper(RetryingHttpClient.create(http, clock)),
        new AggregationJobDriver.Settings(shards, 10, TASK_COUNTER_SHARDS), random, meters).jobDriver(jobs, meters);
    JobDriver<?> collectionDriver = new CollectionJobDriver(datastore, clock, VdafDispatch::forInstance,
        new Dap09AggregateShareHelper(RetryingHttpClient.create(http, clock)),
        new CollectionJobDriver.Settings(shards, 10, interval, interval.multipliedBy(4), 1.5), meters)
        .jobDriver(jobs, meters);

    worker("aggregation_job_creator", () -> creator.run(stopper, interval, interval));
    worker("aggregation_job_driver", () -> aggregationDriver.run(stopper));
    worker("collection_job_driver", () -> collectionDriver.run(stopper));
  }

  /** A component's body; returns when the stopper trips. */
  @FunctionalInterface
  private interface Worker {
    void run() throws InterruptedException;
  }

  private void worker(String name, Worker body) {
    Thread t = Thread.ofPlatform().name("interop-" + name).daemon().start(() -> {
      try {
        body.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        // The unit is broken without this component; say so loudly rather than serve half an aggregator.
        LOG.log(Level.SEVERE, name + " stopped with an error", e);
      }
    });
    workers.add(t);
  }

  /** Stops the HTTP server and the job threads, then flushes the aggregator's upload batcher. */
  @Override
  public void close() {
    stopper.stop();
    if (server.isRunning()) {
      server.stop();
    }
    for (Thread t : workers) {
      try {
        t.join(Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    aggregator.close();
  }
}
