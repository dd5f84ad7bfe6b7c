package io.janus.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.janus.aggregator.Aggregator;
import io.janus.aggregator.Main;
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
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.core.task.VdafInstance;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeAlgorithms;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A Leader aggregator serving uploads for one Prio3Count task over real HTTP on loopback, backed by a real
 * PostgreSQL: an embedded server (io.zonky binaries) started for the run, migrated with the production schema, and
 * the aggregator binary started through its production entry point ({@link InProcessRunner}), with the system
 * clock.
 *
 * <p>Closing it stops the HTTP server, flushes the upload batcher, and stops PostgreSQL (deleting its data).
 */
final class LeaderUnderTest implements AutoCloseable {
  /** Time precision of the task: reports are stamped in whole minutes. */
  static final DapDuration TIME_PRECISION = DapDuration.ofSeconds(60);

  /**
   * How the Leader is tuned.
   *
   * @param maxUploadBatchSize most reports per upload transaction
   * @param maxUploadBatchWriteDelayMs longest wait for a batch to fill
   * @param databasePoolSize connections in the datastore's pool
   * @param synchronousCommit PostgreSQL's {@code synchronous_commit} ({@code on} is the production default)
   */
  record Settings(int maxUploadBatchSize, long maxUploadBatchWriteDelayMs, int databasePoolSize,
      String synchronousCommit) {}

  private final EmbeddedPostgres postgres;
  private final HikariDataSource dataSource;
  private final InProcessRunner runner = new InProcessRunner();
  private final RunningBinary leader;
  private final Task task;
  private final HpkeKeypair helperKey;

  private LeaderUnderTest(Settings settings, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    HpkeKeypair leaderKey = keypair(1, random);
    helperKey = keypair(2, random);
    HpkeKeypair collectorKey = keypair(3, random);
    task = Task.builder(new TaskId(bytes(random, TaskId.LENGTH)), Role.LEADER, URI.create("http://127.0.0.1:9/"),
            new QueryType.TimeInterval(), new VdafInstance.Prio3Count(), bytes(random, 16), TIME_PRECISION,
            collectorKey.config())
        .aggregatorAuthToken(token(random))
        .collectorAuthTokenHash(token(random).hash())
        .minBatchSize(100)
        .hpkeKeys(List.of(leaderKey))
        .build();
    postgres = EmbeddedPostgres.builder()
        .setServerConfig("synchronous_commit", settings.synchronousCommit())
        .start();
    HikariDataSource pool = null;
    try {
      pool = Datastore.dataSource(postgres.getJdbcUrl("postgres", "postgres"), Optional.empty(),
          settings.databasePoolSize(), Duration.ofSeconds(30));
      Migrations.migrate(pool);
      Datastore datastore = new Datastore(pool, Crypter.fromDatastoreKeys(Crypter.generateKey(new SecureRandom())),
          Clock.SYSTEM, 10, new SimpleMeterRegistry());
      datastore.run("bench_put_task", tx -> tx.tasks().put(task));
      Main.Settings leaderSettings = new Main.Settings(new ListenAddress("127.0.0.1", 0),
          new Aggregator.Settings(settings.maxUploadBatchSize(), settings.maxUploadBatchWriteDelayMs(), 32, 32,
              600_000, 10_000, 1_800_000));
      leader = runner.start(() -> Main.start(leaderSettings,
          BinaryServices.of(Clock.SYSTEM, datastore, new SimpleMeterRegistry())));
    } catch (RuntimeException e) {
      if (pool != null) {
        pool.close();
      }
      postgres.close();
      throw e;
    }
    dataSource = pool;
  }

  /**
   * Starts PostgreSQL and the Leader, and stores a fresh Prio3Count task whose keys derive from {@code seed}.
   *
   * @throws IOException if PostgreSQL cannot start
   */
  static LeaderUnderTest start(Settings settings, long seed) throws IOException {
    return new LeaderUnderTest(settings, seed);
  }

  /** The port the Leader listens on, on 127.0.0.1. */
  int port() {
    return leader.port().orElseThrow();
  }

  /** The Leader's task. */
  Task task() {
    return task;
  }

  /** The Helper's HPKE keypair (the Helper itself is not run: uploads never reach it). */
  HpkeKeypair helperKey() {
    return helperKey;
  }

  /** Counts the reports stored for the task, so a run can check every 201 was durable. */
  long storedReports() {
    try (var c = dataSource.getConnection();
        var s = c.prepareStatement("-- bench_count_reports()\nSELECT COUNT(*) FROM client_reports")) {
      try (var rs = s.executeQuery()) {
        rs.next();
        long n = rs.getLong(1);
        c.commit();
        return n;
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("could not count the stored reports", e);
    }
  }

  private static HpkeKeypair keypair(int configId, SplittableRandom random) {
    return Hpke.derive(configId, HpkeAlgorithms.KEM_X25519_HKDF_SHA256, HpkeAlgorithms.KDF_HKDF_SHA256,
        HpkeAlgorithms.AEAD_AES_128_GCM, bytes(random, 32));
  }

  private static AuthenticationToken token(SplittableRandom random) {
    return new AuthenticationToken(AuthenticationTokenType.BEARER, HexFormat.of().formatHex(bytes(random, 16)));
  }

  private static byte[] bytes(SplittableRandom random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  @Override
  public void close() throws IOException {
    try {
      // Stops the server, then flushes the upload batcher.
      runner.close();
      dataSource.close();
    } finally {
      postgres.close();
    }
  }
}
