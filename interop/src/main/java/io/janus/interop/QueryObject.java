package io.janus.interop;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.janus.core.task.DapVersion;
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
 *
 * <p>For a DAP-18 task the number is the batch mode, as Janus {@code main}'s interop binaries read it:
 * {@code {"type":1,"batch_interval_start":s,"batch_interval_duration":d}} ({@code time_interval}) or
 * {@code {"type":2}} ({@code leader_selected}: the Leader picks the batch; a {@code subtype} of 1, current batch, is
 * accepted, and 0, by batch ID, refused, as draft 18 has no such query). The key may also be spelled
 * {@code batch_mode}, but not both ways at once.
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
   * Maps a query object for a task of {@code version} to a (version-neutral) {@link Query}; DAP-18's
   * {@code leader_selected} query is {@link Query.FixedSizeCurrentBatch}.
   *
   * @throws InteropRequestException for an unknown type, subtype or batch mode, a missing field, a query the
   *     version cannot express, or an interval whose end overflows
   */
  public static Query parse(JsonFields query, DapVersion version) {
    if (version == DapVersion.DAP_09) {
      if (query.has(Dap18Fields.BATCH_MODE)) {
        throw new InteropRequestException("field \"" + query.path(Dap18Fields.BATCH_MODE) + "\" is DAP-18's, but"
            + " the task was added as a DAP-09 task; give \"" + query.path("type") + "\"");
      }
      return parse(query);
    }
    String key = "type";
    if (query.has(Dap18Fields.BATCH_MODE)) {
      if (query.has("type")) {
        throw new InteropRequestException("query carries both \"" + query.path("type") + "\" and \""
            + query.path(Dap18Fields.BATCH_MODE) + "\"; give the batch mode once");
      }
      key = Dap18Fields.BATCH_MODE;
    }
    return switch (Dap18Fields.batchMode(query, key)) {
      case io.janus.core.task.QueryType.TimeInterval t -> timeInterval(query);
      case io.janus.core.task.QueryType.FixedSize f -> {
        if (query.has("subtype") && query.number("subtype") != 1) {
          throw new InteropRequestException("field \"" + query.path("subtype") + "\" must be 1 (current batch) or"
              + " left out: DAP-18's leader_selected batch mode has no query by batch ID, got "
              + query.number("subtype"));
        }
        yield new Query.FixedSizeCurrentBatch();
      }
    };
  }

  /**
   * Maps a DAP-09 query object to a (version-neutral) {@link Query}.
   *
   * @throws InteropRequestException for an unknown type or subtype, a missing field, or an interval whose end
   *     overflows
   */
  public static Query parse(JsonFields query) {
    return switch (queryType(query, "type")) {
      case TIME_INTERVAL -> timeInterval(query);
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

  private static Query timeInterval(JsonFields query) {
    long start = query.number("batch_interval_start");
    long duration = query.number("batch_interval_duration");
    try {
      return new Query.TimeInterval(new Interval(new Time(start), new DapDuration(duration)));
    } catch (IllegalArgumentException e) {
      throw new InteropRequestException("invalid batch interval: " + e.getMessage());
    }
  }

  /**
   * Renders {@code query} as the test API's query object, as a test runner sends it. The current-batch query is
   * {@code {"type":2,"subtype":1}}, which a DAP-18 task reads as {@code leader_selected} (Janus's runner sends the
   * same).
   */
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
