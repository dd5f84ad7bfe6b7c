package io.janus.quickstart;

import io.janus.client.Client;
import io.janus.client.UploadFailure;
import io.janus.client.UploadSummary;
import io.janus.collector.CollectionJob;
import io.janus.collector.CollectionResult;
import io.janus.collector.Collector;
import io.janus.collector.PollResult;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.core.task.DapVersion;
import io.janus.core.task.VdafInstance;
import io.janus.messages.Base64Url;
import io.janus.messages.DapDuration;
import io.janus.messages.Interval;
import io.janus.messages.Role;
import io.janus.messages.Time;
import io.janus.messages.Query;
import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The one-command quickstart: starts PostgreSQL, a Leader and a Helper with the Leader's job binaries in this JVM,
 * provisions a Prio3 task, uploads random measurements through the client library, collects them through the
 * collector library and prints the aggregate next to the sum computed in the clear. Exit code 0 when they match,
 * 1 when they differ or anything fails, 2 for a bad command line.
 *
 * <p>Run it from the repository root with {@code ./quickstart} (see {@code ./quickstart --help}).
 */
public final class Quickstart {
  /** Exit code when the aggregate matches. */
  public static final int OK = 0;
  /** Exit code when the aggregate differs or a step fails. */
  public static final int FAILED = 1;
  /** Exit code for an invalid command line. */
  public static final int USAGE = 2;

  /** How the user started us, for the commands we print; the {@code ./quickstart} script sets it. */
  static final String LAUNCHER_PROPERTY = "janus.quickstart.launcher";

  /** Set by the {@code ./quickstart} script to whether standard error is a terminal. */
  static final String TERMINAL_PROPERTY = "janus.quickstart.stderr-terminal";

  /** The task's minimum batch size (or the run's size, if smaller): small, so janus_cli uploads can fill one. */
  static final int MIN_BATCH_SIZE = 10;

  private static final Duration COLLECT_POLL_MIN = Duration.ofMillis(250);
  private static final Duration COLLECT_POLL_MAX = Duration.ofSeconds(1);

  private final PrintStream out;
  private final PrintStream err;
  private final boolean interactive;

  private Quickstart(PrintStream out, PrintStream err, boolean interactive) {
    this.out = out;
    this.err = err;
    this.interactive = interactive;
  }

  /** Runs the quickstart with the process's streams and exits with its exit code. */
  public static void main(String[] args) {
    int code = run(args, System.out, System.err, stderrIsTerminal());
    // Libraries log from their own shutdown hooks (Helidon does); the run is over, so keep that off the console.
    LogManager.getLogManager().reset();
    System.exit(code);
  }

