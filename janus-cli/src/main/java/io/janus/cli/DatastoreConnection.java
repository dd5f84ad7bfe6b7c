package io.janus.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.janus.server.binary.CommonOptions;
import io.janus.server.config.CommonConfig;
import io.janus.server.config.ConfigException;
import io.janus.server.config.ConfigLoader;
import io.janus.server.config.DatabaseConfig;
import io.janus.server.datastore.Crypter;
import io.janus.server.datastore.Datastore;
import io.janus.server.datastore.SchemaVersion;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * An open datastore for one CLI command, built from the common options ({@code --config-file},
 * {@code --datastore-keys}, {@code --database-password}, each with its environment fallback) and the common YAML
 * keys. Unlike the long-running binaries, the CLI starts no health or metrics server: it only needs the database.
 * Closing it closes the connection pool.
 */
final class DatastoreConnection implements AutoCloseable {
  private final HikariDataSource dataSource;
  private final Datastore datastore;

  private DatastoreConnection(HikariDataSource dataSource, Datastore datastore) {
    this.dataSource = dataSource;
    this.datastore = datastore;
  }

  /**
   * Loads the configuration, checks the datastore keys, connects and (unless disabled) checks the schema version.
   *
   * @throws CliException naming the missing option, the bad configuration key, or the connection failure
   */
  static DatastoreConnection open(CommonOptions options, CliContext context) {
    configFile(options, context);
    String keys = options.datastoreKeys()
        .or(() -> context.env(CommonOptions.DATASTORE_KEYS_ENV))
        .orElseThrow(() -> new CliException(
            "no datastore keys: pass --datastore-keys or set " + CommonOptions.DATASTORE_KEYS_ENV));
    // Check the cheap local inputs before connecting anywhere.
    Crypter crypter;
    try {
      crypter = Crypter.fromDatastoreKeys(keys);
    } catch (IllegalArgumentException e) {
      throw new CliException("invalid datastore keys: " + e.getMessage());
    }
    Pool pool = connect(options, context);
    try {
      if (pool.config().database().checkSchemaVersion()) {
        SchemaVersion.check(pool.dataSource());
      }
    } catch (SchemaVersion.SchemaVersionException e) {
      pool.dataSource().close();
      throw new CliException(e.getMessage(), e);
    } catch (RuntimeException e) {
      pool.dataSource().close();
      throw new CliException("cannot read the database schema version: " + rootMessage(e), e);
    }
    Datastore datastore = new Datastore(pool.dataSource(), crypter, context.clock(),
        pool.config().maxTransactionRetries(), new SimpleMeterRegistry());
    return new DatastoreConnection(pool.dataSource(), datastore);
  }

  /** A connection pool with the configuration it was built from. */
  record Pool(HikariDataSource dataSource, CommonConfig config) {}

  /**
   * Loads the configuration and connects, without datastore keys or a schema check: what {@code migrate-database}
   * needs, and the first half of {@link #open}.
   *
   * @throws CliException naming the missing option, the bad configuration key, or the connection failure
   */
  static Pool connect(CommonOptions options, CliContext context) {
    Path configFile = configFile(options, context);
    CommonConfig config;
    try {
      config = ConfigLoader.load(configFile, CommonConfig.class);
    } catch (ConfigException e) {
      throw new CliException(e.getMessage(), e);
    }
    DatabaseConfig db = config.database();
    // As in the binaries, --database-password/PGPASSWORD wins over a password in the URL.
    Optional<String> password = options.databasePassword()
        .or(() -> Optional.ofNullable(context.environment().get(CommonOptions.DATABASE_PASSWORD_ENV)))
        .or(() -> db.url().password());
    try {
      // A CLI command runs one transaction at a time: two connections are plenty.
      return new Pool(Datastore.dataSource(db.jdbcUrl(), password, 2,
          Duration.ofSeconds(db.connectionPoolTimeoutsS())), config);
    } catch (RuntimeException e) {
      throw new CliException("cannot connect to the database at " + db.url() + ": " + rootMessage(e), e);
    }
  }

  private static Path configFile(CommonOptions options, CliContext context) {
    return options.configFile()
        .or(() -> context.env(CommonOptions.CONFIG_FILE_ENV).map(Path::of))
        .orElseThrow(() -> new CliException(
            "no configuration file: pass --config-file or set " + CommonOptions.CONFIG_FILE_ENV));
  }

  /** The datastore; valid until {@link #close()}. */
  Datastore datastore() {
    return datastore;
  }

  @Override
  public void close() {
    dataSource.close();
  }

  /** The innermost message of a failure chain, which names the actual problem (e.g. "Connection refused"). */
  static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage();
    return m == null || m.isBlank() ? root.getClass().getSimpleName() : m;
  }
}
