package io.janus.exporter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.janus.collector.CollectionResult;
import io.janus.fleet.MetricLayout;
import io.janus.messages.Interval;
import io.janus.messages.TaskId;
import java.time.Instant;
import java.util.List;

/**
 * The Kafka record of one collected batch: key {@code <cluster>/<task ID>}, value a JSON object (see
 * docs/FLEET-METRICS.md) with the batch interval collected, the report count, the aggregate as an array and, named by the
 * data type's {@link MetricLayout}, as an object.
 */
final class ResultJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ResultJson() {}

  /** The record's key. */
  static String key(String cluster, TaskId task) {
    return cluster + "/" + task.toBase64Url();
  }

  /** The record's value. */
  static String value(String cluster, MetricLayout layout, TaskId task, Interval batch, CollectionResult result) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("cluster", cluster);
    o.put("data_type", layout.dataType());
    o.put("task_id", task.toBase64Url());
    long start = batch.start().seconds();
    long duration = batch.duration().seconds();
    ObjectNode interval = o.putObject("batch_interval");
    interval.put("start", start);
    interval.put("duration", duration);
    interval.put("start_utc", Instant.ofEpochSecond(start).toString());
    interval.put("end_utc", Instant.ofEpochSecond(start + duration).toString());
    o.put("report_count", result.reportCount());
    // The smallest interval (in the task's time precision) holding every aggregated report's time.
    ObjectNode reports = o.putObject("reports_interval");
    reports.put("start", result.interval().start().seconds());
    reports.put("duration", result.interval().duration().seconds());
    long[] aggregate = result.aggregateResult();
    ArrayNode array = o.putArray("aggregate");
    for (long v : aggregate) {
      array.add(v);
    }
    List<String> fields = layout.fields();
    if (fields.size() == aggregate.length) {
      ObjectNode named = o.putObject("fields");
      for (int i = 0; i < aggregate.length; i++) {
        named.put(fields.get(i), aggregate[i]);
      }
    }
    return o.toString();
  }
}
