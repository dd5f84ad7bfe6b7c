package io.janus.fleetpipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {
  @TempDir
  Path dir;

  @Test
  void aRecordProducedIsConsumed() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), System.out);
        KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
            kafka.bootstrapServers()), new StringSerializer(), new StringSerializer());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
            kafka.bootstrapServers(), "auto.offset.reset", "earliest"), new StringDeserializer(),
            new StringDeserializer())) {
      producer.send(new ProducerRecord<>("t.sample", "k", "v")).get();
      consumer.assign(List.of(new TopicPartition("t.sample", 0)));
      List<ConsumerRecord<String, String>> got = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (got.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(got::add);
      }
      assertThat(got).singleElement().satisfies(r -> {
        assertThat(r.key()).isEqualTo("k");
        assertThat(r.value()).isEqualTo("v");
      });
    }
  }
}
