package io.janus.interop;

import com.zaxxer.hikari.HikariDataSource;
import io.janus.server.datastore.Migrations;
import io.janus.server.datastore.Datastore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The interop aggregator's PostgreSQL: a private embedded server (real PostgreSQL binaries, started in a temporary
 * directory) unless a JDBC URL is given, with the schema migrated to the newest version. Closing it closes the pool
 * and stops the embedded server.
 */
public final class InteropDatabase implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(InteropDatabase.class.getName());

  private final Optional<EmbeddedPostgres> embedded;
  private final HikariDataSource dataSource;

  private InteropDatabase(Optional<EmbeddedPostgres> embedded, HikariDataSource dataSource) {
    this.embedded = embedded;
    this.dataSource = dataSource;
  }

  /**
   * Connects to {@code jdbcUrl}, or starts an embedded server when it is empty, and migrates the schema.
   *
   * @throws IllegalStateException if the embedded server cannot start, the database cannot be reached, or the
   *     migration fails
   */
  public static InteropDatabase open(Optional<String> jdbcUrl) {
    Optional<EmbeddedPostgres> embedded = Optional.empty();
    String url;
    if (jdbcUrl.isPresent()) {
      url = jdbcUrl.get();
    } else {
      try {
        EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
        embedded = Optional.of(pg);
        url = pg.getJdbcUrl("postgres", "postgres");
        LOG.info(() -> "started embedded PostgreSQL on port " + pg.getPort());
      } catch (IOException e) {
        throw new IllegalStateException("could not start embedded PostgreSQL: " + e.getMessage(), e);
      }
    }
    HikariDataSource ds = null;
    try {
      ds = Datastore.dataSource(url, Optional.empty(), 16, Duration.ofSeconds(30));
      String version = Migrations.migrate(ds);
      LOG.info(() -> "database schema at version " + version);
      return new InteropDatabase(embedded, ds);
    } catch (RuntimeException e) {
      if (ds != null) {
        ds.close();
      }
      embedded.ifPresent(InteropDatabase::stop);
      throw e;
    }
  }

  /** The connection pool (autoCommit off, REPEATABLE READ), for a {@link Datastore}. */
  public HikariDataSource dataSource() {
    return dataSource;
  }

  /** Closes the pool and stops the embedded server, if any. */
  @Override
  public void close() {
    dataSource.close();
    embedded.ifPresent(InteropDatabase::stop);
  }

  private static void stop(EmbeddedPostgres pg) {
    try {
      pg.close();
    } catch (IOException e) {
      throw new UncheckedIOException("could not stop embedded PostgreSQL", e);
    }
  }
}
