package io.janus.bench.e2e;

import com.zaxxer.hikari.HikariDataSource;
import io.janus.aggregationjobcreator.AggregationJobCreator;
import io.janus.aggregationjobdriver.AggregationJobDriver;
import io.janus.aggregator.Aggregator;
import io.janus.collectionjobdriver.CollectionJobDriver;
import io.janus.core.Clock;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.server.binary.BinaryServices;
import io.janus.server.binary.InProcessRunner;
import io.janus.server.binary.RunningBinary;
import io.janus.server.config.ListenAddress;
import io.janus.server.datastore.Crypter;
import io.janus.server.datastore.Datastore;
import io.janus.server.datastore.Migrations;
import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.server.job.JobDriver;
import io.janus.server.job.PeerHttpConfig;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.core.task.VdafInstance;
import io.janus.core.vdaf.VdafDispatch;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeAlgorithms;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A whole DAP deployment in this JVM, on loopback: a Helper and a Leader aggregator, each on its own embedded
 * PostgreSQL migrated with the production schema, plus the Leader's aggregation job creator, aggregation job driver
 * and collection job driver, all started through their production entry points ({@link InProcessRunner}) with
 * settings finer than a configuration file allows, on the system clock. One time_interval task (Prio3Count, or the
 * VDAF given) is
 * provisioned on both aggregators.
 *
 * <p>{@link #close()} stops the job binaries, both aggregators and both databases (deleting their data).
 */
final class Pipeline implements AutoCloseable {
  /** The task's time precision: an hour, so the whole run's reports fall into one batch interval. */
  static final DapDuration TIME_PRECISION = DapDuration.ofSeconds(3600);
  private static final int TASK_COUNTER_SHARDS = 32;

  /**
   * How the deployment is tuned; the names follow the Janus configuration keys.
   *
   * @param jobInterval {@code aggregation_job_creation_interval_s} and {@code job_discovery_interval_s}, also the
   *     collection job retry delay
   * @param minJobSize {@code min_aggregation_job_size}
   * @param maxJobSize {@code max_aggregation_job_size}
   * @param jobWorkers {@code max_concurrent_job_workers} of each job driver
   * @param shards {@code batch_aggregation_shard_count}, the same everywhere
   * @param uploadBatchSize {@code max_upload_batch_size} of both aggregators
   * @param uploadBatchDelayMs {@code max_upload_batch_write_delay_ms} of both aggregators
   * @param dbPoolSize connections in each database's pool, shared by everything in this JVM that uses it
   * @param synchronousCommit PostgreSQL's {@code synchronous_commit} on both databases ({@code on} in production)
   * @param statementStats whether both databases load {@code pg_stat_statements} (see {@link #topStatements})
   */
  record Settings(Duration jobInterval, int minJobSize, int maxJobSize, int jobWorkers, int shards,
      int uploadBatchSize, long uploadBatchDelayMs, int dbPoolSize, String synchronousCommit,
      boolean statementStats) {}

  /** One role's PostgreSQL, its pool and a datastore over it; {@code dataDirectory} holds postmaster.pid. */
  private record Database(EmbeddedPostgres postgres, Path dataDirectory, HikariDataSource dataSource,
      Datastore datastore, SimpleMeterRegistry meters) implements AutoCloseable {
    static Database start(String role, Settings settings, Crypter crypter) throws IOException {
      Path dir = Files.createTempDirectory("janus-e2e-" + role + "-");
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
          .setDataDirectory(dir)
          .setCleanDataDirectory(true)
          .setServerConfig("synchronous_commit", settings.synchronousCommit())
          .setServerConfig("max_connections", "100");
      if (settings.statementStats()) {
        builder.setServerConfig("shared_preload_libraries", "pg_stat_statements");
      }
      EmbeddedPostgres pg = builder.start();
      try {
        HikariDataSource ds = Datastore.dataSource(pg.getJdbcUrl("postgres", "postgres"), Optional.empty(),
            settings.dbPoolSize(), Duration.ofSeconds(30));
        Migrations.migrate(ds);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        return new Database(pg, dir, ds, new Datastore(ds, crypter, Clock.SYSTEM, 1000, meters), meters);
      } catch (RuntimeException e) {
        pg.close();
        throw e;
      }
    }

    /** The postmaster's process ID, from the first line of {@code postmaster.pid}. */
    long postmasterPid() {
      try {
        return Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read postmaster.pid in " + dataDirectory, e);
      }
    }

    /**
     * The {@code n} statements that took the most execution time since the server started, one line each: total
     * and mean milliseconds, calls, and the statement's first line (its {@code -- name()} comment).
     */
    List<String> topStatements(int n) {
      try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
        s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT total_exec_time, mean_exec_time, calls, query "
            + "FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT " + n)) {
          while (rs.next()) {
            String query = rs.getString(4).strip();
            int eol = query.indexOf('\n');
            out.add(String.format(Locale.ROOT, "%8.0f ms total %7.2f ms mean %7d calls  %s", rs.getDouble(1),
                rs.getDouble(2), rs.getLong(3), (eol > 0 ? query.substring(0, eol) : query).strip()));
          }
        }
        c.commit();
        return out;
      } catch (SQLException e) {
        throw new IllegalStateException("cannot read pg_stat_statements", e);
      }
    }

    @Override
    public void close() throws IOException {
      try {
        dataSource.close();
      } finally {
        postgres.close();
      }
    }
  }

  private final Settings settings;
  private final InProcessRunner runner = new InProcessRunner();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private Database helperDb;
  private Database leaderDb;
  private RunningBinary helperServer;
  private RunningBinary leaderServer;
  private Task leaderTask;
  private HpkeKeypair helperKey;
  private HpkeKeypair collectorKey;
  private AuthenticationToken collectorToken;

  private Pipeline(Settings settings) {
    this.settings = settings;
  }

  /**
   * Starts both databases and aggregators, provisions the task (keys and tokens derived from {@code seed}), then
   * starts the job components.
   *
   * @param minBatchSize the task's {@code min_batch_size}
   * @param vdaf the task's VDAF
   * @throws IOException if PostgreSQL cannot start
   */
  static Pipeline start(Settings settings, long seed, long minBatchSize, VdafInstance vdaf) throws IOException {
    Pipeline p = new Pipeline(settings);
    try {
      p.startAll(seed, minBatchSize, vdaf);
      return p;
    } catch (IOException | RuntimeException e) {
      p.close();
      throw e;
    }
  }

  private void startAll(long seed, long minBatchSize, VdafInstance vdaf) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    Crypter crypter = Crypter.fromDatastoreKeys(Crypter.generateKey(new SecureRandom()));
    helperDb = Database.start("helper", settings, crypter);
    closeables.add(helperDb);
    leaderDb = Database.start("leader", settings, crypter);
    closeables.add(leaderDb);
    closeables.add(runner);
    helperServer = aggregator(helperDb);
    leaderServer = aggregator(leaderDb);

    TaskId id = new TaskId(bytes(random, TaskId.LENGTH));
    byte[] verifyKey = bytes(random, VdafDispatch.forInstance(vdaf).verifyKeyLength());
    HpkeKeypair leaderKey = keypair(1, random);
    helperKey = keypair(2, random);
    collectorKey = keypair(3, random);
    AuthenticationToken aggregatorToken = token(AuthenticationTokenType.BEARER, random);
    collectorToken = token(AuthenticationTokenType.DAP_AUTH, random);
    Task.Builder leader = Task.builder(id, Role.LEADER, endpoint(helperPort()), new QueryType.TimeInterval(),
            vdaf, verifyKey, TIME_PRECISION, collectorKey.config())
        .aggregatorAuthToken(aggregatorToken)
        .collectorAuthTokenHash(collectorToken.hash())
        .hpkeKeys(List.of(leaderKey));
    Task.Builder helper = Task.builder(id, Role.HELPER, endpoint(leaderPort()), new QueryType.TimeInterval(),
            vdaf, verifyKey, TIME_PRECISION, collectorKey.config())
        .aggregatorAuthTokenHash(aggregatorToken.hash())
        .hpkeKeys(List.of(helperKey));
    for (Task.Builder b : List.of(leader, helper)) {
      b.minBatchSize(minBatchSize).maxBatchQueryCount(1).tolerableClockSkew(DapDuration.ofSeconds(60));
    }
    leaderTask = leader.build();
    Task helperTask = helper.build();
    helperDb.datastore().run("e2e_put_task", tx -> tx.tasks().put(helperTask));
    leaderDb.datastore().run("e2e_put_task", tx -> tx.tasks().put(leaderTask));
    startJobComponents();
  }

  private RunningBinary aggregator(Database db) {
    io.janus.aggregator.Main.Settings aggregator = new io.janus.aggregator.Main.Settings(
        new ListenAddress("127.0.0.1", 0), new Aggregator.Settings(settings.uploadBatchSize(),
            settings.uploadBatchDelayMs(), settings.shards(), TASK_COUNTER_SHARDS, 600_000, 1_000, 1_800_000));
    return runner.start(() -> io.janus.aggregator.Main.start(aggregator, services(db)));
  }

  /** The services of a binary on {@code db}'s datastore and meters, with a stopper of its own. */
  private static BinaryServices services(Database db) {
    return BinaryServices.of(Clock.SYSTEM, db.datastore(), db.meters());
  }

  private void startJobComponents() {
    Duration interval = settings.jobInterval();
    PeerHttpConfig http = new PeerHttpConfig(10, 30, 100, 1_000, 30_000);
    JobDriver.Settings jobs = new JobDriver.Settings(interval, settings.jobWorkers(), Duration.ofSeconds(60),
        Duration.ofSeconds(5));
    // The creator re-reads the task list rarely: the one task exists before it starts.
    runner.start(() -> io.janus.aggregationjobcreator.Main.start(new io.janus.aggregationjobcreator.Main.Settings(
        new AggregationJobCreator.Settings(settings.shards(), settings.minJobSize(), settings.maxJobSize(),
            settings.maxJobSize() * 10, 0), interval, Duration.ofMinutes(10)), services(leaderDb)));
    runner.start(() -> io.janus.aggregationjobdriver.Main.start(new io.janus.aggregationjobdriver.Main.Settings(
        new AggregationJobDriver.Settings(settings.shards(), 10, TASK_COUNTER_SHARDS), jobs, http),
        services(leaderDb)));
    runner.start(() -> io.janus.collectionjobdriver.Main.start(new io.janus.collectionjobdriver.Main.Settings(
        new CollectionJobDriver.Settings(settings.shards(), 10, interval, interval, 1.0), jobs, http),
        services(leaderDb)));
  }

  /** The Leader's HTTP port on 127.0.0.1. */
  int leaderPort() {
    return leaderServer.port().orElseThrow();
  }

  /** The Helper's HTTP port on 127.0.0.1. */
  int helperPort() {
    return helperServer.port().orElseThrow();
  }

  /** The task as the Leader stores it (its HPKE keypair holds the Leader's config). */
  Task leaderTask() {
    return leaderTask;
  }

  /** The Helper's HPKE keypair for the task. */
  HpkeKeypair helperKey() {
    return helperKey;
  }

  /** The collector's HPKE keypair. */
  HpkeKeypair collectorKey() {
    return collectorKey;
  }

  /** The collector's token (the Leader stores only its hash). */
  AuthenticationToken collectorToken() {
    return collectorToken;
  }

  /** The metrics of the Leader's aggregator, job components and datastore. */
  SimpleMeterRegistry leaderMeters() {
    return leaderDb.meters();
  }

  /** The metrics of the Helper's aggregator and datastore. */
  SimpleMeterRegistry helperMeters() {
    return helperDb.meters();
  }

  /** The Leader database's busiest statements; needs {@link Settings#statementStats()}. */
  List<String> leaderTopStatements(int n) {
    return leaderDb.topStatements(n);
  }

  /** The Helper database's busiest statements; needs {@link Settings#statementStats()}. */
  List<String> helperTopStatements(int n) {
    return helperDb.topStatements(n);
  }

  /** The Leader database's postmaster process ID. */
  long leaderPostmasterPid() {
    return leaderDb.postmasterPid();
  }

  /** The Helper database's postmaster process ID. */
  long helperPostmasterPid() {
    return helperDb.postmasterPid();
  }

  private static URI endpoint(int port) {
    return URI.create("http://127.0.0.1:" + port + "/");
  }

  private static HpkeKeypair keypair(int configId, SplittableRandom random) {
    return Hpke.derive(configId, HpkeAlgorithms.KEM_X25519_HKDF_SHA256, HpkeAlgorithms.KDF_HKDF_SHA256,
        HpkeAlgorithms.AEAD_AES_128_GCM, bytes(random, 32));
  }

  private static AuthenticationToken token(AuthenticationTokenType type, SplittableRandom random) {
    return new AuthenticationToken(type, HexFormat.of().formatHex(bytes(random, 16)));
  }

  private static byte[] bytes(SplittableRandom random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /** Stops the job binaries, then both aggregators, then both databases; reports the first failure. */
  @Override
  public void close() throws IOException {
    IOException failure = null;
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IOException("shutting the pipeline down failed", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
