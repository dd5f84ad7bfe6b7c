package io.janus.server.binary;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The command-line options every binary takes, each also settable by environment variable (the flag wins), as in
 * Janus. {@code toString} redacts the secrets.
 */
public final class CommonOptions {
  /** Environment variable naming the YAML configuration file. */
  public static final String CONFIG_FILE_ENV = "CONFIG_FILE";
  /** Environment variable holding the comma-separated datastore encryption keys. */
  public static final String DATASTORE_KEYS_ENV = "DATASTORE_KEYS";
  /** Environment variable holding the database password (libpq's name for it). */
  public static final String DATABASE_PASSWORD_ENV = "PGPASSWORD";

  @Option(names = "--config-file", paramLabel = "FILE",
      description = "YAML configuration file (env: " + CONFIG_FILE_ENV + ")")
  private Path configFile;

  @Option(names = "--datastore-keys", paramLabel = "KEYS",
      description = "Comma-separated unpadded base64url AES-128 keys; the first encrypts, all decrypt (env: "
          + DATASTORE_KEYS_ENV + ")")
  private String datastoreKeys;

  @Option(names = "--database-password", paramLabel = "PASSWORD",
      description = "Database password, overriding one in database.url (env: " + DATABASE_PASSWORD_ENV + ")")
  private String databasePassword;

  /** Creates empty options; picocli fills them from the command line. */
  public CommonOptions() {}

  /** Creates options from values, for binaries and tests that do not parse a command line. */
  public CommonOptions(Optional<Path> configFile, Optional<String> datastoreKeys, Optional<String> databasePassword) {
    this.configFile = configFile.orElse(null);
    this.datastoreKeys = datastoreKeys.orElse(null);
    this.databasePassword = databasePassword.orElse(null);
  }

  /** Fills every option not given on the command line from its environment variable. */
  void applyEnvironment(Map<String, String> env) {
    if (configFile == null && nonBlank(env.get(CONFIG_FILE_ENV))) {
      configFile = Path.of(env.get(CONFIG_FILE_ENV));
    }
    if (datastoreKeys == null && nonBlank(env.get(DATASTORE_KEYS_ENV))) {
      datastoreKeys = env.get(DATASTORE_KEYS_ENV);
    }
    if (databasePassword == null && env.get(DATABASE_PASSWORD_ENV) != null) {
      databasePassword = env.get(DATABASE_PASSWORD_ENV);
    }
  }

  /** The configuration file, from {@code --config-file} or {@code CONFIG_FILE}. */
  public Optional<Path> configFile() {
    return Optional.ofNullable(configFile);
  }

  /** The datastore keys, from {@code --datastore-keys} or {@code DATASTORE_KEYS}; a secret. */
  public Optional<String> datastoreKeys() {
    return Optional.ofNullable(datastoreKeys);
  }

  /** The database password, from {@code --database-password} or {@code PGPASSWORD}; a secret. */
  public Optional<String> databasePassword() {
    return Optional.ofNullable(databasePassword);
  }

  @Override
  public String toString() {
    return "CommonOptions[configFile=" + configFile + ", datastoreKeys=" + (datastoreKeys == null ? "<unset>"
        : "<redacted>") + ", databasePassword=" + (databasePassword == null ? "<unset>" : "<redacted>") + "]";
  }

  private static boolean nonBlank(String s) {
    return s != null && !s.isBlank();
  }
}
