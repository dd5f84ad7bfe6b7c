package io.janus.server.datastore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.server.datastore.model.GlobalHpkeKeypair;
import io.janus.server.datastore.model.HpkeKeyState;
import io.janus.server.testing.Fixtures;
import io.janus.server.testing.TestDatabase;
import io.janus.server.testing.TestThreads;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DatastoreTest {
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
  void commitsTheBodysWritesAndReturnsItsValue() {
    var key = f.hpkeKeypair(10);
    boolean stored = db.datastore().run("put_key", tx -> tx.hpkeKeys().put(key));
    assertThat(stored).isTrue();
    Optional<GlobalHpkeKeypair> read = db.datastore().run("get_key", tx -> tx.hpkeKeys().get(10));
    assertThat(read).isPresent();
    assertThat(db.meterRegistry().get("janus_database_transactions").tag("tx", "put_key")
        .tag("status", "success").counter().count()).isEqualTo(1.0);
  }

  @Test
  void transactionsRunAtRepeatableReadWithoutAutoCommit() {
    String isolation = db.datastore().run("isolation", (Tx tx) -> {
      try (var ps = tx.prepare("SHOW transaction_isolation"); var rs = ps.executeQuery()) {
        rs.next();
        assertThat(tx.connection().getAutoCommit()).isFalse();
        return rs.getString(1);
      } catch (SQLException e) {
        throw tx.fail("DatastoreTest.isolation", e);
      }
    });
    assertThat(isolation).isEqualTo("repeatable read");
  }

  @Test
  void rollsBackWhenTheBodyThrows() {
    var key = f.hpkeKeypair(11);
    assertThatThrownBy(() -> db.datastore().run("failing", tx -> {
      tx.hpkeKeys().put(key);
      throw new IllegalStateException("boom");
    })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
    Optional<GlobalHpkeKeypair> read = db.datastore().run("get_key", tx -> tx.hpkeKeys().get(11));
    assertThat(read).isEmpty();
    assertThat(db.meterRegistry().get("janus_database_transactions").tag("tx", "failing")
        .tag("status", "error_other").counter().count()).isEqualTo(1.0);
  }

  @Test
  void aDatabaseErrorIsRolledBackAndReported() {
    assertThatThrownBy(() -> db.datastore().run("bad_sql", tx -> {
      try (var ps = tx.prepare("SELECT * FROM no_such_table")) {
        return ps.executeQuery().next();
      } catch (SQLException e) {
        throw tx.fail("DatastoreTest.badSql", e);
      }
    })).isInstanceOf(DatastoreException.class).hasMessageContaining("no_such_table");
    assertThat(db.meterRegistry().get("janus_database_transactions").tag("tx", "bad_sql")
        .tag("status", "error_db").counter().count()).isEqualTo(1.0);
  }

  /**
   * Provokes a real serialization failure: B reads a row (fixing its snapshot), A updates and commits that row,
   * then B updates it. PostgreSQL refuses B's update with 40001 at REPEATABLE READ; the datastore reruns B's body,
   * which then succeeds. The latches order the steps; nothing sleeps.
   */
  @Test
  void retriesAProvokedSerializationFailure() throws Exception {
    var key = f.hpkeKeypair(12);
    db.datastore().run("setup", tx -> tx.hpkeKeys().put(key));
    CountDownLatch bRead = new CountDownLatch(1);
    CountDownLatch aCommitted = new CountDownLatch(1);
    AtomicInteger bAttempts = new AtomicInteger();

    CompletableFuture<Boolean> b = TestThreads.start(() -> db.datastore().run("tx_b", tx -> {
      int attempt = bAttempts.incrementAndGet();
      tx.hpkeKeys().get(12);
      if (attempt == 1) {
        bRead.countDown();
        TestThreads.await(aCommitted);
      }
      return tx.hpkeKeys().setState(12, HpkeKeyState.EXPIRED);
    }));
    TestThreads.await(bRead);
    db.datastore().run("tx_a", tx -> tx.hpkeKeys().setState(12, HpkeKeyState.ACTIVE));
    aCommitted.countDown();

    assertThat(b.get(60, TimeUnit.SECONDS)).isTrue();
    assertThat(bAttempts.get()).isEqualTo(2);
    assertThat(db.datastore().run("check", tx -> tx.hpkeKeys().get(12)).orElseThrow().state())
        .isEqualTo(HpkeKeyState.EXPIRED);
    assertThat(db.meterRegistry().get("janus_database_transaction_retries").tag("tx", "tx_b")
        .summary().totalAmount()).isEqualTo(1.0);
  }

  @Test
  void retriesEvenWhenTheBodySwallowsTheSerializationFailure() throws Exception {
    var key = f.hpkeKeypair(13);
    db.datastore().run("setup", tx -> tx.hpkeKeys().put(key));
    CountDownLatch bRead = new CountDownLatch(1);
    CountDownLatch aCommitted = new CountDownLatch(1);
    AtomicInteger bAttempts = new AtomicInteger();

    CompletableFuture<String> b = TestThreads.start(() -> db.datastore().run("tx_b_swallow", tx -> {
      int attempt = bAttempts.incrementAndGet();
      tx.hpkeKeys().get(13);
      if (attempt == 1) {
        bRead.countDown();
        TestThreads.await(aCommitted);
      }
      try {
        tx.hpkeKeys().setState(13, HpkeKeyState.EXPIRED);
        return "updated";
      } catch (DatastoreException e) {
        return "swallowed";
      }
    }));
    TestThreads.await(bRead);
    db.datastore().run("tx_a", tx -> tx.hpkeKeys().setState(13, HpkeKeyState.ACTIVE));
    aCommitted.countDown();

    assertThat(b.get(60, TimeUnit.SECONDS)).isEqualTo("updated");
    assertThat(bAttempts.get()).isEqualTo(2);
  }

  @Test
  void retriesAWrappedRetryableFailureAndGivesUpAfterTheLimit() {
    Datastore ds = new Datastore(db.dataSource(), db.crypter(), db.clock(), 3, new SimpleMeterRegistry());
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(() -> ds.run("always_conflicts", tx -> {
      attempts.incrementAndGet();
      throw new IllegalStateException("wrapped",
          new DatastoreException("inner", new SQLException("could not serialize", "40001")));
    })).isInstanceOf(TooManyRetriesException.class).hasMessageContaining("after 3 retries");
    assertThat(attempts.get()).isEqualTo(4);

    AtomicInteger deadlocks = new AtomicInteger();
    String result = ds.run("deadlock_once", tx -> {
      if (deadlocks.incrementAndGet() == 1) {
        throw new IllegalStateException(new SQLException("deadlock detected", "40P01"));
      }
      return "ok";
    });
    assertThat(result).isEqualTo("ok");
    assertThat(deadlocks.get()).isEqualTo(2);
  }

  @Test
  void doesNotRetryOtherFailures() {
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(() -> db.datastore().run("unique_violation", tx -> {
      attempts.incrementAndGet();
      throw new IllegalStateException(new SQLException("duplicate", "23505"));
    })).isInstanceOf(IllegalStateException.class);
    assertThat(attempts.get()).isEqualTo(1);
  }


}
