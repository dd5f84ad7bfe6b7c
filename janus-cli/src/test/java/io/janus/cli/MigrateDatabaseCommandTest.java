package io.janus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.server.binary.CommonOptions;
import io.janus.server.datastore.SchemaVersion;
import io.janus.server.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code migrate-database} against a real, empty PostgreSQL database. */
class MigrateDatabaseCommandTest {
  private static TestDatabase db;

  @TempDir
  static Path dir;

  private static Path configFile;

  @BeforeAll
  static void setUp() throws Exception {
    db = TestDatabase.createUnmigrated();
    configFile = dir.resolve("janus_cli.yaml");
    Files.writeString(configFile, "database:\n  url: \"" + db.jdbcUrl() + "\"\n  connection_pool_timeouts_s: 5\n");
  }

  @AfterAll
  static void tearDown() {
    db.close();
  }

  @Test
  void migratesAnEmptyDatabaseAndIsSafeToRepeat() {
    assertThatThrownBy(() -> SchemaVersion.check(db.dataSource()))
        .hasMessageContaining("janus_cli migrate-database");
    // No DATASTORE_KEYS: migrating needs none.
    CliRunner cli = new CliRunner(Map.of(CommonOptions.CONFIG_FILE_ENV, configFile.toString()), 1);

    CliRunner.Result first = cli.run("migrate-database");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.err()).contains("database schema is at version " + SchemaVersion.EXPECTED);
    assertThatCode(() -> SchemaVersion.check(db.dataSource())).doesNotThrowAnyException();

    CliRunner.Result again = cli.run("migrate-database");
    assertThat(again.exitCode()).as(again.err()).isZero();
  }

  @Test
  void namesAMissingConfigurationFile() {
    CliRunner cli = new CliRunner(Map.of(), 1);

    CliRunner.Result r = cli.run("migrate-database");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err().strip()).isEqualTo("janus_cli: no configuration file: pass --config-file or set "
        + CommonOptions.CONFIG_FILE_ENV);
  }
}
