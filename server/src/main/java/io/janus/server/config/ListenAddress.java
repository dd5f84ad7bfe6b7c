package io.janus.server.config;

import java.net.InetSocketAddress;

/**
 * A TCP address to listen on or connect to, written {@code host:port} ({@code [v6-address]:port} for IPv6).
 *
 * @param host a host name or IP literal, without brackets
 * @param port 0 to 65535; 0 asks the operating system for a free port
 */
public record ListenAddress(String host, int port) {
  /** Validates the host and port. */
  public ListenAddress {
    if (host.isEmpty()) {
      throw new IllegalArgumentException("host must not be empty");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
  }

  /**
   * Parses {@code host:port} or {@code [ipv6]:port}.
   *
   * @throws IllegalArgumentException if the text is not of that form
   */
  public static ListenAddress parse(String text) {
    String s = text.strip();
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw new IllegalArgumentException("expected host:port, got '" + text + "'");
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw new IllegalArgumentException("IPv6 addresses must be bracketed, as in [::1]:9001; got '" + text + "'");
    }
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port is not a number in '" + text + "'");
    }
    return new ListenAddress(host, port);
  }

  /** An unresolved socket address for this host and port. */
  public InetSocketAddress toSocketAddress() {
    return InetSocketAddress.createUnresolved(host, port);
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
