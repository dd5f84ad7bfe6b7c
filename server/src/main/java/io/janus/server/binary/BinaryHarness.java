package io.janus.server.binary;

import com.zaxxer.hikari.HikariDataSource;
import io.janus.core.Clock;
import io.janus.core.hpke.Hpke;
import io.janus.server.config.BinaryConfig;
import io.janus.server.config.CommonConfig;
import io.janus.server.config.ConfigException;
import io.janus.server.config.ConfigLoader;
import io.janus.server.config.DatabaseConfig;
import io.janus.server.config.ListenAddress;
import io.janus.server.config.LoggingConfig;
import io.janus.server.config.MetricsConfig;
import io.janus.server.datastore.Crypter;
import io.janus.server.datastore.Datastore;
import io.janus.server.datastore.SchemaVersion;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * The one start-up path every binary takes, after Janus's {@code janus_main}: parse the common options, load and
 * validate the YAML configuration, set up logging, metrics, tracing and the health server, connect the datastore
 * (checking the schema version), wire SIGTERM/SIGINT to a {@link Stopper}, then run the binary's
 * {@link BinaryMain}. When it returns, the harness closes everything in reverse order.
 *
 * <p>A binary's {@code main} is one line:
 *
 * <pre>{@code
 * System.exit(BinaryHarness.run("aggregation_job_driver", args, Config.class, ctx -> ...));
 * }</pre>
 *
 * <p>Any start-up failure (missing or invalid configuration file, unknown key, bad database URL, unreachable
 * database, unsupported schema version, missing {@code DATASTORE_KEYS}, a port already in use) returns exit code
 * 1 after printing exactly one line to standard error, naming the problem; no stack trace. Logs go to standard
 * output.
 */
public final class BinaryHarness {
  private static final Logger LOG = Logger.getLogger(BinaryHarness.class.getName());

  private BinaryHarness() {}

  /**
   * Runs a binary that uses the datastore, with the system clock, environment and standard streams.
   *
   * @param binaryName the binary's name, used in logs, metrics and error lines (e.g. {@code aggregator})
   * @param args the command line
   * @param configClass the binary's configuration record
   * @param main the binary's body
   * @return the process exit code: 0 after a normal stop, 1 after a start-up failure or a failed body
   */
  public static <C extends Record & BinaryConfig> int run(
      String binaryName, String[] args, Class<C> configClass, BinaryMain<C> main) {
    return builder(binaryName, configClass).run(args, main);
  }

  /** A harness to customize before {@link Builder#run running}: extra options, no datastore, a clock. */
  public static <C extends Record & BinaryConfig> Builder<C> builder(String binaryName, Class<C> configClass) {
    return new Builder<>(binaryName, configClass);
  }

  /**
   * Settings for one harness run. Not thread-safe; build and run on one thread.
   *
   * @param <C> the binary's configuration record
   */
  public static final class Builder<C extends Record & BinaryConfig> {
    private final String name;
    private final Class<C> configClass;
    private final List<Object> optionMixins = new ArrayList<>();
    private boolean useDatastore = true;
    private Clock clock = Clock.SYSTEM;
    private Duration shutdownGracePeriod = Duration.ofSeconds(30);
    private Map<String, String> environment = System.getenv();
    private PrintStream out = System.out;
    private PrintStream err = System.err;
    private boolean installShutdownHook = true;
    private Optional<OpenTelemetry> openTelemetry = Optional.empty();
    private Stopper stopper = new Stopper();

    private Builder(String name, Class<C> configClass) {
      if (name.isBlank()) {
        throw new IllegalArgumentException("binary name must not be blank");
      }
      this.name = name;
      this.configClass = configClass;
    }

    /**
     * Adds a picocli-annotated object whose {@code @Option}/{@code @Parameters} fields are parsed from the same
     * command line as the common options; the binary keeps the reference and reads the fields in its body.
     */
    public Builder<C> options(Object picocliAnnotated) {
      optionMixins.add(picocliAnnotated);
      return this;
    }

