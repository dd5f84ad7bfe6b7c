package io.janus.agent;

import io.janus.client.Client;
import io.janus.client.DapClientException;
import io.janus.client.DapHttpException;
import io.janus.client.ReportRejectedException;
import io.janus.core.http.RetryPolicy;
import io.janus.fleet.Cadence;
import io.janus.fleet.ConfigException;
import io.janus.fleet.DaemonTimer;
import io.janus.fleet.LockFile;
import io.janus.fleet.MetricLayout;
import io.janus.messages.Time;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reporting daemon: on each operation's cadence it samples the machine ({@code [sample]}), reports its static
 * facts ({@code [sysinfo]}, also once at start-up) or refreshes the aggregators' HPKE configurations
 * ({@code [dap] hpke-refresh}), and uploads every measurement as one DAP report through the client library.
 * Reports the Leader cannot take now (no answer, a 5xx or 429) wait in a bounded {@link RetryQueue} and go out
 * before newer ones at the next operation; reports it refuses for good are dropped and logged.
 *
 * <p>{@link #run()} holds the lock file (if {@code lockdir} is set) and runs until {@link #stop()}; {@link #reload()}
 * makes it read the configuration file again between operations (the lock is released and taken again, and a
 * file that no longer parses leaves the previous configuration in force). Both are safe from any thread,
 * including a signal handler. Everything else happens on the thread that calls {@link #run()}.
 */
public final class Agent {
  private static final String NAME = "janus-agent";
  private static final RetryPolicy UPLOAD_RETRIES = new RetryPolicy(2, Duration.ofMillis(500), Duration.ofSeconds(2));

  private final Path configFile;
  private final DaemonTimer timer;
  private final SystemPaths paths;
  private final PrintStream log;
  private final PrintStream dump;
  private final AtomicBoolean stopRequested = new AtomicBoolean();
  private final AtomicBoolean reloadRequested = new AtomicBoolean();
  private final AtomicLong uploaded = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();

  private AgentConfig config;
  private Map<MetricLayout, Client> clients;
  private Sampler sampler;
  private Optional<Measurements> measurements = Optional.empty();
  private RetryQueue queue;
  private long reportedDrops;
  private Optional<LockFile> lock = Optional.empty();

  private Agent(Path configFile, AgentConfig config, DaemonTimer timer, SystemPaths paths, PrintStream log,
      PrintStream dump) {
    this.configFile = configFile;
    this.timer = timer;
    this.paths = paths;
    this.log = log;
    this.dump = dump;
    apply(config);
  }

  /**
   * An agent for {@code configFile}, read now.
   *
   * @param timer the daemon's time ({@link DaemonTimer#system()} in production)
   * @param paths where the machine is read ({@link SystemPaths#MACHINE} in production)
   * @param log where the daemon says what it does and what failed
   * @param dump where {@code [debug] dump} prints each measurement sent
   * @throws ConfigException if the file is not a valid configuration
   */
  public static Agent create(Path configFile, DaemonTimer timer, SystemPaths paths, PrintStream log,
      PrintStream dump) {
    return new Agent(configFile, AgentConfig.read(configFile), timer, paths, log, dump);
  }

  /** The configuration in force. */
  public AgentConfig config() {
    return config;
  }

  /** Reports the Leader accepted so far. */
  public long uploaded() {
    return uploaded.get();
  }

  /** Reports the Leader refused for good so far. */
  public long rejected() {
    return rejected.get();
  }

  /** Asks {@link #run()} to return after the operation in progress. */
  public void stop() {
    stopRequested.set(true);
    timer.wake();
  }

  /** Asks {@link #run()} to read the configuration file again after the operation in progress. */
  public void reload() {
    reloadRequested.set(true);
    timer.wake();
  }

  /**
   * Runs until {@link #stop()}.
   *
   * @throws LockFile.HeldException if another agent holds the lock directory
   */
  public void run() throws InterruptedException {
    lock = lock(config);
    try {
      say("started: " + describe(config));
      if (config.sysinfo().onStartup() && config.dap().sysinfoTask().isPresent()) {
        sysinfo(timer.nowMillis());
        flush();
      }
      Map<Operation, Long> last = new EnumMap<>(Operation.class);
      long start = timer.nowMillis();
      while (!stopRequested.get()) {
        if (reloadRequested.getAndSet(false)) {
          reloadNow();
          continue;
        }
        Map<Operation, Cadence> operations = operations();
        long due = Long.MAX_VALUE;
        for (Map.Entry<Operation, Cadence> op : operations.entrySet()) {
          due = Math.min(due, op.getValue().nextAfter(last.getOrDefault(op.getKey(), start)));
        }
        if (!timer.awaitUntil(due)) {
          continue;
        }
        long now = timer.nowMillis();
        for (Map.Entry<Operation, Cadence> op : operations.entrySet()) {
          long next = op.getValue().nextAfter(last.getOrDefault(op.getKey(), start));
          if (next <= now) {
            // A late wake-up runs the operation once, for the latest instant it was due at.
            long tick = op.getValue().floor(now);
            last.put(op.getKey(), tick);
            runOperation(op.getKey(), tick);
          }
        }
        flush();
      }
      if (queue.size() > 0) {
        say("stopping with " + queue.size() + " report(s) not yet accepted by the Leader; they are dropped");
      }
      say("stopped");
    } finally {
      lock.ifPresent(LockFile::close);
      lock = Optional.empty();
    }
  }

  /** What runs on a cadence. */
  private enum Operation {
    SAMPLE,
    SYSINFO,
    HPKE_REFRESH
  }

  /** The operations that have a cadence (the HPKE refresh always has one). */
  private Map<Operation, Cadence> operations() {
    Map<Operation, Cadence> ops = new EnumMap<>(Operation.class);
    config.sample().cadence().ifPresent(c -> ops.put(Operation.SAMPLE, c));
    config.sysinfo().cadence().ifPresent(c -> ops.put(Operation.SYSINFO, c));
    ops.put(Operation.HPKE_REFRESH, config.dap().hpkeRefresh());
    return ops;
  }

  private void runOperation(Operation op, long tickMillis) {
    switch (op) {
      case SAMPLE -> sample(tickMillis);
      case SYSINFO -> sysinfo(tickMillis);
      case HPKE_REFRESH -> clients.forEach((layout, client) -> {
        try {
          client.refreshHpkeConfigs();
        } catch (DapClientException e) {
          say("cannot refresh the HPKE configurations for " + layout.dataType() + ": " + e.getMessage());
        }
      });
    }
  }

  private void sample(long tickMillis) {
    Time time = new Time(tickMillis / 1000);
    Measurements m = measurements.orElseThrow();
    try {
      List<Sampler.Cgroup> cgroups = sampler.cgroups();
      Sampler.Host host = sampler.host();
      for (long[] v : m.cgroups(cgroups, tickMillis)) {
        enqueue(MetricLayout.SAMPLE, v, time);
      }
      enqueue(MetricLayout.SAMPLE, m.host(host), time);
      if (config.debug().verbose()) {
        say("sampled " + cgroups.size() + " cgroup(s) at " + time.seconds());
      }
    } catch (IOException e) {
      say("cannot sample " + config.sample().hierarchy() + ": " + e.getMessage());
    }
  }

  private void sysinfo(long tickMillis) {
    try {
      long max = config.dap().sysinfoTask().orElseThrow().maxElement();
      enqueue(MetricLayout.SYSINFO, Measurements.sysinfo(sampler.facts(), max), new Time(tickMillis / 1000));
    } catch (IOException e) {
      say("cannot read the machine's facts: " + e.getMessage());
    }
  }

  private void enqueue(MetricLayout dataType, long[] measurement, Time time) {
    if (config.debug().dump()) {
      dump.println(NAME + " dump: " + dataType.dataType() + " " + time.seconds() + " " + Arrays.toString(measurement));
    }
    queue.add(new RetryQueue.Pending(dataType, measurement, time));
    if (queue.dropped() > reportedDrops) {
      say("retry queue full (" + config.dap().queueCapacity() + "): dropped " + (queue.dropped() - reportedDrops)
          + " oldest report(s), " + queue.dropped() + " in all");
      reportedDrops = queue.dropped();
    }
  }

  /** Uploads queued reports oldest first, until one meets a failure that may pass. */
  private void flush() {
    Iterator<RetryQueue.Pending> it = queue.iterator();
    while (it.hasNext() && !stopRequested.get()) {
      RetryQueue.Pending p = it.next();
      Client client = clients.get(p.dataType());
      try {
        client.uploadWithTime(p.measurement(), p.time());
        uploaded.incrementAndGet();
        it.remove();
      } catch (DapHttpException e) {
        if (e.status() >= 500 || e.status() == 429) {
          say("the Leader is unavailable (" + e.getMessage() + "); " + queue.size() + " report(s) wait for retry");
          return;
        }
        rejected.incrementAndGet();
        it.remove();
        say("the Leader refused a " + p.dataType().dataType() + " report, dropped: " + e.getMessage());
      } catch (ReportRejectedException e) {
        rejected.incrementAndGet();
        it.remove();
        say("the Leader refused a " + p.dataType().dataType() + " report, dropped: " + e.getMessage());
      } catch (DapClientException e) {
        say("cannot reach the aggregators (" + e.getMessage() + "); " + queue.size()
            + " report(s) wait for retry");
        return;
      } catch (IllegalArgumentException e) {
        rejected.incrementAndGet();
        it.remove();
        say("a " + p.dataType().dataType() + " measurement does not fit the task's VDAF, dropped: " + e.getMessage());
      }
    }
  }

  private void reloadNow() {
    AgentConfig fresh;
    try {
      fresh = AgentConfig.read(configFile);
    } catch (ConfigException e) {
      say("reload failed, keeping the previous configuration: " + e.getMessage());
      return;
    }
    lock.ifPresent(LockFile::close);
    lock = Optional.empty();
    AgentConfig previous = config;
    apply(fresh);
    lock = lock(fresh);
    say("reloaded " + configFile + (previous.equals(fresh) ? " (unchanged)" : "") + ": " + describe(fresh));
  }

  /** Makes {@code fresh} the configuration in force, keeping what it does not change. */
  private void apply(AgentConfig fresh) {
    AgentConfig previous = config;
    config = fresh;
    HttpClient http = fresh.dap().tls()
        .map(t -> HttpClient.newBuilder().sslContext(t.sslContext()).connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1).build())
        .orElseGet(io.janus.client.DapHttp::defaultHttpClient);
    Map<MetricLayout, Client> fresher = new EnumMap<>(MetricLayout.class);
    fresh.dap().sampleTask().ifPresent(t -> fresher.put(MetricLayout.SAMPLE, client(fresh, t, http)));
    fresh.dap().sysinfoTask().ifPresent(t -> fresher.put(MetricLayout.SYSINFO, client(fresh, t, http)));
    clients = fresher;
    boolean sameSample = previous != null && previous.sample().equals(fresh.sample());
    sampler = new Sampler(fresh.sample(), paths);
    if (!sameSample || measurements.isEmpty()
        || !previous.dap().sampleTask().equals(fresh.dap().sampleTask())) {
      measurements = fresh.dap().sampleTask().map(t -> new Measurements(t.maxElement()));
    }
    if (queue == null) {
      queue = new RetryQueue(fresh.dap().queueCapacity());
    } else {
      RetryQueue old = queue;
      queue = new RetryQueue(fresh.dap().queueCapacity());
      for (Iterator<RetryQueue.Pending> it = old.iterator(); it.hasNext(); ) {
        RetryQueue.Pending p = it.next();
        Optional<AgentConfig.Task> before = task(previous, p.dataType());
        if (before.isPresent() && before.equals(task(fresh, p.dataType()))) {
          queue.add(p);
        }
      }
      int lost = old.size() - queue.size();
      if (lost > 0) {
        say("dropped " + lost + " queued report(s) whose task changed or no longer fits the queue");
      }
    }
    if (!fresh.unsupported().isEmpty()) {
      say("not supported here, ignored: " + String.join(", ",
          fresh.unsupported().stream().map(n -> "[" + n + "]").toList()));
    }
  }

  private static Optional<AgentConfig.Task> task(AgentConfig c, MetricLayout dataType) {
    return switch (dataType) {
      case SAMPLE -> c.dap().sampleTask();
      case SYSINFO -> c.dap().sysinfoTask();
    };
  }

  private static Client client(AgentConfig c, AgentConfig.Task t, HttpClient http) {
    return Client.builder(t.id(), c.dap().leader(), c.dap().helper(), t.timePrecision(), t.vdaf())
        .httpClient(http)
        .retryPolicy(UPLOAD_RETRIES)
        .requestTimeout(Duration.ofSeconds(20))
        .build();
  }

  private Optional<LockFile> lock(AgentConfig c) {
    return c.global().lockdir().map(dir -> LockFile.acquire(dir, NAME));
  }

  private static String describe(AgentConfig c) {
    StringBuilder b = new StringBuilder("cluster ").append(c.global().cluster()).append(", role ")
        .append(c.global().role());
    c.sample().cadence().ifPresent(x -> b.append(", sample every ").append(x).append(" from ")
        .append(c.sample().hierarchy()));
    c.sysinfo().cadence().ifPresent(x -> b.append(", sysinfo every ").append(x));
    b.append(", leader ").append(c.dap().leader());
    return b.toString();
  }

  private void say(String message) {
    log.println(NAME + ": " + message);
  }

  /** Whether the pending queue holds anything (for tests). */
  int queued() {
    return queue.size();
  }
}
