package io.janus.server.datastore;

import io.janus.server.datastore.model.ReportExtension;
import io.janus.core.task.QueryType;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.HpkeConfig;
import io.janus.messages.Interval;
import io.janus.messages.Time;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Conversions between model values and SQL parameters and columns, shared by the table classes. */
final class Sql {
  private Sql() {}

  /** The INT8RANGE text for a half-open interval of seconds; the empty interval becomes {@code empty}. */
  static String range(Interval i) {
    if (i.duration().seconds() == 0) {
      return "empty";
    }
    return "[" + i.start().seconds() + "," + i.end().seconds() + ")";
  }

  /** Parses an INT8RANGE column ({@code [a,b)} or {@code empty}; NULL is not allowed here). */
  static Interval interval(ResultSet rs, String column) throws SQLException {
    String s = rs.getString(column);
    if (s == null) {
      throw new DatastoreException("column " + column + " is unexpectedly NULL");
    }
    return parseRange(s);
  }

  /** Parses an INT8RANGE column that may be NULL. */
  static Optional<Interval> optionalInterval(ResultSet rs, String column) throws SQLException {
    String s = rs.getString(column);
    return s == null ? Optional.empty() : Optional.of(parseRange(s));
  }

  private static Interval parseRange(String s) {
    if (s.equals("empty")) {
      return Interval.EMPTY;
    }
    // PostgreSQL canonicalises discrete int8 ranges to [lower,upper).
    if (s.length() < 5 || s.charAt(0) != '[' || s.charAt(s.length() - 1) != ')') {
      throw new DatastoreException("unexpected int8range form: " + s);
    }
    int comma = s.indexOf(',');
    long lo = Long.parseLong(s.substring(1, comma));
    long hi = Long.parseLong(s.substring(comma + 1, s.length() - 1));
    return new Interval(new Time(lo), DapDuration.ofSeconds(hi - lo));
  }

  /** Sets a nullable BIGINT parameter. */
  static void setLong(PreparedStatement ps, int index, Optional<Long> v) throws SQLException {
    if (v.isPresent()) {
      ps.setLong(index, v.get());
    } else {
      ps.setNull(index, Types.BIGINT);
    }
  }

  /** Sets a nullable BYTEA parameter. */
  static void setBytes(PreparedStatement ps, int index, Optional<byte[]> v) throws SQLException {
    if (v.isPresent()) {
      ps.setBytes(index, v.get());
    } else {
      ps.setNull(index, Types.BINARY);
    }
  }

  /** Sets a nullable TEXT parameter. */
  static void setString(PreparedStatement ps, int index, Optional<String> v) throws SQLException {
    if (v.isPresent()) {
      ps.setString(index, v.get());
    } else {
      ps.setNull(index, Types.VARCHAR);
    }
  }

  /** Reads a nullable BIGINT column. */
  static Optional<Long> optionalLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(v);
  }

  /** Reads a nullable BYTEA column. */
  static Optional<byte[]> optionalBytes(ResultSet rs, String column) throws SQLException {
    return Optional.ofNullable(rs.getBytes(column));
  }

  /** Reads a BYTEA column that must not be NULL. */
  static byte[] bytes(ResultSet rs, String column) throws SQLException {
    byte[] b = rs.getBytes(column);
    if (b == null) {
      throw new DatastoreException("column " + column + " is unexpectedly NULL");
    }
    return b;
  }

  /** A lease expiry instant as a TIMESTAMPTZ parameter. */
  static OffsetDateTime timestamp(Instant i) {
    return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }

  /** Reads a TIMESTAMPTZ column as an instant. */
  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    if (t == null) {
      throw new DatastoreException("column " + column + " is unexpectedly NULL");
    }
    return t.toInstant();
  }

  /** Decodes an HpkeConfig column. */
  static HpkeConfig hpkeConfig(ResultSet rs, String column) throws SQLException {
    return HpkeConfig.decode(bytes(rs, column));
  }

  /** Decodes an HpkeCiphertext column. */
  static HpkeCiphertext hpkeCiphertext(ResultSet rs, String column) throws SQLException {
    return HpkeCiphertext.decode(bytes(rs, column));
  }

  /**
   * This project's storage encoding of a list of extensions: for each, u16 type then u16-length-prefixed data.
   * Not a DAP draft's encoding (no outer length prefix), so it does not change with the wire format.
   */
  static byte[] encodeExtensions(List<ReportExtension> extensions) {
    WireWriter w = new WireWriter();
    for (ReportExtension e : extensions) {
      w.u16(e.type()).opaque16(e.data());
    }
    return w.toByteArray();
  }

  /** Decodes {@link #encodeExtensions}; NULL means no extensions. */
  static List<ReportExtension> decodeExtensions(byte[] stored) {
    if (stored == null) {
      return List.of();
    }
    WireReader r = WireReader.of(stored);
    List<ReportExtension> out = new ArrayList<>();
    while (!r.isEmpty()) {
      int type = r.u16("extension_type");
      out.add(new ReportExtension(type, r.opaque16("extension_data")));
    }
    return List.copyOf(out);
  }

  /** Reads a task's query type from the {@code query_type}, {@code max_batch_size} and window columns. */
  static QueryType queryType(ResultSet rs) throws SQLException {
    String type = rs.getString("query_type");
    return switch (type) {
      case "TIME_INTERVAL" -> new QueryType.TimeInterval();
      case "FIXED_SIZE" -> {
        Optional<Long> max = optionalLong(rs, "max_batch_size");
        yield new QueryType.FixedSize(max.isPresent() ? OptionalLong.of(max.get()) : OptionalLong.empty(),
            optionalLong(rs, "batch_time_window_size").map(DapDuration::ofSeconds));
      }
      default -> throw new DatastoreException("unknown query_type " + type);
    };
  }
}
