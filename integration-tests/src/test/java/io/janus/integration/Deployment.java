package io.janus.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.aggregator.AggregatorServer;
import io.janus.client.Client;
import io.janus.client.DapHttpException;
import io.janus.collector.CollectionJob;
import io.janus.collector.CollectionResult;
import io.janus.collector.Collector;
import io.janus.core.Clock;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.server.binary.InProcessRunner;
import io.janus.server.binary.RunningBinary;
import io.janus.server.datastore.Crypter;
import io.janus.server.datastore.Datastore;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.QueryType;
import io.janus.core.task.Taskprov;
import io.janus.messages.Time;
import io.janus.messages.Url;
import io.janus.messages.dap09.DpConfig;
import io.janus.messages.dap09.DpMechanism;
import io.janus.messages.dap09.QueryConfig;
import io.janus.messages.dap09.TaskConfig;
import io.janus.messages.dap09.VdafConfig;
import io.janus.messages.dap09.VdafType;
import io.janus.server.datastore.model.HpkeKeyState;
import io.janus.server.datastore.model.TaskprovPeerAggregator;
import java.nio.charset.StandardCharsets;
import io.janus.core.task.AgreedTerms;
import io.janus.core.task.DapVersion;
import io.janus.core.task.Task;
import io.janus.core.task.TaskAgreement;
import io.janus.core.task.VdafInstance;
import io.janus.server.testing.TestDatabase;
import io.janus.core.vdaf.TaskVdafs;
import io.janus.messages.CollectionJobId;
import io.janus.messages.DapProblemType;
import io.janus.messages.DapDuration;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Query;
import io.micrometer.core.instrument.Counter;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A whole DAP deployment for one test class, laid out as it would be deployed: a Leader and a Helper, each with its
 * own PostgreSQL database, every binary started through its production harness from a YAML file of its own (by an
 * {@link InProcessRunner}), all traffic over real HTTP on loopback. The Leader's tasks reach the Helper through a
 * {@link HelperGate}, so tests can make the Helper slow, absent or flaky; clients fetch the Helper's HPKE
 * configuration from it directly.
 *
 * <p>Intervals are a second, leases a few seconds, so a report travels from upload to collected aggregate in a few
 * seconds. Binaries use the system clock (as the child processes must); tests that need the future give a binary a
 * clock of its own.
 *
 * <p>Not thread-safe: drive it from the test thread.
 */
final class Deployment implements AutoCloseable {
  /** Shards per batch aggregation, the same in every binary (the collection job driver needs at least as many). */
  static final int SHARDS = 4;

  /**
   * The key rotators' policy here, in seconds: a key is pending 2 s (four times the aggregators' 500 ms key
   * refresh), active 4 s, and still decrypts for 10 s once expired, so a test sees whole cycles in seconds.
   */
  static final int KEY_PENDING_S = 2;
  static final int KEY_ACTIVE_S = 4;
  static final int KEY_EXPIRED_S = 10;

  /** The SQL condition selecting a task's rows, for {@link #count} and {@link #column}. */
  static final String OF_TASK = "task_id = (SELECT id FROM tasks WHERE task_id = ?)";

  /** The longest a collector here waits between two polls of a collection job. */
  static final Duration MAX_POLL_WAIT = Duration.ofMillis(300);

