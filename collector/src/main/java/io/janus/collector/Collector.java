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
import io.janus.core.task.VdafInstance;
import io.janus.core.vdaf.PingPongVdaf;
import io.janus.core.vdaf.VdafDispatch;
import io.janus.messages.BatchId;
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
import java.util.Objects;
import java.util.Optional;

/**
 * A DAP-09 collector for one task (draft-ietf-ppm-dap-09 section 4.5): creates collection jobs on the Leader,
 * polls them, opens the Leader's and the Helper's aggregate shares with the collector's HPKE key and unshards the
 * aggregate result.
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
    this.vdaf = VdafDispatch.forInstance(b.vdaf);
    this.protocol = CollectorProtocol.of(b.protocol);
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

  /** Creates a collection job for {@code query} with the empty aggregation parameter (all Prio3 VDAFs). */
  public CollectionJob startCollection(Query query) {
    return startCollection(query, new byte[0]);
  }

  /**
   * Creates a collection job with a fresh random ID: {@code PUT .../collection_jobs/{id}} with a
   * collection request in the task's DAP draft.
   *
   * @return the job, to poll or delete
   * @throws IllegalArgumentException if the VDAF does not accept the aggregation parameter (Prio3 takes only the
   *     empty one); nothing is sent then
   */
  public CollectionJob startCollection(Query query, byte[] aggregationParameter) {
    CollectionJob job = new CollectionJob(CollectionJobId.random(random), query, aggregationParameter);
    startCollection(job);
    return job;
  }

  /**
   * Sends the creation request for {@code job}, whose ID the caller chose. Creation is idempotent on the Leader,
   * so this also re-sends a request whose answer was lost.
   *
   * @throws IllegalArgumentException if the VDAF does not accept the job's aggregation parameter
   */
  public void startCollection(CollectionJob job) {
    if (!vdaf.isValidAggregationParameter(job.aggregationParameter(), List.of())) {
      throw new IllegalArgumentException("the task's VDAF does not accept this aggregation parameter ("
          + job.aggregationParameter().length + " bytes)");
    }
    byte[] body = protocol.encodeCollectionRequest(job.query(), job.aggregationParameter());
    // DAP-09 says 201 Created; any 2xx is accepted, as deployed aggregators differ on success codes.
    http.put(jobUri(job), protocol.collectionRequestMediaType(), body, auth);
  }

  /**
   * Polls {@code job} once: {@code POST .../collection_jobs/{id}}.
   *
   * @return {@link PollResult.NotReady} on 202 (with the Retry-After wait, if any), {@link PollResult.Ready} on 200
   * @throws DapProtocolException if the job was deleted (204), the answer is another 2xx or not a decodable
   *     collection, names another batch than the query, or its shares do not open or unshard
   */
  public PollResult poll(CollectionJob job) {
    HttpResponse<byte[]> response = http.post(jobUri(job), auth);
    return switch (response.statusCode()) {
      case 202 -> new PollResult.NotReady(DapHttp.retryAfter(response, clock.nowMillis()));
      case 200 -> {
        DapHttp.requireContentType(response, protocol.collectionMediaType());
        CollectorProtocol.Collected collection;
        try {
          collection = protocol.decodeCollection(response.body());
        } catch (DecodeException e) {
          throw new DapProtocolException("POST " + response.uri() + ": malformed Collection: " + e.getMessage(), e);
        }
        yield new PollResult.Ready(open(job, collection));
      }
      // Janus answers a poll of a deleted job with 204 No Content.
      case 204 -> throw new DapProtocolException(
          "POST " + response.uri() + ": the Leader reports the collection job as deleted (HTTP 204)");
      default -> throw new DapProtocolException(
          "POST " + response.uri() + ": unexpected status " + response.statusCode() + " polling a collection job");
    };
  }

  /** Decrypts and unshards a finished job's collection. */
  private CollectionResult open(CollectionJob job, CollectorProtocol.Collected collection) {
    checkBatch(job.query(), collection.batchId());
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

  /**
   * Checks that the Leader answered for the batch asked for: no batch ID for a time-interval query, the batch for
   * a fixed-size one (the one named, for a query by batch ID).
   */
  private static void checkBatch(Query query, Optional<BatchId> answered) {
    switch (query) {
      case Query.TimeInterval q -> {
        if (answered.isPresent()) {
          throw new DapProtocolException("time-interval query answered for batch " + answered.get());
        }
      }
      case Query.FixedSizeByBatchId q -> {
        if (answered.isEmpty()) {
          throw new DapProtocolException("fixed-size query answered without a batch ID");
        }
        if (!q.batchId().equals(answered.get())) {
          throw new DapProtocolException("asked for " + q.batchId() + ", the Leader answered for " + answered.get());
        }
      }
      case Query.FixedSizeCurrentBatch q -> {
        if (answered.isEmpty()) {
          throw new DapProtocolException("fixed-size query answered without a batch ID");
        }
      }
    }
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

  /** Asks the Leader to abandon {@code job} and delete its state: {@code DELETE .../collection_jobs/{id}}. */
  public void delete(CollectionJob job) {
    http.delete(jobUri(job), auth);
  }

  private URI jobUri(CollectionJob job) {
    return DapHttp.resolve(leaderEndpoint, protocol.collectionJobPath(taskId, job.id()));
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
      if (random == null) {
        random = new SecureRandom();
      }
      return new Collector(this);
    }
  }
}
