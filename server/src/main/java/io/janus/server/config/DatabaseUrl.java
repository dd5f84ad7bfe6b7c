package io.janus.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The PostgreSQL connection URL from {@code database.url}, split into a JDBC URL and the credentials it carried.
 *
 * <p>Accepts the libpq form Janus uses, {@code postgres://user:password@host:port/dbname?param=value} (also
 * {@code postgresql://}), and a JDBC URL {@code jdbc:postgresql://...}. {@code toString} never prints the
 * password.
 */
public final class DatabaseUrl {
  private static final int DEFAULT_PORT = 5432;

  private final String jdbcUrl;
  private final Optional<String> user;
  private final Optional<String> password;
  private final String display;

  private DatabaseUrl(String jdbcUrl, Optional<String> user, Optional<String> password, String display) {
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    this.display = display;
  }

  /**
   * Parses a database URL.
   *
   * @throws IllegalArgumentException if it is not a PostgreSQL URL with a host; the message never repeats the
   *     URL, which may hold a password
   */
  public static DatabaseUrl parse(String text) {
    String s = text.strip();
    if (s.startsWith("jdbc:postgresql:")) {
      // pgjdbc parses its own URLs; we only need a safe form to display.
      return new DatabaseUrl(s, Optional.empty(), Optional.empty(), redactJdbc(s));
    }
    URI uri;
    try {
      uri = new URI(s);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme();
    if (scheme == null || !(scheme.equals("postgres") || scheme.equals("postgresql"))) {
      throw new IllegalArgumentException(
          "expected a postgres://user:password@host:port/dbname or jdbc:postgresql:// URL");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException("database URL has no host");
    }
    Optional<String> user = Optional.empty();
    Optional<String> password = Optional.empty();
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null && !userInfo.isEmpty()) {
      int colon = userInfo.indexOf(':');
      user = Optional.of(decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
      if (colon >= 0) {
        password = Optional.of(decode(userInfo.substring(colon + 1)));
      }
    }
    // A password passed as a query parameter moves to the password field, so the JDBC URL stays secret-free.
    StringBuilder query = new StringBuilder();
    if (uri.getRawQuery() != null) {
      for (String param : uri.getRawQuery().split("&")) {
        if (param.startsWith("password=")) {
          password = Optional.of(decode(param.substring("password=".length())));
        } else if (!param.isEmpty()) {
          query.append(query.isEmpty() ? "?" : "&").append(param);
        }
      }
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String db = path.startsWith("/") ? path.substring(1) : path;
    if (db.contains("/")) {
      throw new IllegalArgumentException("database URL path must be a single database name");
    }
    int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
    // getHost keeps IPv6 literals bracketed, which is what the JDBC URL needs.
    String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + port + "/" + db + query;
    String display = scheme + "://" + user.map(u -> u + (uri.getRawUserInfo().contains(":") ? ":REDACTED" : "")
        + "@").orElse("") + uri.getHost() + ":" + port + "/" + db + query;
    return new DatabaseUrl(jdbc, user, password, display);
  }

  /**
   * The JDBC URL. For a {@code postgres://} URL it carries neither user nor password (see {@link #user()} and
   * {@link #password()}); a {@code jdbc:postgresql:} URL is passed through unchanged.
   */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  /** The user name the URL carried, if any. */
  public Optional<String> user() {
    return user;
  }

  /** The password the URL carried, if any; a secret. */
  public Optional<String> password() {
    return password;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DatabaseUrl d && d.jdbcUrl.equals(jdbcUrl) && d.user.equals(user)
        && d.password.equals(password);
  }

  @Override
  public int hashCode() {
    return jdbcUrl.hashCode() * 31 + user.hashCode();
  }

  /** The URL with any password replaced by {@code REDACTED}. */
  @Override
  public String toString() {
    return display;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String redactJdbc(String s) {
    return s.replaceAll("(?i)([?&]password=)[^&]*", "$1REDACTED");
  }
}
