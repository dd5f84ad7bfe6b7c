package io.janus.quickstart;

import com.zaxxer.hikari.HikariDataSource;
import io.janus.core.Clock;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.server.binary.BinaryDefinition;
import io.janus.server.binary.InProcessRunner;
import io.janus.server.binary.RunningBinary;
import io.janus.server.config.BinaryConfig;
import io.janus.server.datastore.Crypter;
import io.janus.server.datastore.Datastore;
import io.janus.server.datastore.model.HpkeKeyState;
import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.QueryType;
import io.janus.core.task.AgreedTerms;
import io.janus.core.task.DapVersion;
import io.janus.core.task.Task;
import io.janus.core.task.VdafInstance;
import io.janus.core.vdaf.TaskVdafs;
import io.janus.messages.Base64Url;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeAlgorithms;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A complete DAP deployment in one JVM, for demonstrations and end-to-end tests: an embedded PostgreSQL server
 * with one database per aggregator, a Leader (aggregator, aggregation job creator, aggregation job driver and
 * collection job driver) and a Helper (aggregator; a DAP-09 Helper is synchronous and needs no job binaries).
 *
 * <p>Every binary runs through the production harness ({@link InProcessRunner}) from a YAML file written under
 * {@link #directory()}, so
 * those files, the health and metrics ports and the databases are real and can be inspected or reused, for
 * example with {@code janus_cli} (see {@link #janusCliConfig}). Everything listens on loopback only. Intervals are
 * a second or two, so a run from upload to collected aggregate takes seconds.
 *
 * <p>{@link #close()} stops the binaries in reverse start order, then the database server. Not thread-safe.
 */
public final class LocalDeployment implements AutoCloseable {
  /** The config ID of the global HPKE key each aggregator gets for DAP-18 tasks; distinct from task keys' 1-3. */
  private static final int GLOBAL_KEY_ID = 200;

  /** The task_info of every DAP-18 task the quickstart provisions. */
  public static final String TASK_INFO = "janus-java quickstart";

  /** The Leader's database name. */
  public static final String LEADER_DATABASE = "janus_leader";
  /** The Helper's database name. */
  public static final String HELPER_DATABASE = "janus_helper";

  private final Path directory;
  private final EmbeddedDatabases databases;
  private final String datastoreKeys;
  private final URI leaderEndpoint;
  private final URI helperEndpoint;
  private final InProcessRunner runner;
  private final List<Binary> binaries;
  private final Datastore leaderDatastore;
  private final Datastore helperDatastore;
  private final List<HikariDataSource> pools;
  private final SecureRandom random = new SecureRandom();

  private LocalDeployment(Path directory, EmbeddedDatabases databases, String datastoreKeys, URI leaderEndpoint,
      URI helperEndpoint, InProcessRunner runner, List<Binary> binaries, List<HikariDataSource> pools) {
    this.directory = directory;
    this.databases = databases;
    this.datastoreKeys = datastoreKeys;
    this.leaderEndpoint = leaderEndpoint;
    this.helperEndpoint = helperEndpoint;
    this.runner = runner;
    this.binaries = List.copyOf(binaries);
    this.pools = List.copyOf(pools);
    Crypter crypter = Crypter.fromDatastoreKeys(datastoreKeys);
    this.leaderDatastore = new Datastore(pools.get(0), crypter, Clock.SYSTEM, 1000, new SimpleMeterRegistry());
    this.helperDatastore = new Datastore(pools.get(1), crypter, Clock.SYSTEM, 1000, new SimpleMeterRegistry());
  }

  /**
   * Starts PostgreSQL and every binary, and returns once all of them serve.
   *
   * @param directory where the configuration files, the database and {@code postgres.log} go; it should be
   *     empty or missing
   * @param log where the binaries log (the JVM's logging is pointed there)
   * @throws IllegalStateException if anything fails to start; whatever did start is stopped again
   */
  public static LocalDeployment start(Path directory, PrintStream log) {
    String datastoreKeys = Crypter.generateKey(new SecureRandom());
    List<AutoCloseable> started = new ArrayList<>();
    try {
      EmbeddedDatabases databases = EmbeddedDatabases.start(directory.resolve("postgres"),
          List.of(LEADER_DATABASE, HELPER_DATABASE), ConfigFiles.write(directory.resolve("postgres.log"), ""));
      started.add(databases);
      String leaderDb = databases.url(LEADER_DATABASE);
      String helperDb = databases.url(HELPER_DATABASE);
      // Ports are fixed before anything starts, so the YAML files say exactly where each binary listens.
      int[] ports = freePorts(7);
      int leaderDap = ports[0];
      int helperDap = ports[1];
      URI leaderEndpoint = URI.create("http://127.0.0.1:" + leaderDap + "/");
      URI helperEndpoint = URI.create("http://127.0.0.1:" + helperDap + "/");
      Path leaderDir = directory.resolve("leader");
      Path helperDir = directory.resolve("helper");
      ConfigFiles.write(leaderDir.resolve("janus_cli.yaml"), ConfigFiles.janusCli(leaderDb));
      ConfigFiles.write(helperDir.resolve("janus_cli.yaml"), ConfigFiles.janusCli(helperDb));

      InProcessRunner runner = new InProcessRunner(log);
      started.add(runner);
      List<Binary> binaries = new ArrayList<>();
      binaries.add(start(runner, "helper aggregator", io.janus.aggregator.Main.BINARY,
          ConfigFiles.write(helperDir.resolve("aggregator.yaml"),
              ConfigFiles.aggregator(helperDb, ports[2], helperDap)), datastoreKeys));
      binaries.add(start(runner, "leader aggregator", io.janus.aggregator.Main.BINARY,
          ConfigFiles.write(leaderDir.resolve("aggregator.yaml"),
              ConfigFiles.aggregator(leaderDb, ports[3], leaderDap)), datastoreKeys));
      binaries.add(start(runner, "leader aggregation_job_creator", io.janus.aggregationjobcreator.Main.BINARY,
          ConfigFiles.write(leaderDir.resolve("aggregation_job_creator.yaml"),
              ConfigFiles.aggregationJobCreator(leaderDb, ports[4])), datastoreKeys));
      binaries.add(start(runner, "leader aggregation_job_driver", io.janus.aggregationjobdriver.Main.BINARY,
          ConfigFiles.write(leaderDir.resolve("aggregation_job_driver.yaml"),
              ConfigFiles.aggregationJobDriver(leaderDb, ports[5])), datastoreKeys));
      binaries.add(start(runner, "leader collection_job_driver", io.janus.collectionjobdriver.Main.BINARY,
          ConfigFiles.write(leaderDir.resolve("collection_job_driver.yaml"),
              ConfigFiles.collectionJobDriver(leaderDb, ports[6])), datastoreKeys));

      List<HikariDataSource> pools = new ArrayList<>();
      for (String name : List.of(LEADER_DATABASE, HELPER_DATABASE)) {
        HikariDataSource pool = Datastore.dataSource(databases.jdbcUrl(name), Optional.empty(), 2,
            Duration.ofSeconds(30));
        started.add(pool);
        pools.add(pool);
      }
      return new LocalDeployment(directory, databases, datastoreKeys, leaderEndpoint, helperEndpoint, runner,
          binaries, pools);
    } catch (RuntimeException e) {
      closeAll(started, e);
      throw e;
    }
  }

  private static <C extends Record & BinaryConfig> Binary start(InProcessRunner runner, String label,
      BinaryDefinition<C> binary, Path configFile, String datastoreKeys) {
    return new Binary(runner.start(label, binary, configFile, datastoreKeys, Clock.SYSTEM), configFile);
  }

  /**
   * One binary of the deployment, running through its production harness.
   *
   * @param running the running binary; its name is the label, e.g. {@code leader aggregator}
   * @param configFile the YAML file it was started from
   */
  public record Binary(RunningBinary running, Path configFile) {
    /** The binary's label, e.g. {@code leader aggregator}. */
    public String label() {
      return running.name();
    }

    /** The port serving {@code /healthz} and {@code /metrics}. */
    public int healthCheckPort() {
      return running.healthCheckPort().orElseThrow();
    }
  }

  /**
   * Writes a time-interval task to both aggregators, with fresh IDs, keys and tokens: each aggregator gets its
   * own HPKE keypair for the task, the Helper stores only the hash of the Leader's token and the Leader only the
   * hash of the collector's.
   *
   * @param vdaf the VDAF
   * @param timePrecision the time precision, positive
   * @param minBatchSize the fewest reports a batch may be collected with
   * @return the task with the collector's keypair and token
   */
  public ProvisionedTask provisionTask(VdafInstance vdaf, DapDuration timePrecision, long minBatchSize) {
    return provisionTask(vdaf, timePrecision, minBatchSize, DapVersion.DAP_09);
  }

  /**
   * {@link #provisionTask(VdafInstance, DapDuration, long)} for a task of draft {@code version}. A DAP-18 task
   * gets the task_info {@value #TASK_INFO} and the two loopback endpoints as its agreed terms, and no task interval.
   */
  public ProvisionedTask provisionTask(VdafInstance vdaf, DapDuration timePrecision, long minBatchSize,
      DapVersion version) {
    return provisionTask(vdaf, timePrecision, minBatchSize, version, x25519(3),
        new AuthenticationToken(AuthenticationTokenType.BEARER, token()));
  }

  /**
   * {@link #provisionTask(VdafInstance, DapDuration, long, DapVersion)} for a given collector, so that one
   * collector (such as the fleet exporter) can collect several tasks with one identity.
   *
   * @param collectorKey the collector's HPKE keypair; the task holds its public half
   * @param collectorToken the token the collector presents to the Leader
   */
  public ProvisionedTask provisionTask(VdafInstance vdaf, DapDuration timePrecision, long minBatchSize,
      DapVersion version, HpkeKeypair collectorKey, AuthenticationToken collectorToken) {
    TaskId id = TaskId.random(random);
    byte[] verifyKey = new byte[TaskVdafs.PRODUCTION.vdaf(version, id, vdaf).verifyKeyLength()];
    random.nextBytes(verifyKey);
    HpkeKeypair leaderKey = x25519(1);
    HpkeKeypair helperKey = x25519(2);
    AuthenticationToken aggregatorToken = new AuthenticationToken(AuthenticationTokenType.BEARER, token());
    Task.Builder leaderBuilder = taskBuilder(id, Role.LEADER, helperEndpoint, vdaf, verifyKey, timePrecision,
        collectorKey, minBatchSize).protocol(version);
    Task.Builder helperBuilder = taskBuilder(id, Role.HELPER, leaderEndpoint, vdaf, verifyKey, timePrecision,
        collectorKey, minBatchSize).protocol(version);
    if (version == DapVersion.DAP_18) {
      byte[] info = TASK_INFO.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      leaderBuilder.agreedTerms(new AgreedTerms(info, leaderEndpoint, Optional.empty()));
      helperBuilder.agreedTerms(new AgreedTerms(info, helperEndpoint, Optional.empty()));
      ensureGlobalKeys();
    }
    // DAP-18 clients ask /hpke_config without a task ID, so a DAP-18 task uses the global keys.
    boolean ownKeys = version == DapVersion.DAP_09;
    Task leader = leaderBuilder
        .aggregatorAuthToken(aggregatorToken)
        .collectorAuthTokenHash(collectorToken.hash())
        .hpkeKeys(ownKeys ? List.of(leaderKey) : List.of())
        .build();
    Task helperTask = helperBuilder
        .aggregatorAuthTokenHash(aggregatorToken.hash())
        .hpkeKeys(ownKeys ? List.of(helperKey) : List.of())
        .build();
    helperDatastore.run("quickstart_provision_task", tx -> tx.tasks().put(helperTask));
    leaderDatastore.run("quickstart_provision_task", tx -> tx.tasks().put(leader));
    return new ProvisionedTask(id, vdaf, timePrecision, minBatchSize, leaderEndpoint, helperEndpoint,
        collectorKey, collectorToken, aggregatorToken, leader.agreement());
  }

  /**
   * Gives each aggregator an active global HPKE key if it has none (as {@code janus_cli hpke} or the key rotator
   * would), then waits until both serve it: DAP-18 tasks have no keys of their own.
   */
  private void ensureGlobalKeys() {
    for (Datastore datastore : List.of(leaderDatastore, helperDatastore)) {
      datastore.run("quickstart_global_key", tx -> {
        if (tx.hpkeKeys().getAll().stream().noneMatch(k -> k.state() == HpkeKeyState.ACTIVE)) {
          HpkeKeypair k = x25519(GLOBAL_KEY_ID);
          tx.hpkeKeys().put(k);
          tx.hpkeKeys().setState(GLOBAL_KEY_ID, HpkeKeyState.ACTIVE);
        }
        return null;
      });
    }
    // The aggregators re-read their global keys every few seconds.
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    for (URI endpoint : List.of(leaderEndpoint, helperEndpoint)) {
      HttpRequest request = HttpRequest.newBuilder(endpoint.resolve("hpke_config")).GET().build();
      while (true) {
        try {
          if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            break;
          }
        } catch (IOException e) {
          // Not answering yet: retried below.
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for " + endpoint + "hpke_config", e);
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(endpoint + "hpke_config does not offer the global HPKE key");
        }
        pause(Duration.ofMillis(200));
      }
    }
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static Task.Builder taskBuilder(TaskId id, Role role, URI peer, VdafInstance vdaf, byte[] verifyKey,
      DapDuration timePrecision, HpkeKeypair collectorKey, long minBatchSize) {
    return Task.builder(id, role, peer, new QueryType.TimeInterval(), vdaf, verifyKey, timePrecision,
            collectorKey.config())
        .minBatchSize(minBatchSize)
        .maxBatchQueryCount(1)
        .tolerableClockSkew(DapDuration.ofSeconds(60));
  }

  /** A fresh X25519 keypair with config ID 3, for a collector to pass to {@link #provisionTask}. */
  public static HpkeKeypair collectorKeypair() {
    return x25519(3);
  }

  private static HpkeKeypair x25519(int configId) {
    return Hpke.generate(configId, HpkeAlgorithms.KEM_X25519_HKDF_SHA256, HpkeAlgorithms.KDF_HKDF_SHA256,
        HpkeAlgorithms.AEAD_AES_128_GCM);
  }

  private String token() {
    byte[] b = new byte[16];
    random.nextBytes(b);
    return Base64Url.encode(b);
  }

  /** The Leader's DAP endpoint (loopback). */
  public URI leaderEndpoint() {
    return leaderEndpoint;
  }

  /** The Helper's DAP endpoint (loopback). */
  public URI helperEndpoint() {
    return helperEndpoint;
  }

  /** The running binaries, in start order: Helper aggregator, Leader aggregator, then the Leader's job binaries. */
  public List<Binary> binaries() {
    return binaries;
  }

  /** Where the configuration files, the database and the PostgreSQL log live. */
  public Path directory() {
    return directory;
  }

  /** The {@code DATASTORE_KEYS} value every binary here was started with. A secret: print it only locally. */
  public String datastoreKeys() {
    return datastoreKeys;
  }

  /** The {@code database.url} of an aggregator's database. */
  public String databaseUrl(Role role) {
    return databases.url(databaseName(role));
  }

  /** A {@code janus_cli} configuration file pointing at an aggregator's database. */
  public Path janusCliConfig(Role role) {
    return directory.resolve(role == Role.LEADER ? "leader" : "helper").resolve("janus_cli.yaml");
  }

  private static String databaseName(Role role) {
    return switch (role) {
      case LEADER -> LEADER_DATABASE;
      case HELPER -> HELPER_DATABASE;
      default -> throw new IllegalArgumentException("not an aggregator role: " + role);
    };
  }

  /**
   * Stops every binary (newest first), then PostgreSQL.
   *
   * @throws IllegalStateException if something did not stop cleanly; everything else is still stopped
   */
  @Override
  public void close() {
    List<AutoCloseable> all = new ArrayList<>();
    all.add(databases);
    all.add(runner);
    all.addAll(pools);
    RuntimeException failure = closeAll(all, null);
    if (failure != null) {
      throw failure;
    }
  }

  /** Closes {@code resources} newest first; failures are attached to {@code primary} or to the first failure. */
  private static RuntimeException closeAll(List<AutoCloseable> resources, RuntimeException primary) {
    List<AutoCloseable> reversed = new ArrayList<>(resources);
    Collections.reverse(reversed);
    RuntimeException failure = primary;
    for (AutoCloseable r : reversed) {
      try {
        r.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e instanceof RuntimeException re ? re : new IllegalStateException(e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    return primary == null ? failure : null;
  }

  /** Reserves {@code n} distinct free loopback ports by binding them all at once, then releases them. */
  private static int[] freePorts(int n) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(s);
        ports[i] = s.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("could not find free loopback ports", e);
    } finally {
      for (ServerSocket s : sockets) {
        try {
          s.close();
        } catch (IOException e) {
          // Nothing was sent on it; a failed close leaves at worst a port the OS reclaims itself.
        }
      }
    }
  }
}
