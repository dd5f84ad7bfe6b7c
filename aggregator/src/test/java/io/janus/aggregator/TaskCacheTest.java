package io.janus.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.core.MockClock;
import io.janus.server.datastore.Datastore;
import io.janus.server.datastore.model.HpkeKeyState;
import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.Task;
import io.janus.server.testing.Fixtures;
import io.janus.server.testing.TestDatabase;
import io.janus.messages.HpkeAlgorithms;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TaskCacheTest {
  private static TestDatabase db;

  @BeforeAll
  static void setUp() {
    db = TestDatabase.create();
  }

  @AfterAll
  static void tearDown() {
    db.close();
  }

  @Test
  void servesACachedTaskUntilItsTtlThenRereads() {
    Fixtures fx = new Fixtures();
    MockClock clock = db.clock();
    Datastore ds = db.datastore();
    TaskCache cache = new TaskCache(ds, clock, 1000, 10, 1000);
    Task task = fx.leaderTask().build();
    assertThat(cache.task(task.id())).isEmpty();
    // Unknown IDs are not cached: the task is found as soon as it is stored.
    ds.run("put", tx -> tx.tasks().put(task));
    assertThat(cache.task(task.id())).hasValue(task);
    ds.run("delete", tx -> tx.tasks().delete(task.id()));
    assertThat(cache.task(task.id())).hasValue(task);
    clock.advanceMillis(1000);
    assertThat(cache.task(task.id())).isEmpty();
  }

  @Test
  void evictsWhenFull() {
    Fixtures fx = new Fixtures();
    Datastore ds = db.datastore();
    TaskCache cache = new TaskCache(ds, db.clock(), 60_000, 2, 1000);
    for (int i = 0; i < 5; i++) {
      Task t = fx.leaderTask().build();
      ds.run("put", tx -> tx.tasks().put(t));
      assertThat(cache.task(t.id())).hasValue(t);
    }
  }

  @Test
  void rereadsTheGlobalKeysAfterTheRefreshInterval() {
    MockClock clock = db.clock();
    Datastore ds = db.datastore();
    TaskCache cache = new TaskCache(ds, clock, 1000, 10, 5000);
    int before = cache.globalKeys().size();
    HpkeKeypair key = Hpke.generate(77, HpkeAlgorithms.KEM_X25519_HKDF_SHA256, HpkeAlgorithms.KDF_HKDF_SHA256,
        HpkeAlgorithms.AEAD_AES_128_GCM);
    ds.run("put_key", tx -> tx.hpkeKeys().put(key) && tx.hpkeKeys().setState(77, HpkeKeyState.ACTIVE));
    assertThat(cache.globalKeys()).hasSize(before);
    clock.advanceMillis(5000);
    assertThat(cache.globalKeys()).hasSize(before + 1);
  }
}
