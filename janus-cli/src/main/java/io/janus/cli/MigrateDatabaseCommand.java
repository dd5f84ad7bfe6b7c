package io.janus.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.janus.server.binary.CommonOptions;
import io.janus.server.datastore.Migrations;
import io.janus.server.datastore.SchemaVersion;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code migrate-database}: applies the schema migrations shipped with this build, so the binaries' start-up schema
 * check passes. Needs the database configuration but no datastore keys; safe to run again (Flyway applies only
 * what is pending, and refuses a database whose applied migrations differ from this build's).
 */
@Command(name = "migrate-database", mixinStandardHelpOptions = true,
    description = {"Apply this build's schema migrations to the configured database.",
        "Run it before starting the binaries of a new version; it applies only pending migrations."})
final class MigrateDatabaseCommand implements Callable<Integer> {
  private final CliContext context;

  @Mixin
  CommonOptions common = new CommonOptions();

  MigrateDatabaseCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    DatastoreConnection.Pool pool = DatastoreConnection.connect(common, context);
    try (HikariDataSource dataSource = pool.dataSource()) {
      String version;
      try {
        version = Migrations.migrate(dataSource);
      } catch (RuntimeException e) {
        throw new CliException("migration failed: " + DatastoreConnection.rootMessage(e), e);
      }
      try {
        SchemaVersion.check(dataSource);
      } catch (SchemaVersion.SchemaVersionException e) {
        throw new CliException(e.getMessage(), e);
      }
      context.err().println("database schema is at version " + version + " (expected " + SchemaVersion.EXPECTED + ")");
    }
    return 0;
  }
}
