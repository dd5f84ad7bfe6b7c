package io.janus.interop;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.core.task.VdafInstance;
import io.janus.messages.Base64Url;
import io.janus.messages.DecodeException;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeConfig;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The aggregator's {@code /internal/test/add_task} request (draft-dcook-ppm-dap-interop-test-design-07 section
 * 4.3.3).
 *
 * @param taskId the task
 * @param leader the Leader's DAP endpoint
 * @param helper the Helper's DAP endpoint
 * @param vdaf the task's VDAF
 * @param leaderAuthenticationToken the token the Leader presents to the Helper in {@code DAP-Auth-Token}
 * @param collectorAuthenticationToken Leader only: the token the collector presents to the Leader
 * @param role this aggregator's role
 * @param vdafVerifyKey the VDAF verification key
 * @param maxBatchQueryCount how many times a batch may be collected; at least 1
 * @param queryType the task's query type (DAP-09 code 1 or 2)
 * @param minBatchSize the fewest reports a batch may be collected with
 * @param maxBatchSize fixed size only: the most reports a batch may hold, if limited
 * @param timePrecision the task's time precision; positive
 * @param collectorHpkeConfig the collector's HPKE configuration
 * @param taskExpiration when clients stop uploading, if given
 */
public record AggregatorAddTaskRequest(TaskId taskId, URI leader, URI helper, VdafInstance vdaf,
    AuthenticationToken leaderAuthenticationToken, Optional<AuthenticationToken> collectorAuthenticationToken,
    Role role, byte[] vdafVerifyKey, long maxBatchQueryCount, io.janus.messages.dap09.QueryType queryType,
    long minBatchSize, OptionalLong maxBatchSize, DapDuration timePrecision, HpkeConfig collectorHpkeConfig,
    Optional<Time> taskExpiration) {
  /** Rejects nulls, a Leader task without a collector token, and out-of-range counts; copies the key. */
  public AggregatorAddTaskRequest {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(leader, "leader");
    Objects.requireNonNull(helper, "helper");
    Objects.requireNonNull(vdaf, "vdaf");
    Objects.requireNonNull(leaderAuthenticationToken, "leaderAuthenticationToken");
    Objects.requireNonNull(collectorAuthenticationToken, "collectorAuthenticationToken");
    Objects.requireNonNull(queryType, "queryType");
    Objects.requireNonNull(maxBatchSize, "maxBatchSize");
    Objects.requireNonNull(collectorHpkeConfig, "collectorHpkeConfig");
    Objects.requireNonNull(taskExpiration, "taskExpiration");
    if (!role.isAggregator()) {
      throw new IllegalArgumentException("role must be LEADER or HELPER, got " + role);
    }
    if (role == Role.LEADER && collectorAuthenticationToken.isEmpty()) {
      throw new IllegalArgumentException("a Leader task needs collector_authentication_token");
    }
    if (maxBatchQueryCount < 1 || minBatchSize < 0 || timePrecision.seconds() < 1) {
      throw new IllegalArgumentException("max_batch_query_count must be at least 1, min_batch_size not negative"
          + " and time_precision positive");
    }
    if (maxBatchSize.isPresent() && maxBatchSize.getAsLong() < 1) {
      throw new IllegalArgumentException("max_batch_size must be positive when given");
    }
    vdafVerifyKey = vdafVerifyKey.clone();
  }

  /**
   * Parses the request body. {@code collector_authentication_token} is required when {@code role} is leader and
   * ignored otherwise; {@code max_batch_size} is read only for fixed-size tasks.
   *
   * @throws InteropRequestException naming the first missing or malformed field
   */
  public static AggregatorAddTaskRequest parse(JsonFields f) {
    TaskId taskId = f.taskId("task_id");
    URI leader = f.url("leader");
    URI helper = f.url("helper");
    VdafInstance vdaf = VdafObject.parse(f.object("vdaf"));
    AuthenticationToken leaderToken = f.dapAuthToken("leader_authentication_token");
    Role role = AggregatorRole.parse(f, "role");
    Optional<AuthenticationToken> collectorToken = Optional.empty();
    if (role == Role.LEADER) {
      collectorToken = Optional.of(f.dapAuthToken("collector_authentication_token"));
    }
    byte[] verifyKey = f.base64Url("vdaf_verify_key");
    if (verifyKey.length == 0) {
      throw new InteropRequestException("field \"vdaf_verify_key\" must not be empty");
    }
    long maxBatchQueryCount = f.number("max_batch_query_count", 1, Long.MAX_VALUE);
    io.janus.messages.dap09.QueryType queryType = QueryObject.queryType(f, "query_type");
    long minBatchSize = f.number("min_batch_size");
    OptionalLong maxBatchSize = OptionalLong.empty();
    if (queryType == io.janus.messages.dap09.QueryType.FIXED_SIZE && f.has("max_batch_size")) {
      maxBatchSize = OptionalLong.of(f.number("max_batch_size", 1, Long.MAX_VALUE));
    }
    DapDuration timePrecision = new DapDuration(f.number("time_precision", 1, Long.MAX_VALUE));
    HpkeConfig collectorConfig;
    try {
      collectorConfig = HpkeConfig.decode(f.base64Url("collector_hpke_config"));
    } catch (DecodeException | IllegalArgumentException e) {
      throw new InteropRequestException("field \"collector_hpke_config\" is not an encoded HpkeConfig: "
          + e.getMessage());
    }
    Optional<Time> expiration = f.has("task_expiration")
        ? Optional.of(new Time(f.number("task_expiration"))) : Optional.empty();
    return new AggregatorAddTaskRequest(taskId, leader, helper, vdaf, leaderToken, collectorToken, role, verifyKey,
        maxBatchQueryCount, queryType, minBatchSize, maxBatchSize, timePrecision, collectorConfig, expiration);
  }

  /**
   * The task this request describes, as this aggregator stores it.
   *
   * @param hpkeKeys the task's own HPKE keys, which clients fetch from this aggregator
   * @param tolerableClockSkew how far in the future a report may be
   */
  public Task toTask(List<HpkeKeypair> hpkeKeys, DapDuration tolerableClockSkew) {
    QueryType type = switch (queryType) {
      case TIME_INTERVAL -> new QueryType.TimeInterval();
      case FIXED_SIZE -> new QueryType.FixedSize(maxBatchSize, Optional.empty());
    };
    Task.Builder b = Task.builder(taskId, role, role == Role.LEADER ? helper : leader, type, vdaf, vdafVerifyKey,
            timePrecision, collectorHpkeConfig)
        .maxBatchQueryCount(maxBatchQueryCount)
        .minBatchSize(minBatchSize)
        .tolerableClockSkew(tolerableClockSkew)
        .hpkeKeys(hpkeKeys);
    taskExpiration.ifPresent(b::taskExpiration);
    if (role == Role.LEADER) {
      b.aggregatorAuthToken(leaderAuthenticationToken)
          .collectorAuthTokenHash(collectorAuthenticationToken.orElseThrow().hash());
    } else {
      b.aggregatorAuthTokenHash(leaderAuthenticationToken.hash());
    }
    return b.build();
  }

  /** The request body, as a test runner sends it. */
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("task_id", taskId.toBase64Url()).put("leader", leader.toString()).put("helper", helper.toString());
    o.set("vdaf", VdafObject.toJson(vdaf));
    o.put("leader_authentication_token", leaderAuthenticationToken.token());
    collectorAuthenticationToken.ifPresent(t -> o.put("collector_authentication_token", t.token()));
    o.put("role", AggregatorRole.toJson(role)).put("vdaf_verify_key", Base64Url.encode(vdafVerifyKey))
        .put("max_batch_query_count", maxBatchQueryCount).put("query_type", queryType.code())
        .put("min_batch_size", minBatchSize);
    if (queryType == io.janus.messages.dap09.QueryType.FIXED_SIZE) {
      if (maxBatchSize.isPresent()) {
        o.put("max_batch_size", maxBatchSize.getAsLong());
      } else {
        o.putNull("max_batch_size");
      }
    }
    o.put("time_precision", timePrecision.seconds())
        .put("collector_hpke_config", Base64Url.encode(collectorHpkeConfig.toBytes()));
    taskExpiration.ifPresent(t -> o.put("task_expiration", t.seconds()));
    return o;
  }

  @Override
  public byte[] vdafVerifyKey() {
    return vdafVerifyKey.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AggregatorAddTaskRequest r && r.taskId.equals(taskId) && r.leader.equals(leader)
        && r.helper.equals(helper) && r.vdaf.equals(vdaf)
        && r.leaderAuthenticationToken.equals(leaderAuthenticationToken)
        && r.collectorAuthenticationToken.equals(collectorAuthenticationToken) && r.role == role
        && Arrays.equals(r.vdafVerifyKey, vdafVerifyKey) && r.maxBatchQueryCount == maxBatchQueryCount
        && r.queryType == queryType && r.minBatchSize == minBatchSize && r.maxBatchSize.equals(maxBatchSize)
        && r.timePrecision.equals(timePrecision) && r.collectorHpkeConfig.equals(collectorHpkeConfig)
        && r.taskExpiration.equals(taskExpiration);
  }

  @Override
  public int hashCode() {
    return Objects.hash(taskId, role);
  }

  @Override
  public String toString() {
    return "AggregatorAddTaskRequest[taskId=" + taskId.toBase64Url() + ", role=" + role + ", leader=" + leader
        + ", helper=" + helper + ", vdaf=" + vdaf + ", queryType=" + queryType + ", minBatchSize=" + minBatchSize
        + ", maxBatchSize=" + maxBatchSize + ", timePrecision=" + timePrecision.seconds() + ", secrets=<redacted>]";
  }
}
