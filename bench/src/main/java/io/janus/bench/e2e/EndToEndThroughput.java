package io.janus.bench.e2e;

import io.janus.client.Client;
import io.janus.collector.CollectionJob;
import io.janus.collector.CollectionResult;
import io.janus.collector.Collector;
import io.janus.collector.PollResult;
import io.janus.core.Clock;
import io.janus.core.task.VdafInstance;
import io.janus.messages.CollectionJobId;
import io.janus.messages.Interval;
import io.janus.messages.Time;
import io.janus.messages.dap09.Dap09;
import io.janus.messages.Query;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures end-to-end throughput, upload to collectable batch: starts a whole deployment ({@link Pipeline}: Leader
 * and Helper each on an embedded PostgreSQL, aggregation job creator and both job drivers in-process), generates
 * N reports (Prio3Count, or the histogram {@code --vdaf} names) before timing (the production
 * {@link Client#prepareReport}: shard and HPKE-seal), uploads them over loopback HTTP on many concurrent
 * connections, then creates a collection job over the batch interval holding every report and polls it until it
 * finishes. The clock runs from the first upload to the finished collection, which must report exactly N reports
 * and the exact aggregate (the count of ones, or every bucket's count).
 *
 * <p>Prints the upload-phase rate, the time from the last upload to the finished collection (the aggregation and
 * collection tail), end-to-end reports/s, the CPU split per phase (JVM vs each PostgreSQL) and the busiest
 * database transactions. An optional untimed warm-up round ({@code --warmup-reports}) uploads and collects
 * reports in an earlier batch interval first, so the measured round runs on JIT-compiled code.
 *
 * <p>Run: {@code bench/scripts/e2e-throughput.sh --reports 20000 --warmup-reports 10000}. Exit code 0 when the
 * collection matched, 1 otherwise.
 */
@Command(name = "e2e-throughput", mixinStandardHelpOptions = true,
    description = "End-to-end DAP throughput, first upload to finished collection (Prio3Count or a histogram, real "
        + "HTTP and PostgreSQL, Leader + Helper + job drivers in one JVM).")
public final class EndToEndThroughput implements Callable<Integer> {
  @Option(names = "--reports", description = "Reports uploaded and collected (default ${DEFAULT-VALUE}).")
  int reports = 20_000;

  @Option(names = "--connections", description = "Concurrent upload connections (default ${DEFAULT-VALUE}).")
  int connections = 64;

  @Option(names = "--job-interval-ms", description = "Creator interval, job discovery interval and collection "
      + "retry delay (default ${DEFAULT-VALUE}).")
  long jobIntervalMs = 200;

  @Option(names = "--min-job-size", description = "min_aggregation_job_size (default ${DEFAULT-VALUE}).")
  int minJobSize = 1;

  @Option(names = "--max-job-size", description = "max_aggregation_job_size (default ${DEFAULT-VALUE}).")
  int maxJobSize = 1000;

  @Option(names = "--job-workers", description = "max_concurrent_job_workers per job driver "
      + "(default ${DEFAULT-VALUE}).")
  int jobWorkers = 2;

  @Option(names = "--shards", description = "batch_aggregation_shard_count (default ${DEFAULT-VALUE}).")
  int shards = 32;

  @Option(names = "--upload-batch-size", description = "max_upload_batch_size (default ${DEFAULT-VALUE}).")
  int uploadBatchSize = 200;

  @Option(names = "--upload-batch-delay-ms", description = "max_upload_batch_write_delay_ms "
      + "(default ${DEFAULT-VALUE}).")
  long uploadBatchDelayMs = 20;

  @Option(names = "--db-pool-size", description = "Connections per database pool (default ${DEFAULT-VALUE}).")
  int dbPoolSize = 16;

  @Option(names = "--synchronous-commit", description = "PostgreSQL synchronous_commit, both databases "
      + "(default ${DEFAULT-VALUE}).")
  String synchronousCommit = "on";

  @Option(names = "--poll-ms", description = "Collector poll period (default ${DEFAULT-VALUE}).")
  long pollMs = 50;

  @Option(names = "--timeout-s", description = "Give up this long after the first upload (default "
      + "${DEFAULT-VALUE}).")
  long timeoutSeconds = 600;

  @Option(names = "--seed", description = "Seed of the keys, tokens and measurements (printed).")
  long seed = System.nanoTime();

  @Option(names = "--warmup-reports", description = "Reports uploaded and collected, untimed, before the measured "
      + "round, in an earlier batch interval, so JIT compilation is mostly done (default ${DEFAULT-VALUE}).")
  int warmupReports = 0;

  @Option(names = "--pg-stat-statements", description = "Load pg_stat_statements in both databases and print "
      + "the statements that took the most time.")
  boolean statementStats;

  @Option(names = "--vdaf", description = "The task's VDAF: count, or histogram:LENGTH:CHUNK_LENGTH (measurements "
      + "uniform over the buckets) (default ${DEFAULT-VALUE}).")
  String vdafName = "count";

  @Option(names = "--verbose", description = "Keep INFO logging (PostgreSQL start-up, migrations, pools).")
  boolean verbose;

  /** Parses the options and runs; see the class comment. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new EndToEndThroughput()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (reports < 1 || warmupReports < 0 || connections < 1 || jobIntervalMs < 1 || pollMs < 1 || timeoutSeconds < 1) {
      throw new CommandLine.ParameterException(new CommandLine(this), "counts and durations must be positive");
    }
    if (!verbose) {
      // Start-up chatter (initdb, each migration statement) would bury the figures.
      Logger.getLogger("").setLevel(Level.WARNING);
    }
    Pipeline.Settings settings = new Pipeline.Settings(Duration.ofMillis(jobIntervalMs), minJobSize,
        maxJobSize, jobWorkers, shards, uploadBatchSize, uploadBatchDelayMs, dbPoolSize, synchronousCommit,
        statementStats);
    System.out.printf(Locale.ROOT, "JVM %s %s, %d CPUs, load average %s; seed %d%n%s, reports=%d, connections=%d%n",
        System.getProperty("java.vm.name"), Runtime.version(), Runtime.getRuntime().availableProcessors(),
        loadAverage(), seed, settings, reports, connections);
    long t = System.nanoTime();
    // min_batch_size = N (or the warm-up's size): a collection cannot finish on a partial batch even if readiness
    // were misjudged; the exact-count check below holds either way.
    long minBatchSize = warmupReports > 0 ? Math.min(reports, warmupReports) : reports;
    VdafInstance vdaf = parseVdaf(vdafName);
    try (Pipeline pipeline = Pipeline.start(settings, seed, minBatchSize, vdaf)) {
      System.out.printf(Locale.ROOT, "Leader :%d, Helper :%d, two embedded PostgreSQL; started in %.1f s%n",
          pipeline.leaderPort(), pipeline.helperPort(), (System.nanoTime() - t) / 1e9);
      return measure(pipeline);
    }
  }

  /** {@code count} or {@code histogram:LENGTH:CHUNK_LENGTH}. */
  private VdafInstance parseVdaf(String name) {
    if (name.equals("count")) {
      return new VdafInstance.Prio3Count();
    }
    String[] parts = name.split(":");
    try {
      if (parts.length == 3 && parts[0].equals("histogram")) {
        return new VdafInstance.Prio3Histogram(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--vdaf " + name + ": " + e.getMessage());
    }
    throw new CommandLine.ParameterException(new CommandLine(this),
        "--vdaf must be count or histogram:LENGTH:CHUNK_LENGTH, got " + name);
  }

  /** How many values a measurement takes: 2 for Prio3Count, the bucket count for a histogram. */
  private static int measurementRange(VdafInstance vdaf) {
    return vdaf instanceof VdafInstance.Prio3Histogram h ? h.length() : 2;
  }

  /** What the collection must return for {@code measurements}: the count of ones, or each bucket's count. */
  private static long[] expectedAggregate(VdafInstance vdaf, long[] measurements) {
    if (vdaf instanceof VdafInstance.Prio3Histogram h) {
      long[] buckets = new long[h.length()];
      for (long m : measurements) {
        buckets[(int) m]++;
      }
      return buckets;
    }
    long ones = 0;
    for (long m : measurements) {
      ones += m;
    }
    return new long[] {ones};
  }

  private int measure(Pipeline pipeline) throws InterruptedException {
    Client client = Client.builder(pipeline.leaderTask().id(), URI.create("http://127.0.0.1:" + pipeline.leaderPort()
            + "/"), URI.create("http://127.0.0.1:" + pipeline.helperPort() + "/"), Pipeline.TIME_PRECISION,
            pipeline.leaderTask().vdaf())
        .leaderHpkeConfig(pipeline.leaderTask().hpkeKeys().get(0).config())
        .helperHpkeConfig(pipeline.helperKey().config())
        .build();
    Collector collector = Collector.builder(pipeline.leaderTask().id(), URI.create("http://127.0.0.1:"
            + pipeline.leaderPort() + "/"), pipeline.collectorToken(), pipeline.collectorKey(),
            pipeline.leaderTask().vdaf())
        .random(new SecureRandom())
        .build();
    // Stamped in the previous time-precision bucket, so the batch interval has ended before collection starts.
    Time stamp = new Time(Clock.SYSTEM.now().seconds() - Pipeline.TIME_PRECISION.seconds());
    if (warmupReports > 0) {
      warmUp(pipeline, client, collector, new Time(stamp.seconds() - Pipeline.TIME_PRECISION.seconds()));
    }
    Interval batch = new Interval(stamp.truncateTo(Pipeline.TIME_PRECISION), Pipeline.TIME_PRECISION);
    VdafInstance vdaf = pipeline.leaderTask().vdaf();
    long[] measurements = new long[reports];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < reports; i++) {
      measurements[i] = random.nextInt(measurementRange(vdaf));
    }
    long[] expected = expectedAggregate(vdaf, measurements);
    long t = System.nanoTime();
    byte[][] requests = generate(client, pipeline.leaderPort(), stamp, measurements);
    System.out.printf(Locale.ROOT, "Generated %d reports (shard + 2 HPKE seals each) in %.1f s, untimed%n",
        reports, (System.nanoTime() - t) / 1e9);

    ProcessCpu.Snapshot cpu0 = ProcessCpu.snapshot(pipeline.leaderPostmasterPid(), pipeline.helperPostmasterPid());
    long t0 = System.nanoTime();
    long deadline = t0 + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    UploadOutcome upload = upload(requests, pipeline.leaderPort(), deadline);
    long t1 = System.nanoTime();
    ProcessCpu.Snapshot cpu1 = ProcessCpu.snapshot(pipeline.leaderPostmasterPid(), pipeline.helperPostmasterPid());
    double uploadS = (t1 - t0) / 1e9;
    System.out.printf(Locale.ROOT, "UPLOAD %d created, %d failed in %.2f s: %.0f reports/s (load generator CPU "
            + "%.1f s)%n", upload.created(), upload.failed(), uploadS, upload.created() / uploadS,
        upload.cpuNanos() / 1e9);
    System.out.println("  CPU during upload: " + cpu1.since(cpu0, uploadS));
    if (upload.failed() > 0) {
      System.out.println("FAILED: not every upload was accepted; the batch cannot be complete");
      return 1;
    }

    CollectionJob job = new CollectionJob(CollectionJobId.random(new SecureRandom()), new Query.TimeInterval(batch),
        new byte[0]);
    collector.startCollection(job);
    CollectionResult result = null;
    int polls = 0;
    while (result == null) {
      polls++;
      if (collector.poll(job) instanceof PollResult.Ready ready) {
        result = ready.result();
      } else if (System.nanoTime() > deadline) {
        System.out.printf(Locale.ROOT, "FAILED: collection not finished %d s after the first upload%n",
            timeoutSeconds);
        printDatabaseTime(pipeline);
        return 1;
      } else {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pollMs));
      }
    }
    long t2 = System.nanoTime();
    ProcessCpu.Snapshot cpu2 = ProcessCpu.snapshot(pipeline.leaderPostmasterPid(), pipeline.helperPostmasterPid());
    double tailS = (t2 - t1) / 1e9;
    double totalS = (t2 - t0) / 1e9;
    boolean exact = result.reportCount() == reports && Arrays.equals(result.aggregateResult(), expected)
        && result.interval().equals(batch);
    System.out.printf(Locale.ROOT, "AGGREGATION+COLLECTION tail %.2f s after the last upload (%d polls); "
            + "collection: %d reports, aggregate %s (expected %d reports, %s) %s%n", tailS, polls,
        result.reportCount(), brief(result.aggregateResult()), reports, brief(expected), exact ? "EXACT" : "MISMATCH");
    System.out.println("  CPU during tail: " + cpu2.since(cpu1, tailS));
    System.out.println("  CPU overall:     " + cpu2.since(cpu0, totalS));
    printDatabaseTime(pipeline);
    // What the deployment itself spent per report; on a shared machine this, not wall time, is the stable figure.
    double jvmUs = (cpu2.jvm() - cpu0.jvm() - upload.cpuNanos()) / 1e3 / reports;
    double dbUs = (cpu2.leaderDb() - cpu0.leaderDb() + cpu2.helperDb() - cpu0.helperDb()) / 1e3 / reports;
    System.out.printf(Locale.ROOT, "CPU per report: JVM %.0f us (load generator excluded), PostgreSQL %.0f us; "
            + "ceiling on %d otherwise idle cores: %.0f reports/s%n", jvmUs, dbUs,
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().availableProcessors() * 1e6 / (jvmUs + dbUs));
    System.out.printf(Locale.ROOT, "RESULT end-to-end %.0f reports/s (%d reports in %.2f s); upload phase %.0f "
            + "reports/s over %.2f s; aggregation+collection tail %.2f s; load average %s%n",
        reports / totalS, reports, totalS, upload.created() / uploadS, uploadS, tailS, loadAverage());
    return exact ? 0 : 1;
  }

  /**
   * Uploads and collects {@link #warmupReports} reports stamped {@code stamp} (another batch interval than the
   * measured one), untimed, then forgets the transaction metrics so that only the measured round is reported.
   *
   * @throws IllegalStateException if an upload fails or the collection does not match
   */
  private void warmUp(Pipeline pipeline, Client client, Collector collector, Time stamp) throws InterruptedException {
    long t = System.nanoTime();
    long[] zeros = new long[warmupReports];
    long[] expected = expectedAggregate(pipeline.leaderTask().vdaf(), zeros);
    byte[][] requests = generate(client, pipeline.leaderPort(), stamp, zeros);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    UploadOutcome upload = upload(requests, pipeline.leaderPort(), deadline);
    if (upload.failed() > 0) {
      throw new IllegalStateException("warm-up: " + upload.failed() + " uploads failed");
    }
    Interval batch = new Interval(stamp.truncateTo(Pipeline.TIME_PRECISION), Pipeline.TIME_PRECISION);
    CollectionJob job = new CollectionJob(CollectionJobId.random(new SecureRandom()), new Query.TimeInterval(batch),
        new byte[0]);
    collector.startCollection(job);
    while (true) {
      if (collector.poll(job) instanceof PollResult.Ready ready) {
        if (ready.result().reportCount() != warmupReports
            || !Arrays.equals(ready.result().aggregateResult(), expected)) {
          throw new IllegalStateException("warm-up collection does not match: " + ready.result());
        }
        break;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("warm-up collection not finished in " + timeoutSeconds + " s");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pollMs));
    }
    pipeline.leaderMeters().clear();
    pipeline.helperMeters().clear();
    System.out.printf(Locale.ROOT, "Warm-up: %d reports generated, uploaded and collected in %.1f s, untimed%n",
        warmupReports, (System.nanoTime() - t) / 1e9);
  }

  /** The first few values of an aggregate, for the result line. */
  private static String brief(long[] aggregate) {
    return aggregate.length <= 4 ? Arrays.toString(aggregate)
        : Arrays.toString(Arrays.copyOf(aggregate, 4)).replace("]", ", ... (" + aggregate.length + " values)]");
  }

  /** Builds every upload request on all cores: the production client shards and seals each report. */
  private static byte[][] generate(Client client, int port, Time stamp, long[] measurements)
      throws InterruptedException {
    int n = measurements.length;
    int threads = Runtime.getRuntime().availableProcessors();
    byte[][] requests = new byte[n][];
    String path = Dap09.reportsPath(client.taskId());
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> parts = new ArrayList<>();
      for (int p = 0; p < threads; p++) {
        int from = (int) ((long) n * p / threads);
        int to = (int) ((long) n * (p + 1) / threads);
        parts.add(pool.submit(() -> {
          for (int i = from; i < to; i++) {
            byte[] body = client.prepareReport(new long[] {measurements[i]}, stamp).toBytes();
            requests[i] = UploadConnection.put(port, path, Dap09.MEDIA_TYPE_REPORT, body);
          }
        }));
      }
      for (Future<?> part : parts) {
        part.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("report generation failed", e.getCause());
    }
    return requests;
  }

  /**
   * What the upload phase did.
   *
   * @param created uploads answered 201
   * @param failed uploads answered otherwise, failed on the connection, or not sent before the deadline
   * @param cpuNanos CPU time of the upload threads themselves
   */
  private record UploadOutcome(int created, int failed, long cpuNanos) {}

  /** Sends every request, closed loop: each connection sends its next request when the previous one is answered. */
  private UploadOutcome upload(byte[][] requests, int port, long deadline) throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger created = new AtomicInteger();
    AtomicLong cpu = new AtomicLong();
    AtomicInteger firstFailureLogged = new AtomicInteger();
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
    List<Thread> workers = new ArrayList<>(connections);
    for (int w = 0; w < connections; w++) {
      workers.add(Thread.ofPlatform().name("e2e-upload-" + w).start(() -> {
        int ok = 0;
        try (UploadConnection connection = new UploadConnection(address)) {
          for (int i = next.getAndIncrement(); i < requests.length && System.nanoTime() < deadline;
              i = next.getAndIncrement()) {
            int status;
            try {
              status = connection.send(requests[i]);
            } catch (IOException e) {
              status = 0;
              if (firstFailureLogged.getAndIncrement() == 0) {
                System.out.println("upload failed: " + e);
              }
            }
            if (status == 201) {
              ok++;
            } else if (status != 0 && firstFailureLogged.getAndIncrement() == 0) {
              System.out.println("upload answered HTTP " + status);
            }
          }
        } finally {
          created.addAndGet(ok);
          cpu.addAndGet(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
        }
      }));
    }
    for (Thread worker : workers) {
      worker.join();
    }
    return new UploadOutcome(created.get(), requests.length - created.get(), cpu.get());
  }

  /** Prints, per database, the transactions that took the most wall time in all, and any that retried. */
  private void printDatabaseTime(Pipeline pipeline) {
    print("Leader", pipeline.leaderMeters());
    print("Helper", pipeline.helperMeters());
    if (statementStats) {
      System.out.println("  Leader statements by execution time (pg_stat_statements):");
      pipeline.leaderTopStatements(12).forEach(l -> System.out.println("    " + l));
      System.out.println("  Helper statements by execution time (pg_stat_statements):");
      pipeline.helperTopStatements(8).forEach(l -> System.out.println("    " + l));
    }
  }

  private static void print(String role, SimpleMeterRegistry meters) {
    List<Timer> timers = new ArrayList<>(meters.find("janus_database_transaction_duration").timers());
    timers.sort(Comparator.comparingDouble((Timer x) -> x.totalTime(TimeUnit.SECONDS)).reversed());
    double all = 0;
    for (Timer x : timers) {
      all += x.totalTime(TimeUnit.SECONDS);
    }
    System.out.printf(Locale.ROOT, "  %s DB transactions, %.1f s wall in all (summed over threads):%n", role, all);
    for (Timer x : timers.subList(0, Math.min(8, timers.size()))) {
      System.out.printf(Locale.ROOT, "    %-44s n=%6d total %6.1f s mean %7.2f ms max %7.1f ms%n",
          x.getId().getTag("tx"), x.count(), x.totalTime(TimeUnit.SECONDS), x.mean(TimeUnit.MILLISECONDS),
          x.max(TimeUnit.MILLISECONDS));
    }
    for (Counter c : meters.find("janus_database_transactions").counters()) {
      if (!"success".equals(c.getId().getTag("status")) && c.count() > 0) {
        System.out.printf(Locale.ROOT, "    not success: %s %s x%.0f%n", c.getId().getTag("tx"),
            c.getId().getTag("status"), c.count());
      }
    }
    for (DistributionSummary r : meters.find("janus_database_transaction_retries").summaries()) {
      if (r.totalAmount() > 0) {
        System.out.printf(Locale.ROOT, "    retried: %s %.0f retries over %d transactions%n",
            r.getId().getTag("tx"), r.totalAmount(), r.count());
      }
    }
    Counter jobs = meters.find("janus_aggregation_jobs_created").counter();
    if (jobs != null) {
      System.out.printf(Locale.ROOT, "    aggregation jobs created: %.0f%n", jobs.count());
    }
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }
}
