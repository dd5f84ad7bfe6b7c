package io.janus.core.task;

import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenHash;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeConfig;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A DAP task as one aggregator (Leader or Helper) sees it: its parameters, its secrets and its per-task HPKE keys.
 *
 * <p>Authentication tokens depend on the role: the Leader holds the token it sends to the Helper
 * ({@code aggregatorAuthToken}) and the hash of the collector's token ({@code collectorAuthTokenHash}); the Helper
 * holds only the hash of the Leader's token ({@code aggregatorAuthTokenHash}), which may be absent when a taskprov
 * peer supplies the tokens. The compact constructor enforces this, as the database's CHECK constraints do.
 *
 * @param id the task ID
 * @param protocol the DAP draft the task speaks
 * @param role this aggregator's role in the task, {@link Role#LEADER} or {@link Role#HELPER}
 * @param peerAggregatorEndpoint base URL of the other aggregator
 * @param queryType how reports are grouped into batches
 * @param vdaf the VDAF and its parameters
 * @param vdafVerifyKey the VDAF verification key shared by the aggregators
 * @param maxBatchQueryCount how many times a batch may be collected (with distinct aggregation parameters)
 * @param taskExpiration after this time the task accepts no reports, if set
 * @param reportExpiryAge reports older than this are garbage collected, if set
 * @param minBatchSize the fewest reports a batch may be collected with
 * @param timePrecision granularity of report timestamps and batch intervals; positive
 * @param tolerableClockSkew how far in the future a report timestamp may be
 * @param collectorHpkeConfig the collector's public key, for aggregate shares
 * @param aggregatorAuthToken Leader only: the token sent to the Helper
 * @param aggregatorAuthTokenHash Helper only: hash of the token the Leader must present
 * @param collectorAuthTokenHash Leader only: hash of the token the collector must present
 * @param hpkeKeys per-task HPKE keys (distinct config IDs); may be empty when global keys are used
 * @param taskprovConfig for a task provisioned in-band, the configuration it was provisioned from (its ID is the
 *     configuration's SHA-256); its reports must carry the taskprov extension
 * @param agreedTerms DAP-18 only (required there): task_info, this aggregator's agreed endpoint and the task's
 *     start, which with the other parameters make the task's {@link #agreement()}
 */
public record Task(
    TaskId id,
    DapVersion protocol,
    Role role,
    URI peerAggregatorEndpoint,
    QueryType queryType,
    VdafInstance vdaf,
    byte[] vdafVerifyKey,
    long maxBatchQueryCount,
    Optional<Time> taskExpiration,
    Optional<DapDuration> reportExpiryAge,
    long minBatchSize,
    DapDuration timePrecision,
    DapDuration tolerableClockSkew,
    HpkeConfig collectorHpkeConfig,
    Optional<AuthenticationToken> aggregatorAuthToken,
    Optional<AuthenticationTokenHash> aggregatorAuthTokenHash,
    Optional<AuthenticationTokenHash> collectorAuthTokenHash,
    List<HpkeKeypair> hpkeKeys,
    Optional<TaskprovTaskConfig> taskprovConfig,
    Optional<AgreedTerms> agreedTerms) {

  /** Validates the parameters and the role-dependent tokens, and copies the mutable inputs. */
  public Task {
    java.util.Objects.requireNonNull(protocol, "protocol");
    if (!vdaf.runsUnder(protocol)) {
      throw new IllegalArgumentException("VDAF " + vdaf.toJson() + " does not run under " + protocol.text());
    }
    if (!role.isAggregator()) {
      throw new IllegalArgumentException("a task's role must be LEADER or HELPER, got " + role);
    }
    if (vdafVerifyKey.length == 0) {
      throw new IllegalArgumentException("VDAF verify key must not be empty");
    }
    if (maxBatchQueryCount < 1) {
      throw new IllegalArgumentException("max_batch_query_count must be at least 1");
    }
    if (minBatchSize < 0) {
      throw new IllegalArgumentException("min_batch_size must not be negative");
    }
    if (timePrecision.seconds() <= 0) {
      throw new IllegalArgumentException("time_precision must be positive");
    }
    if (reportExpiryAge.isPresent() && reportExpiryAge.get().seconds() <= 0) {
      throw new IllegalArgumentException("report_expiry_age must be positive when set");
    }
    if (role == Role.LEADER) {
      if (aggregatorAuthToken.isEmpty() || collectorAuthTokenHash.isEmpty() || aggregatorAuthTokenHash.isPresent()) {
        throw new IllegalArgumentException(
            "a Leader task needs aggregatorAuthToken and collectorAuthTokenHash, and no aggregatorAuthTokenHash");
      }
    } else if (aggregatorAuthToken.isPresent() || collectorAuthTokenHash.isPresent()) {
      throw new IllegalArgumentException(
          "a Helper task holds only aggregatorAuthTokenHash, never aggregatorAuthToken or collectorAuthTokenHash");
    }
    Set<Integer> ids = new HashSet<>();
    for (HpkeKeypair k : hpkeKeys) {
      if (!ids.add(k.config().id())) {
        throw new IllegalArgumentException("duplicate HPKE config id " + k.config().id() + " in task keys");
      }
    }
    if (taskprovConfig.isPresent() && !Taskprov.taskId(taskprovConfig.get().encoded()).equals(id)) {
      throw new IllegalArgumentException("a taskprov task's ID must be the SHA-256 of its configuration");
    }
    checkAgreedTerms(protocol, queryType, timePrecision, taskExpiration, agreedTerms);
    if (protocol == DapVersion.DAP_18 && !hpkeKeys.isEmpty()) {
      // Draft 18's clients fetch /hpke_config without a task ID, so only the aggregator's global keys are offered.
      throw new IllegalArgumentException("a DAP-18 task has no HPKE keys of its own: its clients encrypt to the "
          + "aggregator's global keys (GET /hpke_config names no task)");
    }
    vdafVerifyKey = vdafVerifyKey.clone();
    hpkeKeys = List.copyOf(hpkeKeys);
  }

  /**
   * DAP-18 tasks, and only they, carry agreed terms; their task interval has both ends or neither, on the time
   * precision; their batch mode has no parameters draft 18 lacks (a maximum batch size or a batch time window).
   */
  private static void checkAgreedTerms(DapVersion protocol, QueryType queryType, DapDuration timePrecision,
      Optional<Time> taskExpiration, Optional<AgreedTerms> agreedTerms) {
    if (protocol != DapVersion.DAP_18) {
      if (agreedTerms.isPresent()) {
        throw new IllegalArgumentException("only DAP-18 tasks carry task_info and an agreed endpoint");
      }
      return;
    }
    AgreedTerms terms = agreedTerms.orElseThrow(() ->
        new IllegalArgumentException("a DAP-18 task needs task_info and this aggregator's agreed endpoint"));
    if (terms.taskStart().isPresent() != taskExpiration.isPresent()) {
      throw new IllegalArgumentException("a DAP-18 task's interval needs both task_start and task_expiration");
    }
    long precision = timePrecision.seconds();
    if (terms.taskStart().isPresent()) {
      long start = terms.taskStart().get().seconds();
      long end = taskExpiration.get().seconds();
      if (start % precision != 0 || end % precision != 0 || end <= start) {
        throw new IllegalArgumentException("a DAP-18 task's interval [" + start + ", " + end
            + ") must be non-empty and on its time precision (" + precision + " s)");
      }
    }
    if (queryType instanceof QueryType.FixedSize f
        && (f.maxBatchSize().isPresent() || f.batchTimeWindowSize().isPresent())) {
      throw new IllegalArgumentException(
          "DAP-18's leader_selected batch mode has no max_batch_size or batch_time_window_size");
    }
  }

  /**
   * The terms every party of a DAP-18 task binds into its AADs, built from this task's parameters; empty for
   * DAP-09.
   */
  public Optional<TaskAgreement> agreement() {
    return agreedTerms.map(terms -> {
      URI leader = role == Role.LEADER ? terms.ownEndpoint() : peerAggregatorEndpoint;
      URI helper = role == Role.LEADER ? peerAggregatorEndpoint : terms.ownEndpoint();
      Optional<io.janus.messages.Interval> interval = terms.taskStart().map(start ->
          new io.janus.messages.Interval(start, DapDuration.ofSeconds(
              taskExpiration.get().seconds() - start.seconds())));
      return new TaskAgreement(terms.taskInfo(), leader, helper, timePrecision, minBatchSize, queryType, vdaf,
          interval);
    });
  }

  @Override
  public byte[] vdafVerifyKey() {
    return vdafVerifyKey.clone();
  }

  /** The task key with this config ID, if any. */
  public Optional<HpkeKeypair> hpkeKey(int configId) {
    for (HpkeKeypair k : hpkeKeys) {
      if (k.config().id() == configId) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /** The point in time before which reports are old enough to be garbage collected, if the task expires reports. */
  public Optional<Time> reportExpiryThreshold(Time now) {
    return reportExpiryAge.map(now::minusSaturating);
  }

  /** A builder starting from this task's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** A builder with the required fields; optional fields start empty and counts at 1 / 0. */
  public static Builder builder(TaskId id, Role role, URI peerAggregatorEndpoint, QueryType queryType,
      VdafInstance vdaf, byte[] vdafVerifyKey, DapDuration timePrecision, HpkeConfig collectorHpkeConfig) {
    return new Builder(id, role, peerAggregatorEndpoint, queryType, vdaf, vdafVerifyKey, timePrecision,
        collectorHpkeConfig);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Task t
        && t.id.equals(id)
        && t.protocol == protocol
        && t.role == role
        && t.peerAggregatorEndpoint.equals(peerAggregatorEndpoint)
        && t.queryType.equals(queryType)
        && t.vdaf.equals(vdaf)
        && java.util.Arrays.equals(t.vdafVerifyKey, vdafVerifyKey)
        && t.maxBatchQueryCount == maxBatchQueryCount
        && t.taskExpiration.equals(taskExpiration)
        && t.reportExpiryAge.equals(reportExpiryAge)
        && t.minBatchSize == minBatchSize
        && t.timePrecision.equals(timePrecision)
        && t.tolerableClockSkew.equals(tolerableClockSkew)
        && t.collectorHpkeConfig.equals(collectorHpkeConfig)
        && t.aggregatorAuthToken.equals(aggregatorAuthToken)
        && t.aggregatorAuthTokenHash.equals(aggregatorAuthTokenHash)
        && t.collectorAuthTokenHash.equals(collectorAuthTokenHash)
        && Set.copyOf(t.hpkeKeys).equals(Set.copyOf(hpkeKeys))
        && t.taskprovConfig.equals(taskprovConfig)
        && t.agreedTerms.equals(agreedTerms);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "Task[id=" + id.toBase64Url() + ", protocol=" + protocol + ", role=" + role + ", peer=" + peerAggregatorEndpoint + ", queryType="
        + queryType + ", vdaf=" + vdaf + ", minBatchSize=" + minBatchSize + ", timePrecision="
        + timePrecision.seconds() + "s, hpkeKeys=" + hpkeKeys.size() + ", secrets=<redacted>]";
  }

  /** Builds a {@link Task}; validation happens in {@link #build()}. Not thread-safe. */
  public static final class Builder {
    private TaskId id;
    private DapVersion protocol = DapVersion.DAP_09;
    private Role role;
    private URI peerAggregatorEndpoint;
    private QueryType queryType;
    private VdafInstance vdaf;
    private byte[] vdafVerifyKey;
    private long maxBatchQueryCount = 1;
    private Optional<Time> taskExpiration = Optional.empty();
    private Optional<DapDuration> reportExpiryAge = Optional.empty();
    private long minBatchSize;
    private DapDuration timePrecision;
    private DapDuration tolerableClockSkew = DapDuration.ZERO;
    private HpkeConfig collectorHpkeConfig;
    private Optional<AuthenticationToken> aggregatorAuthToken = Optional.empty();
    private Optional<AuthenticationTokenHash> aggregatorAuthTokenHash = Optional.empty();
    private Optional<AuthenticationTokenHash> collectorAuthTokenHash = Optional.empty();
    private List<HpkeKeypair> hpkeKeys = List.of();
    private Optional<TaskprovTaskConfig> taskprovConfig = Optional.empty();
    private Optional<AgreedTerms> agreedTerms = Optional.empty();

    private Builder(TaskId id, Role role, URI peer, QueryType queryType, VdafInstance vdaf, byte[] verifyKey,
        DapDuration timePrecision, HpkeConfig collectorHpkeConfig) {
      this.id = id;
      this.role = role;
      this.peerAggregatorEndpoint = peer;
      this.queryType = queryType;
      this.vdaf = vdaf;
      this.vdafVerifyKey = verifyKey.clone();
      this.timePrecision = timePrecision;
      this.collectorHpkeConfig = collectorHpkeConfig;
    }

    private Builder(Task t) {
      this(t.id, t.role, t.peerAggregatorEndpoint, t.queryType, t.vdaf, t.vdafVerifyKey, t.timePrecision,
          t.collectorHpkeConfig);
      protocol = t.protocol;
      maxBatchQueryCount = t.maxBatchQueryCount;
      taskExpiration = t.taskExpiration;
      reportExpiryAge = t.reportExpiryAge;
      minBatchSize = t.minBatchSize;
      tolerableClockSkew = t.tolerableClockSkew;
      aggregatorAuthToken = t.aggregatorAuthToken;
      aggregatorAuthTokenHash = t.aggregatorAuthTokenHash;
      collectorAuthTokenHash = t.collectorAuthTokenHash;
      hpkeKeys = t.hpkeKeys;
      taskprovConfig = t.taskprovConfig;
      agreedTerms = t.agreedTerms;
    }

    /** Sets the DAP draft the task speaks (default DAP-09). */
    public Builder protocol(DapVersion v) {
      protocol = v;
      return this;
    }

    /** Sets the task ID. */
    public Builder id(TaskId v) {
      id = v;
      return this;
    }

    /** Sets this aggregator's role. */
    public Builder role(Role v) {
      role = v;
      return this;
    }

    /** Sets the peer aggregator's endpoint. */
    public Builder peerAggregatorEndpoint(URI v) {
      peerAggregatorEndpoint = v;
      return this;
    }

    /** Sets the query type. */
    public Builder queryType(QueryType v) {
      queryType = v;
      return this;
    }

    /** Sets the VDAF. */
    public Builder vdaf(VdafInstance v) {
      vdaf = v;
      return this;
    }

    /** Sets the VDAF verify key. */
    public Builder vdafVerifyKey(byte[] v) {
      vdafVerifyKey = v.clone();
      return this;
    }

    /** Sets max_batch_query_count. */
    public Builder maxBatchQueryCount(long v) {
      maxBatchQueryCount = v;
      return this;
    }

    /** Sets the task expiration. */
    public Builder taskExpiration(Time v) {
      taskExpiration = Optional.of(v);
      return this;
    }

    /** Sets the report expiry age (garbage collection). */
    public Builder reportExpiryAge(DapDuration v) {
      reportExpiryAge = Optional.of(v);
      return this;
    }

    /** Sets min_batch_size. */
    public Builder minBatchSize(long v) {
      minBatchSize = v;
      return this;
    }

    /** Sets the time precision. */
    public Builder timePrecision(DapDuration v) {
      timePrecision = v;
      return this;
    }

    /** Sets the tolerable clock skew. */
    public Builder tolerableClockSkew(DapDuration v) {
      tolerableClockSkew = v;
      return this;
    }

    /** Sets the collector's HPKE config. */
    public Builder collectorHpkeConfig(HpkeConfig v) {
      collectorHpkeConfig = v;
      return this;
    }

    /** Sets the token the Leader sends to the Helper (Leader tasks). */
    public Builder aggregatorAuthToken(AuthenticationToken v) {
      aggregatorAuthToken = Optional.of(v);
      return this;
    }

    /** Sets the hash of the token the Helper expects from the Leader (Helper tasks). */
    public Builder aggregatorAuthTokenHash(AuthenticationTokenHash v) {
      aggregatorAuthTokenHash = Optional.of(v);
      return this;
    }

    /** Sets the hash of the token the Leader expects from the collector (Leader tasks). */
    public Builder collectorAuthTokenHash(AuthenticationTokenHash v) {
      collectorAuthTokenHash = Optional.of(v);
      return this;
    }

    /** Sets the per-task HPKE keys. */
    public Builder hpkeKeys(List<HpkeKeypair> v) {
      hpkeKeys = List.copyOf(v);
      return this;
    }

    /** Marks the task as provisioned in-band from {@code v}. */
    public Builder taskprovConfig(TaskprovTaskConfig v) {
      taskprovConfig = Optional.of(v);
      return this;
    }

    /** Sets a DAP-18 task's agreed terms. */
    public Builder agreedTerms(AgreedTerms v) {
      agreedTerms = Optional.of(v);
      return this;
    }

    /** Builds and validates the task. */
    public Task build() {
      return new Task(id, protocol, role, peerAggregatorEndpoint, queryType, vdaf, vdafVerifyKey, maxBatchQueryCount,
          taskExpiration, reportExpiryAge, minBatchSize, timePrecision, tolerableClockSkew, collectorHpkeConfig,
          aggregatorAuthToken, aggregatorAuthTokenHash, collectorAuthTokenHash, hpkeKeys, taskprovConfig, agreedTerms);
    }
  }
}
