package io.janus.server.datastore;

import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Checks at start-up that the database's schema is the one this build was written for, so a binary never runs
 * against a schema it does not understand. Every binary calls {@link #check} unless
 * {@code database.check_schema_version} is false.
 */
public final class SchemaVersion {
  /** The schema version (the highest Flyway migration) this build expects. */
  public static final String EXPECTED = "6";

  private SchemaVersion() {}

  /**
   * Compares the database's applied Flyway version with {@link #EXPECTED}.
   *
   * @throws SchemaVersionException naming the missing migrations if the database is older (or empty), or saying
   *     that the database is newer than this build
   */
  public static void check(DataSource dataSource) {
    MigrationInfoService info = Migrations.flyway(dataSource).info();
    MigrationInfo current = info.current();
    MigrationVersion expected = MigrationVersion.fromVersion(EXPECTED);
    if (current == null || current.getVersion() == null) {
      throw new SchemaVersionException("the database has no janus schema (expected version " + EXPECTED
          + "); missing migrations: " + missing(info) + ". Run `janus_cli migrate-database` (or Flyway on db/migrations) first.");
    }
    int cmp = current.getVersion().compareTo(expected);
    if (cmp < 0) {
      throw new SchemaVersionException("the database schema is at version " + current.getVersion()
          + " but this build expects " + EXPECTED + "; missing migrations: " + missing(info));
    }
    if (cmp > 0) {
      throw new SchemaVersionException("the database schema is at version " + current.getVersion()
          + ", newer than version " + EXPECTED + " that this build supports; upgrade this binary");
    }
    for (MigrationInfo m : info.all()) {
      if (m.getState() == MigrationState.FAILED) {
        throw new SchemaVersionException("migration V" + m.getVersion() + " (" + m.getDescription()
            + ") failed; repair the database before starting");
      }
    }
  }

  private static String missing(MigrationInfoService info) {
    List<String> names = new ArrayList<>();
    for (MigrationInfo m : info.pending()) {
      names.add("V" + m.getVersion() + " (" + m.getDescription() + ")");
    }
    return names.isEmpty() ? "none found on the classpath" : String.join(", ", names);
  }

  /** The database schema does not match this build. */
  public static final class SchemaVersionException extends DatastoreException {
    /** Creates the exception. */
    public SchemaVersionException(String message) {
      super(message);
    }
  }
}
