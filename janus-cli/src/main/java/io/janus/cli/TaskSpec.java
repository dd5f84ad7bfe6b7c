package io.janus.cli;

import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenHash;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.AgreedTerms;
import io.janus.core.task.QueryType;
import io.janus.core.task.VdafInstance;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeConfig;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.core.task.DapVersion;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * One entry of a tasks file as written, before missing parameters are generated: each value is already parsed
 * and checked on its own, but the fields that {@code --generate-missing-parameters} can fill may be absent, and
 * the role-dependent token fields are not yet reconciled.
 *
 * @param index zero-based position in the file's list, for error messages
 * @param location the file, line and column of the entry, for error messages
 * @param taskId the task ID, if given
 * @param protocol the DAP draft the task speaks ({@code protocol}, default DAP-09)
 * @param peerAggregatorEndpoint the other aggregator's base URL
 * @param queryType how reports are batched
 * @param vdaf the VDAF
 * @param role this aggregator's role, Leader or Helper
 * @param vdafVerifyKey the VDAF verify key, if given
 * @param maxBatchQueryCount how often a batch may be collected
 * @param taskExpiration when the task stops accepting reports, if ever
 * @param reportExpiryAge when reports become garbage, if ever
 * @param minBatchSize the fewest reports a batch may be collected with
 * @param timePrecision report timestamp granularity
 * @param tolerableClockSkew how far in the future a report may be
 * @param collectorHpkeConfig the collector's public key
 * @param aggregatorAuthToken the Leader-to-Helper token in plain text, if given
 * @param aggregatorAuthTokenHash the hash of the Leader-to-Helper token, if given
 * @param collectorAuthToken the Collector-to-Leader token in plain text, if given
 * @param collectorAuthTokenHash the hash of the Collector-to-Leader token, if given
 * @param hpkeKeys the task's own HPKE keys, if the key was present (an explicit empty list means "use global keys")
 * @param agreedTerms a DAP-18 task's task_info, own endpoint and task start; empty for DAP-09
 */
record TaskSpec(
    int index,
    String location,
    Optional<TaskId> taskId,
    DapVersion protocol,
    URI peerAggregatorEndpoint,
    QueryType queryType,
    VdafInstance vdaf,
    Role role,
    Optional<byte[]> vdafVerifyKey,
    long maxBatchQueryCount,
    Optional<Time> taskExpiration,
    Optional<DapDuration> reportExpiryAge,
    long minBatchSize,
    DapDuration timePrecision,
    DapDuration tolerableClockSkew,
    HpkeConfig collectorHpkeConfig,
    Optional<AuthenticationToken> aggregatorAuthToken,
    Optional<AuthenticationTokenHash> aggregatorAuthTokenHash,
    Optional<AuthenticationToken> collectorAuthToken,
    Optional<AuthenticationTokenHash> collectorAuthTokenHash,
    Optional<List<HpkeKeypair>> hpkeKeys,
    Optional<AgreedTerms> agreedTerms) {

  TaskSpec {
    vdafVerifyKey = vdafVerifyKey.map(byte[]::clone);
    hpkeKeys = hpkeKeys.map(List::copyOf);
  }

  @Override
  public Optional<byte[]> vdafVerifyKey() {
    return vdafVerifyKey.map(byte[]::clone);
  }

  @Override
  public String toString() {
    return "TaskSpec[index=" + index + ", location=" + location + ", role=" + role + ", secrets=<redacted>]";
  }
}