  /**
   * How many of each binary to start, and how the job drivers lease and retry.
   *
   * @param aggregators aggregator instances per role (each role's instances share its database)
   * @param creators aggregation job creators
   * @param aggregationDrivers aggregation job drivers
   * @param collectionDrivers collection job drivers
   * @param leaseS {@code worker_lease_duration_s}
   * @param leaseSkewS {@code worker_lease_clock_skew_allowance_s}
   * @param maxAttempts {@code maximum_attempts_before_failure}
   * @param retryMaxElapsedMs {@code retry_max_elapsed_time_ms}: how long one Helper request is retried
   */
  record Layout(int aggregators, int creators, int aggregationDrivers, int collectionDrivers, long leaseS,
      long leaseSkewS, int maxAttempts, long retryMaxElapsedMs) {
    /**
     * One of each binary; leases of 30 s (nothing here expires a lease unless a test makes it), and 20 attempts
     * before a job is abandoned, so an outage of a few seconds never abandons one.
     */
    static Layout single() {
      return new Layout(1, 1, 1, 1, 30, 5, 20, 5_000);
    }

    /** The same, with {@code count} instances of every binary. */
    Layout times(int count) {
      return new Layout(count, count, count, count, leaseS, leaseSkewS, maxAttempts, retryMaxElapsedMs);
    }

    /** The same, without aggregation job drivers (the test starts its own). */
    Layout withoutAggregationDrivers() {
      return new Layout(aggregators, creators, 0, collectionDrivers, leaseS, leaseSkewS, maxAttempts,
          retryMaxElapsedMs);
    }

    /** The same, without collection job drivers (the test starts its own). */
    Layout withoutCollectionDrivers() {
      return new Layout(aggregators, creators, aggregationDrivers, 0, leaseS, leaseSkewS, maxAttempts,
          retryMaxElapsedMs);
    }

    /** The same, with other job driver leases and Helper retry time. */
    Layout withLeases(long leaseSeconds, long skewSeconds, long retryMaxElapsedMillis) {
      return new Layout(aggregators, creators, aggregationDrivers, collectionDrivers, leaseSeconds, skewSeconds,
          maxAttempts, retryMaxElapsedMillis);
    }
  }

  /**
   * A task provisioned on both aggregators, with what the client and collector need.
   *
   * @param id the task ID
   * @param queryType time_interval or fixed_size
   * @param vdaf the VDAF
   * @param timePrecision the task's time precision
   * @param collectorKey the collector's HPKE keypair
   * @param collectorToken the collector's token (the Leader stores only its hash)
   * @param agreement a DAP-18 task's configuration, which the client and collector bind into the AADs; empty for
   *     DAP-09
   */
  record ProvisionedTask(TaskId id, QueryType queryType, VdafInstance vdaf, DapDuration timePrecision,
      HpkeKeypair collectorKey, AuthenticationToken collectorToken, Optional<TaskAgreement> agreement) {
    /** A DAP-09 task. */
    ProvisionedTask(TaskId id, QueryType queryType, VdafInstance vdaf, DapDuration timePrecision,
        HpkeKeypair collectorKey, AuthenticationToken collectorToken) {
      this(id, queryType, vdaf, timePrecision, collectorKey, collectorToken, Optional.empty());
    }
  }

  /** The config ID of the global HPKE key DAP-18 tasks use; task keys here are 1 to 3, taskprov's 11 and 12. */
  static final int GLOBAL_KEY_ID = 200;

  /** The task_info of every DAP-18 task provisioned here. */
  static final byte[] TASK_INFO = "janus-java integration".getBytes(StandardCharsets.US_ASCII);

  private final Path directory;
  private final Layout layout;
  private final SecureRandom random;
  private final String datastoreKeys;
  private final TestDatabase leaderDb;
  private final TestDatabase helperDb;
  private final Datastore leaderStore;
  private final Datastore helperStore;
  // Every harness in the JVM points the JVM-wide log handler at its stream: give them all the same one.
  private final InProcessRunner runner = new InProcessRunner(System.out);
  private final List<RunningBinary> helpers = new ArrayList<>();
  private final List<RunningBinary> leaders = new ArrayList<>();
  private final List<RunningBinary> jobBinaries = new ArrayList<>();
  private final AtomicInteger configCounter = new AtomicInteger();
  private HelperGate gate;
  private boolean taskprov;
  private boolean asyncHelper;

