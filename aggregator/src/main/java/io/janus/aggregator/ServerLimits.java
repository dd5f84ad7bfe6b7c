package io.janus.aggregator;

import java.time.Duration;

/**
 * How much a client may hold of the DAP listener: time and size limits that keep slow or hostile clients from
 * tying up connections or memory.
 *
 * @param readTimeout the longest the server waits for the next bytes of a request
 * @param idleTimeout how long an idle keep-alive connection is kept open
 * @param maxHeaderBytes the largest header section of a request (431 beyond it)
 * @param maxTcpConnections the most connections open at once (more wait in the accept queue)
 * @param maxConcurrentRequests the most requests served at once (more are answered 503)
 * @param backlog the length of the accept queue
 */
public record ServerLimits(Duration readTimeout, Duration idleTimeout, int maxHeaderBytes, int maxTcpConnections,
    int maxConcurrentRequests, int backlog) {
  /** Limits that fit real clients and aggregators and shed the rest. */
  public static final ServerLimits DEFAULT = new ServerLimits(Duration.ofSeconds(30), Duration.ofSeconds(60),
      16 * 1024, 10_000, 1_000, 1024);

  /** Validates that every limit is positive. */
  public ServerLimits {
    if (!readTimeout.isPositive() || !idleTimeout.isPositive() || maxHeaderBytes < 1
        || maxTcpConnections < 1 || maxConcurrentRequests < 1 || backlog < 1) {
      throw new IllegalArgumentException("server limits must be positive: " + this);
    }
  }

  /** How often idle connections are looked for: often enough that none outlives its timeout by much. */
  Duration idleCheckPeriod() {
    Duration p = idleTimeout.dividedBy(4);
    return p.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : p;
  }
}
