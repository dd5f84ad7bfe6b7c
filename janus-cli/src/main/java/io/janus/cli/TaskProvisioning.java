package io.janus.cli;

import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenHash;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.server.datastore.Datastore;
import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.DapVersion;
import io.janus.core.task.Task;
import io.janus.core.vdaf.TaskVdafs;
import io.janus.messages.Base64Url;
import io.janus.messages.HpkeAlgorithms;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns tasks-file entries into tasks, generating what {@code --generate-missing-parameters} allows, and stores
 * them all in one transaction.
 *
 * <p>With generation on, a missing task ID, VDAF verify key, token or {@code hpke_keys} key is filled with fresh
 * random values: 32-byte task IDs, verify keys of the VDAF's length, Bearer tokens of 16 random bytes in base64url
 * (Janus's choice), and one X25519/HKDF-SHA256/AES-128-GCM keypair. An explicit empty {@code hpke_keys} list is
 * kept: it means the task uses the global keys.
 */
final class TaskProvisioning {
  /** Random bytes in a generated token, as Janus generates them. */
  static final int TOKEN_BYTES = 16;

  private TaskProvisioning() {}

  /**
   * Completes and validates one entry.
   *
   * @param generate whether missing parameters may be generated
   * @throws TaskFileException naming the entry and key if a parameter is missing, inconsistent or invalid
   */
  static ProvisionedTask resolve(TaskSpec spec, boolean generate, SecureRandom random) {
    String path = "[" + spec.index() + "]";
    TaskId id = spec.taskId().orElseGet(() -> {
      requireGenerate(spec, generate, "task_id");
      return TaskId.random(random);
    });
    int keyLength = TaskVdafs.PRODUCTION.vdaf(spec.protocol(), id, spec.vdaf()).verifyKeyLength();
    byte[] verifyKey = spec.vdafVerifyKey().orElseGet(() -> {
      requireGenerate(spec, generate, "vdaf_verify_key");
      byte[] k = new byte[keyLength];
      random.nextBytes(k);
      return k;
    });
    if (verifyKey.length != keyLength) {
      throw new TaskFileException(spec.location(), path + ".vdaf_verify_key",
          "must be " + keyLength + " bytes for this VDAF, got " + verifyKey.length);
    }
    // A DAP-18 task uses the aggregator's global keys (its clients ask /hpke_config without a task ID).
    boolean ownKeys = spec.protocol() == DapVersion.DAP_09;
    if (!ownKeys && spec.hpkeKeys().filter(k -> !k.isEmpty()).isPresent()) {
      throw new TaskFileException(spec.location(), path + ".hpke_keys", "a DAP-18 task has no HPKE keys of its "
          + "own: its clients encrypt to the aggregator's global keys (janus_cli hpke); give hpke_keys: []");
    }
    List<HpkeKeypair> keys = spec.hpkeKeys().orElseGet(() -> generate && ownKeys
        ? List.of(Hpke.generate(random.nextInt(256), HpkeAlgorithms.KEM_X25519_HKDF_SHA256,
            HpkeAlgorithms.KDF_HKDF_SHA256, HpkeAlgorithms.AEAD_AES_128_GCM))
        : List.of());

    Task.Builder b = Task.builder(id, spec.role(), spec.peerAggregatorEndpoint(), spec.queryType(), spec.vdaf(),
            verifyKey, spec.timePrecision(), spec.collectorHpkeConfig())
        .protocol(spec.protocol())
        .maxBatchQueryCount(spec.maxBatchQueryCount())
        .minBatchSize(spec.minBatchSize())
        .tolerableClockSkew(spec.tolerableClockSkew())
        .hpkeKeys(keys);
    spec.taskExpiration().ifPresent(b::taskExpiration);
    spec.agreedTerms().ifPresent(b::agreedTerms);
    spec.reportExpiryAge().ifPresent(b::reportExpiryAge);

    Optional<AuthenticationToken> aggregatorToken;
    Optional<AuthenticationToken> collectorToken = Optional.empty();
    if (spec.role() == Role.LEADER) {
      if (spec.aggregatorAuthTokenHash().isPresent()) {
        throw new TaskFileException(spec.location(), path + ".aggregator_auth_token_hash",
            "a Leader task sends the token to the Helper, so it needs aggregator_auth_token, not its hash");
      }
      AuthenticationToken token = spec.aggregatorAuthToken().orElseGet(() -> {
        requireGenerate(spec, generate, "aggregator_auth_token");
        return randomToken(random);
      });
      aggregatorToken = Optional.of(token);
      b.aggregatorAuthToken(token);
      TokenAndHash collector = tokenAndHash(spec, generate, random, "collector_auth_token",
          spec.collectorAuthToken(), spec.collectorAuthTokenHash());
      collectorToken = collector.token();
      b.collectorAuthTokenHash(collector.hash());
    } else {
      if (spec.collectorAuthToken().isPresent() || spec.collectorAuthTokenHash().isPresent()) {
        String key = spec.collectorAuthToken().isPresent() ? "collector_auth_token" : "collector_auth_token_hash";
        throw new TaskFileException(spec.location(), path + "." + key,
            "only a Leader task authenticates the collector; remove it from this Helper task");
      }
      TokenAndHash aggregator = tokenAndHash(spec, generate, random, "aggregator_auth_token",
          spec.aggregatorAuthToken(), spec.aggregatorAuthTokenHash());
      aggregatorToken = aggregator.token();
      b.aggregatorAuthTokenHash(aggregator.hash());
    }
    Task task;
    try {
      task = b.build();
    } catch (IllegalArgumentException e) {
      throw new TaskFileException(spec.location(), path, e.getMessage());
    }
    return new ProvisionedTask(task, aggregatorToken, collectorToken);
  }

  /** Resolves every entry, failing on the first invalid one. */
  static List<ProvisionedTask> resolveAll(List<TaskSpec> specs, boolean generate, SecureRandom random) {
    List<ProvisionedTask> out = new ArrayList<>(specs.size());
    for (TaskSpec s : specs) {
      out.add(resolve(s, generate, random));
    }
    return out;
  }

  /**
   * Writes the tasks in one transaction, replacing any stored task with the same ID (and, through the foreign
   * keys, everything stored for it).
   *
   * @return the IDs of the tasks that replaced an existing one
   */
  static List<TaskId> store(Datastore datastore, List<ProvisionedTask> tasks) {
    return datastore.run("janus_cli.provision_tasks", tx -> {
      List<TaskId> replaced = new ArrayList<>();
      for (ProvisionedTask p : tasks) {
        if (tx.tasks().delete(p.task().id())) {
          replaced.add(p.task().id());
        }
        if (!tx.tasks().put(p.task())) {
          // Cannot happen after the delete in the same transaction; fail loudly rather than skip a task.
          throw new IllegalStateException("task " + p.task().id().toBase64Url() + " was not written");
        }
      }
      return replaced;
    });
  }

  /** A fresh Bearer token: 16 random bytes in unpadded base64url. */
  static AuthenticationToken randomToken(SecureRandom random) {
    byte[] b = new byte[TOKEN_BYTES];
    random.nextBytes(b);
    return new AuthenticationToken(AuthenticationTokenType.BEARER, Base64Url.encode(b));
  }

  private record TokenAndHash(Optional<AuthenticationToken> token, AuthenticationTokenHash hash) {}

  /** Reconciles a plain-text token and its hash for the side that only stores the hash. */
  private static TokenAndHash tokenAndHash(TaskSpec spec, boolean generate, SecureRandom random, String key,
      Optional<AuthenticationToken> token, Optional<AuthenticationTokenHash> hash) {
    String path = "[" + spec.index() + "]";
    if (token.isPresent() && hash.isPresent()) {
      if (!hash.get().equals(token.get().hash())) {
        throw new TaskFileException(spec.location(), path + "." + key + "_hash",
            "does not match " + key + " (hash and type must both match)");
      }
      return new TokenAndHash(token, hash.get());
    }
    if (token.isPresent()) {
      return new TokenAndHash(token, token.get().hash());
    }
    if (hash.isPresent()) {
      return new TokenAndHash(Optional.empty(), hash.get());
    }
    if (!generate) {
      throw new TaskFileException(spec.location(), path + "." + key + "_hash",
          "missing required key (give " + key + "_hash or " + key + ", or pass --generate-missing-parameters)");
    }
    AuthenticationToken generated = randomToken(random);
    return new TokenAndHash(Optional.of(generated), generated.hash());
  }

  private static void requireGenerate(TaskSpec spec, boolean generate, String key) {
    if (!generate) {
      throw new TaskFileException(spec.location(), "[" + spec.index() + "]." + key,
          "missing required key (or pass --generate-missing-parameters)");
    }
  }
}