  private Deployment(Path directory, Layout layout, SecureRandom random) {
    this.directory = directory;
    this.layout = layout;
    this.random = random;
    this.datastoreKeys = Crypter.generateKey(random);
    this.leaderDb = TestDatabase.create();
    this.helperDb = TestDatabase.create();
    Crypter crypter = Crypter.fromDatastoreKeys(datastoreKeys);
    // The test's own view of each database, with the key the binaries use.
    this.leaderStore = new Datastore(leaderDb.dataSource(), crypter, Clock.SYSTEM, 10, new SimpleMeterRegistry());
    this.helperStore = new Datastore(helperDb.dataSource(), crypter, Clock.SYSTEM, 10, new SimpleMeterRegistry());
  }

  /**
   * Starts the Helper aggregator(s), the gate, the Leader aggregator(s) and the Leader's job binaries.
   *
   * @param directory where configuration files go (a JUnit {@code @TempDir})
   * @param random seeded source of keys, IDs and tokens
   */
  static Deployment start(Path directory, Layout layout, SecureRandom random) {
    return start(directory, layout, random, false);
  }

  /** {@link #start}, with {@code taskprov_config: {enabled: true}} on both aggregators if {@code taskprov}. */
  static Deployment start(Path directory, Layout layout, SecureRandom random, boolean taskprov) {
    return start(directory, layout, random, taskprov, false);
  }

  /**
   * {@link #start}, with a Helper that answers DAP-18 aggregation jobs asynchronously
   * ({@code helper_aggregation_mode: asynchronous}).
   */
  static Deployment startWithAsyncHelper(Path directory, Layout layout, SecureRandom random) {
    return start(directory, layout, random, false, true);
  }

