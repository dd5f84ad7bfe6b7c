package io.janus.server.datastore.model;

import io.janus.core.auth.AuthenticationToken;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeConfig;
import io.janus.messages.Role;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An aggregator with which tasks may be provisioned in-band (taskprov), and the secrets shared with it.
 *
 * @param endpoint the peer's base URL
 * @param peerRole the role the peer plays in such tasks
 * @param verifyKeyInit the pre-shared secret from which each task's VDAF verify key is derived
 * @param collectorHpkeConfig the collector's HPKE config for such tasks
 * @param reportExpiryAge report expiry age given to such tasks, if any
 * @param tolerableClockSkew tolerable clock skew given to such tasks
 * @param aggregatorAuthTokens tokens for aggregator-to-aggregator requests; the first is sent
 * @param collectorAuthTokens tokens the collector may present (when this aggregator is the Leader)
 */
public record TaskprovPeerAggregator(
    URI endpoint,
    Role peerRole,
    byte[] verifyKeyInit,
    HpkeConfig collectorHpkeConfig,
    Optional<DapDuration> reportExpiryAge,
    DapDuration tolerableClockSkew,
    List<AuthenticationToken> aggregatorAuthTokens,
    List<AuthenticationToken> collectorAuthTokens) {

  /** Validates the role and copies the inputs. */
  public TaskprovPeerAggregator {
    if (!peerRole.isAggregator()) {
      throw new IllegalArgumentException("a peer aggregator's role must be LEADER or HELPER");
    }
    verifyKeyInit = verifyKeyInit.clone();
    aggregatorAuthTokens = List.copyOf(aggregatorAuthTokens);
    collectorAuthTokens = List.copyOf(collectorAuthTokens);
  }

  @Override
  public byte[] verifyKeyInit() {
    return verifyKeyInit.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TaskprovPeerAggregator p
        && p.endpoint.equals(endpoint)
        && p.peerRole == peerRole
        && Arrays.equals(p.verifyKeyInit, verifyKeyInit)
        && p.collectorHpkeConfig.equals(collectorHpkeConfig)
        && p.reportExpiryAge.equals(reportExpiryAge)
        && p.tolerableClockSkew.equals(tolerableClockSkew)
        && p.aggregatorAuthTokens.equals(aggregatorAuthTokens)
        && p.collectorAuthTokens.equals(collectorAuthTokens);
  }

  @Override
  public int hashCode() {
    return endpoint.hashCode() * 31 + peerRole.hashCode();
  }

  @Override
  public String toString() {
    return "TaskprovPeerAggregator[endpoint=" + endpoint + ", peerRole=" + peerRole + ", secrets=<redacted>]";
  }
}
