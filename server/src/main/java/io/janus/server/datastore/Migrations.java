package io.janus.server.datastore;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** Applies the schema migrations shipped in this jar ({@code classpath:db/migrations}) with Flyway. */
public final class Migrations {
  /** Where the migrations live on the classpath. */
  public static final String LOCATION = "classpath:db/migrations";

  private Migrations() {}

  /**
   * Brings the database's schema up to this build's version, applying every pending migration in order.
   *
   * @return the schema version after migrating
   */
  public static String migrate(DataSource dataSource) {
    MigrateResult r = flyway(dataSource).migrate();
    return r.targetSchemaVersion != null ? r.targetSchemaVersion : r.initialSchemaVersion;
  }

  static Flyway flyway(DataSource dataSource) {
    return Flyway.configure()
        .dataSource(dataSource)
        .locations(LOCATION)
        // The check at start-up, not Flyway, decides what an unknown or newer schema means.
        .validateOnMigrate(true)
        .load();
  }
}