  private static Deployment start(Path directory, Layout layout, SecureRandom random, boolean taskprov,
      boolean asyncHelper) {
    Deployment d = new Deployment(directory, layout, random);
    d.taskprov = taskprov;
    d.asyncHelper = asyncHelper;
    try {
      for (int i = 0; i < layout.aggregators(); i++) {
        d.helpers.add(d.startBinary(Binary.AGGREGATOR, Role.HELPER, Clock.SYSTEM));
      }
      List<URI> helperEndpoints = new ArrayList<>();
      for (RunningBinary h : d.helpers) {
        helperEndpoints.add(endpoint(h));
      }
      d.gate = HelperGate.start(helperEndpoints);
      for (int i = 0; i < layout.aggregators(); i++) {
        d.leaders.add(d.startBinary(Binary.AGGREGATOR, Role.LEADER, Clock.SYSTEM));
      }
      for (int i = 0; i < layout.creators(); i++) {
        d.startBinary(Binary.AGGREGATION_JOB_CREATOR, Role.LEADER, Clock.SYSTEM);
      }
      for (int i = 0; i < layout.aggregationDrivers(); i++) {
        d.startBinary(Binary.AGGREGATION_JOB_DRIVER, Role.LEADER, Clock.SYSTEM);
      }
      for (int i = 0; i < layout.collectionDrivers(); i++) {
        d.startBinary(Binary.COLLECTION_JOB_DRIVER, Role.LEADER, Clock.SYSTEM);
      }
      return d;
    } catch (RuntimeException e) {
      try {
        d.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * Starts one more binary in this JVM against the database of {@code role}, from a fresh configuration file. A job
   * binary is stopped with the rest by {@link #close()}; an aggregator belongs to whoever started it.
   */
  RunningBinary startBinary(Binary binary, Role role, Clock clock) {
    Path config = writeConfig(binary, role);
    RunningBinary b = runner.start(role.name().toLowerCase() + " " + config.getFileName(), binary.definition(),
        config, datastoreKeys, clock);
    if (binary != Binary.AGGREGATOR) {
      jobBinaries.add(b);
    }
    return b;
  }

  /** Writes the configuration file of one instance of {@code binary} against {@code role}'s database. */
  Path writeConfig(Binary binary, Role role) {
    TestDatabase db = role == Role.LEADER ? leaderDb : helperDb;
    String yaml = common(db.jdbcUrl()) + switch (binary) {
      case AGGREGATOR -> """
          listen_address: "127.0.0.1:0"
          max_upload_batch_size: 50
          max_upload_batch_write_delay_ms: 20
          batch_aggregation_shard_count: %d
          task_counter_shard_count: 2
          task_cache_ttl_s: 1
          hpke_configs_refresh_interval: 500
          """.formatted(SHARDS) + (taskprov ? "taskprov_config: {enabled: true}\n" : "")
          + (asyncHelper && role == Role.HELPER ? "helper_aggregation_mode: asynchronous\n" : "");
      case AGGREGATION_JOB_CREATOR -> """
          batch_aggregation_shard_count: %d
          tasks_update_frequency_s: 1
          aggregation_job_creation_interval_s: 1
          min_aggregation_job_size: 1
          max_aggregation_job_size: 8
          aggregation_job_creation_report_window: 500
          late_report_grace_period_units: 0
          """.formatted(SHARDS);
      case AGGREGATION_JOB_DRIVER -> jobDriver() + """
          batch_aggregation_shard_count: %d
          task_counter_shard_count: 2
          """.formatted(SHARDS);
      case COLLECTION_JOB_DRIVER -> jobDriver() + """
          batch_aggregation_shard_count: %d
          min_collection_job_retry_delay_s: 0
          max_collection_job_retry_delay_s: 1
          collection_job_retry_delay_exponential_factor: 1.0
          """.formatted(SHARDS);
      case KEY_ROTATOR -> """
          key_rotator:
            frequency_s: 1
            hpke: {pending_duration_s: %d, active_duration_s: %d, expired_duration_s: %d}
          """.formatted(KEY_PENDING_S, KEY_ACTIVE_S, KEY_EXPIRED_S);
      case GARBAGE_COLLECTOR -> """
          garbage_collection:
            gc_frequency_s: 1
            report_limit: 5000
            aggregation_limit: 500
            collection_limit: 50
            tasks_per_tx: 1
          """;
    };
    Path file = directory.resolve(role.name().toLowerCase() + "-" + binary.binaryName() + "-"
        + configCounter.incrementAndGet() + ".yaml");
    try {
      return Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + file, e);
    }
  }

  private static String common(String jdbcUrl) {
    return """
        database:
          url: "%s"
          connection_pool_timeouts_s: 30
          connection_pool_max_size: 4
          check_schema_version: true
        max_transaction_retries: 1000
        health_check_listen_address: "127.0.0.1:0"
        logging_config:
          force_json_output: false
        """.formatted(jdbcUrl);
  }

  private String jobDriver() {
    return """
        job_discovery_interval_s: 1
        max_concurrent_job_workers: 4
        worker_lease_duration_s: %d
        worker_lease_clock_skew_allowance_s: %d
        maximum_attempts_before_failure: %d
        http_request_connection_timeout_s: 5
        http_request_timeout_s: 30
        retry_initial_interval_ms: 50
        retry_max_interval_ms: 500
        retry_max_elapsed_time_ms: %d
        """.formatted(layout.leaseS(), layout.leaseSkewS(), layout.maxAttempts(), layout.retryMaxElapsedMs());
  }

  /** The {@code DATASTORE_KEYS} every binary here uses. */
  String datastoreKeys() {
    return datastoreKeys;
  }

  /** The gate in front of the Helper(s). */
  HelperGate gate() {
    return gate;
  }

  /** Stops every Helper aggregator (as SIGTERM would); the gate then answers 502 until {@link #restartHelpers}. */
  void stopHelpers() {
    for (RunningBinary h : helpers) {
      h.close();
    }
  }

  /** Starts fresh Helper aggregator instances (new ports) in place of stopped ones and points the gate at them. */
  void restartHelpers() {
    List<URI> endpoints = new ArrayList<>();
    for (int i = 0; i < helpers.size(); i++) {
      RunningBinary h = startBinary(Binary.AGGREGATOR, Role.HELPER, Clock.SYSTEM);
      helpers.set(i, h);
      endpoints.add(endpoint(h));
    }
    gate.helpers(endpoints);
  }

  /** The Leader's database. */
  TestDatabase leaderDb() {
    return leaderDb;
  }

  /** The Helper's database. */
  TestDatabase helperDb() {
    return helperDb;
  }

  /** A datastore over the Leader's database with the key the binaries use (so it reads their secrets). */
  Datastore leaderStore() {
    return leaderStore;
  }

  /** The same for the Helper's database. */
  Datastore helperStore() {
    return helperStore;
  }

  /**
   * How many job steps failed so far, over every job binary here ({@code janus_job_steps{status="error"}}): a
   * failed step is retried after its lease expires, so results stay right, but on a healthy deployment there
   * should be none.
   */
  long failedJobSteps() {
    double failed = 0;
    for (RunningBinary b : jobBinaries) {
      for (Counter c : b.meters().find("janus_job_steps").tag("status", "error").counters()) {
        failed += c.count();
      }
    }
    return (long) failed;
  }

  /** The DAP endpoint of Leader instance {@code index}. */
  URI leaderEndpoint(int index) {
    return endpoint(leaders.get(index));
  }

  /** The DAP endpoint of the first Helper instance (not through the gate). */
  URI helperEndpoint() {
    return endpoint(helpers.get(0));
  }

  private static URI endpoint(RunningBinary aggregator) {
    return URI.create("http://127.0.0.1:" + aggregator.port().orElseThrow() + "/");
  }

  /**
   * Provisions a task on both aggregators: fresh ID, verify key, tokens and HPKE keys; the Leader's peer endpoint
   * is the gate, the Helper's is the first Leader instance.
   *
   * @param reportExpiryAge the task's report expiry age, if any (garbage collection ignores tasks without)
   * @param minBatchSize the task's minimum batch size
   */
  ProvisionedTask provision(QueryType queryType, VdafInstance vdaf, DapDuration timePrecision,
      Optional<DapDuration> reportExpiryAge, long minBatchSize) {
    return provision(queryType, vdaf, timePrecision, reportExpiryAge, minBatchSize, true);
  }

  /**
   * {@link #provision}, with HPKE keys of the task's own ({@code taskKeys}) or none, so both aggregators use their
   * global keys (as managed by a key rotator).
   */
  ProvisionedTask provision(QueryType queryType, VdafInstance vdaf, DapDuration timePrecision,
      Optional<DapDuration> reportExpiryAge, long minBatchSize, boolean taskKeys) {
    return provision(DapVersion.DAP_09, queryType, vdaf, timePrecision, reportExpiryAge, minBatchSize, taskKeys);
  }

  /**
   * {@link #provision} of a task of draft {@code version}. A DAP-18 task's agreed Helper endpoint is the gate's
   * (the Leader's peer, and where its clients fetch the Helper's HPKE configuration), its Leader endpoint the first
   * Leader instance's, and its task_info {@link #TASK_INFO}; it has no task interval.
   */
  ProvisionedTask provision(DapVersion version, QueryType queryType, VdafInstance vdaf, DapDuration timePrecision,
      Optional<DapDuration> reportExpiryAge, long minBatchSize, boolean taskKeys) {
    TaskId id = TaskId.random(random);
    byte[] verifyKey = bytes(TaskVdafs.PRODUCTION.vdaf(version, id, vdaf).verifyKeyLength());
    HpkeKeypair collectorKey = keypair(3);
    AuthenticationToken aggregatorToken = new AuthenticationToken(AuthenticationTokenType.BEARER, token());
    AuthenticationToken collectorToken = new AuthenticationToken(AuthenticationTokenType.DAP_AUTH, token());
    Task.Builder leader = Task.builder(id, Role.LEADER, gate.endpoint(), queryType, vdaf, verifyKey, timePrecision,
            collectorKey.config())
        .aggregatorAuthToken(aggregatorToken)
        .collectorAuthTokenHash(collectorToken.hash())
        .hpkeKeys(taskKeys ? List.of(keypair(1)) : List.of());
    Task.Builder helper = Task.builder(id, Role.HELPER, endpoint(leaders.get(0)), queryType, vdaf, verifyKey,
            timePrecision, collectorKey.config())
        .aggregatorAuthTokenHash(aggregatorToken.hash())
        .hpkeKeys(taskKeys ? List.of(keypair(2)) : List.of());
    for (Task.Builder b : List.of(leader, helper)) {
      b.protocol(version).minBatchSize(minBatchSize).maxBatchQueryCount(1)
          .tolerableClockSkew(DapDuration.ofSeconds(60));
      reportExpiryAge.ifPresent(b::reportExpiryAge);
    }
    if (version == DapVersion.DAP_18) {
      leader.agreedTerms(new AgreedTerms(TASK_INFO, endpoint(leaders.get(0)), Optional.empty()));
      helper.agreedTerms(new AgreedTerms(TASK_INFO, gate.endpoint(), Optional.empty()));
      // Draft 18's clients ask /hpke_config without a task ID: the task uses the aggregators' global keys.
      leader.hpkeKeys(List.of());
      helper.hpkeKeys(List.of());
      ensureGlobalKeys();
    }
    Task l = leader.build();
    Task h = helper.build();
    if (!l.agreement().equals(h.agreement())) {
      throw new IllegalStateException("the two aggregators' task configurations differ");
    }
    helperStore.run("it_provision_task", tx -> tx.tasks().put(h));
    leaderStore.run("it_provision_task", tx -> tx.tasks().put(l));
    return new ProvisionedTask(id, queryType, vdaf, timePrecision, collectorKey, collectorToken, l.agreement());
  }

  /**
   * Peers the two aggregators for taskprov and builds a task configuration naming them, without provisioning any
   * task: each side gets the other as a taskprov peer (same {@code verify_key_init} and Leader token; the Leader's
   * peer also holds the collector's token), and each an active global HPKE key, since tasks provisioned in-band
   * have none of their own. The Leader's Helper is the gate, as for tasks provisioned by hand.
   *
   * @return the task the configuration describes, and the encoded configuration
   */
  TaskprovTask peerForTaskprov(VdafType vdafType, VdafInstance vdaf, DapDuration timePrecision, long minBatchSize) {
    byte[] verifyKeyInit = bytes(32);
    HpkeKeypair collectorKey = keypair(3);
    AuthenticationToken aggregatorToken = new AuthenticationToken(AuthenticationTokenType.BEARER, token());
    AuthenticationToken collectorToken = new AuthenticationToken(AuthenticationTokenType.BEARER, token());
    URI leader = endpoint(leaders.get(0));
    leaderStore.run("it_taskprov_peer", tx -> {
      tx.taskprovPeers().put(new TaskprovPeerAggregator(gate.endpoint(), Role.HELPER, verifyKeyInit,
          collectorKey.config(), Optional.empty(), DapDuration.ofSeconds(60), List.of(aggregatorToken),
          List.of(collectorToken)));
      HpkeKeypair k = keypair(11);
      tx.hpkeKeys().put(k);
      return tx.hpkeKeys().setState(k.config().id(), HpkeKeyState.ACTIVE);
    });
    helperStore.run("it_taskprov_peer", tx -> {
      tx.taskprovPeers().put(new TaskprovPeerAggregator(leader, Role.LEADER, verifyKeyInit, collectorKey.config(),
          Optional.empty(), DapDuration.ofSeconds(60), List.of(aggregatorToken), List.of()));
      HpkeKeypair k = keypair(12);
      tx.hpkeKeys().put(k);
      return tx.hpkeKeys().setState(k.config().id(), HpkeKeyState.ACTIVE);
    });
    TaskConfig config = new TaskConfig("janus-java integration".getBytes(StandardCharsets.US_ASCII),
        new Url(leader.toString()), new Url(gate.endpoint().toString()),
        new QueryConfig(timePrecision, 1, minBatchSize, new QueryConfig.TimeInterval()),
        new Time(System.currentTimeMillis() / 1000 + 86_400),
        new VdafConfig(new DpConfig(new DpMechanism.None()), vdafType));
    byte[] encoded = config.toBytes();
    ProvisionedTask task = new ProvisionedTask(Taskprov.taskId(encoded), new QueryType.TimeInterval(), vdaf,
        timePrecision, collectorKey, collectorToken);
    return new TaskprovTask(task, encoded);
  }

  /**
   * A task known only by its in-band configuration until its first upload.
   *
   * @param task the task as the client and collector see it
   * @param encodedConfig the encoded configuration the client sends in the {@code dap-taskprov} header
   */
  record TaskprovTask(ProvisionedTask task, byte[] encodedConfig) {}

  /**
   * A client of {@code task} uploading to Leader instance {@code leaderIndex}; it fetches both HPKE configurations
   * from the aggregators (the Helper's directly, not through the gate) and stamps reports with {@code clock}.
   */
  Client client(ProvisionedTask task, int leaderIndex, Clock clock) {
    Client.Builder b = task.agreement().isPresent()
        // DAP-18: the agreed endpoints, which the AADs bind (Leader instance 0 and the gate).
        ? Client.builder(task.id(), task.agreement().get())
        : Client.builder(task.id(), endpoint(leaders.get(leaderIndex)), endpoint(helpers.get(0)),
            task.timePrecision(), task.vdaf());
    return b
        .clock(clock)
        .random(random)
        .build();
  }

  /**
   * A collector of {@code task} talking to Leader instance {@code leaderIndex}. The Leader answers an unfinished
   * poll with a fixed {@code Retry-After} of {@value AggregatorServer#COLLECTION_POLL_RETRY_AFTER_SECONDS} s, a
   * production cadence; this collector's sleeper caps every wait at {@link #MAX_POLL_WAIT} so a test sees the job
   * finish within a poll or two. The collector's own total wait still bounds the polling.
   */
  Collector collector(ProvisionedTask task, int leaderIndex) {
    Collector.Builder b = task.agreement().isPresent()
        ? Collector.builder(task.id(), task.collectorToken(), task.collectorKey(), task.agreement().get())
        : Collector.builder(task.id(), endpoint(leaders.get(leaderIndex)), task.collectorToken(),
            task.collectorKey(), task.vdaf());
    return b
        .random(random)
        .pollBackoff(Duration.ofMillis(100), MAX_POLL_WAIT)
        .sleeper(d -> Thread.sleep(Math.min(d.toMillis(), MAX_POLL_WAIT.toMillis())))
        .maxCollectWait(Duration.ofSeconds(120))
        .build();
  }

  /**
   * Collects {@code query} through Leader instance {@code leaderIndex}: creates the collection job and polls it
   * until the collection job driver finished it. A fixed-size {@code current_batch} query is answered
   * {@code batchInvalid} until a batch holds {@code min_batch_size} aggregated reports; like a real fixed-size
   * collector, this re-sends the creation (same job ID) until the Leader accepts it, for at most two minutes.
   */
  CollectionResult collect(ProvisionedTask task, Query query, int leaderIndex) {
    Collector collector = collector(task, leaderIndex);
    CollectionJob job = new CollectionJob(CollectionJobId.random(random), query, new byte[0]);
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (true) {
      try {
        if (task.agreement().isPresent()) {
          // DAP-18: the Leader names the job (its Location).
          job = collector.startCollection(query);
        } else {
          collector.startCollection(job);
        }
        break;
      } catch (DapHttpException e) {
        boolean notYet = e.dapProblemType().filter(t -> t == DapProblemType.BATCH_INVALID).isPresent()
            && query.isFixedSize();
        if (!notYet || System.nanoTime() > deadline) {
          throw e;
        }
        pause(Duration.ofMillis(200));
      }
    }
    return collector.pollUntilComplete(job);
  }

  /**
   * The single number {@code sql} selects over {@code db}; its one parameter is the task's ID (see
   * {@link #OF_TASK}).
   */
  static long count(TestDatabase db, TaskId task, String sql) {
    return count(db.dataSource(), task, sql);
  }

  /** {@link #count(TestDatabase, TaskId, String)} over any data source of this schema. */
  static long count(javax.sql.DataSource db, TaskId task, String sql) {
    try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setBytes(1, task.bytes());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long n = rs.getLong(1);
        c.rollback();
        return n;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("query failed: " + sql, e);
    }
  }

  /** The first column of every row of {@code sql} over {@code db}, as text; the one parameter is the task's ID. */
  static List<String> column(TestDatabase db, TaskId task, String sql) {
    try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setBytes(1, task.bytes());
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      c.rollback();
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("query failed: " + sql, e);
    }
  }

  /**
   * Waits until {@code condition} holds, checking every 100 ms for at most {@code limit}; fails naming
   * {@code what} otherwise. For waiting on background binaries, never for asserting how fast they are.
   */
  static void await(String what, Duration limit, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() < deadline).as("timed out after %s waiting until %s", limit, what).isTrue();
      pause(Duration.ofMillis(100));
    }
  }

  /** Waits between two looks at something a background binary does (never to let time pass for an assertion). */
  private static void pause(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting", e);
    }
  }

  private byte[] bytes(int n) {
    return TestKeys.bytes(random, n);
  }

  private String token() {
    return TestKeys.token(random);
  }

  private HpkeKeypair keypair(int configId) {
    return TestKeys.keypair(random, configId);
  }

  /**
   * Gives both aggregators an active global HPKE key (config ID {@value #GLOBAL_KEY_ID}) unless they have one, and
   * waits until every aggregator instance offers it at {@code /hpke_config}.
   */
  private void ensureGlobalKeys() {
    for (Datastore store : List.of(leaderStore, helperStore)) {
      store.run("it_global_key", tx -> {
        if (tx.hpkeKeys().getAll().stream().noneMatch(k -> k.state() == HpkeKeyState.ACTIVE)) {
          tx.hpkeKeys().put(keypair(GLOBAL_KEY_ID));
          tx.hpkeKeys().setState(GLOBAL_KEY_ID, HpkeKeyState.ACTIVE);
        }
        return null;
      });
    }
    HttpClient http = HttpClient.newHttpClient();
    List<RunningBinary> aggregators = new ArrayList<>(leaders);
    aggregators.addAll(helpers);
    for (RunningBinary a : aggregators) {
      HttpRequest request = HttpRequest.newBuilder(endpoint(a).resolve("hpke_config")).GET().build();
      await(a.name() + " offers a global HPKE key", Duration.ofSeconds(20), () -> {
        try {
          return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
          return false;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      });
    }
  }

  /** Stops every binary (job binaries, then Leaders, gate, Helpers), then drops both databases. */
  @Override
  public void close() {
    List<AutoCloseable> all = new ArrayList<>();
    all.addAll(helpers);
    if (gate != null) {
      all.add(gate);
    }
    all.addAll(leaders);
    all.addAll(jobBinaries);
    Collections.reverse(all);
    all.add(leaderDb);
    all.add(helperDb);
    RuntimeException failure = null;
    for (AutoCloseable c : all) {
      try {
        if (!(c instanceof RunningBinary b) || b.isRunning()) {
          c.close();
        }
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("shutting the deployment down failed", e);
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
