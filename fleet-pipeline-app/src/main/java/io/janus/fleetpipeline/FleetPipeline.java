package io.janus.fleetpipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.janus.agent.Agent;
import io.janus.agent.SimulatedMachine;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.core.task.DapVersion;
import io.janus.exporter.Exporter;
import io.janus.fleet.DaemonTimer;
import io.janus.fleet.MetricLayout;
import io.janus.messages.Base64Url;
import io.janus.messages.DapDuration;
import io.janus.quickstart.LocalDeployment;
import io.janus.quickstart.ProvisionedTask;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The whole fleet-metrics pipeline on one machine, with one command ({@code ./fleet-pipeline}): an embedded
 * PostgreSQL with a Leader and a Helper ({@link LocalDeployment}), an embedded Kafka broker ({@link EmbeddedKafka}),
 * agents sampling simulated machines whose cgroups do work, and the exporter. It prints every aggregate as it
 * arrives on Kafka, next to the sum of what the agents sent computed in the clear. Exit code 0 when every printed
 * aggregate matches, 1 when one differs or a step fails, 2 for a bad command line.
 */
public final class FleetPipeline {
  private static final String CLUSTER = "fleet";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MIB = 1024 * 1024;
  // Held so that their levels stick: Kafka's broker and clients log every setting at INFO.
  private static final List<Logger> QUIET = List.of(Logger.getLogger("kafka"), Logger.getLogger("org.apache.kafka"),
      Logger.getLogger("state.change.logger"));

  @Command(name = "fleet-pipeline", mixinStandardHelpOptions = true,
      description = "Runs agents, a Leader and a Helper, the exporter and a Kafka broker, and prints the fleet's "
          + "aggregates as they arrive on Kafka.")
  static final class Options {
    @Option(names = "--agents", defaultValue = "3", description = "Agents, one per simulated machine (default 3).")
    int agents;

    @Option(names = "--cadence", defaultValue = "1s", description = "The agents' sample cadence (default 1s).")
    String cadence;

    @Option(names = "--window", defaultValue = "10s",
        description = "The exporter's batch cadence, a cadence in seconds or minutes (default 10s).")
    String window;

    @Option(names = "--batches", defaultValue = "3",
        description = "Stop after this many sample aggregates (default 3); 0 runs until Ctrl-C.")
    int batches;

    @Option(names = "--seed", description = "Seed of the simulated machines' workload (default: random).")
    Long seed;

    @Option(names = "--work-dir", description = "Where configs, databases and logs go (default: a new temporary "
        + "directory).")
    Path workDirectory;
  }

  private FleetPipeline() {}