    /**
     * Runs without a datastore: no connection pool, no schema check, no {@code DATASTORE_KEYS} needed, and
     * {@link BinaryContext#datastore()} throws. For tools such as key generators.
     */
    public Builder<C> withoutDatastore() {
      useDatastore = false;
      return this;
    }

    /** The clock handed to the binary and the datastore (default: the system clock). */
    public Builder<C> clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * How long a SIGTERM waits for the binary's body to return and the harness to close everything before the
     * JVM exits anyway (default 30 s).
     */
    public Builder<C> shutdownGracePeriod(Duration gracePeriod) {
      if (gracePeriod.isNegative()) {
        throw new IllegalArgumentException("grace period must not be negative");
      }
      this.shutdownGracePeriod = gracePeriod;
      return this;
    }

    /** The environment variables to read options from (default: the process environment); for tests. */
    public Builder<C> environment(Map<String, String> environment) {
      this.environment = Map.copyOf(environment);
      return this;
    }

    /** Where logs ({@code out}) and the start-up failure line ({@code err}) go; for tests. */
    public Builder<C> streams(PrintStream out, PrintStream err) {
      this.out = out;
      this.err = err;
      return this;
    }

    /**
     * Whether to turn SIGTERM/SIGINT into a stop (default true). Tests that run several harnesses in one JVM
     * turn it off and stop the binary through its {@link Stopper}.
     */
    public Builder<C> installShutdownHook(boolean install) {
      this.installShutdownHook = install;
      return this;
    }

    /**
     * The stop signal handed to the binary (default: a new one). An embedder that runs the harness on a thread of
     * its own trips it to stop the binary as SIGTERM would.
     */
    public Builder<C> stopper(Stopper stopper) {
      this.stopper = stopper;
      return this;
    }

    /**
     * Uses {@code openTelemetry} for the binary's and the datastore's spans instead of building one from
     * {@code logging_config.open_telemetry_config}, which is then ignored. The caller keeps ownership: the harness
     * does not shut it down. For tests (an in-memory exporter) and for embedding binaries in a process that already
     * has an OpenTelemetry SDK.
     */
    public Builder<C> openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = Optional.of(openTelemetry);
      return this;
    }

