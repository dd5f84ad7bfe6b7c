package io.janus.server.datastore;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.server.datastore.model.GlobalHpkeKeypair;
import io.janus.server.datastore.model.HpkeKeyState;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.Task;
import io.janus.server.testing.Fixtures;
import io.janus.server.testing.TestDatabase;
import io.janus.messages.DapDuration;
import io.janus.messages.Time;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HpkeKeysTableTest {
  private static TestDatabase db;
  private final Fixtures f = new Fixtures();

  @BeforeAll
  static void setUp() {
    db = TestDatabase.create();
  }

  @AfterAll
  static void tearDown() {
    db.close();
  }

  @Test
  void globalKeysLifeCycle() {
    HpkeKeypair a = f.hpkeKeypair(1);
    HpkeKeypair b = f.hpkeKeypair(255);
    Time t0 = db.clock().now();
    assertThat(run((Tx tx) -> tx.hpkeKeys().put(a))).isTrue();
    assertThat(run((Tx tx) -> tx.hpkeKeys().put(b))).isTrue();
    assertThat(run((Tx tx) -> tx.hpkeKeys().put(f.hpkeKeypair(1)))).isFalse();
    assertThat(run((Tx tx) -> tx.hpkeKeys().get(1))).contains(new GlobalHpkeKeypair(a, HpkeKeyState.PENDING, t0));

    db.clock().advance(DapDuration.ofSeconds(3600));
    assertThat(run((Tx tx) -> tx.hpkeKeys().setState(1, HpkeKeyState.ACTIVE))).isTrue();
    assertThat(run((Tx tx) -> tx.hpkeKeys().setState(2, HpkeKeyState.ACTIVE))).isFalse();
    assertThat(run((Tx tx) -> tx.hpkeKeys().getAll())).containsExactly(
        new GlobalHpkeKeypair(a, HpkeKeyState.ACTIVE, db.clock().now()),
        new GlobalHpkeKeypair(b, HpkeKeyState.PENDING, t0));

    assertThat(run((Tx tx) -> tx.hpkeKeys().delete(1))).isTrue();
    assertThat(run((Tx tx) -> tx.hpkeKeys().delete(1))).isFalse();
    assertThat(run((Tx tx) -> tx.hpkeKeys().get(1))).isEmpty();
  }

  @Test
  void perTaskKeys() {
    Task t = f.leaderTask().hpkeKeys(List.of(f.hpkeKeypair(4))).build();
    run((Tx tx) -> tx.tasks().put(t));
    HpkeKeypair extra = f.hpkeKeypair(9);
    assertThat(run((Tx tx) -> tx.hpkeKeys().putForTask(t.id(), extra))).isTrue();
    assertThat(run((Tx tx) -> tx.hpkeKeys().putForTask(t.id(), f.hpkeKeypair(9)))).isFalse();
    assertThat(run((Tx tx) -> tx.hpkeKeys().putForTask(f.taskId(), f.hpkeKeypair(9)))).isFalse();
    assertThat(run((Tx tx) -> tx.hpkeKeys().getForTask(t.id()))).containsExactly(t.hpkeKeys().get(0), extra);
    assertThat(run((Tx tx) -> tx.tasks().get(t.id())).orElseThrow().hpkeKey(9)).contains(extra);
    assertThat(run((Tx tx) -> tx.hpkeKeys().deleteForTask(t.id(), 4))).isTrue();
    assertThat(run((Tx tx) -> tx.hpkeKeys().getForTask(t.id()))).containsExactly(extra);
  }

  private static <T> T run(TxBody<T> body) {
    return db.datastore().run("test", body);
  }
}