  /** Runs the pipeline with the process's streams and exits with its exit code. */
  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    LogManager.getLogManager().reset();
    System.exit(code);
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    Options o = new Options();
    CommandLine cl = new CommandLine(o);
    try {
      cl.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      err.println("fleet-pipeline: " + e.getMessage());
      return 2;
    }
    if (cl.isUsageHelpRequested()) {
      cl.usage(out);
      return 0;
    }
    long windowSeconds = seconds(o.window);
    if (o.agents < 1 || windowSeconds <= 0 || seconds(o.cadence) <= 0 || o.batches < 0) {
      err.println("fleet-pipeline: --agents must be positive, --cadence and --window durations such as 1s or 1m,"
          + " --batches not negative");
      return 2;
    }
    try {
      Path dir = o.workDirectory != null ? Files.createDirectories(o.workDirectory)
          : Files.createTempDirectory("janus-fleet-pipeline-");
      return execute(o, windowSeconds, dir, out, err);
    } catch (IOException e) {
      err.println("fleet-pipeline: " + e.getMessage());
      return 1;
    }
  }

  private static long seconds(String duration) {
    if (!duration.matches("[0-9]+[sm]")) {
      return -1;
    }
    long n = Long.parseLong(duration.substring(0, duration.length() - 1));
    return duration.endsWith("m") ? n * 60 : n;
  }

  private static int execute(Options o, long windowSeconds, Path dir, PrintStream out, PrintStream err)
      throws IOException {
    long seed = o.seed != null ? o.seed : new SplittableRandom().nextLong();
    Path logFile = dir.resolve("pipeline.log");
    out.printf("janus-java fleet pipeline: %d agent(s) on simulated machines sampling every %s, batches of %s "
        + "(seed %d)%n", o.agents, o.cadence, o.window, seed);
    ExecutorService threads = Executors.newCachedThreadPool();
    AtomicBoolean stopping = new AtomicBoolean();
    try (PrintStream log = new PrintStream(Files.newOutputStream(logFile), true, StandardCharsets.UTF_8)) {
      routeLogging(log);
      long t0 = System.nanoTime();
      out.printf("Starting PostgreSQL, a Leader, a Helper and a Kafka broker in this JVM (logs: %s) ...%n", logFile);
      try (LocalDeployment deployment = LocalDeployment.start(dir.resolve("deployment"), log);
          EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), log)) {
        out.printf("  started in %.1f s; Kafka at %s%n", (System.nanoTime() - t0) / 1e9, kafka.bootstrapServers());
        byte[] token = new byte[16];
        new SecureRandom().nextBytes(token);
        var collectorToken = new AuthenticationToken(AuthenticationTokenType.BEARER, Base64Url.encode(token));
        var collectorKey = LocalDeployment.collectorKeypair();
        // DAP-09, the stable protocol here, with one collector identity for both tasks (the exporter's).
        ProvisionedTask sample = deployment.provisionTask(PipelineConfigs.SAMPLE_VDAF, DapDuration.ofSeconds(1), 1,
            DapVersion.DAP_09, collectorKey, collectorToken);
        ProvisionedTask sysinfo = deployment.provisionTask(PipelineConfigs.SYSINFO_VDAF, DapDuration.ofSeconds(1),
            1, DapVersion.DAP_09, collectorKey, collectorToken);
        out.printf("Provisioned the sample task %s and the sysinfo task %s on both aggregators%n",
            sample.id().toBase64Url(), sysinfo.id().toBase64Url());

        Path exporterIni = PipelineConfigs.exporter(dir.resolve("exporter/exporter.ini"), CLUSTER,
            kafka.bootstrapServers(), sample, sysinfo, o.window, Duration.ofSeconds(3), Duration.ofSeconds(1));
        Exporter exporter = Exporter.create(exporterIni, DaemonTimer.system(), log, log);
        Future<?> exporting = threads.submit(() -> {
          exporter.run();
          return null;
        });

        PlaintextSums plaintext = new PlaintextSums(windowSeconds);
        PrintStream dumps = new PrintStream(plaintext, true, StandardCharsets.UTF_8);
        SplittableRandom random = new SplittableRandom(seed);
        List<SimulatedMachine> machines = new ArrayList<>();
        List<Agent> agents = new ArrayList<>();
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < o.agents; i++) {
          SimulatedMachine m = machine(dir.resolve("machine-" + i), random);
          Path ini = PipelineConfigs.agent(dir.resolve("agent-" + i + ".ini"), CLUSTER, sample, sysinfo,
              m.hierarchy(), o.cadence, true);
          Agent agent = Agent.create(ini, DaemonTimer.system(), m.paths(), log, dumps);
          machines.add(m);
          agents.add(agent);
        }
        for (Agent agent : agents) {
          running.add(threads.submit(() -> {
            agent.run();
            return null;
          }));
        }
        threads.submit(() -> work(machines, random.split(), stopping));
        out.printf("Configurations in %s (agent-N.ini, exporter/exporter.ini)%n", dir);
        out.printf("%d agent(s) started; the exporter publishes to %s.sample and %s.sysinfo. Waiting for batches "
            + "(each is collected %d s after it ends) ...%n%n", o.agents, CLUSTER, CLUSTER, 3);
        out.flush();

        Thread hook = new Thread(() -> {
          stopping.set(true);
          agents.forEach(Agent::stop);
          exporter.stop();
        }, "fleet-pipeline-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean allMatch = print(kafka, plaintext, o.batches, out, stopping);
        stopping.set(true);
        agents.forEach(Agent::stop);
        exporter.stop();
        for (Future<?> f : running) {
          f.get(30, TimeUnit.SECONDS);
        }
        exporting.get(60, TimeUnit.SECONDS);
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // Already shutting down: the hook does the same.
        }
        out.println(allMatch ? "OK: every aggregate matches the sum of what the agents sent."
            : "MISMATCH: an aggregate differs from what the agents sent; see " + logFile);
        return allMatch ? 0 : 1;
      }
    } catch (Exception e) {
      err.println("fleet-pipeline: FAILED: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
      err.println("Logs: " + logFile);
      return 1;
    } finally {
      stopping.set(true);
      threads.shutdownNow();
    }
  }

  /** A machine with a few user sessions and services, of random size. */
  private static SimulatedMachine machine(Path dir, SplittableRandom random) {
    int cpus = 2 << random.nextInt(4);
    SimulatedMachine m = SimulatedMachine.create(dir, cpus, cpus * 2L * 1024 * 1024,
        String.format("%.2f", random.nextInt(cpus * 100) / 100.0));
    int sessions = 1 + random.nextInt(4);
    for (int s = 0; s < sessions; s++) {
      int pid = 1000 + s;
      m.process(pid, 1000 + s, "job-" + s);
      m.cgroup("user.slice/user-" + (1000 + s) + ".slice/session-" + s + ".scope",
          new SimulatedMachine.Counters(random.nextLong(1_000_000_000L), (64 + random.nextInt(4096)) * MIB,
              (4096 + random.nextInt(4096)) * MIB, random.nextLong(1L << 32), random.nextLong(1L << 32)), pid);
    }
    m.process(1, 0, "systemd");
    m.cgroup("system.slice/cron.service", new SimulatedMachine.Counters(1_000_000, 8 * MIB, 9 * MIB, 0, 0), 1);
    return m;
  }

  /** Makes the simulated sessions use CPU and I/O, once a second, until stopped. */
  private static Void work(List<SimulatedMachine> machines, SplittableRandom random, AtomicBoolean stopping)
      throws InterruptedException {
    while (!stopping.get()) {
      Thread.sleep(1000);
      for (SimulatedMachine m : machines) {
        for (String cgroup : m.cgroups()) {
          if (!cgroup.startsWith("user.slice/")) {
            continue;
          }
          SimulatedMachine.Counters c = m.counters(cgroup);
          m.cgroup(cgroup, new SimulatedMachine.Counters(c.usageUsec() + random.nextLong(2_500_000),
              c.memoryCurrent(), c.memoryPeak(), c.readBytes() + random.nextLong(64 * MIB),
              c.writeBytes() + random.nextLong(16 * MIB)));
        }
      }
    }
    return null;
  }

  /** Prints every result as it arrives; returns whether all matched, after {@code batches} sample results. */
  private static boolean print(EmbeddedKafka kafka, PlaintextSums plaintext, int batches, PrintStream out,
      AtomicBoolean stopping) throws IOException {
    boolean allMatch = true;
    int samples = 0;
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
        kafka.bootstrapServers(), "auto.offset.reset", "earliest"), new StringDeserializer(),
        new StringDeserializer())) {
      consumer.assign(List.of(new TopicPartition(CLUSTER + ".sample", 0),
          new TopicPartition(CLUSTER + ".sysinfo", 0)));
      while (!stopping.get() && (batches == 0 || samples < batches)) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          JsonNode v = JSON.readTree(r.value());
          String type = v.get("data_type").asText();
          allMatch &= printResult(r.topic(), type, v, plaintext, out);
          if (type.equals("sample")) {
            samples++;
          }
        }
      }
    }
    return allMatch;
  }

  private static boolean printResult(String topic, String type, JsonNode v, PlaintextSums plaintext,
      PrintStream out) {
    long start = v.get("batch_interval").get("start").asLong();
    long duration = v.get("batch_interval").get("duration").asLong();
    long reports = v.get("report_count").asLong();
    JsonNode aggregate = v.get("aggregate");
    long[] collected = new long[aggregate.size()];
    for (int i = 0; i < collected.length; i++) {
      collected[i] = aggregate.get(i).asLong();
    }
    MetricLayout layout = type.equals("sample") ? MetricLayout.SAMPLE : MetricLayout.SYSINFO;
    long[] expected = plaintext.sum(type, start).orElse(new long[collected.length]);
    long expectedReports = plaintext.count(type, start);
    out.printf("%s  batch [%s, +%d s)  %d reports%n", topic, Instant.ofEpochSecond(start), duration, reports);
    out.printf("  %-22s %14s %14s%n", "", "collected", "agents sent");
    for (int i = 0; i < collected.length; i++) {
      String name = i < layout.fields().size() ? layout.fields().get(i) : "element " + i;
      out.printf("  %-22s %14d %14d%s%n", name, collected[i], expected[i],
          collected[i] == expected[i] ? "" : "  <- differs");
    }
    boolean matches = Arrays.equals(collected, expected) && reports == expectedReports;
    out.printf("  %-22s %14d %14d%s%n%n", "reports", reports, expectedReports,
        reports == expectedReports ? "" : "  <- differs");
    out.flush();
    return matches;
  }

  private static void routeLogging(PrintStream log) {
    Logger root = LogManager.getLogManager().getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    StreamHandler handler = new StreamHandler(log, new SimpleFormatter()) {
      @Override
      public synchronized void publish(java.util.logging.LogRecord record) {
        super.publish(record);
        flush();
      }
    };
    handler.setLevel(Level.INFO);
    root.addHandler(handler);
    QUIET.forEach(l -> l.setLevel(Level.WARNING));
  }
}
