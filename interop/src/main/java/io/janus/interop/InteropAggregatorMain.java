package io.janus.interop;

import io.janus.core.Clock;
import io.janus.server.datastore.Crypter;
import io.janus.server.datastore.Datastore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The {@code janus_interop_aggregator} binary: aggregator, job creator and both job drivers in one process, over
 * an embedded PostgreSQL unless {@code --database-url} (or {@code JANUS_INTEROP_DATABASE_URL}) names one.
 */
@Command(name = "janus_interop_aggregator", mixinStandardHelpOptions = true,
    description = "Interop test aggregator, Leader or Helper, for DAP-09 and DAP-18 tasks"
        + " (draft-dcook-ppm-dap-interop-test-design-07; DAP-18 requests as Janus main's interop binaries take them).")
public final class InteropAggregatorMain implements Callable<Integer> {
  @Mixin
  ListenOptions listen;

  @Option(names = "--database-url", defaultValue = "${env:JANUS_INTEROP_DATABASE_URL}",
      description = "JDBC URL of a PostgreSQL database to use instead of an embedded server"
          + " (env JANUS_INTEROP_DATABASE_URL).")
  String databaseUrl;

  @Option(names = "--datastore-keys", defaultValue = "${env:DATASTORE_KEYS}",
      description = "Comma-separated base64url datastore keys (env DATASTORE_KEYS); a random key if unset, which"
          + " suits a fresh database only.")
  String datastoreKeys;

  @Option(names = "--job-interval-ms", defaultValue = "250",
      description = "How often the job creator and drivers look for work, in ms (default: ${DEFAULT-VALUE}).")
  long jobIntervalMs;

  /** Runs the aggregator until SIGTERM; exits 2 on a bad command line, 1 if it cannot start. */
  public static void main(String[] args) {
    System.exit(ListenOptions.execute(new InteropAggregatorMain(), args));
  }

  @Override
  public Integer call() throws InterruptedException {
    listen.installLogFile("janus_interop_aggregator");
    InteropAggregator.Settings defaults = InteropAggregator.Settings.DEFAULT;
    InteropAggregator.Settings settings = new InteropAggregator.Settings(Duration.ofMillis(jobIntervalMs),
        defaults.maxAggregationJobSize(), defaults.batchAggregationShardCount(), defaults.tolerableClockSkew());
    Optional<String> url = Optional.ofNullable(databaseUrl).filter(u -> !u.isBlank());
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (ShutdownHook hook = ShutdownHook.install("janus_interop_aggregator");
        InteropDatabase db = InteropDatabase.open(url)) {
      // Without configured keys a fresh one per process suits the usual fresh (embedded) database.
      Crypter crypter = Crypter.fromDatastoreKeys(Optional.ofNullable(datastoreKeys).filter(k -> !k.isBlank())
          .orElseGet(() -> Crypter.generateKey(new SecureRandom())));
      Datastore datastore = new Datastore(db.dataSource(), crypter, Clock.SYSTEM, 10, meters);
      try (InteropAggregator aggregator = InteropAggregator.start(datastore, Clock.SYSTEM, meters, settings,
          listen.host(), listen.port())) {
        ListenOptions.announce("janus_interop_aggregator", aggregator.port(), System.out);
        hook.awaitSignal();
      }
    }
    return 0;
  }
}
