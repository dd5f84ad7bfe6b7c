package io.janus.fleetpipeline;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Kafka broker in this JVM: one KRaft node acting as both controller and broker, on loopback ports, with
 * its log directory formatted afresh (as {@code kafka-storage.sh format} does) and topics created on first use.
 * Every replication factor is 1, since there is one node. {@link #close()} shuts it down and waits.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private final KafkaRaftServer server;
  private final String bootstrapServers;

  private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Formats {@code directory} and starts the broker; returns once it serves.
   *
   * @param directory the log directory; it should be empty or missing
   * @param log where formatting prints (the broker itself logs through SLF4J)
   * @throws IllegalStateException if it cannot be formatted or started
   */
  public static EmbeddedKafka start(Path directory, PrintStream log) {
    int[] ports = freePorts(2);
    String logDir = directory.toAbsolutePath().toString();
    String broker = "127.0.0.1:" + ports[0];
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + ports[1]);
    p.put("listeners", "PLAINTEXT://" + broker + ",CONTROLLER://127.0.0.1:" + ports[1]);
    p.put("advertised.listeners", "PLAINTEXT://" + broker);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", logDir);
    p.put("num.partitions", "1");
    p.put("auto.create.topics.enable", "true");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    try {
      Files.createDirectories(directory);
      new Formatter()
          .setPrintStream(log)
          .setNodeId(1)
          .setClusterId(Uuid.randomUuid().toString())
          .setDirectories(List.of(logDir))
          .setMetadataLogDirectory(logDir)
          .setControllerListenerName("CONTROLLER")
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .run();
      KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig((Map<?, ?>) p, false), Time.SYSTEM);
      server.startup();
      return new EmbeddedKafka(server, broker);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the embedded Kafka broker in " + directory + ": "
          + e.getMessage(), e);
    }
  }

  /** The broker's address, {@code 127.0.0.1:port}, for {@code bootstrap.servers} or {@code broker-address}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Shuts the broker down and waits until it has. */
  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }

  private static int[] freePorts(int n) {
    ServerSocket[] sockets = new ServerSocket[n];
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ports[i] = sockets[i].getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    } finally {
      for (ServerSocket s : sockets) {
        if (s != null) {
          try {
            s.close();
          } catch (IOException e) {
            // Nothing was sent on it; at worst the OS reclaims the port itself.
          }
        }
      }
    }
  }
}
