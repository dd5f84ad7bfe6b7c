package io.janus.bench;

import io.janus.client.Client;
import io.janus.messages.Time;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures sustained report uploads into a Leader: starts an embedded PostgreSQL and a Leader aggregator on
 * loopback with one Prio3Count task, pre-generates valid reports (shard + HPKE seal, before timing), sends them
 * over many concurrent HTTP connections for a bounded time, then prints reports/s and latency percentiles.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar io.janus.bench.UploadLoadGenerator --help}. Exit code 0
 * when every measured upload got 201 and was stored, 1 otherwise.
 */
@Command(name = "upload-load", mixinStandardHelpOptions = true,
    description = "Upload load generator for a Leader aggregator (Prio3Count, real HTTP, real PostgreSQL).")
public final class UploadLoadGenerator implements Callable<Integer> {
  @Option(names = "--reports", description = "Reports generated before timing (upper bound on requests).")
  int reports = 150_000;

  @Option(names = "--connections", description = "Concurrent HTTP connections (closed loop, one request each).")
  int connections = 64;

  @Option(names = "--warmup-s", description = "Seconds of load before measuring.")
  int warmupSeconds = 5;

  @Option(names = "--duration-s", description = "Seconds measured after the warm-up (fewer if reports run out).")
  int durationSeconds = 20;

  @Option(names = "--batch-size", description = "Leader max_upload_batch_size.")
  int batchSize = 100;

  @Option(names = "--batch-delay-ms", description = "Leader max_upload_batch_write_delay_ms.")
  long batchDelayMs = 10;

  @Option(names = "--db-pool-size", description = "Datastore connection pool size.")
  int dbPoolSize = 8;

  @Option(names = "--synchronous-commit", description = "PostgreSQL synchronous_commit (on, off, local).")
  String synchronousCommit = "on";

  @Option(names = "--generator-threads", description = "Threads sharding and sealing the reports.")
  int generatorThreads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--seed", description = "Seed of the task's keys (printed).")
  long seed = System.nanoTime();

  /** Parses the options and runs; see the class comment. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new UploadLoadGenerator()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (reports < 1 || connections < 1 || warmupSeconds < 0 || durationSeconds < 1 || generatorThreads < 1) {
      throw new CommandLine.ParameterException(new CommandLine(this), "counts and durations must be positive");
    }
    System.out.printf(Locale.ROOT, "JVM %s %s, %d CPUs; seed %d%n", System.getProperty("java.vm.name"),
        Runtime.version(), Runtime.getRuntime().availableProcessors(), seed);
    long t = System.nanoTime();
    LeaderUnderTest.Settings settings = new LeaderUnderTest.Settings(batchSize, batchDelayMs, dbPoolSize,
        synchronousCommit);
    try (LeaderUnderTest leader = LeaderUnderTest.start(settings, seed)) {
      System.out.printf(Locale.ROOT, "Leader on 127.0.0.1:%d with embedded PostgreSQL (%s), started in %.1f s%n",
          leader.port(), settings, (System.nanoTime() - t) / 1e9);
      Client client = Client.builder(leader.task().id(), URI.create("http://127.0.0.1:" + leader.port() + "/"),
              URI.create("http://127.0.0.1:9/"), LeaderUnderTest.TIME_PRECISION, leader.task().vdaf())
          .leaderHpkeConfig(leader.task().hpkeKeys().get(0).config())
          .helperHpkeConfig(leader.helperKey().config())
          .build();
      t = System.nanoTime();
      Time now = io.janus.core.Clock.SYSTEM.now();
      ReportCorpus corpus = ReportCorpus.generate(client, leader.port(), now, reports, generatorThreads);
      System.out.printf(Locale.ROOT, "Generated %d reports (shard + 2 HPKE seals each) in %.1f s%n", reports,
          (System.nanoTime() - t) / 1e9);
      UploadLoad.Result r = UploadLoad.run(corpus, leader.port(), connections, warmupSeconds * 1_000_000_000L,
          durationSeconds * 1_000_000_000L);
      long stored = leader.storedReports();
      print(r, stored);
      boolean allCreated = r.created() == r.measured();
      return allCreated ? 0 : 1;
    }
  }

  private void print(UploadLoad.Result r, long stored) {
    LatencySummary l = r.latency();
    System.out.printf(Locale.ROOT, "connections=%d window=%.1f s measured=%d statuses=%s stored(total)=%d%n",
        r.connections(), r.windowNanos() / 1e9, r.measured(), r.statuses(), stored);
    System.out.printf(Locale.ROOT, "RESULT reports/s=%.0f p50=%.2f ms p90=%.2f ms p99=%.2f ms p99.9=%.2f ms "
            + "max=%.2f ms%n", r.reportsPerSecond(), l.p50Nanos() / 1e6, l.p90Nanos() / 1e6, l.p99Nanos() / 1e6,
        l.p999Nanos() / 1e6, l.maxNanos() / 1e6);
    System.out.printf(Locale.ROOT, "JVM CPU per upload (Leader + generator, PostgreSQL excluded): %.0f us; "
        + "1-minute load average at the end: %.1f on %d CPUs%n", r.cpuMicrosPerRequest(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        Runtime.getRuntime().availableProcessors());
  }
}
