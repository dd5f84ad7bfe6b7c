package io.janus.quickstart;

import com.zaxxer.hikari.HikariDataSource;
import io.janus.server.datastore.Datastore;
import io.janus.server.datastore.Migrations;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One embedded PostgreSQL server (real binaries unpacked from a Maven artifact) holding one database per
 * aggregator, each migrated to the newest schema with the same Flyway migrations a deployment runs.
 *
 * <p>The server listens on loopback only and trusts local connections, so database URLs carry the user name
 * {@value #USER} and no password. Closing stops the server and deletes its data directory.
 */
public final class EmbeddedDatabases implements AutoCloseable {
  /** The superuser the embedded server trusts. */
  public static final String USER = "postgres";

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  private final EmbeddedPostgres server;

  private EmbeddedDatabases(EmbeddedPostgres server) {
    this.server = server;
  }

  /**
   * Starts the server and creates and migrates each database.
   *
   * @param dataDirectory where the server keeps its data; created if missing, and must be empty
   * @param names database names: lower case letters, digits and underscores, starting with a letter
   * @param serverLog the file the server's own output is appended to
   * @throws IllegalStateException if the server cannot start or a database cannot be created or migrated
   */
  public static EmbeddedDatabases start(Path dataDirectory, List<String> names, Path serverLog) {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("no database names");
    }
    for (String name : names) {
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("not a plain database name: " + name);
      }
    }
    EmbeddedPostgres server;
    try {
      server = EmbeddedPostgres.builder()
          .setDataDirectory(dataDirectory)
          .setCleanDataDirectory(true)
          .setServerConfig("listen_addresses", "127.0.0.1")
          .setOutputRedirector(ProcessBuilder.Redirect.appendTo(serverLog.toFile()))
          .setErrorRedirector(ProcessBuilder.Redirect.appendTo(serverLog.toFile()))
          .start();
    } catch (IOException e) {
      throw new IllegalStateException("could not start embedded PostgreSQL: " + e.getMessage(), e);
    }
    EmbeddedDatabases databases = new EmbeddedDatabases(server);
    try {
      databases.createAndMigrate(names.get(0));
      for (String name : names.subList(1, names.size())) {
        // Copying the migrated database is much faster than migrating each one.
        databases.execute("CREATE DATABASE " + name + " TEMPLATE " + names.get(0));
      }
      return databases;
    } catch (RuntimeException e) {
      databases.close();
      throw e;
    }
  }

  private void createAndMigrate(String name) {
    execute("CREATE DATABASE " + name);
    try (HikariDataSource ds = Datastore.dataSource(jdbcUrl(name), Optional.empty(), 2, Duration.ofSeconds(30))) {
      Migrations.migrate(ds);
    }
  }

  /** Runs DDL on the maintenance database; names in it were checked against NAME, DDL takes no bind parameters. */
  private void execute(String ddl) {
    try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute(ddl);
    } catch (SQLException e) {
      throw new IllegalStateException("could not run '" + ddl + "': " + e.getMessage(), e);
    }
  }

  /** The port the server listens on (loopback only). */
  public int port() {
    return server.getPort();
  }

  /** The {@code database.url} value a janus binary's configuration uses to reach {@code name}. */
  public String url(String name) {
    return "postgres://" + USER + "@127.0.0.1:" + port() + "/" + name;
  }

  /** The JDBC URL of {@code name}, for a connection pool opened directly. */
  public String jdbcUrl(String name) {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + name + "?user=" + USER;
  }

  /** Stops the server and deletes its data. */
  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      throw new IllegalStateException("could not stop embedded PostgreSQL: " + e.getMessage(), e);
    }
  }
}
