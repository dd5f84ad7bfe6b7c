package io.janus.server.config;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The {@code database} section: how to reach PostgreSQL.
 *
 * @param url the connection URL; a password here is overridden by {@code --database-password}/{@code PGPASSWORD}
 * @param connectionPoolTimeoutsS seconds to wait for a pooled connection or a new one (default 60)
 * @param connectionPoolMaxSize the most connections the pool opens (default: 4 per available processor)
 * @param checkSchemaVersion whether start-up refuses a database schema version this build does not support
 *     (default true)
 * @param tlsTrustStorePath a PEM file of root certificates to trust for TLS connections to the database
 */
public record DatabaseConfig(
    DatabaseUrl url,
    @ConfigDefault("60") long connectionPoolTimeoutsS,
    OptionalInt connectionPoolMaxSize,
    @ConfigDefault("true") boolean checkSchemaVersion,
    Optional<Path> tlsTrustStorePath) {
  /** Validates the ranges. */
  public DatabaseConfig {
    if (connectionPoolTimeoutsS < 1) {
      throw new InvalidConfigValueException("connection_pool_timeouts_s", "must be at least 1");
    }
    if (connectionPoolMaxSize.isPresent() && connectionPoolMaxSize.getAsInt() < 1) {
      throw new InvalidConfigValueException("connection_pool_max_size", "must be at least 1");
    }
  }

  /**
   * The JDBC URL to connect with: {@link DatabaseUrl#jdbcUrl()} plus the URL's user name and the TLS trust store
   * as pgjdbc parameters. It never contains the password, so it is safe to pass to libraries that log URLs.
   */
  public String jdbcUrl() {
    StringBuilder sb = new StringBuilder(url.jdbcUrl());
    char sep = url.jdbcUrl().indexOf('?') >= 0 ? '&' : '?';
    if (url.user().isPresent()) {
      sb.append(sep).append("user=").append(URLEncoder.encode(url.user().get(), StandardCharsets.UTF_8));
      sep = '&';
    }
    if (tlsTrustStorePath.isPresent()) {
      sb.append(sep).append("sslrootcert=")
          .append(URLEncoder.encode(tlsTrustStorePath.get().toString(), StandardCharsets.UTF_8));
    }
    return sb.toString();
  }

  /** The pool size to use: the configured one, or 4 per available processor as Janus defaults it. */
  public int effectiveConnectionPoolMaxSize() {
    return connectionPoolMaxSize.orElse(Runtime.getRuntime().availableProcessors() * 4);
  }
}
