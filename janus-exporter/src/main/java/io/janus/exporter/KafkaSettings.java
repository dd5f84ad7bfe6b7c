package io.janus.exporter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka client settings from {@code [kafka]}: the broker, compression, and security. TLS ({@code cert-file},
 * {@code key-file}, {@code ca-file}) uses Kafka's PEM support, so nothing is converted to a Java keystore; a
 * token adds SASL/PLAIN over that TLS with the cluster's name as the user.
 */
final class KafkaSettings {
  private KafkaSettings() {}

  /** Settings every client shares. */
  static Properties common(ExporterConfig.Kafka kafka, String cluster, String clientId) {
    Properties p = new Properties();
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.brokerAddress());
    p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
    kafka.tls().ifPresent(tls -> {
      p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, kafka.apiToken().isPresent() ? "SASL_SSL" : "SSL");
      p.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PEM");
      p.put(SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG, read(tls.cert()));
      p.put(SslConfigs.SSL_KEYSTORE_KEY_CONFIG, read(tls.key()));
      p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
      p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, tls.ca().toString());
    });
    kafka.apiToken().ifPresent(token -> {
      p.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
      p.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule required "
          + "username=\"" + jaasQuote(cluster) + "\" password=\"" + jaasQuote(token) + "\";");
    });
    return p;
  }

  /** A producer's settings: every record acknowledged by all in-sync replicas, bounded blocking. */
  static Properties producer(ExporterConfig.Kafka kafka, String cluster) {
    Properties p = common(kafka, cluster, "janus-exporter-" + cluster);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, kafka.compression());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    // A broker that is down must not block the daemon's loop past a poll: fail the send, keep the result.
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    return p;
  }

  /** The control consumer's settings: no group, so every exporter of the role sees every message. */
  static Properties consumer(ExporterConfig.Kafka kafka, String cluster) {
    Properties p = common(kafka, cluster, "janus-exporter-control-" + cluster);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "true");
    return p;
  }

  private static String read(java.nio.file.Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static String jaasQuote(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
