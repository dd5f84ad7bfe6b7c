package io.janus.keyrotator;

import io.janus.core.Clock;
import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.messages.Time;
import io.janus.server.binary.Stopper;
import io.janus.server.datastore.Datastore;
import io.janus.server.datastore.Tx;
import io.janus.server.datastore.model.GlobalHpkeKeypair;
import io.janus.server.datastore.model.HpkeKeyState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Rotates the global HPKE keys by a {@link RotationPolicy}, in one transaction per run that first locks the keys
 * table: any number of rotators may run at once (they take turns, and each sees what the last one left), and a
 * run that finds nothing due changes nothing, so it is safe as a cron job and as a loop.
 *
 * <p>One run, for each configured suite: on an empty table, create an active key (a new deployment needs one at
 * once); with no pending or active key, create a pending one; promote the newest pending key once it has been
 * pending longer than {@code pending}, expiring the active key it replaces; create a pending successor once the
 * active key is older than {@code active}; expire all but the newest active key and delete all but the newest
 * pending key. Keys of suites no longer configured are expired (active) or deleted (pending). Expired keys older
 * than {@code expired} are deleted. Keys an operator added by hand are adopted into the same cycle. A run that would
 * leave no active key is rolled back. New keys take the next free config ID after the highest in use, wrapping at
 * 255, so a client with an old configuration is told it is outdated rather than handed to the wrong key.
 */
public final class KeyRotator {
  private static final Logger LOG = Logger.getLogger(KeyRotator.class.getName());

  /** One change a run makes, with the reason it is logged with. */
  sealed interface Change {
    String reason();

    /** Creates a key of {@code suite} in {@code state}. */
    record Create(RotationPolicy.Suite suite, HpkeKeyState state, String reason) implements Change {}

    /** Moves key {@code configId} to {@code state}. */
    record Update(int configId, HpkeKeyState state, String reason) implements Change {}

    /** Deletes key {@code configId}. */
    record Delete(int configId, String reason) implements Change {}
  }

  private final Datastore datastore;
  private final Clock clock;
  private final RotationPolicy policy;
  private final MeterRegistry meters;

  /** A rotator writing through {@code datastore} (whose clock stamps the state changes). */
  public KeyRotator(Datastore datastore, Clock clock, RotationPolicy policy, MeterRegistry meters) {
    this.datastore = datastore;
    this.clock = clock;
    this.policy = policy;
    this.meters = meters;
  }