    /**
     * Parses {@code args}, starts everything and runs {@code main} until it returns.
     *
     * @return the process exit code: 0 after a normal stop or {@code --help}, 1 after any failure
     */
    public int run(String[] args, BinaryMain<C> main) {
      return new Run<>(this).execute(args, main);
    }
  }

  /** A start-up failure with an operator-facing one-line reason. */
  private static final class StartupException extends RuntimeException {
    StartupException(String message) {
      super(message);
    }
  }

  /** One execution of the harness. */
  private static final class Run<C extends Record & BinaryConfig> {
    private final Builder<C> b;
    private final Stopper stopper;
    private final AtomicBoolean ready = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);

    Run(Builder<C> builder) {
      this.b = builder;
      this.stopper = builder.stopper;
    }

    int execute(String[] args, BinaryMain<C> main) {
      CommonOptions options = new CommonOptions();
      CommandLine cl = commandLine(options);
      try {
        cl.parseArgs(args);
      } catch (ParameterException e) {
        return fail(e.getMessage() + " (see --help)");
      }
      if (cl.isUsageHelpRequested()) {
        cl.usage(b.out);
        return 0;
      }
      options.applyEnvironment(b.environment);

      Level level = Level.INFO;
      try {
        String levelName = b.environment.get(ProcessLogging.LEVEL_ENV);
        if (levelName != null) {
          level = ProcessLogging.level(levelName);
        }
      } catch (IllegalArgumentException e) {
        return fail(e.getMessage());
      }
      boolean terminal = ProcessLogging.stdoutIsTerminal();
      // Until the configuration says otherwise, log in the format the terminal check picks.
      ProcessLogging.install(b.out, terminal ? ProcessLogging.Format.TEXT : ProcessLogging.Format.JSON, level);

      C config;
      // Warnings about ignored keys wait until logging is set up, so they come out in the binary's log format.
      List<String> configWarnings = new ArrayList<>();
      try {
        Path file = options.configFile().orElseThrow(() -> new StartupException(
            "no configuration file: pass --config-file or set " + CommonOptions.CONFIG_FILE_ENV));
        config = ConfigLoader.load(file, b.configClass, configWarnings::add);
      } catch (ConfigException | StartupException e) {
        return fail(e.getMessage());
      }
      CommonConfig common = config.common();
      ProcessLogging.install(b.out, logFormat(common.loggingConfig(), terminal), level);
      configWarnings.forEach(LOG::warning);
      LOG.info(() -> "starting " + b.name + " with " + options + " and configuration " + config);
      // Choose HPKE's X25519 implementation now, so its one log line comes at start rather than at the first report.
      Hpke.x25519Implementation();

      Thread hook = new Thread(this::onSignal, b.name + "-shutdown");
      try (Resources resources = new Resources()) {
        BinaryContext<C> context;
        try {
          context = start(config, common, options, resources);
        } catch (ConfigException | StartupException e) {
          return fail(e.getMessage());
        } catch (RuntimeException e) {
          LOG.log(Level.SEVERE, b.name + " failed to start", e);
          return fail("start-up failed: " + rootMessage(e));
        }
        if (b.installShutdownHook) {
          Runtime.getRuntime().addShutdownHook(hook);
        }
        ready.set(true);
        LOG.info(() -> b.name + " started; health check on port " + context.healthCheckPort());
        try {
          main.run(context);
          LOG.info(() -> b.name + " stopped");
          return 0;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          LOG.log(Level.SEVERE, b.name + " was interrupted", e);
          return fail("interrupted");
        } catch (Exception e) {
          LOG.log(Level.SEVERE, b.name + " failed", e);
          return fail("failed: " + rootMessage(e));
        } finally {
          ready.set(false);
        }
      } finally {
        finished.countDown();
        if (b.installShutdownHook) {
          removeHook(hook);
        }
      }
    }

    private BinaryContext<C> start(C config, CommonConfig common, CommonOptions options, Resources resources) {
      // Check the cheap, local inputs before opening sockets or connections.
      Optional<Crypter> crypter = Optional.empty();
      if (b.useDatastore) {
        String keys = options.datastoreKeys().orElseThrow(() -> new StartupException(
            "no datastore keys: pass --datastore-keys or set " + CommonOptions.DATASTORE_KEYS_ENV));
        try {
          crypter = Optional.of(Crypter.fromDatastoreKeys(keys));
        } catch (IllegalArgumentException e) {
          throw new StartupException("invalid datastore keys: " + e.getMessage());
        }
      }

      MeterRegistry meters = Telemetry.meterRegistry(common.metricsConfig(), resources);
      OpenTelemetry otel = b.openTelemetry
          .orElseGet(() -> Telemetry.openTelemetry(b.name, common.loggingConfig(), resources));

      ListenAddress healthAddress = common.healthCheckListenAddress();
      Optional<ListenAddress> metricsAddress = common.metricsConfig().exporter()
          .flatMap(MetricsConfig.ExporterConfig::prometheus)
          .map(MetricsConfig.PrometheusConfig::listenAddress);
      Optional<PrometheusMeterRegistry> prometheus = Telemetry.prometheus(meters);
      // One server when both share an address (port 0 means "any", so two of those are never shared).
      boolean shared = metricsAddress.isPresent() && metricsAddress.get().equals(healthAddress)
          && healthAddress.port() != 0;
      AdminServer health = listen("health_check_listen_address", healthAddress,
          () -> AdminServer.start(healthAddress, ready, true, shared ? prometheus : Optional.empty()));
      resources.add(health::close);
      OptionalInt metricsPort = OptionalInt.empty();
      if (shared) {
        metricsPort = OptionalInt.of(health.port());
      } else if (metricsAddress.isPresent()) {
        ListenAddress address = metricsAddress.get();
        AdminServer metrics = listen("metrics_config.exporter.prometheus", address,
            () -> AdminServer.start(address, ready, false, prometheus));
        resources.add(metrics::close);
        metricsPort = OptionalInt.of(metrics.port());
      }

      Optional<Datastore> datastore = Optional.empty();
      if (crypter.isPresent()) {
        datastore = Optional.of(datastore(common, options, crypter.get(), meters, otel, resources));
      }
      return new BinaryContext<>(b.name, b.clock, config, options, datastore, meters, otel, stopper, health.port(),
          metricsPort);
    }

    private Datastore datastore(CommonConfig common, CommonOptions options, Crypter crypter, MeterRegistry meters,
        OpenTelemetry otel, Resources resources) {
      DatabaseConfig db = common.database();
      // --database-password/PGPASSWORD wins over a password in the URL, as in Janus.
      Optional<String> password = options.databasePassword().or(() -> db.url().password());
      HikariDataSource dataSource;
      try {
        dataSource = Datastore.dataSource(db.jdbcUrl(), password, db.effectiveConnectionPoolMaxSize(),
            Duration.ofSeconds(db.connectionPoolTimeoutsS()));
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "connection pool failed to start", e);
        throw new StartupException("cannot connect to the database at " + db.url() + ": " + rootMessage(e));
      }
      resources.add(dataSource::close);
      if (db.checkSchemaVersion()) {
        try {
          SchemaVersion.check(dataSource);
        } catch (SchemaVersion.SchemaVersionException e) {
          throw new StartupException(e.getMessage());
        } catch (RuntimeException e) {
          LOG.log(Level.FINE, "schema version check failed", e);
          throw new StartupException("cannot read the database schema version: " + rootMessage(e));
        }
      }
      return new Datastore(dataSource, crypter, b.clock, common.maxTransactionRetries(), meters,
          otel.getTracer(Datastore.INSTRUMENTATION_SCOPE));
    }

    private AdminServer listen(String key, ListenAddress address, Supplier<AdminServer> start) {
      try {
        return start.get();
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "server failed to start", e);
        throw new StartupException("cannot listen on " + key + " " + address + ": " + rootMessage(e));
      }
    }

    /** Runs on the JVM's shutdown thread: ask the binary to stop, then give it the grace period to finish. */
    private void onSignal() {
      if (finished.getCount() == 0) {
        return;
      }
      LOG.info(() -> "shutdown requested; stopping " + b.name);
      stopper.stop();
      try {
        if (!finished.await(b.shutdownGracePeriod.toNanos(), TimeUnit.NANOSECONDS)) {
          LOG.warning(() -> b.name + " did not stop within " + b.shutdownGracePeriod + "; exiting anyway");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private CommandLine commandLine(CommonOptions options) {
      CommandSpec spec = CommandSpec.create().name(b.name);
      spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help and exit.")
          .build());
      spec.addMixin("common", CommandSpec.forAnnotatedObject(options));
      for (int i = 0; i < b.optionMixins.size(); i++) {
        spec.addMixin("binary" + i, CommandSpec.forAnnotatedObject(b.optionMixins.get(i)));
      }
      return new CommandLine(spec);
    }

    private int fail(String reason) {
      b.err.println(b.name + ": " + oneLine(reason));
      b.err.flush();
      return 1;
    }
  }

  private static ProcessLogging.Format logFormat(LoggingConfig config, boolean terminal) {
    if (config.stackdriverJsonOutput()) {
      return ProcessLogging.Format.STACKDRIVER_JSON;
    }
    return config.forceJsonOutput() || !terminal ? ProcessLogging.Format.JSON : ProcessLogging.Format.TEXT;
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down: the hook is running or about to, and will see that we finished.
    }
  }

  /** The innermost message of a failure chain, which is the one that names the actual problem. */
  static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage();
    return m == null || m.isBlank() ? root.getClass().getSimpleName() : m;
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }
}
