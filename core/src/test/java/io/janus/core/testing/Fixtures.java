package io.janus.core.testing;

import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.core.task.VdafInstance;
import io.janus.messages.AggregationJobId;
import io.janus.messages.BatchId;
import io.janus.messages.CollectionJobId;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeAlgorithms;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.HpkeConfig;
import io.janus.messages.ReportId;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import java.net.URI;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded test data: IDs, keys, tasks and reports. The seed is printed on creation so a failing run can be
 * replayed with {@code new Fixtures(seed)}. Not thread-safe.
 */
public class Fixtures {
  private final long seed;
  private final SplittableRandom random;

  /** Fixtures from a fresh seed (printed). */
  public Fixtures() {
    this(System.nanoTime());
  }

  /** Fixtures from a given seed (printed). */
  public Fixtures(long seed) {
    this.seed = seed;
    this.random = new SplittableRandom(seed);
    System.out.println("Fixtures seed: " + seed);
  }

  /** The seed in use. */
  public long seed() {
    return seed;
  }

  /** {@code n} random bytes. */
  public byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /** A random task ID. */
  public TaskId taskId() {
    return new TaskId(bytes(TaskId.LENGTH));
  }

  /** A random report ID. */
  public ReportId reportId() {
    return new ReportId(bytes(ReportId.LENGTH));
  }

  /** A random batch ID. */
  public BatchId batchId() {
    return new BatchId(bytes(BatchId.LENGTH));
  }

  /** A random aggregation job ID. */
  public AggregationJobId aggregationJobId() {
    return new AggregationJobId(bytes(AggregationJobId.LENGTH));
  }

  /** A random collection job ID. */
  public CollectionJobId collectionJobId() {
    return new CollectionJobId(bytes(CollectionJobId.LENGTH));
  }

  /** An X25519 / HKDF-SHA256 / AES-128-GCM config with a random (not necessarily valid) public key. */
  public HpkeConfig hpkeConfig(int id) {
    return new HpkeConfig(id, HpkeAlgorithms.KEM_X25519_HKDF_SHA256, HpkeAlgorithms.KDF_HKDF_SHA256,
        HpkeAlgorithms.AEAD_AES_128_GCM, bytes(32));
  }

  /** A keypair with random bytes for both keys (enough for storage tests, not for HPKE). */
  public HpkeKeypair hpkeKeypair(int id) {
    return new HpkeKeypair(hpkeConfig(id), bytes(32));
  }

  /** A random ciphertext. */
  public HpkeCiphertext ciphertext() {
    return new HpkeCiphertext(random.nextInt(256), bytes(32), bytes(1 + random.nextInt(64)));
  }

  /** A random bearer token. */
  public AuthenticationToken token() {
    return new AuthenticationToken(AuthenticationTokenType.BEARER, HexFormat.of().formatHex(bytes(16)));
  }

  /** A Leader time-interval Prio3Count task with one per-task key, time precision 1 hour, no expiry. */
  public Task.Builder leaderTask() {
    return Task.builder(taskId(), Role.LEADER, URI.create("https://helper.example/"), new QueryType.TimeInterval(),
            new VdafInstance.Prio3Count(), bytes(16), DapDuration.ofSeconds(3600), hpkeConfig(200))
        .aggregatorAuthToken(token())
        .collectorAuthTokenHash(token().hash())
        .minBatchSize(10)
        .hpkeKeys(List.of(hpkeKeypair(1)));
  }

  /** A Helper time-interval Prio3Count task with one per-task key, time precision 1 hour, no expiry. */
  public Task.Builder helperTask() {
    return Task.builder(taskId(), Role.HELPER, URI.create("https://leader.example/"), new QueryType.TimeInterval(),
            new VdafInstance.Prio3Count(), bytes(16), DapDuration.ofSeconds(3600), hpkeConfig(201))
        .aggregatorAuthTokenHash(token().hash())
        .minBatchSize(10)
        .hpkeKeys(List.of(hpkeKeypair(2)));
  }
}