  /** Rotates every {@code frequency} until {@code stopper} trips; a failed run is logged and tried again. */
  public void run(Stopper stopper, Duration frequency) throws InterruptedException {
    do {
      try {
        runOnce();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "key rotation failed; trying again in " + frequency.toSeconds() + " s", e);
      }
    } while (!stopper.awaitStop(frequency));
  }

  /**
   * One rotation, in one transaction.
   *
   * @return the changes made, in order (empty when nothing was due)
   */
  public List<Change> runOnce() {
    List<Change> changes = datastore.run("key_rotator", tx -> {
      tx.hpkeKeys().lockForRotation();
      List<Change> planned = plan(tx.hpkeKeys().getAll(), clock.now(), policy);
      apply(tx, planned);
      if (tx.hpkeKeys().getAll().stream().noneMatch(k -> k.state() == HpkeKeyState.ACTIVE)) {
        throw new IllegalStateException("key rotation would leave no active global HPKE key; nothing was changed");
      }
      return planned;
    });
    for (Change c : changes) {
      LOG.info(() -> "key rotator: " + c);
      Counter.builder("janus_key_rotator_changes").description("Global HPKE key changes by the key rotator")
          .tag("change", c.getClass().getSimpleName().toLowerCase()).register(meters).increment();
    }
    return changes;
  }

  /** The changes that bring {@code keys} in line with {@code policy} at {@code now}. Pure, for testing. */
  static List<Change> plan(List<GlobalHpkeKeypair> keys, Time now, RotationPolicy policy) {
    List<Change> changes = new ArrayList<>();
    for (RotationPolicy.Suite suite : policy.suites()) {
      if (keys.isEmpty()) {
        changes.add(new Change.Create(suite, HpkeKeyState.ACTIVE, "bootstrapping an empty table"));
      } else if (keys.stream().noneMatch(k -> RotationPolicy.Suite.of(k.keypair().config()).equals(suite)
          && k.state() != HpkeKeyState.EXPIRED)) {
        changes.add(new Change.Create(suite, HpkeKeyState.PENDING, "no pending or active key of a configured suite"));
      }
    }
    Map<RotationPolicy.Suite, List<GlobalHpkeKeypair>> bySuite = new LinkedHashMap<>();
    for (GlobalHpkeKeypair k : keys) {
      bySuite.computeIfAbsent(RotationPolicy.Suite.of(k.keypair().config()), s -> new ArrayList<>()).add(k);
    }
    for (Map.Entry<RotationPolicy.Suite, List<GlobalHpkeKeypair>> e : bySuite.entrySet()) {
      List<GlobalHpkeKeypair> active = newestFirst(e.getValue(), HpkeKeyState.ACTIVE);
      List<GlobalHpkeKeypair> pending = newestFirst(e.getValue(), HpkeKeyState.PENDING);
      List<GlobalHpkeKeypair> expired = newestFirst(e.getValue(), HpkeKeyState.EXPIRED);
      if (policy.suites().contains(e.getKey())) {
        if (!pending.isEmpty()) {
          if (age(pending.get(0), now).compareTo(policy.pending()) > 0) {
            changes.add(new Change.Update(id(pending.get(0)), HpkeKeyState.ACTIVE, "pending long enough"));
            if (!active.isEmpty()) {
              changes.add(new Change.Update(id(active.get(0)), HpkeKeyState.EXPIRED, "its successor is active"));
            }
          }
        } else if (!active.isEmpty() && age(active.get(0), now).compareTo(policy.active()) > 0) {
          changes.add(new Change.Create(e.getKey(), HpkeKeyState.PENDING, "the active key is due for rotation"));
        }
        active.stream().skip(1).forEach(k -> changes.add(new Change.Update(id(k), HpkeKeyState.EXPIRED,
            "a newer key of its suite is active")));
        pending.stream().skip(1).forEach(k -> changes.add(new Change.Delete(id(k),
            "a newer key of its suite is pending")));
      } else {
        active.forEach(k -> changes.add(new Change.Update(id(k), HpkeKeyState.EXPIRED, "its suite is not configured")));
        pending.forEach(k -> changes.add(new Change.Delete(id(k), "its suite is not configured")));
      }
      expired.stream().filter(k -> age(k, now).compareTo(policy.expired()) > 0)
          .forEach(k -> changes.add(new Change.Delete(id(k), "expired long enough")));
    }
    return changes;
  }

  private static void apply(Tx tx, List<Change> changes) {
    Set<Integer> taken = new HashSet<>();
    int newest = 0;
    for (GlobalHpkeKeypair k : tx.hpkeKeys().getAll()) {
      taken.add(id(k));
      newest = Math.max(newest, id(k));
    }
    for (Change c : changes) {
      switch (c) {
        case Change.Create create -> {
          int configId = nextFreeId(taken, newest);
          taken.add(configId);
          HpkeKeypair keypair = Hpke.generate(configId, create.suite().kemId(), create.suite().kdfId(),
              create.suite().aeadId());
          tx.hpkeKeys().put(keypair);
          if (create.state() != HpkeKeyState.PENDING) {
            tx.hpkeKeys().setState(configId, create.state());
          }
        }
        case Change.Update update -> tx.hpkeKeys().setState(update.configId(), update.state());
        case Change.Delete delete -> tx.hpkeKeys().delete(delete.configId());
      }
    }
  }

  /** The first free config ID from {@code newest} upwards, wrapping past 255 to 0. */
  private static int nextFreeId(Set<Integer> taken, int newest) {
    for (int i = 0; i <= 255; i++) {
      int candidate = (newest + i) % 256;
      if (!taken.contains(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("all 256 global HPKE config IDs are in use; expire and delete old keys");
  }

  private static List<GlobalHpkeKeypair> newestFirst(List<GlobalHpkeKeypair> keys, HpkeKeyState state) {
    return keys.stream().filter(k -> k.state() == state)
        .sorted(Comparator.comparingLong((GlobalHpkeKeypair k) -> k.lastStateChangeAt().seconds())
            .thenComparingInt(KeyRotator::id).reversed())
        .toList();
  }

  private static Duration age(GlobalHpkeKeypair k, Time now) {
    // Rotators on machines whose clocks differ take turns; a change stamped slightly in the future is age 0.
    return Duration.ofSeconds(Math.max(0, now.seconds() - k.lastStateChangeAt().seconds()));
  }

  private static int id(GlobalHpkeKeypair k) {
    return k.keypair().config().id();
  }
}
