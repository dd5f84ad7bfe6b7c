package io.janus.fleetpipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.janus.agent.Agent;
import io.janus.agent.SimulatedMachine;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.core.task.DapVersion;
import io.janus.exporter.Exporter;
import io.janus.fleet.DaemonTimer;
import io.janus.fleet.ManualTimer;
import io.janus.fleet.MetricLayout;
import io.janus.messages.DapDuration;
import io.janus.quickstart.LocalDeployment;
import io.janus.quickstart.ProvisionedTask;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on real parts: two agents on simulated machines upload through the client library to a
 * Leader and a Helper (the real binaries, over HTTP, on embedded PostgreSQL), the exporter collects with the
 * collector library and publishes to a real Kafka broker (KRaft, in this JVM), and a consumer reads the result.
 * The agents' time is driven by hand, so what they sampled, and so the aggregate, is known exactly.
 */
class FleetPipelineTest {
  private static final long MIB = 1024 * 1024;
  private static final String CLUSTER = "testfleet";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;

  private static LocalDeployment deployment;
  private static EmbeddedKafka kafka;
  private static ProvisionedTask sampleTask;
  private static ProvisionedTask sysinfoTask;
  private static PrintStream log;

  @BeforeAll
  static void start() throws Exception {
    log = new PrintStream(java.nio.file.Files.newOutputStream(dir.resolve("pipeline.log")), true,
        StandardCharsets.UTF_8);
    deployment = LocalDeployment.start(dir.resolve("deployment"), log);
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), log);
    var collectorKey = LocalDeployment.collectorKeypair();
    var collectorToken = new AuthenticationToken(AuthenticationTokenType.BEARER, "fleet-collector-token");
    sampleTask = deployment.provisionTask(PipelineConfigs.SAMPLE_VDAF, DapDuration.ofSeconds(1), 1,
        DapVersion.DAP_09, collectorKey, collectorToken);
    sysinfoTask = deployment.provisionTask(PipelineConfigs.SYSINFO_VDAF, DapDuration.ofSeconds(1), 1,
        DapVersion.DAP_09, collectorKey, collectorToken);
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
    if (deployment != null) {
      deployment.close();
    }
    if (log != null) {
      log.close();
    }
  }

  @Test
  void agentsThroughTheAggregatorsAndTheExporterToKafkaSumExactly() throws Exception {
    ExecutorService threads = Executors.newCachedThreadPool();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
        kafka.bootstrapServers(), "auto.offset.reset", "earliest"), new StringDeserializer(),
        new StringDeserializer());
        KafkaProducer<String, String> control = new KafkaProducer<>(Map.of("bootstrap.servers",
            kafka.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
      // The window the agents sample into: 5 s long, starting at least a second from now, so the exporter (on the
      // system clock) starts before it and collects it 2 s after it ends.
      long window = ((System.currentTimeMillis() + 1000) / 5000 + 1) * 5000;

      ByteArrayOutputStream exporterDump = new ByteArrayOutputStream();
      ByteArrayOutputStream exporterLog = new ByteArrayOutputStream();
      Path exporterIni = PipelineConfigs.exporter(dir.resolve("exporter/exporter.ini"), CLUSTER,
          kafka.bootstrapServers(), sampleTask, sysinfoTask, "5s", Duration.ofSeconds(2), Duration.ofSeconds(1));
      Exporter exporter = Exporter.create(exporterIni, DaemonTimer.system(), new PrintStream(exporterLog, true),
          new PrintStream(exporterDump, true));
      Future<?> exporting = threads.submit(() -> {
        exporter.run();
        return null;
      });
      assertThat(exporter.awaitControlReady(Duration.ofSeconds(60))).isTrue();
      control.send(new ProducerRecord<>(CLUSTER + ".control.master", "dump", "true")).get();
      assertThat(exporter.awaitControlMessages(1, Duration.ofSeconds(30))).isTrue();
      assertThat(exporter.dumping()).isTrue();

      // Two machines, each with its own agent on a hand-driven clock half a second into the window.
      List<SimulatedMachine> machines = List.of(
          SimulatedMachine.standard(dir.resolve("machine-a")),
          SimulatedMachine.create(dir.resolve("machine-b"), 4, 8L * 1024 * 1024, "0.50")
              .process(10, 1000, "worker")
              .cgroup("user.slice/user-1000.slice/job.scope",
                  new SimulatedMachine.Counters(1_000_000, 1000L * MIB, 1500L * MIB, 0, 0), 10));
      List<ManualTimer> timers = new ArrayList<>();
      List<Agent> agents = new ArrayList<>();
      List<Future<?>> running = new ArrayList<>();
      for (SimulatedMachine m : machines) {
        ManualTimer timer = new ManualTimer(window + 500);
        Path ini = PipelineConfigs.agent(dir.resolve("agent-" + timers.size() + ".ini"), CLUSTER, sampleTask,
            sysinfoTask, m.hierarchy(), "1s", false);
        Agent agent = Agent.create(ini, timer, m.paths(), log, log);
        timers.add(timer);
        agents.add(agent);
        running.add(threads.submit(() -> {
          agent.run();
          return null;
        }));
      }
      // Three samples each, one second apart; between the first and the second, machine A's session uses 1.5
      // CPUs and reads 10 MiB, and machine B's job 0.2 CPU.
      for (ManualTimer t : timers) {
        t.step();
      }
      SimulatedMachine a = machines.get(0);
      String session = "user.slice/user-1000.slice/session-1.scope";
      var s = a.counters(session);
      a.cgroup(session, new SimulatedMachine.Counters(s.usageUsec() + 1_500_000, s.memoryCurrent(), s.memoryPeak(),
          s.readBytes() + 10 * MIB, s.writeBytes()));
      SimulatedMachine b = machines.get(1);
      String job = "user.slice/user-1000.slice/job.scope";
      var j = b.counters(job);
      b.cgroup(job, new SimulatedMachine.Counters(j.usageUsec() + 200_000, j.memoryCurrent(), j.memoryPeak(),
          j.readBytes(), j.writeBytes()));
      for (int tick = 0; tick < 2; tick++) {
        for (ManualTimer t : timers) {
          t.step();
        }
      }
      for (int i = 0; i < agents.size(); i++) {
        agents.get(i).stop();
        running.get(i).get(30, TimeUnit.SECONDS);
        assertThat(agents.get(i).rejected()).isZero();
      }
      // Machine A: 5 leaf cgroups (2 system ones excluded) and the host, 3 times, plus its facts at start-up.
      assertThat(agents.get(0).uploaded()).isEqualTo(3 * (3 + 1) + 1);
      assertThat(agents.get(1).uploaded()).isEqualTo(3 * (1 + 1) + 1);

      long[] sample = new long[MetricLayout.SAMPLE.length()];
      sample[MetricLayout.CGROUP_SAMPLES] = 3 * 3 + 3 * 1;
      // Tick 2: A's session at 150% of a CPU, A's other two at 0%, B's job at 20%; tick 3: all four at 0%.
      sample[MetricLayout.CPU_BUCKETS + MetricLayout.cpuBucket(0)] = 2 + 4;
      sample[MetricLayout.CPU_BUCKETS + MetricLayout.cpuBucket(150)] = 1;
      sample[MetricLayout.CPU_BUCKETS + MetricLayout.cpuBucket(20)] = 1;
      sample[MetricLayout.CPU_MS] = 1500 + 200;
      sample[MetricLayout.MEMORY_CURRENT] = 3 * (300 + 64 + 128 + 1000);
      sample[MetricLayout.MEMORY_PEAK] = 3 * (512 + 0 + 130 + 1500);
      sample[MetricLayout.IO_READ] = 10 * 1024;
      sample[MetricLayout.HOST_SAMPLES] = 3 * 2;
      sample[MetricLayout.LOAD1] = 3 * (125 + 50);
      long[] sysinfo = {2, 8 + 4, 16 * 1024 + 8 * 1024, 9 + 3};

      Map<String, JsonNode> byType = new HashMap<>();
      consumer.assign(List.of(new TopicPartition(CLUSTER + ".sample", 0),
          new TopicPartition(CLUSTER + ".sysinfo", 0)));
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (byType.size() < 2 && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          JsonNode v = JSON.readTree(r.value());
          assertThat(r.key()).isEqualTo(CLUSTER + "/" + v.get("task_id").asText());
          byType.put(v.get("data_type").asText(), v);
        }
      }
      assertThat(byType).containsOnlyKeys("sample", "sysinfo");
      JsonNode got = byType.get("sample");
      assertThat(got.get("task_id").asText()).isEqualTo(sampleTask.id().toBase64Url());
      assertThat(got.get("batch_interval").get("start").asLong()).isEqualTo(window / 1000);
      assertThat(got.get("batch_interval").get("duration").asLong()).isEqualTo(5);
      assertThat(got.get("report_count").asLong()).isEqualTo(3 * (3 + 1) + 3 * (1 + 1));
      assertThat(longs(got.get("aggregate"))).containsExactly(sample);
      assertThat(got.get("fields").get("memory_current_mib").asLong())
          .isEqualTo(sample[MetricLayout.MEMORY_CURRENT]);
      JsonNode facts = byType.get("sysinfo");
      assertThat(facts.get("report_count").asLong()).isEqualTo(2);
      assertThat(longs(facts.get("aggregate"))).containsExactly(sysinfo);
      assertThat(facts.get("fields").get("cpus").asLong()).isEqualTo(12);

      // dump true (sent above) printed what was published; an unknown key is logged and ignored; exit stops it.
      assertThat(exporterDump.toString(StandardCharsets.UTF_8))
          .contains("janus-exporter dump: " + CLUSTER + ".sample " + CLUSTER + "/" + sampleTask.id().toBase64Url())
          .contains("\"report_count\":" + (3 * 4 + 3 * 2));
      control.send(new ProducerRecord<>(CLUSTER + ".control.master", "reboot", "now")).get();
      control.send(new ProducerRecord<>(CLUSTER + ".control.master", "dump", "false")).get();
      assertThat(exporter.awaitControlMessages(3, Duration.ofSeconds(30))).isTrue();
      assertThat(exporter.dumping()).isFalse();
      assertThat(exporting).isNotDone();
      control.send(new ProducerRecord<>(CLUSTER + ".control.master", "exit", "")).get();
      exporting.get(60, TimeUnit.SECONDS);
      assertThat(exporterLog.toString(StandardCharsets.UTF_8))
          .contains("janus-exporter: control: dump true")
          .contains("janus-exporter: control: unknown key 'reboot'; ignored")
          .contains("janus-exporter: control: dump false")
          .contains("janus-exporter: control: exit")
          .contains("janus-exporter: stopped");
    } finally {
      threads.shutdownNow();
      assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static long[] longs(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asLong();
    }
    return out;
  }
}
