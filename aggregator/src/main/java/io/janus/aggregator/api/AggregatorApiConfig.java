package io.janus.aggregator.api;

import io.janus.server.config.InvalidConfigValueException;
import io.janus.server.config.ListenAddress;
import java.net.URI;
import java.util.Optional;

/**
 * The {@code aggregator_api} section of the aggregator's configuration (Janus's keys): where the admin API is
 * served, either on a listener of its own or under a path of the DAP listener, and the public URL of the DAP API it
 * manages.
 *
 * @param listenAddress a listener of the admin API's own; exclusive with {@code pathPrefix}
 * @param pathPrefix serve under {@code /<path_prefix>/} of the DAP listener; exclusive with {@code listenAddress}
 * @param publicDapUrl where clients and peers reach this aggregator's DAP API (reported by {@code GET /})
 */
public record AggregatorApiConfig(Optional<ListenAddress> listenAddress, Optional<String> pathPrefix,
    URI publicDapUrl) {
  /** Checks that exactly one of the two places is given and that the prefix is a plain path. */
  public AggregatorApiConfig {
    if (listenAddress.isPresent() == pathPrefix.isPresent()) {
      throw new InvalidConfigValueException("listen_address",
          "give exactly one of aggregator_api.listen_address and aggregator_api.path_prefix");
    }
    pathPrefix = pathPrefix.map(AggregatorApiConfig::trimSlashes);
    if (pathPrefix.isPresent() && !pathPrefix.get().matches("[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*")) {
      throw new InvalidConfigValueException("path_prefix",
          "must be a path of letters, digits and -._~ segments, got '" + pathPrefix.get() + "'");
    }
    if (!publicDapUrl.isAbsolute()) {
      throw new InvalidConfigValueException("public_dap_url", "must be an absolute URL, got " + publicDapUrl);
    }
  }

  private static String trimSlashes(String p) {
    String s = p;
    while (s.startsWith("/")) {
      s = s.substring(1);
    }
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }
}
