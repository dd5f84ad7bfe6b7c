package io.janus.integration;

import io.janus.client.Client;
import io.janus.client.PreparedReport;
import io.janus.collector.CollectionJob;
import io.janus.collector.CollectionResult;
import io.janus.collector.Collector;
import io.janus.core.Clock;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.core.task.VdafInstance;
import io.janus.core.vdaf.VdafDispatch;
import io.janus.messages.CollectionJobId;
import io.janus.messages.DapDuration;
import io.janus.messages.Interval;
import io.janus.messages.Query;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.messages.dap09.Dap09;
import io.janus.server.datastore.Crypter;
import io.janus.server.datastore.Datastore;
import io.janus.server.datastore.Migrations;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One fault trial: a whole deployment with every binary in a JVM of its own and two copies of each, a Prio3Sum
 * task, {@code reports} uploads, faults injected at random points of the upload and aggregation, then a collection
 * compared with what the Leaders acknowledged.
 *
 * <p>The deployment: one PostgreSQL server ({@link PostgresProcess}) holding the Leader's and the Helper's
 * databases; two Helper aggregators behind a {@link HelperGate} (the Leader's peer URL), two Leader aggregators
 * that the uploader alternates between, two aggregation job creators, two aggregation job drivers and two
 * collection job drivers. Aggregators listen on fixed ports so a restarted one keeps its address.
 *
 * <p>The faults, each once per trial, in random order, each when a random share of the reports is acknowledged:
 * SIGKILL of one copy (chosen at random) of the Leader aggregator, the Helper aggregator, the creator and the
 * aggregation job driver, each restarted after a random pause; a PostgreSQL immediate stop, restarted after a random
 * pause; and every Helper down (killed) for {@code helperDown}. One copy of the collection job driver is killed at a
 * random moment of the collection. The uploader retries a report that got no answer or a 5xx on the other Leader
 * until one acknowledges it (a duplicate report is acknowledged without being stored twice), so the Leaders
 * acknowledge every report; the collection must count each exactly once, and no job may be abandoned.
 */
final class FaultTrial {
  /** The Prio3Sum the trials use (the VDAF the original attack on the deployment used). */
  static final VdafInstance VDAF = new VdafInstance.Prio3Sum(8);

  private static final DapDuration PRECISION = DapDuration.ofSeconds(3600);
  private static final Duration UPLOAD_DEADLINE = Duration.ofMinutes(15);
  private static final Duration COLLECT_DEADLINE = Duration.ofMinutes(20);
  /** Every child of a fault trial: a bounded heap that ends the process on exhaustion. */
  static final List<String> TRIAL_JVM = List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-XX:+UseSerialGC");

  /**
   * How a run is set up.
   *
   * @param faults whether faults are injected (a fault trial) or the deployment is only loaded
   * @param copies copies of every binary (the faults need two, so one is always up)
   * @param jvm every child's JVM options
   * @param uploadConcurrency uploads in flight at once
   */
  record Mode(boolean faults, int copies, List<String> jvm, int uploadConcurrency) {
    static final Mode TRIAL = new Mode(true, 2, TRIAL_JVM, 16);
  }
  private static final int SHARDS = 4;

  /** What a trial measured: its numbers, the faults in the order they happened, and how long it took. */
  record Result(int trial, long seed, int reports, long acknowledged, long acknowledgedSum, long collectedCount,
      long collectedSum, long uploadRetries, long abandonedAggregationJobs, long abandonedCollectionJobs,
      long failedReportAggregations, long helperReportCount, List<String> faults, Duration elapsed,
      java.util.Map<String, Long> peakRssKib) {
    /** Exact: every acknowledged report counted once, none failed, no job abandoned. */
    boolean exact() {
      return collectedCount == acknowledged && collectedSum == acknowledgedSum && acknowledged == reports
          && helperReportCount == acknowledged && abandonedAggregationJobs == 0 && abandonedCollectionJobs == 0
          && failedReportAggregations == 0;
    }

    @Override
    public String toString() {
      return String.format("trial %d (seed %d): %s; %d reports acknowledged (sum %d, %d upload retries), collected "
              + "%d (sum %d), Helper counted %d; abandoned jobs: %d aggregation, %d collection; failed report "
              + "aggregations %d; %d s; faults: %s", trial, seed, exact() ? "EXACT" : "NOT EXACT", acknowledged,
          acknowledgedSum, uploadRetries, collectedCount, collectedSum, helperReportCount, abandonedAggregationJobs,
          abandonedCollectionJobs, failedReportAggregations, elapsed.toSeconds(), String.join(", ", faults));
    }
  }

  /** One copy of one binary: its configuration (fixed port for aggregators) and its current process. */
  private final class Instance {
    final String name;
    final Binary binary;
    final Path config;
    final int port;
    final int healthPort;
    volatile ChildProcessBinary process;

    Instance(String name, Binary binary, Path config, int port, int healthPort) {
      this.name = name;
      this.binary = binary;
      this.config = config;
      this.port = port;
      this.healthPort = healthPort;
    }

    void start() {
      process = ChildProcessBinary.start(binary, config, datastoreKeys, mode.jvm());
    }

    /**
     * Waits until {@code /healthz} answers 200 (the binary reached its database and serves). A binary refuses to
     * start without its database and exits; as a supervisor (systemd, Kubernetes) would, this starts it again.
     */
    void awaitReady() throws InterruptedException {
      HttpRequest healthz = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + "/healthz"))
          .timeout(Duration.ofSeconds(5)).build();
      long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
      while (true) {
        try {
          if (HEALTH.send(healthz, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            return;
          }
        } catch (IOException notYet) {
          // Still starting.
        }
        if (!process.isAlive()) {
          record(name + " exited at start-up and was started again");
          Thread.sleep(500);
          start();
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(name + " did not become healthy:\n" + process.output());
        }
        Thread.sleep(100);
      }
    }

    void kill() throws InterruptedException {
      process.kill();
    }
  }

  /**
   * Samples every child's resident set ({@code VmRSS} in {@code /proc/<pid>/status}) every 200 ms and keeps each
   * instance's peak. A killed and restarted copy counts as the same instance. Sampling, not the kernel's
   * {@code VmHWM}, because the high-water mark dies with a killed process.
   */
  private final class RssSampler {
    private final java.util.Map<String, Long> peakKib = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Thread thread = Thread.ofPlatform().daemon().name("rss-sampler").start(this::sample);

    private void sample() {
      while (!stopped.get()) {
        for (Instance i : instances) {
          ChildProcessBinary p = i.process;
          if (p != null) {
            residentKib(p.pid(), "VmRSS:").ifPresent(kib -> peakKib.merge(i.name, kib, Math::max));
          }
        }
        FaultTrial.sleep(Duration.ofMillis(200));
      }
    }

    /** Stops sampling; returns each instance's peak in KiB, also checked against its live {@code VmHWM}. */
    java.util.Map<String, Long> stop() throws InterruptedException {
      stopped.set(true);
      thread.join();
      for (Instance i : instances) {
        ChildProcessBinary p = i.process;
        if (p != null) {
          residentKib(p.pid(), "VmHWM:").ifPresent(kib -> peakKib.merge(i.name, kib, Math::max));
        }
      }
      return java.util.Map.copyOf(peakKib);
    }
  }

  /** A {@code kB} line of {@code /proc/<pid>/status}, or empty once the process is gone. */
  static Optional<Long> residentKib(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(field)) {
          return Optional.of(Long.parseLong(line.substring(field.length()).replace("kB", "").trim()));
        }
      }
    } catch (IOException | RuntimeException gone) {
      // The process exited between the listing and the read.
    }
    return Optional.empty();
  }

  private final PostgresProcess postgres;
  private final Path directory;
  private final int trial;
  private final long seed;
  private final int reports;
  private final int uploadRate;
  private final Duration helperDown;
  private final Random random;
  private final SecureRandom secureRandom;
  private final String datastoreKeys;
  private final List<String> faults = new ArrayList<>();
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong acknowledgedSum = new AtomicLong();
  private final AtomicLong uploadRetries = new AtomicLong();
  private final List<Instance> instances = new ArrayList<>();
  private final long started = System.nanoTime();
  /**
   * Held while PostgreSQL is stopped and while a process starts: a binary starting while the database is down exits
   * (and would be started again), so the two are kept apart to keep each fault the one the trial means to inject.
   */
  private final java.util.concurrent.locks.ReentrantLock lifecycle = new java.util.concurrent.locks.ReentrantLock();
  private static final HttpClient HEALTH = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private HelperGate gate;
  private volatile Thread helpersBack;

  private final Mode mode;

  private FaultTrial(PostgresProcess postgres, Path directory, int trial, long seed, int reports, int uploadRate,
      Duration helperDown, Mode mode) {
    this.mode = mode;
    this.uploadRate = uploadRate;
    this.postgres = postgres;
    this.directory = directory;
    this.trial = trial;
    this.seed = seed;
    this.reports = reports;
    this.helperDown = helperDown;
    this.random = new Random(seed);
    this.secureRandom = io.janus.client.TestRandom.secureRandom(seed);
    this.datastoreKeys = Crypter.generateKey(secureRandom);
  }

  /**
   * Runs trial number {@code trial} in {@code directory} against {@code postgres}, uploading at most
   * {@code uploadRate} reports a second (as a steady stream of clients would) so the faults fall across the upload.
   */
  static Result run(PostgresProcess postgres, Path directory, int trial, long seed, int reports, int uploadRate,
      Duration helperDown) throws Exception {
    return run(postgres, directory, trial, seed, reports, uploadRate, helperDown, Mode.TRIAL);
  }

  /** As {@link #run(PostgresProcess, Path, int, long, int, int, Duration)}, set up as {@code mode} says. */
  static Result run(PostgresProcess postgres, Path directory, int trial, long seed, int reports, int uploadRate,
      Duration helperDown, Mode mode) throws Exception {
    Files.createDirectories(directory);
    FaultTrial t = new FaultTrial(postgres, directory, trial, seed, reports, uploadRate, helperDown, mode);
    try {
      return t.run();
    } finally {
      t.stopAll();
    }
  }

  private Result run() throws Exception {
    String leaderUrl = postgres.createDatabase("trial_" + trial + "_leader");
    String helperUrl = postgres.createDatabase("trial_" + trial + "_helper");
    migrate(leaderUrl);
    migrate(helperUrl);

    List<Instance> helpers = new ArrayList<>();
    List<Instance> leaders = new ArrayList<>();
    for (int copy = 1; copy <= mode.copies(); copy++) {
      helpers.add(aggregator("helper-" + copy, helperUrl));
    }
    gate = HelperGate.start(helpers.stream().map(h -> endpoint(h.port)).toList());
    for (int copy = 1; copy <= mode.copies(); copy++) {
      leaders.add(aggregator("leader-" + copy, leaderUrl));
    }
    List<Instance> creators = jobBinaries(Binary.AGGREGATION_JOB_CREATOR, leaderUrl);
    List<Instance> aggregationDrivers = jobBinaries(Binary.AGGREGATION_JOB_DRIVER, leaderUrl);
    List<Instance> collectionDrivers = jobBinaries(Binary.COLLECTION_JOB_DRIVER, leaderUrl);
    instances.forEach(Instance::start);
    for (Instance i : instances) {
      i.awaitReady();
    }

    HpkeKeypair leaderKey = keypair(1);
    HpkeKeypair helperKey = keypair(2);
    HpkeKeypair collectorKey = keypair(3);
    AuthenticationToken collectorToken = new AuthenticationToken(AuthenticationTokenType.DAP_AUTH, token());
    TaskId taskId = provision(leaderUrl, helperUrl, leaderKey, helperKey, collectorKey, collectorToken,
        endpoint(leaders.get(0).port));

    // Every report has the same timestamp, an hour ago: one batch, collected once all are acknowledged.
    Time stamp = new Time(System.currentTimeMillis() / 1000 - PRECISION.seconds());
    Client client = Client.builder(taskId, endpoint(leaders.get(0).port), endpoint(helpers.get(0).port), PRECISION,
            VDAF)
        .leaderHpkeConfig(leaderKey.config())
        .helperHpkeConfig(helperKey.config())
        .random(secureRandom)
        .clock(Clock.SYSTEM)
        .build();

    List<Runnable> plan = !mode.faults() ? new ArrayList<>() : new ArrayList<>(List.of(
        () -> killAndRestart(pick(leaders)),
        () -> killAndRestart(pick(helpers)),
        () -> killAndRestart(pick(creators)),
        () -> killAndRestart(pick(aggregationDrivers)),
        this::stopPostgres,
        () -> helpersDown(helpers)));
    java.util.Collections.shuffle(plan, random);
    List<Long> triggers = new ArrayList<>();
    for (int i = 0; i < plan.size(); i++) {
      triggers.add((long) (reports * (0.05 + 0.9 * random.nextDouble())));
    }
    triggers.sort(Comparator.naturalOrder());

    AtomicBoolean uploadsDone = new AtomicBoolean();
    AtomicReference<Throwable> injectorFailure = new AtomicReference<>();
    RssSampler rss = new RssSampler();
    Thread injector = Thread.ofPlatform().name("fault-injector").start(() -> {
      try {
        for (int i = 0; i < plan.size(); i++) {
          while (acknowledged.get() < triggers.get(i) && !uploadsDone.get()) {
            Thread.sleep(10);
          }
          plan.get(i).run();
        }
        awaitHelpersBack();
      } catch (Throwable t) {
        injectorFailure.set(t);
      }
    });
    upload(client, taskId, leaders, stamp);
    uploadsDone.set(true);
    injector.join();
    if (injectorFailure.get() != null) {
      throw new IllegalStateException("injecting a fault failed", injectorFailure.get());
    }

    CollectionResult result = collect(taskId, collectorKey, collectorToken, leaders.get(0), collectionDrivers,
        new Interval(stamp.truncateTo(PRECISION), PRECISION));
    java.util.Map<String, Long> peakRss = rss.stop();
    return new Result(trial, seed, reports, acknowledged.get(), acknowledgedSum.get(), result.reportCount(),
        result.aggregateResult()[0], uploadRetries.get(),
        count(leaderUrl, taskId, "SELECT count(*) FROM aggregation_jobs WHERE " + Deployment.OF_TASK
            + " AND state = 'ABANDONED'"),
        count(leaderUrl, taskId, "SELECT count(*) FROM collection_jobs WHERE " + Deployment.OF_TASK
            + " AND state = 'ABANDONED'"),
        count(leaderUrl, taskId, "SELECT count(*) FROM report_aggregations WHERE " + Deployment.OF_TASK
            + " AND state = 'FAILED'"),
        count(helperUrl, taskId, "SELECT coalesce(sum(report_count), 0) FROM batch_aggregations WHERE "
            + Deployment.OF_TASK),
        List.copyOf(faults), Duration.ofNanos(System.nanoTime() - started), peakRss);
  }

  /**
   * Uploads {@code reports} Sum measurements on {@code mode.uploadConcurrency()} virtual threads, report {@code i} not
   * before {@code i / uploadRate} seconds after the start. Each report is sealed
   * once and sent until a Leader answers 201: after a transport error or a 5xx it goes to the other Leader after a
   * short pause. Any other answer fails the trial.
   */
  private void upload(Client client, TaskId taskId, List<Instance> leaders, Time stamp) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    AtomicInteger next = new AtomicInteger();
    AtomicReference<String> failure = new AtomicReference<>();
    long deadline = System.nanoTime() + UPLOAD_DEADLINE.toNanos();
    long measurementSeed = random.nextLong();
    long uploadStart = System.nanoTime();
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int w = 0; w < mode.uploadConcurrency(); w++) {
        workers.execute(() -> {
          int i;
          while (failure.get() == null && (i = next.getAndIncrement()) < reports) {
            sleep(Duration.ofNanos(uploadStart + i * 1_000_000_000L / uploadRate - System.nanoTime()));
            long measurement = new Random(measurementSeed + i).nextInt(256);
            PreparedReport report = client.prepareReport(new long[] {measurement}, stamp);
            for (int attempt = 0; ; attempt++) {
              URI uri = endpoint(leaders.get((i + attempt) % leaders.size()).port)
                  .resolve(Dap09.reportsPath(taskId));
              int status = put(http, uri, report);
              if (status == 201) {
                acknowledged.incrementAndGet();
                acknowledgedSum.addAndGet(measurement);
                break;
              }
              if (status != -1 && status < 500) {
                failure.compareAndSet(null, "report " + i + " got " + status + " from " + uri);
                return;
              }
              if (System.nanoTime() > deadline) {
                failure.compareAndSet(null, "report " + i + " still unacknowledged after " + UPLOAD_DEADLINE);
                return;
              }
              uploadRetries.incrementAndGet();
              sleep(Duration.ofMillis(50 + randomBelow(200)));
            }
          }
        });
      }
    }
    if (failure.get() != null) {
      throw new IllegalStateException("upload failed: " + failure.get());
    }
  }

  /** PUTs {@code report}; returns the status, or -1 if no answer arrived. */
  private static int put(HttpClient http, URI uri, PreparedReport report) {
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(15))
        .header("Content-Type", report.mediaType())
        .PUT(HttpRequest.BodyPublishers.ofByteArray(report.toBytes()))
        .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /**
   * Creates the collection job, kills one collection job driver at a random moment of its collection (restarting
   * it after a pause), and polls until the job finishes.
   */
  private CollectionResult collect(TaskId taskId, HpkeKeypair collectorKey, AuthenticationToken collectorToken,
      Instance leader, List<Instance> collectionDrivers, Interval bucket) throws Exception {
    Collector collector = Collector.builder(taskId, endpoint(leader.port), collectorToken, collectorKey, VDAF)
        .random(secureRandom)
        .pollBackoff(Duration.ofMillis(200), Duration.ofSeconds(1))
        .sleeper(d -> Thread.sleep(Math.min(d.toMillis(), 1_000)))
        .maxCollectWait(COLLECT_DEADLINE)
        .build();
    CollectionJob job = new CollectionJob(CollectionJobId.random(secureRandom), new Query.TimeInterval(bucket),
        new byte[0]);
    collector.startCollection(job);
    if (mode.faults()) {
      Instance victim = pick(collectionDrivers);
      Thread.sleep(randomBelow(3_000));
      killAndRestart(victim);
    }
    return collector.pollUntilComplete(job);
  }

  private void killAndRestart(Instance instance) {
    try {
      if (instance.binary == Binary.AGGREGATOR) {
        awaitHelpersBack();
      }
      String at = progress();
      instance.kill();
      long pauseMs = 200 + randomBelow(1_800);
      Thread.sleep(pauseMs);
      lifecycle.lock();
      try {
        instance.start();
        instance.awaitReady();
      } finally {
        lifecycle.unlock();
      }
      record("kill -9 " + instance.name + " at " + at + ", restarted after " + pauseMs + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private void stopPostgres() {
    try {
      lifecycle.lock();
      String at = progress();
      long pauseMs = 1_000 + randomBelow(2_000);
      try {
        postgres.stopImmediately();
        Thread.sleep(pauseMs);
        postgres.restart();
      } finally {
        lifecycle.unlock();
      }
      record("PostgreSQL immediate stop at " + at + ", restarted after " + pauseMs + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Kills every Helper and returns at once; a thread restarts them after {@link #helperDown}, so the faults after
   * this one happen while the Helpers are away. A later kill of one Helper copy waits for that restart.
   */
  private void helpersDown(List<Instance> helpers) {
    try {
      String at = progress();
      for (Instance h : helpers) {
        h.kill();
      }
      record("every Helper killed at " + at + " and kept down for " + helperDown.toSeconds() + " s");
      helpersBack = Thread.ofPlatform().name("helpers-back").start(() -> {
        sleep(helperDown);
        lifecycle.lock();
        try {
          helpers.forEach(Instance::start);
          for (Instance h : helpers) {
            h.awaitReady();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          lifecycle.unlock();
        }
      });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Waits until Helpers taken down by {@link #helpersDown} are back. */
  private void awaitHelpersBack() throws InterruptedException {
    Thread t = helpersBack;
    if (t != null) {
      t.join();
    }
  }

  private String progress() {
    return acknowledged.get() + " acknowledged";
  }

  private synchronized void record(String fault) {
    faults.add(fault);
    System.out.println("FaultTrial " + trial + ": " + fault);
  }

  private synchronized long randomBelow(int bound) {
    return random.nextInt(bound);
  }

  private synchronized Instance pick(List<Instance> copies) {
    return copies.get(random.nextInt(copies.size()));
  }

  private Instance aggregator(String name, String jdbcUrl) {
    int port = FreePorts.next();
    return add(name, Binary.AGGREGATOR, jdbcUrl, port, """
        listen_address: "127.0.0.1:%d"
        max_upload_batch_size: 100
        max_upload_batch_write_delay_ms: 20
        batch_aggregation_shard_count: %d
        task_counter_shard_count: 2
        task_cache_ttl_s: 1
        """.formatted(port, SHARDS));
  }

  private List<Instance> jobBinaries(Binary binary, String jdbcUrl) {
    String driver = """
        job_discovery_interval_s: 1
        max_concurrent_job_workers: 4
        worker_lease_duration_s: 10
        worker_lease_clock_skew_allowance_s: 2
        maximum_attempts_before_failure: 10
        http_request_connection_timeout_s: 2
        http_request_timeout_s: 30
        retry_initial_interval_ms: 100
        retry_max_interval_ms: 1000
        retry_max_elapsed_time_ms: 5000
        batch_aggregation_shard_count: %d
        """.formatted(SHARDS);
    String settings = switch (binary) {
      case AGGREGATION_JOB_CREATOR -> """
          batch_aggregation_shard_count: %d
          tasks_update_frequency_s: 1
          aggregation_job_creation_interval_s: 1
          min_aggregation_job_size: 1
          max_aggregation_job_size: 100
          aggregation_job_creation_report_window: 5000
          late_report_grace_period_units: 0
          """.formatted(SHARDS);
      case AGGREGATION_JOB_DRIVER -> driver + "task_counter_shard_count: 2\n";
      case COLLECTION_JOB_DRIVER -> driver + """
          min_collection_job_retry_delay_s: 1
          max_collection_job_retry_delay_s: 5
          collection_job_retry_delay_exponential_factor: 2.0
          """;
      default -> throw new IllegalArgumentException("not a Leader job binary: " + binary);
    };
    List<Instance> copies = new ArrayList<>();
    for (int copy = 1; copy <= mode.copies(); copy++) {
      copies.add(add(binary.binaryName() + "-" + copy, binary, jdbcUrl, 0, settings));
    }
    return copies;
  }

  private Instance add(String name, Binary binary, String jdbcUrl, int port, String settings) {
    int healthPort = FreePorts.next();
    String yaml = """
        database:
          url: "%s"
          connection_pool_timeouts_s: 10
          connection_pool_max_size: 4
          check_schema_version: true
        max_transaction_retries: 1000
        health_check_listen_address: "127.0.0.1:%d"
        logging_config:
          force_json_output: false
        """.formatted(jdbcUrl, healthPort) + settings;
    Path config = directory.resolve(name + ".yaml");
    try {
      Files.writeString(config, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + config, e);
    }
    Instance instance = new Instance(name, binary, config, port, healthPort);
    instances.add(instance);
    return instance;
  }

  private TaskId provision(String leaderUrl, String helperUrl, HpkeKeypair leaderKey, HpkeKeypair helperKey,
      HpkeKeypair collectorKey, AuthenticationToken collectorToken, URI leaderEndpoint) {
    TaskId id = TaskId.random(secureRandom);
    byte[] verifyKey = bytes(VdafDispatch.forInstance(VDAF).verifyKeyLength());
    AuthenticationToken aggregatorToken = new AuthenticationToken(AuthenticationTokenType.BEARER, token());
    Task leader = Task.builder(id, Role.LEADER, gate.endpoint(), new QueryType.TimeInterval(), VDAF, verifyKey,
            PRECISION, collectorKey.config())
        .aggregatorAuthToken(aggregatorToken)
        .collectorAuthTokenHash(collectorToken.hash())
        .hpkeKeys(List.of(leaderKey))
        .minBatchSize(1).maxBatchQueryCount(1).tolerableClockSkew(DapDuration.ofSeconds(60))
        .build();
    Task helper = Task.builder(id, Role.HELPER, leaderEndpoint, new QueryType.TimeInterval(), VDAF, verifyKey,
            PRECISION, collectorKey.config())
        .aggregatorAuthTokenHash(aggregatorToken.hash())
        .hpkeKeys(List.of(helperKey))
        .minBatchSize(1).maxBatchQueryCount(1).tolerableClockSkew(DapDuration.ofSeconds(60))
        .build();
    withDatastore(helperUrl, d -> d.run("trial_provision_task", tx -> tx.tasks().put(helper)));
    withDatastore(leaderUrl, d -> d.run("trial_provision_task", tx -> tx.tasks().put(leader)));
    return id;
  }

  private void withDatastore(String jdbcUrl, java.util.function.Consumer<Datastore> body) {
    try (HikariDataSource ds = Datastore.dataSource(jdbcUrl, Optional.empty(), 2, Duration.ofSeconds(30))) {
      body.accept(new Datastore(ds, Crypter.fromDatastoreKeys(datastoreKeys), Clock.SYSTEM, 10,
          new SimpleMeterRegistry()));
    }
  }

  private static void migrate(String jdbcUrl) {
    try (HikariDataSource ds = Datastore.dataSource(jdbcUrl, Optional.empty(), 2, Duration.ofSeconds(30))) {
      Migrations.migrate(ds);
    }
  }

  /** The single number {@code sql} selects over the database at {@code jdbcUrl}; its one parameter is the task. */
  private static long count(String jdbcUrl, TaskId task, String sql) {
    try (HikariDataSource ds = Datastore.dataSource(jdbcUrl, Optional.empty(), 1, Duration.ofSeconds(30))) {
      return Deployment.count(ds, task, sql);
    }
  }

  private static URI endpoint(int port) {
    return URI.create("http://127.0.0.1:" + port + "/");
  }

  private HpkeKeypair keypair(int configId) {
    return TestKeys.keypair(secureRandom, configId);
  }

  private byte[] bytes(int n) {
    return TestKeys.bytes(secureRandom, n);
  }

  private String token() {
    return TestKeys.token(secureRandom);
  }

  private static void sleep(Duration d) {
    if (d.isNegative() || d.isZero()) {
      return;
    }
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Kills every process of the trial and the gate; the databases stay for a look after a failure. */
  private void stopAll() {
    for (Instance i : instances) {
      if (i.process != null) {
        i.process.close();
      }
    }
    if (gate != null) {
      gate.close();
    }
  }

  /** Where the trial's configurations and process logs are. */
  Path directory() {
    return directory;
  }
}
