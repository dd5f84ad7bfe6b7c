package io.janus.client;

import io.janus.core.Clock;
import io.janus.core.hpke.Hpke;
import io.janus.core.http.RetryPolicy;
import io.janus.core.http.Sleeper;
import io.janus.core.task.DapVersion;
import io.janus.core.task.TaskAgreement;
import io.janus.core.task.Taskprov;
import io.janus.core.task.TaskprovTaskConfig;
import io.janus.core.task.VdafInstance;
import io.janus.core.vdaf.PingPongVdaf;
import io.janus.core.vdaf.VdafDispatch;
import io.janus.messages.DapProblemType;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.HpkeConfig;
import io.janus.messages.ReportId;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A DAP client for one task: shards measurements with the task's Prio3 VDAF, seals the input shares to the
 * Leader's and the Helper's HPKE configurations and uploads each report to the Leader (draft-ietf-ppm-dap-09
 * section 4.3, or draft-ietf-ppm-dap-18 section 4.4 for a task built with {@link #builder(TaskId, TaskAgreement)}).
 *
 * <p>HPKE configurations are fetched on first use and cached (see {@link Builder#leaderHpkeConfig} to fix them
 * instead). When the Leader answers {@code outdatedConfig}, both configurations are fetched again and the report
 * is sealed and sent once more. Transient HTTP failures are retried per the {@link RetryPolicy}.
 *
 * <p>Instances are immutable apart from the configuration cache and are safe to share between threads; all
 * threads share one HTTP connection pool. Every method that talks to an aggregator blocks and throws a
 * {@link DapClientException} subclass on failure; measurements out of the VDAF's range are rejected with
 * {@link IllegalArgumentException} before any request is sent.
 */
public final class Client {
  private final TaskId taskId;
  private final DapDuration timePrecision;
  private final VdafInstance vdafInstance;
  private final PingPongVdaf vdaf;
  private final DapHttp http;
  private final Clock clock;
  private final SecureRandom random;
  private final HpkeConfigSource leaderConfig;
  private final HpkeConfigSource helperConfig;
  private final URI reportsUri;
  private final ClientProtocol protocol;

  private final boolean taskprov;
  private final java.util.Map<String, String> taskprovHeaders;

  private Client(Builder b) {
    this.protocol = ClientProtocol.of(b.protocol, b.taskId, b.agreement, b.publicExtensions, b.privateExtensions);
    this.taskId = b.taskId;
    this.timePrecision = b.timePrecision;
    this.vdafInstance = b.vdaf;
    this.vdaf = VdafDispatch.forTask(b.protocol, b.taskId, b.vdaf);
    this.http = new DapHttp(b.httpClient.orElseGet(DapHttp::defaultHttpClient), b.retryPolicy, b.sleeper,
        b.requestTimeout, b.clock);
    this.clock = b.clock;
    this.random = b.random;
    URI leader = DapHttp.endpoint(b.leaderEndpoint);
    URI helper = DapHttp.endpoint(b.helperEndpoint);
    this.leaderConfig = source(Role.LEADER, b.leaderHpkeConfig, leader);
    this.helperConfig = source(Role.HELPER, b.helperHpkeConfig, helper);
    this.reportsUri = DapHttp.resolve(leader, protocol.reportsPath(taskId));
    this.taskprov = b.taskprovConfig.isPresent();
    this.taskprovHeaders = b.taskprovConfig
        .map(c -> java.util.Map.of(protocol.taskprovHeader(), c.headerValue()))
        .orElse(java.util.Map.of());
  }

  private HpkeConfigSource source(Role role, Optional<HpkeConfig> fixed, URI endpoint) {
    if (fixed.isPresent()) {
      return HpkeConfigSource.fixed(role, fixed.get(), clock);
    }
    URI uri = DapHttp.resolve(endpoint, protocol.hpkeConfigPath(taskId));
    return HpkeConfigSource.fetched(role, uri, protocol.hpkeConfigListMediaType(), http, clock);
  }

  /**
   * Starts building a client.
   *
   * @param taskId the task
   * @param leaderEndpoint the Leader's DAP endpoint (http or https; a path prefix is kept)
   * @param helperEndpoint the Helper's DAP endpoint
   * @param timePrecision the task's time precision; report timestamps are rounded down to a multiple of it
   * @param vdaf the task's VDAF
   */
  public static Builder builder(
      TaskId taskId, URI leaderEndpoint, URI helperEndpoint, DapDuration timePrecision, VdafInstance vdaf) {
    return new Builder(taskId, leaderEndpoint, helperEndpoint, timePrecision, vdaf);
  }

  /**
   * Starts building a DAP-18 client: endpoints, time precision and VDAF come from {@code agreement}, which the
   * client also binds into every input share's AAD (draft-ietf-ppm-dap-18 section 4.4.2.1).
   */
  public static Builder builder(TaskId taskId, TaskAgreement agreement) {
    return new Builder(taskId, agreement.leaderEndpoint(), agreement.helperEndpoint(), agreement.timePrecision(),
        agreement.vdaf()).protocol(DapVersion.DAP_18).taskAgreement(agreement);
  }

  /** The task this client uploads to. */
  public TaskId taskId() {
    return taskId;
  }

  /** The task's VDAF. */
  public VdafInstance vdaf() {
    return vdafInstance;
  }

  /** The task's time precision. */
  public DapDuration timePrecision() {
    return timePrecision;
  }

  /** Uploads a scalar measurement (Count: 0 or 1, Sum: the value, Histogram: the bucket) stamped with now. */
  public void upload(long measurement) {
    upload(new long[] {measurement});
  }

  /** Uploads a measurement stamped with the current time; see {@link #uploadWithTime}. */
  public void upload(long[] measurement) {
    uploadWithTime(measurement, clock.now());
  }

  /**
   * Shards, seals and uploads one measurement with timestamp {@code time} rounded down to the time precision.
   *
   * @param measurement one element for Count, Sum and Histogram, one per entry for SumVec
   * @throws IllegalArgumentException if the measurement is out of the VDAF's range
   * @throws DapHttpException if the Leader rejects the request (its problem type says why, e.g. reportTooEarly)
   * @throws ReportRejectedException if the Leader accepts the request but refuses the report (DAP-18)
   * @throws DapTransportException if no answer arrives
   * @throws DapProtocolException if an HPKE configuration cannot be fetched or used
   */
  public void uploadWithTime(long[] measurement, Time time) {
    Shares shares = shard(measurement, time);
    HpkeConfigSource.Snapshot leader = leaderConfig.current();
    HpkeConfigSource.Snapshot helper = helperConfig.current();
    List<ReportRejection> rejected;
    try {
      rejected = send(List.of(shares.seal(leader.config(), helper.config())));
    } catch (DapHttpException e) {
      if (e.dapProblemType().filter(t -> t == DapProblemType.OUTDATED_CONFIG).isEmpty()) {
        throw e;
      }
      // Section 4.3.2: the client refetches the configuration and retries once.
      HpkeConfig newLeader = leaderConfig.refreshAfterOutdated(leader).config();
      HpkeConfig newHelper = helperConfig.refreshAfterOutdated(helper).config();
      if (newLeader.equals(leader.config()) && newHelper.equals(helper.config())) {
        throw e;
      }
      send(List.of(shares.seal(newLeader, newHelper)));
      return;
    }
    if (rejected.isEmpty()) {
      return;
    }
    ReportRejection rejection = rejected.get(0);
    if (!rejection.error().equals(ReportRejection.OUTDATED_CONFIG)) {
      throw new ReportRejectedException(rejection);
    }
    // DAP-18 section 4.4.2.2: refetch the configurations and retry once with a freshly generated report.
    HpkeConfig newLeader = leaderConfig.refreshAfterOutdated(leader).config();
    HpkeConfig newHelper = helperConfig.refreshAfterOutdated(helper).config();
    if (newLeader.equals(leader.config()) && newHelper.equals(helper.config())) {
      throw new ReportRejectedException(rejection);
    }
    List<ReportRejection> retried = send(List.of(shard(measurement, time).seal(newLeader, newHelper)));
    if (!retried.isEmpty()) {
      throw new ReportRejectedException(retried.get(0));
    }
  }

  /**
   * Uploads reports prepared by {@link #prepareReport}, as many per request as the task's DAP draft allows
   * (DAP-18: all of them in one {@code UploadRequest}; DAP-09: one per request), and returns the reports the
   * Leader accepted the request for but refused, in request order. Nothing is retried on {@code outdated_config}:
   * the caller decides whether to prepare those again.
   *
   * @throws DapHttpException if the Leader rejects a request as a whole
   * @throws DapTransportException if no answer arrives
   * @throws DapProtocolException if the answer cannot be read
   */
  public List<ReportRejection> uploadReports(List<PreparedReport> reports) {
    List<ReportRejection> out = new ArrayList<>();
    int step = protocol.maxReportsPerUpload();
    for (int i = 0; i < reports.size(); i += step) {
      int end = (int) Math.min(reports.size(), (long) i + step);
      out.addAll(send(reports.subList(i, end)));
    }
    return List.copyOf(out);
  }

  /**
   * Builds the report {@link #uploadWithTime} would send, without sending it (fetching HPKE configurations if
   * needed). Each call picks a fresh random report ID.
   *
   * @throws IllegalArgumentException if the measurement is out of the VDAF's range
   */
  public PreparedReport prepareReport(long[] measurement, Time time) {
    return shard(measurement, time).seal(leaderConfig.current().config(), helperConfig.current().config());
  }

  /**
   * Uploads many measurements with at most {@code maxInFlight} reports being prepared or sent at once, on
   * virtual threads. A failed measurement does not stop the others; the summary lists every failure. Each report
   * is stamped with the time it is prepared.
   *
   * @param measurements the measurements; the arrays must not change during the call
   * @param maxInFlight the concurrency bound, at least 1
   * @param progress told after each measurement finishes
   * @throws DapTransportException if the calling thread is interrupted (uploads in flight are cancelled and the
   *     interrupt flag is set again)
   */
  public UploadSummary uploadAll(List<long[]> measurements, int maxInFlight, UploadProgress progress) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1, got " + maxInFlight);
    }
    Objects.requireNonNull(progress, "progress");
    int total = measurements.size();
    Semaphore permits = new Semaphore(maxInFlight);
    ReentrantLock lock = new ReentrantLock();
    List<UploadFailure> failures = new ArrayList<>();
    int[] succeeded = {0};
    boolean interrupted = false;
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < total; i++) {
        long[] measurement = measurements.get(i);
        int index = i;
        try {
          permits.acquire();
        } catch (InterruptedException e) {
          interrupted = true;
          workers.shutdownNow();
          break;
        }
        workers.execute(() -> {
          RuntimeException error = null;
          try {
            upload(measurement);
          } catch (RuntimeException e) {
            // Recorded in the summary, not swallowed: the caller sees every failure with its index.
            error = e;
          } finally {
            permits.release();
          }
          lock.lock();
          try {
            if (error == null) {
              succeeded[0]++;
            } else {
              failures.add(new UploadFailure(index, error));
            }
            progress.update(succeeded[0], failures.size(), total);
          } finally {
            lock.unlock();
          }
        });
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
      throw new DapTransportException("uploadAll interrupted after " + (succeeded[0] + failures.size()) + " of "
          + total + " measurements", new InterruptedException());
    }
    failures.sort(Comparator.comparingInt(UploadFailure::index));
    return new UploadSummary(total, succeeded[0], failures);
  }

  /**
   * Fetches both aggregators' HPKE configurations now (configurations fixed at build time are kept), for
   * example to fail fast at startup or after a key rotation was announced.
   */
  public void refreshHpkeConfigs() {
    leaderConfig.refresh();
    helperConfig.refresh();
  }

  private List<ReportRejection> send(List<PreparedReport> reports) {
    byte[] body = protocol.uploadBody(reports);
    java.net.http.HttpResponse<byte[]> response = protocol.uploadMethod().equals("POST")
        ? http.post(reportsUri, protocol.reportMediaType(), body, List.of(), taskprovHeaders)
        : http.put(reportsUri, protocol.reportMediaType(), body, List.of(), taskprovHeaders);
    return protocol.uploadRejections(response.headers().firstValue("Content-Type"), response.body());
  }

  private Shares shard(long[] measurement, Time time) {
    ReportId reportId = ReportId.random(random);
    byte[] rand = new byte[vdaf.randomnessLength()];
    random.nextBytes(rand);
    // The report ID is the VDAF nonce (section 4.3.2).
    PingPongVdaf.Sharded sharded = vdaf.shard(measurement, reportId.bytes(), rand);
    Time rounded = time.truncateTo(timePrecision);
    byte[] publicShare = sharded.publicShare();
    return new Shares(
        protocol,
        reportId,
        rounded,
        publicShare,
        protocol.inputShareAad(taskId, reportId, rounded, publicShare),
        protocol.plaintextInputShare(Role.LEADER, sharded.leaderInputShare(), taskprov),
        protocol.plaintextInputShare(Role.HELPER, sharded.helperInputShare(), taskprov));
  }

  /** A sharded report before sealing, kept so an {@code outdatedConfig} retry reseals without resharding. */
  private record Shares(ClientProtocol protocol, ReportId reportId, Time time, byte[] publicShare, byte[] aad,
      byte[] leaderPlaintext, byte[] helperPlaintext) {
    PreparedReport seal(HpkeConfig leader, HpkeConfig helper) {
      return new PreparedReport(reportId, time, protocol.reportMediaType(), protocol.encodeReport(reportId, time,
          publicShare, seal(leader, Role.LEADER, leaderPlaintext), seal(helper, Role.HELPER, helperPlaintext)));
    }

    private HpkeCiphertext seal(HpkeConfig config, Role role, byte[] plaintext) {
      try {
        return Hpke.seal(config, protocol.inputShareInfo(role), aad, plaintext);
      } catch (IllegalArgumentException e) {
        // A fetched config passed the suite check, so this is a public key that does not fit its KEM.
        throw new DapProtocolException("cannot seal to the " + role + "'s HPKE config " + config.id() + ": "
            + e.getMessage(), e);
      }
    }
  }

  /** Collects a {@link Client}'s settings; {@link #build()} validates them. Not thread-safe. */
  public static final class Builder {
    private final TaskId taskId;
    private final URI leaderEndpoint;
    private final URI helperEndpoint;
    private final DapDuration timePrecision;
    private final VdafInstance vdaf;
    private Optional<HttpClient> httpClient = Optional.empty();
    private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    private Sleeper sleeper = Sleeper.SYSTEM;
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Clock clock = Clock.SYSTEM;
    private SecureRandom random;
    private Optional<HpkeConfig> leaderHpkeConfig = Optional.empty();
    private Optional<HpkeConfig> helperHpkeConfig = Optional.empty();
    private DapVersion protocol = DapVersion.DAP_09;
    private Optional<TaskprovTaskConfig> taskprovConfig = Optional.empty();
    private Optional<TaskAgreement> agreement = Optional.empty();
    private List<ReportExtension> publicExtensions = List.of();
    private List<ReportExtension> privateExtensions = List.of();

    private Builder(
        TaskId taskId, URI leaderEndpoint, URI helperEndpoint, DapDuration timePrecision, VdafInstance vdaf) {
      this.taskId = Objects.requireNonNull(taskId, "taskId");
      this.leaderEndpoint = Objects.requireNonNull(leaderEndpoint, "leaderEndpoint");
      this.helperEndpoint = Objects.requireNonNull(helperEndpoint, "helperEndpoint");
      this.timePrecision = Objects.requireNonNull(timePrecision, "timePrecision");
      this.vdaf = Objects.requireNonNull(vdaf, "vdaf");
    }

    /** Sets the DAP draft the task speaks; DAP-09 unless set. */
    public Builder protocol(DapVersion v) {
      protocol = java.util.Objects.requireNonNull(v, "protocol");
      return this;
    }

    /**
     * Sets the task's agreed parameters, which DAP-18 binds into every input share's AAD; required for DAP-18.
     * {@link Client#builder(TaskId, TaskAgreement)} sets it.
     */
    public Builder taskAgreement(TaskAgreement agreement) {
      this.agreement = Optional.of(agreement);
      return this;
    }

    /** Sets the report extensions every report carries in its public metadata (DAP-18); none unless set. */
    public Builder publicExtensions(List<ReportExtension> extensions) {
      this.publicExtensions = List.copyOf(extensions);
      return this;
    }

    /** Sets the report extensions every report carries inside both input shares (DAP-18); none unless set. */
    public Builder privateExtensions(List<ReportExtension> extensions) {
      this.privateExtensions = List.copyOf(extensions);
      return this;
    }

    /** Uses {@code client} (and its connection pool) instead of {@link DapHttp#defaultHttpClient()}. */
    public Builder httpClient(HttpClient client) {
      this.httpClient = Optional.of(client);
      return this;
    }

    /** Sets how transient failures are retried; {@link RetryPolicy#DEFAULT} unless set. */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Sets how the client waits between retries; {@link Sleeper#SYSTEM} unless set. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** Sets the limit on each HTTP attempt; 30 seconds unless set. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Sets the clock that stamps reports and ages cached configurations; {@link Clock#SYSTEM} unless set. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Sets the source of report IDs and sharding randomness; a new {@link SecureRandom} unless set. */
    public Builder random(SecureRandom random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** Seals to {@code config} for the Leader and never fetches the Leader's configuration. */
    public Builder leaderHpkeConfig(HpkeConfig config) {
      this.leaderHpkeConfig = Optional.of(config);
      return this;
    }

    /** Seals to {@code config} for the Helper and never fetches the Helper's configuration. */
    public Builder helperHpkeConfig(HpkeConfig config) {
      this.helperHpkeConfig = Optional.of(config);
      return this;
    }

    /**
     * Uploads for a task provisioned in-band (taskprov): every upload carries {@code encodedTaskConfig} in the
     * {@code dap-taskprov} header, so the Leader can provision the task on first sight, and every input share
     * carries the taskprov extension.
     *
     * @param encodedTaskConfig the task's encoded configuration; the task ID must be its SHA-256
     * @throws IllegalArgumentException if the task ID is not the configuration's SHA-256
     */
    public Builder taskprovConfig(byte[] encodedTaskConfig) {
      if (!Taskprov.taskId(encodedTaskConfig).equals(taskId)) {
        throw new IllegalArgumentException("the task ID is not the SHA-256 of the taskprov configuration");
      }
      this.taskprovConfig = Optional.of(new TaskprovTaskConfig(encodedTaskConfig));
      return this;
    }

    /**
     * Builds the client; sends no request.
     *
     * @throws IllegalArgumentException if an endpoint is not an http(s) URL, the time precision is zero, the VDAF
     *     parameters are out of range or not runnable under the task's DAP draft, a fixed HPKE configuration has
     *     an unsupported suite, a DAP-18 task has no (or a mismatching) agreement or taskprov, or DAP-09 is given
     *     report extensions
     */
    public Client build() {
      if (timePrecision.seconds() == 0) {
        throw new IllegalArgumentException("time precision must be positive");
      }
      if (protocol == DapVersion.DAP_18) {
        TaskAgreement a = agreement.orElseThrow(
            () -> new IllegalArgumentException("a DAP-18 client needs the task's TaskAgreement"));
        if (!a.timePrecision().equals(timePrecision) || !a.vdaf().equals(vdaf)
            || !a.leaderEndpoint().equals(leaderEndpoint) || !a.helperEndpoint().equals(helperEndpoint)) {
          throw new IllegalArgumentException("the builder's endpoints, time precision and VDAF differ from the "
              + "task agreement's");
        }
        if (taskprovConfig.isPresent()) {
          throw new IllegalArgumentException("taskprov is not supported for DAP-18 tasks");
        }
      }
      if (random == null) {
        random = new SecureRandom();
      }
      return new Client(this);
    }
  }
}
