package io.janus.interop;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.AgreedTerms;
import io.janus.core.task.DapVersion;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.core.task.VdafInstance;
import io.janus.messages.Base64Url;
import io.janus.messages.DecodeException;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeConfig;
import io.janus.messages.Interval;
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
 * 4.3.3), in its DAP-09 form or in the DAP-18 form of Janus {@code main}'s interop binaries (told apart by
 * {@link Dap18Fields#version}).
 *
 * <p>DAP-18 replaces {@code query_type} with {@code batch_mode}, drops {@code max_batch_query_count},
 * {@code max_batch_size} and {@code task_expiration} (ignored if sent, as Janus ignores them), and adds the optional
 * {@code task_start} and {@code task_end}, which make the task interval. The aggregator's own endpoint is the
 * {@code leader} or {@code helper} URL of its role, and its {@code task_info} is {@link Dap18Fields#TASK_INFO}.
 *
 * @param taskId the task
 * @param leader the Leader's DAP endpoint
 * @param helper the Helper's DAP endpoint
 * @param vdaf the task's VDAF; one that runs under {@code protocol}
 * @param leaderAuthenticationToken the token the Leader presents to the Helper in {@code DAP-Auth-Token}
 * @param collectorAuthenticationToken Leader only: the token the collector presents to the Leader
 * @param role this aggregator's role
 * @param vdafVerifyKey the VDAF verification key
 * @param maxBatchQueryCount how many times a batch may be collected; at least 1, and 1 for DAP-18 (which has no
 *     such parameter)
 * @param queryType how batches form: DAP-09's query type or DAP-18's batch mode (fixed size and leader selected
 *     are both {@link QueryType.FixedSize}; DAP-09 may give it a maximum batch size, DAP-18 gives it none)
 * @param minBatchSize the fewest reports a batch may be collected with
 * @param timePrecision the task's time precision; positive
 * @param collectorHpkeConfig the collector's HPKE configuration
 * @param taskExpiration DAP-09 only: when clients stop uploading, if given
 * @param protocol the request's DAP version
 * @param taskInterval DAP-18 only: the task interval from {@code task_start} and {@code task_end}, if given
 */
public record AggregatorAddTaskRequest(TaskId taskId, URI leader, URI helper, VdafInstance vdaf,
    AuthenticationToken leaderAuthenticationToken, Optional<AuthenticationToken> collectorAuthenticationToken,
    Role role, byte[] vdafVerifyKey, long maxBatchQueryCount, QueryType queryType, long minBatchSize,
    DapDuration timePrecision, HpkeConfig collectorHpkeConfig, Optional<Time> taskExpiration, DapVersion protocol,
    Optional<Interval> taskInterval) {
  /**
   * Rejects nulls, a Leader task without a collector token, out-of-range counts, a VDAF that does not run under
   * the protocol, and parameters of the other version; copies the key.
   */
  public AggregatorAddTaskRequest {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(leader, "leader");
    Objects.requireNonNull(helper, "helper");
    Objects.requireNonNull(vdaf, "vdaf");
    Objects.requireNonNull(leaderAuthenticationToken, "leaderAuthenticationToken");
    Objects.requireNonNull(collectorAuthenticationToken, "collectorAuthenticationToken");
    Objects.requireNonNull(queryType, "queryType");
    Objects.requireNonNull(collectorHpkeConfig, "collectorHpkeConfig");
    Objects.requireNonNull(taskExpiration, "taskExpiration");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(taskInterval, "taskInterval");
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
    if (!vdaf.runsUnder(protocol)) {
      throw new IllegalArgumentException("VDAF " + vdaf.toJson() + " does not run under " + protocol);
    }
    if (queryType instanceof QueryType.FixedSize f && f.batchTimeWindowSize().isPresent()) {
      throw new IllegalArgumentException("the interop API has no batch time window");
    }
    if (protocol == DapVersion.DAP_18) {
      if (maxBatchQueryCount != 1 || taskExpiration.isPresent() || maxBatchSize(queryType).isPresent()) {
        throw new IllegalArgumentException("a DAP-18 task has no max_batch_query_count, max_batch_size or"
            + " task_expiration (its interval comes from task_start and task_end)");
      }
    } else if (taskInterval.isPresent()) {
      throw new IllegalArgumentException("a DAP-09 task has no task_start or task_end");
    }
    vdafVerifyKey = vdafVerifyKey.clone();
  }

  /**
   * A DAP-09 request, in the DAP-09 test API's terms.
   *
   * @param queryType the task's query type (DAP-09 code 1 or 2)
   * @param maxBatchSize fixed size only: the most reports a batch may hold, if limited (ignored for time interval)
   */
  public AggregatorAddTaskRequest(TaskId taskId, URI leader, URI helper, VdafInstance vdaf,
      AuthenticationToken leaderAuthenticationToken, Optional<AuthenticationToken> collectorAuthenticationToken,
      Role role, byte[] vdafVerifyKey, long maxBatchQueryCount, io.janus.messages.dap09.QueryType queryType,
      long minBatchSize, OptionalLong maxBatchSize, DapDuration timePrecision, HpkeConfig collectorHpkeConfig,
      Optional<Time> taskExpiration) {
    this(taskId, leader, helper, vdaf, leaderAuthenticationToken, collectorAuthenticationToken, role, vdafVerifyKey,
        maxBatchQueryCount, switch (queryType) {
          case TIME_INTERVAL -> new QueryType.TimeInterval();
          case FIXED_SIZE -> new QueryType.FixedSize(maxBatchSize, Optional.empty());
        }, minBatchSize, timePrecision, collectorHpkeConfig, taskExpiration, DapVersion.DAP_09, Optional.empty());
  }

  /**
   * A DAP-18 request.
   *
   * @param batchMode {@link QueryType.TimeInterval} or {@link Dap18Fields#leaderSelected()}
   * @param taskInterval the task interval ({@code task_start}, {@code task_end}), if limited
   */
  public static AggregatorAddTaskRequest dap18(TaskId taskId, URI leader, URI helper, VdafInstance vdaf,
      AuthenticationToken leaderAuthenticationToken, Optional<AuthenticationToken> collectorAuthenticationToken,
      Role role, byte[] vdafVerifyKey, QueryType batchMode, long minBatchSize, DapDuration timePrecision,
      HpkeConfig collectorHpkeConfig, Optional<Interval> taskInterval) {
    return new AggregatorAddTaskRequest(taskId, leader, helper, vdaf, leaderAuthenticationToken,
        collectorAuthenticationToken, role, vdafVerifyKey, 1, batchMode, minBatchSize, timePrecision,
        collectorHpkeConfig, Optional.empty(), DapVersion.DAP_18, taskInterval);
  }

  /** Fixed size only: the most reports a batch may hold, if limited (never for DAP-18). */
  public OptionalLong maxBatchSize() {
    return maxBatchSize(queryType);
  }

  private static OptionalLong maxBatchSize(QueryType type) {
    return type instanceof QueryType.FixedSize f ? f.maxBatchSize() : OptionalLong.empty();
  }

  /** This aggregator's own DAP endpoint: the {@code leader} or {@code helper} URL of its role. */
  public URI ownEndpoint() {
    return role == Role.LEADER ? leader : helper;
  }

  /** The other aggregator's DAP endpoint. */
  public URI peerEndpoint() {
    return role == Role.LEADER ? helper : leader;
  }

  /**
   * Parses the request body, in the form {@link Dap18Fields#version} picks. {@code collector_authentication_token}
   * is required when {@code role} is leader and ignored otherwise; DAP-09's {@code max_batch_size} is read only
   * for fixed-size tasks.
   *
   * @throws InteropRequestException naming the first missing or malformed field, or a field of the other version
   */
  public static AggregatorAddTaskRequest parse(JsonFields f) {
    DapVersion version = Dap18Fields.version(f);
    TaskId taskId = f.taskId("task_id");
    URI leader = f.url("leader");
    URI helper = f.url("helper");
    VdafInstance vdaf = VdafObject.parse(f.object("vdaf"), version);
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
    if (version == DapVersion.DAP_18) {
      QueryType batchMode = Dap18Fields.batchMode(f, Dap18Fields.BATCH_MODE);
      long minBatchSize = f.number("min_batch_size");
      DapDuration timePrecision = new DapDuration(f.number("time_precision", 1, Long.MAX_VALUE));
      HpkeConfig collectorConfig = collectorHpkeConfig(f);
      Optional<Interval> interval = Dap18Fields.taskInterval(f, timePrecision);
      return dap18(taskId, leader, helper, vdaf, leaderToken, collectorToken, role, verifyKey, batchMode,
          minBatchSize, timePrecision, collectorConfig, interval);
    }
    long maxBatchQueryCount = f.number("max_batch_query_count", 1, Long.MAX_VALUE);
    io.janus.messages.dap09.QueryType queryType = QueryObject.queryType(f, Dap18Fields.QUERY_TYPE);
    long minBatchSize = f.number("min_batch_size");
    OptionalLong maxBatchSize = OptionalLong.empty();
    if (queryType == io.janus.messages.dap09.QueryType.FIXED_SIZE && f.has("max_batch_size")) {
      maxBatchSize = OptionalLong.of(f.number("max_batch_size", 1, Long.MAX_VALUE));
    }
    DapDuration timePrecision = new DapDuration(f.number("time_precision", 1, Long.MAX_VALUE));
    HpkeConfig collectorConfig = collectorHpkeConfig(f);
    Optional<Time> expiration = f.has("task_expiration")
        ? Optional.of(new Time(f.number("task_expiration"))) : Optional.empty();
    return new AggregatorAddTaskRequest(taskId, leader, helper, vdaf, leaderToken, collectorToken, role, verifyKey,
        maxBatchQueryCount, queryType, minBatchSize, maxBatchSize, timePrecision, collectorConfig, expiration);
  }

  private static HpkeConfig collectorHpkeConfig(JsonFields f) {
    try {
      return HpkeConfig.decode(f.base64Url("collector_hpke_config"));
    } catch (DecodeException | IllegalArgumentException e) {
      throw new InteropRequestException("field \"collector_hpke_config\" is not an encoded HpkeConfig: "
          + e.getMessage());
    }
  }

  /**
   * The task this request describes, as this aggregator stores it. A DAP-18 task carries its agreed terms:
   * {@code task_info} {@link Dap18Fields#TASK_INFO}, the role's own URL, and the task interval's start (its
   * end is the task's expiration).
   *
   * @param hpkeKeys the task's own HPKE keys, which clients fetch from this aggregator
   * @param tolerableClockSkew how far in the future a report may be
   */
  public Task toTask(List<HpkeKeypair> hpkeKeys, DapDuration tolerableClockSkew) {
    Task.Builder b = Task.builder(taskId, role, peerEndpoint(), queryType, vdaf, vdafVerifyKey, timePrecision,
            collectorHpkeConfig)
        .protocol(protocol)
        .maxBatchQueryCount(maxBatchQueryCount)
        .minBatchSize(minBatchSize)
        .tolerableClockSkew(tolerableClockSkew)
        .hpkeKeys(hpkeKeys);
    taskExpiration.ifPresent(b::taskExpiration);
    if (protocol == DapVersion.DAP_18) {
      b.agreedTerms(new AgreedTerms(Dap18Fields.taskInfo(), ownEndpoint(), taskInterval.map(Interval::start)));
      taskInterval.ifPresent(i -> b.taskExpiration(i.end()));
    }
    if (role == Role.LEADER) {
      b.aggregatorAuthToken(leaderAuthenticationToken)
          .collectorAuthTokenHash(collectorAuthenticationToken.orElseThrow().hash());
    } else {
      b.aggregatorAuthTokenHash(leaderAuthenticationToken.hash());
    }
    return b.build();
  }

  /** The request body, as a test runner sends it, in the form of its protocol. */
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("task_id", taskId.toBase64Url()).put("leader", leader.toString()).put("helper", helper.toString());
    o.set("vdaf", VdafObject.toJson(vdaf));
    o.put("leader_authentication_token", leaderAuthenticationToken.token());
    collectorAuthenticationToken.ifPresent(t -> o.put("collector_authentication_token", t.token()));
    o.put("role", AggregatorRole.toJson(role)).put("vdaf_verify_key", Base64Url.encode(vdafVerifyKey));
    if (protocol == DapVersion.DAP_18) {
      o.put(Dap18Fields.BATCH_MODE, Dap18Fields.batchModeCode(queryType)).put("min_batch_size", minBatchSize)
          .put("time_precision", timePrecision.seconds())
          .put("collector_hpke_config", Base64Url.encode(collectorHpkeConfig.toBytes()));
      Dap18Fields.putTaskInterval(o, taskInterval);
      return o;
    }
    o.put("max_batch_query_count", maxBatchQueryCount)
        .put(Dap18Fields.QUERY_TYPE, Dap18Fields.batchModeCode(queryType))
        .put("min_batch_size", minBatchSize);
    if (queryType instanceof QueryType.FixedSize f) {
      if (f.maxBatchSize().isPresent()) {
        o.put("max_batch_size", f.maxBatchSize().getAsLong());
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
        && r.queryType.equals(queryType) && r.minBatchSize == minBatchSize
        && r.timePrecision.equals(timePrecision) && r.collectorHpkeConfig.equals(collectorHpkeConfig)
        && r.taskExpiration.equals(taskExpiration) && r.protocol == protocol && r.taskInterval.equals(taskInterval);
  }

  @Override
  public int hashCode() {
    return Objects.hash(taskId, role);
  }

  @Override
  public String toString() {
    return "AggregatorAddTaskRequest[taskId=" + taskId.toBase64Url() + ", protocol=" + protocol + ", role=" + role
        + ", leader=" + leader + ", helper=" + helper + ", vdaf=" + vdaf + ", queryType=" + queryType
        + ", minBatchSize=" + minBatchSize + ", timePrecision=" + timePrecision.seconds() + ", taskExpiration="
        + taskExpiration + ", taskInterval=" + taskInterval + ", secrets=<redacted>]";
  }
}
