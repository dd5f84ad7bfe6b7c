package io.janus.server.datastore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.core.task.VdafInstance;
import io.janus.server.testing.Fixtures;
import io.janus.server.testing.TestDatabase;
import io.janus.messages.DapDuration;
import io.janus.messages.Time;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TasksTableTest {
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
  void putGetRoundTripsLeaderAndHelperTasks() {
    Task leader = f.leaderTask()
        .queryType(new QueryType.FixedSize(OptionalLong.of(500), Optional.of(DapDuration.ofSeconds(7200))))
        .vdaf(new VdafInstance.Prio3SumVec(8, 12, 4))
        .maxBatchQueryCount(3)
        .taskExpiration(new Time(2_000_000_000L))
        .reportExpiryAge(DapDuration.ofSeconds(86_400))
        .tolerableClockSkew(DapDuration.ofSeconds(60))
        .hpkeKeys(List.of(f.hpkeKeypair(1), f.hpkeKeypair(7)))
        .build();
    Task helper = f.helperTask().vdaf(new VdafInstance.Prio3Histogram(5, 2)).build();
    // A task provisioned in-band: its ID is the SHA-256 of the configuration it keeps.
    byte[] config = f.bytes(40);
    Task taskprovHelper = Task.builder(io.janus.core.task.Taskprov.taskId(config), helper.role(),
            helper.peerAggregatorEndpoint(), new QueryType.FixedSize(OptionalLong.empty(), Optional.empty()),
            new VdafInstance.Prio3Sum(16), f.bytes(16), DapDuration.ofSeconds(60), f.hpkeConfig(3))
        .taskprovConfig(new io.janus.core.task.TaskprovTaskConfig(config))
        .build();

    assertThat(run((Tx tx) -> tx.tasks().put(leader))).isTrue();
    assertThat(run((Tx tx) -> tx.tasks().put(helper))).isTrue();
    assertThat(run((Tx tx) -> tx.tasks().put(taskprovHelper))).isTrue();

    assertThat(run((Tx tx) -> tx.tasks().get(leader.id()))).contains(leader);
    assertThat(run((Tx tx) -> tx.tasks().get(helper.id()))).contains(helper);
    assertThat(run((Tx tx) -> tx.tasks().get(taskprovHelper.id()))).contains(taskprovHelper);
    assertThat(run((Tx tx) -> tx.tasks().get(taskprovHelper.id())).orElseThrow().taskprovConfig().orElseThrow()
        .encoded()).isEqualTo(config);
    assertThat(run((Tx tx) -> tx.tasks().get(leader.id())).orElseThrow().taskprovConfig()).isEmpty();
    assertThat(run((Tx tx) -> tx.tasks().get(f.taskId()))).isEmpty();
    List<Task> all = run((Tx tx) -> tx.tasks().getAll());
    assertThat(all).contains(leader, helper, taskprovHelper);
  }

  @Test
  void dap18TasksKeepTheirAgreedTermsAndYieldTheSameAgreementOnBothSides() {
    java.net.URI leaderUrl = java.net.URI.create("https://leader.example/dap/");
    java.net.URI helperUrl = java.net.URI.create("https://helper.example/");
    byte[] info = "fleet-cpu".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Task leader = f.leaderTask()
        .protocol(io.janus.core.task.DapVersion.DAP_18)
        .peerAggregatorEndpoint(helperUrl)
        .vdaf(new VdafInstance.Prio3SumMaxMeasurement(1000))
        .taskExpiration(new Time(7200 * 10))
        .agreedTerms(new io.janus.core.task.AgreedTerms(info, leaderUrl, Optional.of(new Time(7200))))
        .timePrecision(DapDuration.ofSeconds(3600))
        .hpkeKeys(List.of())
        .build();
    Task helper = f.helperTask()
        .id(leader.id())
        .protocol(io.janus.core.task.DapVersion.DAP_18)
        .peerAggregatorEndpoint(leaderUrl)
        .vdaf(leader.vdaf())
        .taskExpiration(new Time(7200 * 10))
        .agreedTerms(new io.janus.core.task.AgreedTerms(info, helperUrl, Optional.of(new Time(7200))))
        .timePrecision(DapDuration.ofSeconds(3600))
        .minBatchSize(leader.minBatchSize())
        .queryType(leader.queryType())
        .hpkeKeys(List.of())
        .build();
    // DAP-18 clients fetch /hpke_config without a task ID: a DAP-18 task cannot have keys of its own.
    assertThatThrownBy(() -> helper.toBuilder().hpkeKeys(List.of(f.hpkeKeypair(4))).build())
        .hasMessageContaining("global keys");
    assertThat(run((Tx tx) -> tx.tasks().put(leader))).isTrue();
    Task read = run((Tx tx) -> tx.tasks().get(leader.id())).orElseThrow();
    assertThat(read).isEqualTo(leader);
    assertThat(read.agreement()).isEqualTo(helper.agreement());
    assertThat(read.agreement().orElseThrow().leaderEndpoint()).isEqualTo(leaderUrl);
    assertThat(read.agreement().orElseThrow().taskInterval().orElseThrow().duration().seconds())
        .isEqualTo(7200 * 9);
    // The database refuses a DAP-18 row without its terms, whatever the Java side checks.
    assertThatThrownBy(() -> run((Tx tx) -> {
      try (var ps = tx.prepare("UPDATE tasks SET task_info = NULL WHERE task_id = ?")) {
        ps.setBytes(1, leader.id().bytes());
        return ps.executeUpdate();
      } catch (SQLException e) {
        throw tx.fail("test", e);
      }
    })).isInstanceOf(DatastoreException.class).hasMessageContaining("tasks_dap18_terms");
  }

  @Test
  void putOfAnExistingTaskChangesNothing() {
    Task t = f.leaderTask().build();
    assertThat(run((Tx tx) -> tx.tasks().put(t))).isTrue();
    Task other = t.toBuilder().minBatchSize(99).build();
    assertThat(run((Tx tx) -> tx.tasks().put(other))).isFalse();
    assertThat(run((Tx tx) -> tx.tasks().get(t.id()))).contains(t);
  }

  @Test
  void secretsAreStoredEncrypted() throws Exception {
    Task t = f.leaderTask().build();
    run((Tx tx) -> tx.tasks().put(t));
    byte[] stored = run((Tx tx) -> {
      try (var ps = tx.prepare("SELECT vdaf_verify_key FROM tasks WHERE task_id = ?")) {
        ps.setBytes(1, t.id().bytes());
        var rs = ps.executeQuery();
        rs.next();
        return rs.getBytes(1);
      } catch (SQLException e) {
        throw tx.fail("test", e);
      }
    });
    assertThat(stored).hasSize(t.vdafVerifyKey().length + 28).isNotEqualTo(t.vdafVerifyKey());
    // Another crypter cannot read the task.
    Datastore stranger = new Datastore(db.dataSource(), new Crypter(List.of(f.bytes(16))), db.clock(), 0,
        db.meterRegistry());
    assertThatThrownBy(() -> stranger.run("get", tx -> tx.tasks().get(t.id())))
        .isInstanceOf(DatastoreException.class).hasMessageContaining("no datastore key decrypts");
  }

  @Test
  void checkConstraintsRejectInconsistentTokens() {
    Task t = f.helperTask().build();
    run((Tx tx) -> tx.tasks().put(t));
    assertThatThrownBy(() -> run((Tx tx) -> {
      try (var ps = tx.prepare("UPDATE tasks SET collector_auth_token_hash = ?, collector_auth_token_type = 'BEARER'"
          + " WHERE task_id = ?")) {
        ps.setBytes(1, f.bytes(32));
        ps.setBytes(2, t.id().bytes());
        return ps.executeUpdate();
      } catch (SQLException e) {
        throw tx.fail("test", e);
      }
    })).isInstanceOf(DatastoreException.class).hasMessageContaining("tasks_collector_auth_token_by_role");
  }

  @Test
  void deleteRemovesTheTaskAndItsKeys() {
    Task t = f.leaderTask().build();
    run((Tx tx) -> tx.tasks().put(t));
    assertThat(run((Tx tx) -> tx.tasks().delete(t.id()))).isTrue();
    assertThat(run((Tx tx) -> tx.tasks().get(t.id()))).isEmpty();
    assertThat(run((Tx tx) -> tx.hpkeKeys().getForTask(t.id()))).isEmpty();
    assertThat(run((Tx tx) -> tx.tasks().delete(t.id()))).isFalse();
  }

  @Test
  void field64MultiproofTaskStoresJanusFormAndThirtyTwoByteKey() {
    VdafInstance vdaf = new VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128(3, 1, 100, 10);
    Task t = f.helperTask().vdaf(vdaf).vdafVerifyKey(f.bytes(32)).build();
    assertThat(run((Tx tx) -> tx.tasks().put(t))).isTrue();
    // JSONB equality ignores key order and spacing: the column holds the value Janus would store.
    boolean janusForm = run((Tx tx) -> {
      try (var ps = tx.prepare("SELECT vdaf = ?::jsonb FROM tasks WHERE task_id = ?")) {
        ps.setString(1, "{\"Prio3SumVecField64MultiproofHmacSha256Aes128\":"
            + "{\"chunk_length\":10,\"length\":100,\"bits\":1,\"proofs\":3}}");
        ps.setBytes(2, t.id().bytes());
        var rs = ps.executeQuery();
        rs.next();
        return rs.getBoolean(1);
      } catch (SQLException e) {
        throw tx.fail("test", e);
      }
    });
    assertThat(janusForm).isTrue();
    Task read = run((Tx tx) -> tx.tasks().get(t.id())).orElseThrow();
    assertThat(read).isEqualTo(t);
    assertThat(read.vdafVerifyKey()).hasSize(32);
  }

  private static <T> T run(TxBody<T> body) {
    return db.datastore().run("test", body);
  }
}
