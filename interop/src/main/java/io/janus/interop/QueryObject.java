package io.janus.interop;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.janus.messages.BatchId;
import io.janus.messages.DapDuration;
import io.janus.messages.Interval;
import io.janus.messages.Time;
import io.janus.messages.dap09.FixedSizeQuery;
import io.janus.messages.Query;
import io.janus.messages.dap09.QueryType;

/**
 * The test API's query type numbers and query object (draft-dcook-ppm-dap-interop-test-design-07 section 4.1.2):
 * query types are DAP-09's {@code QueryType} codes (1 time interval, 2 fixed size); a query is
 * {@code {"type":1,"batch_interval_start":s,"batch_interval_duration":d}} or
 * {@code {"type":2,"subtype":0|1,"batch_id":"<base64url>"}} (batch ID only for subtype 0, by batch ID).
 */
public final class QueryObject {
  private QueryObject() {}

  /**
   * Reads a query type number.
   *
   * @throws InteropRequestException if the field is missing, not a number, or not 1 or 2
   */
  public static QueryType queryType(JsonFields fields, String name) {
    long code = fields.number(name);
    return QueryType.fromCode((int) Math.min(code, Integer.MAX_VALUE)).orElseThrow(() ->
        new InteropRequestException("field \"" + fields.path(name) + "\" must be 1 (time interval) or 2 (fixed size),"
            + " got " + code));
  }

  /**
   * Maps a query object to a (version-neutral) {@link Query}.
   *
   * @throws InteropRequestException for an unknown type or subtype, a missing field, or an interval whose end
   *     overflows
   */
  public static Query parse(JsonFields query) {
    return switch (queryType(query, "type")) {
      case TIME_INTERVAL -> {
        long start = query.number("batch_interval_start");
        long duration = query.number("batch_interval_duration");
        try {
          yield new Query.TimeInterval(new Interval(new Time(start), new DapDuration(duration)));
        } catch (IllegalArgumentException e) {
          throw new InteropRequestException("invalid batch interval: " + e.getMessage());
        }
      }
      case FIXED_SIZE -> switch ((int) query.number("subtype", 0, 1)) {
        case 0 -> {
          byte[] id = query.base64Url("batch_id");
          if (id.length != BatchId.LENGTH) {
            throw new InteropRequestException("field \"" + query.path("batch_id") + "\" must encode "
                + BatchId.LENGTH + " bytes, got " + id.length);
          }
          yield new Query.FixedSizeByBatchId(new BatchId(id));
        }
        default -> new Query.FixedSizeCurrentBatch();
      };
    };
  }

  /** Renders {@code query} as the test API's query object, as a test runner sends it. */
  public static ObjectNode toJson(Query query) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    switch (query) {
      case Query.TimeInterval t -> o.put("type", QueryType.TIME_INTERVAL.code())
          .put("batch_interval_start", t.batchInterval().start().seconds())
          .put("batch_interval_duration", t.batchInterval().duration().seconds());
      case Query.FixedSizeByBatchId b -> o.put("type", QueryType.FIXED_SIZE.code()).put("subtype", 0)
          .put("batch_id", b.batchId().toBase64Url());
      case Query.FixedSizeCurrentBatch c -> o.put("type", QueryType.FIXED_SIZE.code()).put("subtype", 1);
    }
    return o;
  }
}
