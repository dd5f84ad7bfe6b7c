package io.janus.server.testing;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Starts PostgreSQL in a container. Kept in its own class so that Testcontainers is loaded only when a run asks
 * for it; modules using the test-jar without Testcontainers on their classpath never touch this class.
 */
final class TestcontainersPostgres {
  private TestcontainersPostgres() {}

  /** True if Testcontainers is on the classpath and finds a Docker engine. */
  static boolean available() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (LinkageError e) {
      return false;
    }
  }

  /** Starts a container (stopped by Testcontainers' reaper at JVM exit) and returns an admin JDBC URL. */
  static String start() {
    PostgreSQLContainer<?> c = new PostgreSQLContainer<>(DockerImageName.parse("postgres:17-alpine"));
    c.start();
    String url = c.getJdbcUrl();
    return url + (url.contains("?") ? "&" : "?") + "user=" + c.getUsername() + "&password=" + c.getPassword();
  }
}
