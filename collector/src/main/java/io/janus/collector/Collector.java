package io.janus.collector;

import io.janus.client.DapHttp;
import io.janus.client.DapProtocolException;
import io.janus.client.DapTransportException;
import io.janus.core.http.RetryPolicy;
import io.janus.core.http.Sleeper;
import io.janus.core.Clock;
import io.janus.core.auth.AuthenticationHeader;
import io.janus.core.auth.AuthenticationHeaders;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeException;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.DapVersion;
import io.janus.core.task.TaskAgreement;
import io.janus.core.task.VdafInstance;
import io.janus.core.vdaf.PingPongVdaf;
import io.janus.core.vdaf.VdafDispatch;
import io.janus.messages.CollectionJobId;
import io.janus.messages.DecodeException;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.Query;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.vdaf.VdafException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A DAP collector for one task (draft-ietf-ppm-dap-09 section 4.5, or draft-ietf-ppm-dap-18 section 4.6 for a
 * task built with {@link #builder(TaskId, AuthenticationToken, HpkeKeypair, TaskAgreement)}): creates collection
 * jobs on the Leader, polls them, opens the Leader's and the Helper's aggregate shares with the collector's HPKE
 * key and unshards the aggregate result.
 *
 * <p>Every request carries the collector's authentication token. Transient HTTP failures are retried per the
 * {@link RetryPolicy}; other failures throw {@link io.janus.client.DapClientException} subclasses:
 * {@link io.janus.client.DapHttpException} for error statuses (with the problem document),
 * {@link DapTransportException} when no answer arrives, {@link DapProtocolException} for answers that cannot be
 * used (wrong media type, undecodable body, shares that do not open or unshard), and
 * {@link CollectionTimeoutException} when {@link #collect} runs out of time. Thread-safe.
 */
public final class Collector {
  private final TaskId taskId;
  private final URI leaderEndpoint;
  private final List<AuthenticationHeader> auth;
  private final HpkeKeypair keypair;
  private final PingPongVdaf vdaf;
  private final DapHttp http;
  private final Clock clock;
  private final Sleeper sleeper;
  private final SecureRandom random;
  private final Duration pollInitialBackoff;
  private final Duration pollMaxBackoff;
  private final Duration maxCollectWait;
  private final CollectorProtocol protocol;

  private Collector(Builder b) {
    this.taskId = b.taskId;
    this.leaderEndpoint = DapHttp.endpoint(b.leaderEndpoint);
    this.auth = List.of(AuthenticationHeaders.header(b.token));
    this.keypair = b.keypair;
    this.vdaf = VdafDispatch.forTask(b.protocol, b.taskId, b.vdaf);
    this.protocol = CollectorProtocol.of(b.protocol, b.agreement);
    this.http = new DapHttp(b.httpClient.orElseGet(DapHttp::defaultHttpClient), b.retryPolicy, b.sleeper,
        b.requestTimeout, b.clock);
    this.clock = b.clock;
    this.sleeper = b.sleeper;
    this.random = b.random;
    this.pollInitialBackoff = b.pollInitialBackoff;
    this.pollMaxBackoff = b.pollMaxBackoff;
    this.maxCollectWait = b.maxCollectWait;
  }

  /**
   * Starts building a collector.
   *
   * @param taskId the task
   * @param leaderEndpoint the Leader's DAP endpoint (http or https; a path prefix is kept)
   * @param token the collector's authentication token for the task
   * @param keypair the collector's HPKE keypair, whose config the aggregators seal aggregate shares to
   * @param vdaf the task's VDAF
   */
  public static Builder builder(
      TaskId taskId, URI leaderEndpoint, AuthenticationToken token, HpkeKeypair keypair, VdafInstance vdaf) {
    return new Builder(taskId, leaderEndpoint, token, keypair, vdaf);
  }

  /**
   * Starts building a DAP-18 collector: the Leader's endpoint and the VDAF come from {@code agreement}, which the
   * collector also binds into the aggregate shares' AAD (draft-ietf-ppm-dap-18 section 4.6.7).
   */
  public static Builder builder(TaskId taskId, AuthenticationToken token, HpkeKeypair keypair,
      TaskAgreement agreement) {
    return new Builder(taskId, agreement.leaderEndpoint(), token, keypair, agreement.vdaf())
        .protocol(DapVersion.DAP_18).taskAgreement(agreement);
  }

  /** Creates a collection job for {@code query} with the empty aggregation parameter (all Prio3 VDAFs). */
  public CollectionJob startCollection(Query query) {
    return startCollection(query, new byte[0]);
  }

  /**
   * Creates a collection job: in DAP-09 with a fresh random ID, {@code PUT .../collection_jobs/{id}}; in DAP-18
   * by {@code POST .../collection_jobs}, the Leader naming the job in {@code Location}.
   *
   * @return the job, to poll or delete
   * @throws IllegalArgumentException if the VDAF does not accept the aggregation parameter (Prio3 takes only the
   *     empty one) or the task's draft cannot express the query; nothing is sent then
   * @throws DapProtocolException if a DAP-18 Leader names no job, or one whose ID is not 16 bytes
   */
  public CollectionJob startCollection(Query query, byte[] aggregationParameter) {
    if (!protocol.leaderAssignsJobId()) {
      CollectionJob job = new CollectionJob(CollectionJobId.random(random), query, aggregationParameter);
      startCollection(job);
      return job;
    }
    checkAggregationParameter(aggregationParameter);
    byte[] body = protocol.encodeCollectionRequest(query, aggregationParameter);
    URI creation = DapHttp.resolve(leaderEndpoint, protocol.collectionJobsPath(taskId));
    HttpResponse<byte[]> response = http.post(creation, protocol.collectionRequestMediaType(), body, auth, Map.of());
    URI location = response.headers().firstValue("Location")
        .map(l -> response.uri().resolve(l))
        .orElseThrow(() -> new DapProtocolException("POST " + creation + ": no Location for the collection job"));
    return new CollectionJob(jobId(location), query, aggregationParameter, Optional.of(location));
  }

  /**
   * The ID a DAP-18 job URL ends with. Draft 18 leaves its length to the Leader; this library keeps jobs by the
   * 16-byte IDs Janus and janus-java assign.
   */
  private static CollectionJobId jobId(URI location) {
    String path = location.getPath();
    String last = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
    try {
      return CollectionJobId.fromBase64Url(last);
    } catch (IllegalArgumentException e) {
      throw new DapProtocolException("collection job URL " + location + " does not end with a 16-byte ID", e);
    }
  }

  private void checkAggregationParameter(byte[] aggregationParameter) {
    if (!vdaf.isValidAggregationParameter(aggregationParameter, List.of())) {
      throw new IllegalArgumentException("the task's VDAF does not accept this aggregation parameter ("
          + aggregationParameter.length + " bytes)");
    }
  }

  /**
   * Sends the creation request for {@code job}, whose ID the caller chose. Creation is idempotent on the Leader,
   * so this also re-sends a request whose answer was lost.
   *
   * @throws IllegalArgumentException if the VDAF does not accept the job's aggregation parameter
   */
  public void startCollection(CollectionJob job) {
    checkAggregationParameter(job.aggregationParameter());
    byte[] body = protocol.encodeCollectionRequest(job.query(), job.aggregationParameter());
    if (protocol.leaderAssignsJobId()) {
      // DAP-18 section 4.6.1: a byte-identical request names the existing job, so re-sending is safe.
      http.post(DapHttp.resolve(leaderEndpoint, protocol.collectionJobsPath(taskId)),
          protocol.collectionRequestMediaType(), body, auth, Map.of());
      return;
    }
    // DAP-09 says 201 Created; any 2xx is accepted, as deployed aggregators differ on success codes.
    http.put(jobUri(job), protocol.collectionRequestMediaType(), body, auth);
  }

  /**
   * Polls {@code job} once: {@code POST .../collection_jobs/{id}} in DAP-09 (202 not ready, 200 ready),
   * {@code GET} on the job's URL in DAP-18 (a 2xx with an empty body not ready, with a body ready).
   *
   * @return {@link PollResult.NotReady} (with the Retry-After wait, if any) or {@link PollResult.Ready}
   * @throws DapProtocolException if the job was deleted (DAP-09's 204), the answer is another 2xx or not a
   *     decodable collection, names another batch than the query, or its shares do not open or unshard
   */
  public PollResult poll(CollectionJob job) {
    String method = protocol.pollMethod();
    HttpResponse<byte[]> response = method.equals("GET") ? http.get(jobUri(job), auth) : http.post(jobUri(job), auth);
    Optional<Boolean> ready;
    try {
      ready = protocol.isReady(response.statusCode(), response.body());
    } catch (DapProtocolException e) {
      throw new DapProtocolException(method + " " + response.uri() + ": " + e.getMessage(), e);
    }
    if (ready.isEmpty()) {
      return new PollResult.NotReady(DapHttp.retryAfter(response, clock.nowMillis()));
    }
    DapHttp.requireContentType(response, protocol.collectionMediaType());
    CollectorProtocol.Collected collection;
    try {
      collection = protocol.decodeCollection(response.body());
    } catch (DecodeException e) {
      throw new DapProtocolException(method + " " + response.uri() + ": malformed Collection: " + e.getMessage(), e);
    }
    return new PollResult.Ready(open(job, collection));
  }

  /**
   * Decrypts and unshards a finished job's collection, as {@link #poll} does with the Leader's answer; public so
   * that an answer obtained otherwise (for example a synchronous creation response) can be opened too.
   *
   * @param collection the decoded answer ({@link CollectorProtocol#decodeCollection})
   * @throws DapProtocolException if it names another batch than the query, or its shares do not open or unshard
   */
  public CollectionResult open(CollectionJob job, CollectorProtocol.Collected collection) {
    protocol.checkBatch(job.query(), collection.batchId());
    byte[] aggregationParameter = job.aggregationParameter();
    byte[] aad = protocol.aggregateShareAad(taskId, aggregationParameter, job.query(), collection.batchId());
    byte[] leader = openShare(Role.LEADER, collection.leaderShare(), aad);
    byte[] helper = openShare(Role.HELPER, collection.helperShare(), aad);
    long[] result;
    try {
      result = vdaf.unshard(aggregationParameter, List.of(leader, helper), collection.reportCount());
    } catch (VdafException e) {
      throw new DapProtocolException("collection job " + job.id().toBase64Url() + ": cannot unshard: "
          + e.getMessage(), e);
    }
    return new CollectionResult(collection.batchId(), collection.reportCount(), collection.interval(), result);
  }

  private byte[] openShare(Role role, HpkeCiphertext ciphertext, byte[] aad) {
    try {
      return Hpke.open(keypair, protocol.aggregateShareInfo(role), ciphertext, aad);
    } catch (HpkeException e) {
      throw new DapProtocolException("cannot open the " + role + "'s aggregate share: " + e.getMessage(), e);
    }
  }

  /**
   * Polls {@code job} until it is ready. Between polls it waits for the longer of the Leader's Retry-After and an
   * exponential backoff (see {@link Builder#pollBackoff}), but never past the total wait
   * ({@link Builder#maxCollectWait}).
   *
   * @throws CollectionTimeoutException if the job is not ready within the total wait, or the Leader asks to wait
   *     beyond it
   * @throws DapTransportException if the thread is interrupted while waiting (the flag is set again)
   */
  public CollectionResult pollUntilComplete(CollectionJob job) {
    long deadline = saturatingAdd(clock.nowMillis(), maxCollectWait.toMillis());
    Duration backoff = pollInitialBackoff;
    while (true) {
      PollResult result = poll(job);
      if (result instanceof PollResult.Ready ready) {
        return ready.result();
      }
      Optional<Duration> retryAfter = ((PollResult.NotReady) result).retryAfter();
      long remaining = deadline - clock.nowMillis();
      if (retryAfter.isPresent() && retryAfter.get().toMillis() > remaining) {
        throw new CollectionTimeoutException(job, "collection job " + job.id().toBase64Url()
            + ": the Leader asks to wait " + retryAfter.get() + ", beyond the remaining " + remaining + " ms");
      }
      if (remaining <= 0) {
        throw new CollectionTimeoutException(job, "collection job " + job.id().toBase64Url() + " not ready after "
            + maxCollectWait);
      }
      Duration floor = backoff;
      Duration wait = retryAfter.filter(r -> r.compareTo(floor) > 0).orElse(floor);
      try {
        sleeper.sleep(Duration.ofMillis(Math.min(wait.toMillis(), remaining)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DapTransportException("interrupted while waiting for collection job " + job.id().toBase64Url(), e);
      }
      Duration doubled = backoff.multipliedBy(2);
      backoff = doubled.compareTo(pollMaxBackoff) > 0 ? pollMaxBackoff : doubled;
    }
  }

  /** Starts a collection job for {@code query} (empty aggregation parameter) and polls it until complete. */
  public CollectionResult collect(Query query) {
    return collect(query, new byte[0]);
  }

  /**
   * Starts a collection job and polls it until complete; see {@link #pollUntilComplete}.
   *
   * @throws CollectionTimeoutException if it does not finish in time; the exception carries the job
   */
  public CollectionResult collect(Query query, byte[] aggregationParameter) {
    return pollUntilComplete(startCollection(query, aggregationParameter));
  }

  /** Asks the Leader to abandon {@code job} and delete its state: {@code DELETE} on the job's URL. */
  public void delete(CollectionJob job) {
    http.delete(jobUri(job), auth);
  }

  private URI jobUri(CollectionJob job) {
    return job.location()
        .orElseGet(() -> DapHttp.resolve(leaderEndpoint, protocol.collectionJobPath(taskId, job.id())));
  }

  private static long saturatingAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }

  /** Collects a {@link Collector}'s settings; {@link #build()} validates them. Not thread-safe. */
  public static final class Builder {
    private final TaskId taskId;
    private final URI leaderEndpoint;
    private final AuthenticationToken token;
    private final HpkeKeypair keypair;
    private final VdafInstance vdaf;
    private Optional<HttpClient> httpClient = Optional.empty();
    private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    private Sleeper sleeper = Sleeper.SYSTEM;
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Clock clock = Clock.SYSTEM;
    private SecureRandom random;
    private Duration pollInitialBackoff = Duration.ofSeconds(1);
    private Duration pollMaxBackoff = Duration.ofSeconds(30);
    private Duration maxCollectWait = Duration.ofMinutes(15);
    private DapVersion protocol = DapVersion.DAP_09;
    private Optional<TaskAgreement> agreement = Optional.empty();

    private Builder(
        TaskId taskId, URI leaderEndpoint, AuthenticationToken token, HpkeKeypair keypair, VdafInstance vdaf) {
      this.taskId = Objects.requireNonNull(taskId, "taskId");
      this.leaderEndpoint = Objects.requireNonNull(leaderEndpoint, "leaderEndpoint");
      this.token = Objects.requireNonNull(token, "token");
      this.keypair = Objects.requireNonNull(keypair, "keypair");
      this.vdaf = Objects.requireNonNull(vdaf, "vdaf");
    }

    /** Uses {@code client} (and its connection pool) instead of {@link DapHttp#defaultHttpClient()}. */
    public Builder httpClient(HttpClient client) {
      this.httpClient = Optional.of(client);
      return this;
    }

    /** Sets the DAP draft the task speaks; DAP-09 unless set. */
    public Builder protocol(DapVersion v) {
      protocol = Objects.requireNonNull(v, "protocol");
      return this;
    }

    /**
     * Sets the task's agreed parameters, which DAP-18 binds into the aggregate shares' AAD; required for DAP-18.
     * {@link Collector#builder(TaskId, AuthenticationToken, HpkeKeypair, TaskAgreement)} sets it.
     */
    public Builder taskAgreement(TaskAgreement agreement) {
      this.agreement = Optional.of(agreement);
      return this;
    }

    /** Sets how transient HTTP failures are retried; {@link RetryPolicy#DEFAULT} unless set. */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Sets how the collector waits between retries and polls; {@link Sleeper#SYSTEM} unless set. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** Sets the limit on each HTTP attempt; 30 seconds unless set. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Sets the clock that measures the total collect wait and dated Retry-After values. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Sets the source of collection job IDs; a new {@link SecureRandom} unless set. */
    public Builder random(SecureRandom random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** Sets the wait between polls when the Leader gives no Retry-After: doubling from 1 s up to 30 s by default. */
    public Builder pollBackoff(Duration initial, Duration max) {
      if (initial.isNegative() || max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("need 0 <= initial <= max");
      }
      this.pollInitialBackoff = initial;
      this.pollMaxBackoff = max;
      return this;
    }

    /** Sets the longest {@link Collector#collect} keeps polling; 15 minutes unless set. */
    public Builder maxCollectWait(Duration wait) {
      if (wait.isNegative()) {
        throw new IllegalArgumentException("maxCollectWait must not be negative");
      }
      this.maxCollectWait = wait;
      return this;
    }

    /**
     * Builds the collector; sends no request.
     *
     * @throws IllegalArgumentException if the endpoint is not an http(s) URL, the keypair's suite is not
     *     supported, or the VDAF parameters are out of range
     */
    public Collector build() {
      if (!Hpke.isSupported(keypair.config())) {
        throw new IllegalArgumentException("collector HPKE keypair has an unsupported suite: " + keypair.config());
      }
      if (protocol == DapVersion.DAP_18) {
        TaskAgreement a = agreement.orElseThrow(
            () -> new IllegalArgumentException("a DAP-18 collector needs the task's TaskAgreement"));
        if (!a.vdaf().equals(vdaf) || !a.leaderEndpoint().equals(leaderEndpoint)) {
          throw new IllegalArgumentException("the builder's Leader endpoint and VDAF differ from the task agreement's");
        }
      }
      if (random == null) {
        random = new SecureRandom();
      }
      return new Collector(this);
    }
  }
}