  /**
   * Whether standard error is a terminal. The {@code ./quickstart} script knows ({@code test -t 2}) and passes it
   * in {@value #TERMINAL_PROPERTY}; otherwise the JVM's console is the best guess there is.
   */
  private static boolean stderrIsTerminal() {
    String told = System.getProperty(TERMINAL_PROPERTY);
    if (told != null) {
      return Boolean.parseBoolean(told);
    }
    Console console = System.console();
    // Since JDK 22 a console exists even when redirected; isTerminal (JDK 22+) tells the two apart.
    try {
      return console != null && (boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return console != null;
    }
  }

  /**
   * Runs the quickstart: parses {@code args}, then starts, uploads, collects and compares.
   *
   * @param args the command line (see {@code --help})
   * @param out where results go
   * @param err where the progress bar and failures go
   * @param interactive whether {@code err} is a terminal (the progress bar then redraws one line)
   * @return {@link #OK}, {@link #FAILED} or {@link #USAGE}
   */
  public static int run(String[] args, PrintStream out, PrintStream err, boolean interactive) {
    Options options = new Options();
    CommandLine cl = new CommandLine(options).setCaseInsensitiveEnumValuesAllowed(true);
    try {
      cl.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      err.println("quickstart: " + e.getMessage());
      err.println("Try './quickstart --help' for usage.");
      return USAGE;
    }
    if (cl.isUsageHelpRequested()) {
      cl.usage(out);
      return OK;
    }
    VdafProfile profile;
    try {
      profile = options.profile();
    } catch (IllegalArgumentException e) {
      err.println("quickstart: " + e.getMessage());
      return USAGE;
    }
    return new Quickstart(out, err, interactive).execute(options, profile);
  }

  private int execute(Options options, VdafProfile profile) {
    long seed = options.seed != null ? options.seed : new SplittableRandom().nextLong();
    Path directory;
    try {
      directory = options.workDirectory != null
          ? Files.createDirectories(options.workDirectory)
          : Files.createTempDirectory("janus-quickstart-");
    } catch (IOException e) {
      err.println("quickstart: cannot create the work directory: " + e.getMessage());
      return FAILED;
    }
    Path logFile = directory.resolve("quickstart.log");
    out.printf("janus-java quickstart: %s, %s, %d measurements (seed %d)%n", options.version().text(),
        profile.describe(), options.measurements, seed);

    boolean succeeded = false;
    try (PrintStream log = new PrintStream(Files.newOutputStream(logFile), true, StandardCharsets.UTF_8)) {
      Handler[] previous = routeLogging(log);
      try {
        succeeded = runDeployment(options, profile, seed, directory, logFile, log);
      } catch (RuntimeException e) {
        // The console gets one line; the log gets the stack trace.
        Logger.getLogger(Quickstart.class.getName()).log(Level.SEVERE, "quickstart failed", e);
        err.println();
        err.println("quickstart: FAILED: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
        err.println("Logs: " + logFile);
      } finally {
        restoreLogging(previous);
      }
    } catch (IOException e) {
      err.println("quickstart: cannot write " + logFile + ": " + e.getMessage());
    }
    if (succeeded && !options.keepRunning && options.workDirectory == null) {
      deleteRecursively(directory);
    }
    return succeeded ? OK : FAILED;
  }

  private boolean runDeployment(Options options, VdafProfile profile, long seed, Path directory, Path logFile,
      PrintStream log) {
    long t0 = System.nanoTime();
    out.printf("Starting PostgreSQL, a Leader and a Helper in this JVM (logs: %s) ...%n", logFile);
    LocalDeployment deployment = LocalDeployment.start(directory, log);
    // Ctrl-C from here on stops the binaries and PostgreSQL on the way out, whether or not we keep running.
    AtomicReference<LocalDeployment> open = new AtomicReference<>(deployment);
    boolean temporary = options.workDirectory == null;
    Thread hook = new Thread(() -> stopOnExit(open, temporary), "quickstart-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      out.printf("  started %d binaries in %s%n", deployment.binaries().size(), since(t0));

      ProvisionedTask task = deployment.provisionTask(profile.instance(options.version()),
          DapDuration.ofSeconds(options.timePrecision), Math.min(options.measurements, MIN_BATCH_SIZE),
          options.version());
      out.printf("Provisioned task %s on both aggregators%n", task.id().toBase64Url());

      SplittableRandom random = new SplittableRandom(seed);
      List<long[]> measurements = new ArrayList<>(options.measurements);
      for (int i = 0; i < options.measurements; i++) {
        measurements.add(profile.randomMeasurement(random));
      }
      long[] expected = profile.expectedAggregate(measurements);

      Client client = (task.agreement().isPresent() ? Client.builder(task.id(), task.agreement().get())
          : Client.builder(task.id(), task.leaderEndpoint(), task.helperEndpoint(), task.timePrecision(),
              task.vdaf())).build();
      Time firstReport = now().truncateTo(task.timePrecision());
      out.printf("Uploading %d reports to the Leader with the client library ...%n", measurements.size());
      out.flush();
      long t1 = System.nanoTime();
      UploadSummary summary = client.uploadAll(measurements, 32, new ProgressBar(err, interactive));
      Time lastReport = now().truncateTo(task.timePrecision());
      if (!summary.failures().isEmpty()) {
        UploadFailure first = summary.failures().get(0);
        err.printf("quickstart: FAILED: %d of %d uploads failed; the first (measurement %d): %s%n",
            summary.failures().size(), summary.total(), first.index(), first.error().getMessage());
        err.println("Logs: " + logFile);
        return false;
      }
      out.printf("  uploaded in %s%n", since(t1));

      // Every report time is rounded down to the precision, so this interval holds them all.
      Interval batch = new Interval(firstReport,
          DapDuration.ofSeconds(lastReport.seconds() - firstReport.seconds() + task.timePrecision().seconds()));
      Collector collector = (task.agreement().isPresent()
          ? Collector.builder(task.id(), task.collectorToken(), task.collectorKeypair(), task.agreement().get())
          : Collector.builder(task.id(), task.leaderEndpoint(), task.collectorToken(), task.collectorKeypair(),
              task.vdaf())).build();
      out.printf("Collecting batch [%s, +%d s) with the collector library ...%n",
          Instant.ofEpochSecond(batch.start().seconds()),
          batch.duration().seconds());
      long t2 = System.nanoTime();
      CollectionResult result = collect(collector, new Query.TimeInterval(batch),
          Duration.ofSeconds(options.collectTimeout));
      out.printf("  collected in %s%n%n", since(t2));

      boolean matches = printComparison(out, profile, result, expected, options.measurements);
      out.println();
      if (matches) {
        out.printf("OK: the aggregate the aggregators computed matches the plaintext %s (%s in total).%n",
            switch (profile.kind()) {
              case COUNT -> "count";
              case HISTOGRAM -> "histogram";
              case SUM, SUMVEC, SUMVECFIELD64MULTIPROOFHMACSHA256AES128 -> "sum";
            }, since(t0));
      } else {
        err.println("quickstart: MISMATCH: the collected aggregate differs from the plaintext one. Logs: "
            + logFile);
      }
      if (matches && options.keepRunning) {
        printEndpoints(deployment, task, profile, seed, batch.end().seconds(), temporary);
        awaitExit();
      }
      return matches;
    } finally {
      removeHook(hook);
      LocalDeployment stillOpen = open.getAndSet(null);
      if (stillOpen != null) {
        stillOpen.close();
      }
    }
  }

  /** The shutdown hook's work: stop whatever is still running, then delete a temporary directory. */
  private void stopOnExit(AtomicReference<LocalDeployment> open, boolean temporary) {
    LocalDeployment deployment = open.getAndSet(null);
    if (deployment == null) {
      return;
    }
    out.println();
    out.println("Stopping ...");
    out.flush();
    try {
      deployment.close();
    } finally {
      if (temporary) {
        deleteRecursively(deployment.directory());
      }
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down: the hook runs (or ran) and stops everything itself.
    }
  }

  /**
   * Creates a collection job and polls it until it is ready. The Leader's Retry-After (10 s) is sized for a
   * production collection job driver; ours runs on a one-second cadence on loopback, so polling it every second
   * at most makes the demonstration several seconds quicker without loading anything that matters.
   */
  private static CollectionResult collect(Collector collector, Query query, Duration timeout) {
    CollectionJob job = collector.startCollection(query);
    long deadline = System.nanoTime() + timeout.toNanos();
    Duration wait = COLLECT_POLL_MIN;
    while (true) {
      if (collector.poll(job) instanceof PollResult.Ready ready) {
        return ready.result();
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("the collection job was not ready within " + timeout.toSeconds()
            + " s (see --collect-timeout)");
      }
      try {
        Thread.sleep(wait.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the collection job", e);
      }
      Duration doubled = wait.multipliedBy(2);
      wait = doubled.compareTo(COLLECT_POLL_MAX) > 0 ? COLLECT_POLL_MAX : doubled;
    }
  }

  /** Prints collected vs expected, one row per result element; returns whether everything agrees. */
  static boolean printComparison(PrintStream out, VdafProfile profile, CollectionResult result, long[] expected,
      long reports) {
    long[] collected = result.aggregateResult();
    int labelWidth = Math.max("reports".length(), profile.resultLabel(expected.length - 1).length());
    String row = "  %-" + labelWidth + "s %14s %14s  %s";
    out.println(String.format(row, "", "collected", "expected", "").stripTrailing());
    for (int i = 0; i < expected.length; i++) {
      String got = i < collected.length ? Long.toString(collected[i]) : "(missing)";
      boolean same = i < collected.length && collected[i] == expected[i];
      out.println(String.format(row, profile.resultLabel(i), got, expected[i], same ? "" : "<- differs")
          .stripTrailing());
    }
    boolean sameCount = result.reportCount() == reports;
    out.println(String.format(row, "reports", result.reportCount(), reports, sameCount ? "" : "<- differs")
        .stripTrailing());
    return sameCount && Arrays.equals(collected, expected);
  }

  private void printEndpoints(LocalDeployment deployment, ProvisionedTask task, VdafProfile profile, long seed,
      long lastCollectedEnd, boolean temporary) {
    String cli = System.getProperty(LAUNCHER_PROPERTY, "./quickstart") + " janus-cli";
    long precision = task.timePrecision().seconds();
    String vdafArgs = vdafArguments(task.vdaf()) + task.agreement().map(a -> " \\\n      --dap-version 18"
        + " --task-info " + Base64Url.encode(a.taskInfo()) + " --min-batch-size " + a.minBatchSize()
        + " --batch-mode time_interval").orElse("");
    String collectArgs = task.agreement().map(a -> " \\\n      --helper " + a.helperEndpoint()
        + " --time-precision " + precision).orElse("");
    out.println();
    out.println("Everything keeps running. Press Ctrl-C to stop it" + (temporary
        ? " and delete " + deployment.directory() + "." : "; its files stay in " + deployment.directory() + "."));
    out.println();
    out.println("DAP endpoints");
    out.println("  Leader                  " + task.leaderEndpoint());
    out.println("  Helper                  " + task.helperEndpoint());
    out.println("Task (time interval, precision " + precision + " s, min batch size " + task.minBatchSize() + ")");
    out.println("  task ID                 " + task.id().toBase64Url());
    out.println("  VDAF                    " + task.vdaf().toJson());
    out.println("  collector token         " + tokenText(task.collectorToken()));
    out.println("  Leader->Helper token    " + tokenText(task.aggregatorToken()));
    out.println("  collector HPKE config   " + Base64Url.encode(task.collectorKeypair().config().toBytes()));
    out.println("  collector private key   " + Base64Url.encode(task.collectorKeypair().privateKey()));
    out.println("Binaries (health check at /healthz, Prometheus metrics at /metrics on the same port)");
    for (LocalDeployment.Binary b : deployment.binaries()) {
      out.printf("  %-31s http://127.0.0.1:%d/healthz  %s%n", b.label(), b.healthCheckPort(), b.configFile());
    }
    out.println("PostgreSQL (user postgres, no password, loopback only)");
    out.println("  Leader database         " + deployment.databaseUrl(Role.LEADER));
    out.println("  Helper database         " + deployment.databaseUrl(Role.HELPER));
    out.println();
    out.println("Try janus_cli against it, from the repository root in another terminal:");
    out.println();
    out.println("  # upload " + task.minBatchSize() + " more measurements (the minimum batch size)");
    StringBuilder measurements = new StringBuilder();
    SplittableRandom random = new SplittableRandom(seed + 1);
    for (long i = 0; i < task.minBatchSize(); i++) {
      long[] m = profile.randomMeasurement(random);
      measurements.append(' ');
      for (int j = 0; j < m.length; j++) {
        measurements.append(j == 0 ? "" : ",").append(m[j]);
      }
    }
    out.println("  " + cli + " upload --leader " + task.leaderEndpoint() + " --helper " + task.helperEndpoint()
        + " \\\n      --task-id=" + task.id().toBase64Url() + " --time-precision " + precision + " " + vdafArgs
        + " \\\n     " + measurements);
    out.println();
    out.println("  # collect them: each time window can be collected once, and reports for a collected window are");
    out.println("  # rejected, so upload after the window the quickstart collected (it ended at "
        + Instant.ofEpochSecond(lastCollectedEnd) + ")");
    out.println("  " + cli + " collect --leader " + task.leaderEndpoint() + " --task-id=" + task.id().toBase64Url()
        + " " + vdafArgs + collectArgs + " \\\n      --authorization-bearer-token=" + task.collectorToken().token()
        + " \\\n      --hpke-config " + Base64Url.encode(task.collectorKeypair().config().toBytes())
        + " \\\n      --hpke-private-key=" + Base64Url.encode(task.collectorKeypair().privateKey())
        + " \\\n      --batch-interval-start $(( $(date +%s) / " + precision + " * " + precision + " ))"
        + " --batch-interval-duration " + precision);
    out.println();
    out.println("  # the aggregators' HPKE keys, and provisioning more tasks (samples/tasks.yaml shows the format)");
    out.println("  export DATASTORE_KEYS=" + deployment.datastoreKeys());
    out.println("  " + cli + " hpke list --config-file " + deployment.janusCliConfig(Role.LEADER));
    out.println("  " + cli + " provision-tasks --config-file " + deployment.janusCliConfig(Role.LEADER)
        + " --generate-missing-parameters --echo-tasks TASKS.yaml");
    out.flush();
  }

  /** The janus_cli options naming {@code vdaf}, e.g. {@code --vdaf histogram --length 10 --chunk-length 3}. */
  static String vdafArguments(VdafInstance vdaf) {
    return switch (vdaf) {
      case VdafInstance.Prio3Count c -> "--vdaf count";
      case VdafInstance.Prio3Sum s -> "--vdaf sum --bits " + s.bits();
      case VdafInstance.Prio3Histogram h -> "--vdaf histogram --length " + h.length() + " --chunk-length "
          + h.chunkLength();
      case VdafInstance.Prio3SumVec v -> "--vdaf sumvec --bits " + v.bits() + " --length " + v.length()
          + " --chunk-length " + v.chunkLength();
      case VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128 v -> "--vdaf "
          + "sumvecfield64multiproofhmacsha256aes128 --proofs " + v.proofs() + " --bits " + v.bits() + " --length "
          + v.length() + " --chunk-length " + v.chunkLength();
      case VdafInstance.Prio3SumMaxMeasurement s -> "--vdaf sum --max-measurement " + s.maxMeasurement();
      case VdafInstance.Prio3SumVecMaxMeasurement v -> "--vdaf sumvec --max-measurement " + v.maxMeasurement()
          + " --length " + v.length() + " --chunk-length " + v.chunkLength();
      case VdafInstance.Prio3MultihotCountVec v -> "--vdaf multihotcountvec --length " + v.length()
          + " --max-weight " + v.maxWeight() + " --chunk-length " + v.chunkLength();
    };
  }

  private static String tokenText(AuthenticationToken token) {
    return token.token() + " (" + (token.type() == AuthenticationTokenType.BEARER
        ? "Authorization: Bearer" : "DAP-Auth-Token") + ")";
  }

  /** Blocks until the JVM exits (Ctrl-C, SIGTERM); the shutdown hook then stops everything. */
  private static void awaitExit() {
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Time now() {
    return new Time(Instant.now().getEpochSecond());
  }

  private static String since(long startNanos) {
    return String.format("%.1f s", (System.nanoTime() - startNanos) / 1e9);
  }

  /** Sends the JVM's logs (embedded PostgreSQL, Helidon, the binaries) to {@code log} instead of the console. */
  private static Handler[] routeLogging(PrintStream log) {
    Logger root = LogManager.getLogManager().getLogger("");
    Handler[] previous = root.getHandlers();
    for (Handler h : previous) {
      root.removeHandler(h);
    }
    StreamHandler handler = new StreamHandler(log, new SimpleFormatter()) {
      @Override
      public synchronized void publish(java.util.logging.LogRecord record) {
        super.publish(record);
        flush();
      }
    };
    handler.setLevel(Level.INFO);
    root.addHandler(handler);
    return previous;
  }

  private static void restoreLogging(Handler[] previous) {
    Logger root = LogManager.getLogManager().getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    for (Handler h : previous) {
      root.addHandler(h);
    }
  }

  /** Deletes what it can under {@code directory}; a leftover temporary file is harmless, so failures are skipped. */
  private static void deleteRecursively(Path directory) {
    try {
      Files.walkFileTree(directory, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          deleteQuietly(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          // Typically a file PostgreSQL's own clean-up removed first.
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) {
          deleteQuietly(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      // Only the visitor's own failures end up here, and it reports none.
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // See deleteRecursively: best effort.
    }
  }

  /** The command line. */
  @Command(name = "quickstart", sortOptions = false, usageHelpAutoWidth = true,
      description = {
          "Runs a complete DAP-09 (or, with --dap-version 18, DAP-18) deployment in one JVM: embedded PostgreSQL (one database per aggregator), a Leader "
              + "(aggregator, aggregation job creator, aggregation job driver, collection job driver) and a Helper, "
              + "all on loopback ports. Provisions a Prio3 task, uploads random measurements with the client "
              + "library, collects them with the collector library and compares the aggregate with the plaintext "
              + "sum.",
          "Exit code 0 when they match, 1 when they differ or a step fails, 2 for a bad command line."})
  static final class Options {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--dap-version", paramLabel = "VERSION", defaultValue = "09",
        description = "The DAP draft the task speaks: 09 (Prio3 of VDAF-08) or 18 (Prio3 of VDAF-18) "
            + "(default: ${DEFAULT-VALUE}).")
    String dapVersion;

    @Option(names = "--vdaf", paramLabel = "VDAF", defaultValue = "sum",
        description = "Prio3 variant: count, sum, histogram, sumvec or sumvecfield64multiproofhmacsha256aes128 "
            + "(Janus's Field64 multiproof SumVec, 2 proofs) (default: ${DEFAULT-VALUE}).")
    VdafProfile.Kind vdaf;

    @Option(names = "--bits", paramLabel = "N", defaultValue = "8",
        description = "Bits per measurement for sum and the sumvecs (default: ${DEFAULT-VALUE}).")
    int bits;

    @Option(names = "--length", paramLabel = "N", defaultValue = "10",
        description = "Buckets for histogram, elements for the sumvecs (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = {"-n", "--measurements"}, paramLabel = "N", defaultValue = "1000",
        description = "How many measurements to upload (default: ${DEFAULT-VALUE}).")
    int measurements;

    @Option(names = "--seed", paramLabel = "SEED",
        description = "Seed for the random measurements (default: random, and printed).")
    Long seed;

    @Option(names = "--time-precision", paramLabel = "SECONDS", defaultValue = "60",
        description = "The task's time precision (default: ${DEFAULT-VALUE}).")
    long timePrecision;

    @Option(names = "--collect-timeout", paramLabel = "SECONDS", defaultValue = "60",
        description = "How long to wait for the collection job (default: ${DEFAULT-VALUE}).")
    long collectTimeout;

    @Option(names = "--keep-running",
        description = "Afterwards keep everything running and print the endpoints, task ID, tokens and the "
            + "janus_cli commands to use against it, until Ctrl-C.")
    boolean keepRunning;

    @Option(names = "--work-dir", paramLabel = "DIR",
        description = "Where configuration files, logs and the database go (default: a new temporary directory,"
            + " deleted after a successful run).")
    Path workDirectory;

    /** The VDAF these options choose, validated. */
    VdafProfile profile() {
      if (measurements < 1 || measurements > 1_000_000) {
        throw new IllegalArgumentException("--measurements must be 1..1000000, got " + measurements);
      }
      if (timePrecision < 1) {
        throw new IllegalArgumentException("--time-precision must be positive, got " + timePrecision);
      }
      if (collectTimeout < 1) {
        throw new IllegalArgumentException("--collect-timeout must be positive, got " + collectTimeout);
      }
      VdafProfile profile = new VdafProfile(vdaf, bits, length);
      profile.instance(version());
      return profile;
    }

    /** The draft {@code --dap-version} names. */
    DapVersion version() {
      return switch (dapVersion.strip().toLowerCase(java.util.Locale.ROOT)) {
        case "09", "9", "dap-09" -> DapVersion.DAP_09;
        case "18", "dap-18" -> DapVersion.DAP_18;
        default -> throw new IllegalArgumentException("--dap-version must be 09 or 18, got " + dapVersion);
      };
    }
  }
}
