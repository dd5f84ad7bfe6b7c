package io.janus.server.datastore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.server.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class SchemaVersionTest {
  @Test
  void migrationsApplyOnAnEmptyDatabaseAndTheCheckPasses() throws Exception {
    try (TestDatabase db = TestDatabase.createUnmigrated()) {
      assertThat(Migrations.migrate(db.dataSource())).isEqualTo(SchemaVersion.EXPECTED);
      SchemaVersion.check(db.dataSource());
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        var rs = s.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
            + " AND table_name IN ('tasks', 'client_reports', 'aggregation_jobs', 'report_aggregations',"
            + " 'batch_aggregations', 'collection_jobs', 'aggregate_share_jobs', 'outstanding_batches',"
            + " 'task_upload_counters', 'task_aggregation_counters', 'hpke_keys', 'task_hpke_keys',"
            + " 'taskprov_peer_aggregators', 'taskprov_aggregator_auth_tokens', 'taskprov_collector_auth_tokens')");
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(15);
        c.rollback();
      }
      // Migrating again is a no-op.
      assertThat(Migrations.migrate(db.dataSource())).isEqualTo(SchemaVersion.EXPECTED);
    }
  }

  @Test
  void checkFailsOnAnUnmigratedDatabaseNamingTheMissingMigration() {
    try (TestDatabase db = TestDatabase.createUnmigrated()) {
      assertThatThrownBy(() -> SchemaVersion.check(db.dataSource()))
          .isInstanceOf(SchemaVersion.SchemaVersionException.class)
          .hasMessageContaining("no janus schema")
          .hasMessageContaining("V1 (initial schema)");
    }
  }

  @Test
  void checkFailsOnANewerDatabase() throws Exception {
    try (TestDatabase db = TestDatabase.create()) {
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        s.execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
            + " checksum, installed_by, execution_time, success)"
            + " VALUES (99, '99', 'from the future', 'SQL', 'V99__from_the_future.sql', 0, 'test', 0, TRUE)");
        c.commit();
      }
      assertThatThrownBy(() -> SchemaVersion.check(db.dataSource()))
          .isInstanceOf(SchemaVersion.SchemaVersionException.class)
          .hasMessageContaining("version 99, newer than version " + SchemaVersion.EXPECTED);
    }
  }
}
