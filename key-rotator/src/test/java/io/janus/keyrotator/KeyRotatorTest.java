package io.janus.keyrotator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.core.MockClock;
import io.janus.core.hpke.Hpke;
import io.janus.messages.HpkeAlgorithms;
import io.janus.server.datastore.Datastore;
import io.janus.server.datastore.model.GlobalHpkeKeypair;
import io.janus.server.datastore.model.HpkeKeyState;
import io.janus.server.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rotation cycle against real PostgreSQL, with a mock clock that the test moves past each duration. */
class KeyRotatorTest {
  private static final RotationPolicy.Suite X25519 = new RotationPolicy.Suite(HpkeAlgorithms.KEM_X25519_HKDF_SHA256,
      HpkeAlgorithms.KDF_HKDF_SHA256, HpkeAlgorithms.AEAD_AES_128_GCM);
  private static final RotationPolicy.Suite P256 = new RotationPolicy.Suite(HpkeAlgorithms.KEM_P256_HKDF_SHA256,
      HpkeAlgorithms.KDF_HKDF_SHA256, HpkeAlgorithms.AEAD_AES_128_GCM);
  private static final RotationPolicy POLICY = new RotationPolicy(Duration.ofSeconds(60), Duration.ofSeconds(600),
      Duration.ofSeconds(300), List.of(X25519));

  private TestDatabase db;
  private MockClock clock;
  private Datastore datastore;

  @BeforeEach
  void setUp() {
    db = TestDatabase.create();
    clock = db.clock();
    datastore = db.datastore();
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  private KeyRotator rotator(RotationPolicy policy) {
    return new KeyRotator(datastore, clock, policy, new SimpleMeterRegistry());
  }

  /** Config ID to state, in ID order. */
  private Map<Integer, HpkeKeyState> states() {
    Map<Integer, HpkeKeyState> out = new TreeMap<>();
    for (GlobalHpkeKeypair k : datastore.run("t", tx -> tx.hpkeKeys().getAll())) {
      out.put(k.keypair().config().id(), k.state());
    }
    return out;
  }

  @Test
  void aKeyGoesFromActiveThroughASuccessorToDeletedAndOneIsAlwaysActive() {
    KeyRotator r = rotator(POLICY);
    r.runOnce();
    assertThat(states()).isEqualTo(Map.of(0, HpkeKeyState.ACTIVE));
    assertThat(r.runOnce()).as("nothing due").isEmpty();

    clock.advance(DapDurationSeconds(601));
    r.runOnce();
    assertThat(states()).isEqualTo(Map.of(0, HpkeKeyState.ACTIVE, 1, HpkeKeyState.PENDING));
    clock.advance(DapDurationSeconds(30));
    assertThat(r.runOnce()).as("the successor is not pending long enough yet").isEmpty();

    clock.advance(DapDurationSeconds(31));
    r.runOnce();
    assertThat(states()).isEqualTo(Map.of(0, HpkeKeyState.EXPIRED, 1, HpkeKeyState.ACTIVE));
    clock.advance(DapDurationSeconds(300));
    assertThat(r.runOnce()).as("expired for exactly the duration, not longer").isEmpty();

    clock.advance(DapDurationSeconds(1));
    r.runOnce();
    assertThat(states()).isEqualTo(Map.of(1, HpkeKeyState.ACTIVE));
  }

  @Test
  void keysOfSuitesNoLongerConfiguredArePhasedOutAfterTheirSuccessor() {
    datastore.run("manual", tx -> {
      tx.hpkeKeys().put(Hpke.generate(5, P256.kemId(), P256.kdfId(), P256.aeadId()));
      tx.hpkeKeys().setState(5, HpkeKeyState.ACTIVE);
      tx.hpkeKeys().put(Hpke.generate(6, P256.kemId(), P256.kdfId(), P256.aeadId()));
      return null;
    });
    KeyRotator r = rotator(POLICY);
    // The P-256 key stays active until an X25519 key can take over: a run leaving no active key is rolled back.
    assertThatThrownBy(r::runOnce).hasMessageContaining("no active global HPKE key");
    assertThat(states()).isEqualTo(Map.of(5, HpkeKeyState.ACTIVE, 6, HpkeKeyState.PENDING));

    // An operator's policy keeps both suites while the new one comes in, then drops P-256.
    rotator(new RotationPolicy(POLICY.pending(), POLICY.active(), POLICY.expired(), List.of(X25519, P256)))
        .runOnce();
    assertThat(states()).isEqualTo(Map.of(5, HpkeKeyState.ACTIVE, 6, HpkeKeyState.PENDING, 7,
        HpkeKeyState.PENDING));
    clock.advance(DapDurationSeconds(61));
    rotator(new RotationPolicy(POLICY.pending(), POLICY.active(), POLICY.expired(), List.of(X25519, P256)))
        .runOnce();
    assertThat(states()).isEqualTo(Map.of(5, HpkeKeyState.EXPIRED, 6, HpkeKeyState.ACTIVE, 7, HpkeKeyState.ACTIVE));
    r.runOnce();
    assertThat(states()).isEqualTo(Map.of(5, HpkeKeyState.EXPIRED, 6, HpkeKeyState.EXPIRED, 7,
        HpkeKeyState.ACTIVE));
  }

  @Test
  void extraKeysAddedByHandAreAdoptedNewestFirst() {
    KeyRotator r = rotator(POLICY);
    r.runOnce();
    datastore.run("manual", tx -> {
      tx.hpkeKeys().put(Hpke.generate(200, X25519.kemId(), X25519.kdfId(), X25519.aeadId()));
      return null;
    });
    clock.advance(DapDurationSeconds(1));
    datastore.run("manual", tx -> {
      tx.hpkeKeys().put(Hpke.generate(201, X25519.kemId(), X25519.kdfId(), X25519.aeadId()));
      return null;
    });
    r.runOnce();
    assertThat(states()).as("only the newest pending key is kept")
        .isEqualTo(Map.of(0, HpkeKeyState.ACTIVE, 201, HpkeKeyState.PENDING));
    clock.advance(DapDurationSeconds(61));
    r.runOnce();
    assertThat(states()).isEqualTo(Map.of(0, HpkeKeyState.EXPIRED, 201, HpkeKeyState.ACTIVE));
    clock.advance(DapDurationSeconds(601));
    r.runOnce();
    assertThat(states()).as("the next ID after the highest in use")
        .containsEntry(202, HpkeKeyState.PENDING);
  }

  @Test
  void rotatorsRunningAtOnceTakeTurnsAndMakeOneKey() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<List<KeyRotator.Change>>> runs = List.of(rotator(POLICY)::runOnce, rotator(POLICY)::runOnce,
          rotator(POLICY)::runOnce, rotator(POLICY)::runOnce);
      int changes = 0;
      for (Future<List<KeyRotator.Change>> f : pool.invokeAll(runs)) {
        changes += f.get().size();
      }
      assertThat(changes).as("one run bootstraps; the others find nothing due").isEqualTo(1);
      assertThat(states()).isEqualTo(Map.of(0, HpkeKeyState.ACTIVE));
    } finally {
      pool.shutdownNow();
    }
  }

  private static io.janus.messages.DapDuration DapDurationSeconds(long s) {
    return io.janus.messages.DapDuration.ofSeconds(s);
  }
}
