package io.janus.core.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A VDAF and its parameters, independent of any DAP draft's wire encoding.
 *
 * <p>The JSON form is stable and matches the one Janus stores: a parameterless VDAF is a bare string
 * ({@code "Prio3Count"}), the others an object with one key naming the VDAF
 * ({@code {"Prio3Sum":{"bits":8}}}). Field names are snake_case.
 *
 * <p>VDAF-08 (DAP-09) and VDAF-18 (DAP-18) parameterise Prio3Sum and Prio3SumVec differently: a bit length in
 * draft 08, an inclusive maximum in draft 18. Each parameterisation is its own record, told apart in JSON by its
 * fields as Janus main writes them ({@code {"Prio3Sum":{"max_measurement":255}}} is
 * {@link Prio3SumMaxMeasurement}). Which records a DAP version can run is {@link #runsUnder}: Count and
 * Histogram run under both; the bit-length records and the HMAC multiproof SumVec only under DAP-09; the
 * {@code max_measurement} records and {@link Prio3MultihotCountVec} only under DAP-18.
 */
public sealed interface VdafInstance
    permits VdafInstance.Prio3Count, VdafInstance.Prio3Sum, VdafInstance.Prio3SumVec,
        VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128, VdafInstance.Prio3Histogram,
        VdafInstance.Prio3SumMaxMeasurement, VdafInstance.Prio3SumVecMaxMeasurement,
        VdafInstance.Prio3MultihotCountVec {

  /** Prio3Count: each measurement is 0 or 1. */
  record Prio3Count() implements VdafInstance {}

  /**
   * Prio3Sum: each measurement is an integer in {@code [0, 2^bits)}.
   *
   * @param bits bit length of a measurement, 1 to 64
   */
  record Prio3Sum(int bits) implements VdafInstance {
    /** Validates the bit length. */
    public Prio3Sum {
      checkBits(bits);
    }
  }

  /**
   * Prio3SumVec: each measurement is a vector of {@code length} integers in {@code [0, 2^bits)}.
   *
   * @param bits bit length of each element, 1 to 64
   * @param length number of elements, at least 1
   * @param chunkLength gadget chunk length of the FLP, at least 1
   */
  record Prio3SumVec(int bits, int length, int chunkLength) implements VdafInstance {
    /** Validates the parameters. */
    public Prio3SumVec {
      checkBits(bits);
      checkPositive("length", length);
      checkPositive("chunk_length", chunkLength);
    }
  }

  /**
   * Janus's private-use Prio3SumVecField64MultiproofHmacSha256Aes128 (algorithm ID 0xFFFF1003): Prio3SumVec's
   * measurements over Field64, made sound again by {@code proofs} proofs, on libprio's XofHmacSha256Aes128 (32-byte
   * verify key). Janus 0.7 enables it by default; Daphne speaks it too.
   *
   * @param proofs number of proofs, 2 to 255 (one proof over Field64 is too weak, so Janus refuses it)
   * @param bits bit length of each element, 1 to 64
   * @param length number of elements, at least 1
   * @param chunkLength gadget chunk length of the FLP, at least 1
   */
  record Prio3SumVecField64MultiproofHmacSha256Aes128(int proofs, int bits, int length, int chunkLength)
      implements VdafInstance {
    /** Validates the parameters. */
    public Prio3SumVecField64MultiproofHmacSha256Aes128 {
      if (proofs < 2 || proofs > 255) {
        throw new IllegalArgumentException("proofs must be in 2..255, got " + proofs);
      }
      checkBits(bits);
      checkPositive("length", length);
      checkPositive("chunk_length", chunkLength);
    }
  }

  /**
   * Prio3Histogram: each measurement is a bucket index in {@code [0, length)}.
   *
   * @param length number of buckets, at least 1
   * @param chunkLength gadget chunk length of the FLP, at least 1
   */
  record Prio3Histogram(int length, int chunkLength) implements VdafInstance {
    /** Validates the parameters. */
    public Prio3Histogram {
      checkPositive("length", length);
      checkPositive("chunk_length", chunkLength);
    }
  }

  /**
   * VDAF-18 Prio3Sum: each measurement is an integer in {@code [0, maxMeasurement]}. JSON
   * {@code {"Prio3Sum":{"max_measurement":N}}}.
   *
   * @param maxMeasurement the largest measurement, 1 to 2^62
   */
  record Prio3SumMaxMeasurement(long maxMeasurement) implements VdafInstance {
    /** Validates the maximum. */
    public Prio3SumMaxMeasurement {
      checkMax("max_measurement", maxMeasurement);
    }
  }

  /**
   * VDAF-18 Prio3SumVec: each measurement is a vector of {@code length} integers in {@code [0, maxMeasurement]}.
   * JSON {@code {"Prio3SumVec":{"max_measurement":N,"length":L,"chunk_length":C}}}.
   *
   * @param maxMeasurement the largest value of each element, 1 to 2^62
   * @param length number of elements, at least 1
   * @param chunkLength gadget chunk length of the FLP, at least 1
   */
  record Prio3SumVecMaxMeasurement(long maxMeasurement, int length, int chunkLength) implements VdafInstance {
    /** Validates the parameters. */
    public Prio3SumVecMaxMeasurement {
      checkMax("max_measurement", maxMeasurement);
      checkPositive("length", length);
      checkPositive("chunk_length", chunkLength);
    }
  }

  /**
   * VDAF-18 Prio3MultihotCountVec: each measurement is a vector of {@code length} bits with at most
   * {@code maxWeight} ones. JSON {@code {"Prio3MultihotCountVec":{"length":L,"max_weight":W,"chunk_length":C}}}.
   *
   * @param length number of elements, at least 1
   * @param maxWeight the most ones a measurement may hold, 1 to {@code length}
   * @param chunkLength gadget chunk length of the FLP, at least 1
   */
  record Prio3MultihotCountVec(int length, int maxWeight, int chunkLength) implements VdafInstance {
    /** Validates the parameters. */
    public Prio3MultihotCountVec {
      checkPositive("length", length);
      checkPositive("chunk_length", chunkLength);
      if (maxWeight < 1 || maxWeight > length) {
        throw new IllegalArgumentException("max_weight must be in 1..length, got " + maxWeight);
      }
    }
  }

  /**
   * Whether a task of {@code version} can run this VDAF: Prio3Count and Prio3Histogram under both drafts; the
   * bit-length Prio3Sum and Prio3SumVec and the HMAC multiproof SumVec (VDAF-08) under DAP-09 only; the
   * {@code max_measurement} Prio3Sum and Prio3SumVec and Prio3MultihotCountVec (VDAF-18) under DAP-18 only.
   */
  default boolean runsUnder(DapVersion version) {
    return switch (this) {
      case Prio3Count c -> true;
      case Prio3Histogram h -> true;
      case Prio3Sum s -> version == DapVersion.DAP_09;
      case Prio3SumVec v -> version == DapVersion.DAP_09;
      case Prio3SumVecField64MultiproofHmacSha256Aes128 v -> version == DapVersion.DAP_09;
      case Prio3SumMaxMeasurement s -> version == DapVersion.DAP_18;
      case Prio3SumVecMaxMeasurement v -> version == DapVersion.DAP_18;
      case Prio3MultihotCountVec v -> version == DapVersion.DAP_18;
    };
  }

  /** The stable JSON form stored in {@code tasks.vdaf}. */
  default String toJson() {
    ObjectMapper m = VdafJson.MAPPER;
    return switch (this) {
      case Prio3Count c -> "\"Prio3Count\"";
      case Prio3Sum s -> wrap(m, "Prio3Sum", m.createObjectNode().put("bits", s.bits()));
      case Prio3SumVec v -> wrap(m, "Prio3SumVec",
          m.createObjectNode().put("bits", v.bits()).put("length", v.length()).put("chunk_length", v.chunkLength()));
      case Prio3SumVecField64MultiproofHmacSha256Aes128 v -> wrap(m, "Prio3SumVecField64MultiproofHmacSha256Aes128",
          m.createObjectNode().put("proofs", v.proofs()).put("bits", v.bits()).put("length", v.length())
              .put("chunk_length", v.chunkLength()));
      case Prio3Histogram h -> wrap(m, "Prio3Histogram",
          m.createObjectNode().put("length", h.length()).put("chunk_length", h.chunkLength()));
      case Prio3SumMaxMeasurement s -> wrap(m, "Prio3Sum",
          m.createObjectNode().put("max_measurement", s.maxMeasurement()));
      case Prio3SumVecMaxMeasurement v -> wrap(m, "Prio3SumVec", m.createObjectNode()
          .put("max_measurement", v.maxMeasurement()).put("length", v.length()).put("chunk_length", v.chunkLength()));
      case Prio3MultihotCountVec v -> wrap(m, "Prio3MultihotCountVec", m.createObjectNode()
          .put("length", v.length()).put("max_weight", v.maxWeight()).put("chunk_length", v.chunkLength()));
    };
  }

  /**
   * Parses the JSON form written by {@link #toJson()}.
   *
   * @throws IllegalArgumentException naming the problem if the text is not a known VDAF with valid parameters
   */
  static VdafInstance fromJson(String json) {
    JsonNode node;
    try {
      node = VdafJson.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("VDAF is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null) {
      throw new IllegalArgumentException("VDAF JSON is empty");
    }
    if (node.isTextual()) {
      if (node.textValue().equals("Prio3Count")) {
        return new Prio3Count();
      }
      throw new IllegalArgumentException("unknown VDAF " + node.textValue());
    }
    if (!node.isObject() || node.size() != 1) {
      throw new IllegalArgumentException("VDAF JSON must be a name or an object with one key, got " + json);
    }
    Map.Entry<String, JsonNode> e = node.properties().iterator().next();
    JsonNode p = e.getValue();
    return switch (e.getKey()) {
      case "Prio3Count" -> {
        fields(p, Set.of());
        yield new Prio3Count();
      }
      case "Prio3Sum" -> {
        if (p.has("max_measurement")) {
          fields(p, Set.of("max_measurement"));
          yield new Prio3SumMaxMeasurement(longField(p, "max_measurement"));
        }
        fields(p, Set.of("bits"));
        yield new Prio3Sum(intField(p, "bits"));
      }
      case "Prio3SumVec" -> {
        if (p.has("max_measurement")) {
          fields(p, Set.of("max_measurement", "length", "chunk_length"));
          yield new Prio3SumVecMaxMeasurement(longField(p, "max_measurement"), intField(p, "length"),
              intField(p, "chunk_length"));
        }
        fields(p, Set.of("bits", "length", "chunk_length"));
        yield new Prio3SumVec(intField(p, "bits"), intField(p, "length"), intField(p, "chunk_length"));
      }
      case "Prio3SumVecField64MultiproofHmacSha256Aes128" -> {
        fields(p, Set.of("proofs", "bits", "length", "chunk_length"));
        yield new Prio3SumVecField64MultiproofHmacSha256Aes128(intField(p, "proofs"), intField(p, "bits"),
            intField(p, "length"), intField(p, "chunk_length"));
      }
      case "Prio3Histogram" -> {
        fields(p, Set.of("length", "chunk_length"));
        yield new Prio3Histogram(intField(p, "length"), intField(p, "chunk_length"));
      }
      case "Prio3MultihotCountVec" -> {
        fields(p, Set.of("length", "max_weight", "chunk_length"));
        yield new Prio3MultihotCountVec(intField(p, "length"), intField(p, "max_weight"),
            intField(p, "chunk_length"));
      }
      default -> throw new IllegalArgumentException("unknown VDAF " + e.getKey());
    };
  }

  private static String wrap(ObjectMapper m, String name, ObjectNode params) {
    ObjectNode root = m.createObjectNode();
    root.set(name, params);
    return root.toString();
  }

  private static void fields(JsonNode params, Set<String> allowed) {
    if (!params.isObject()) {
      throw new IllegalArgumentException("VDAF parameters must be an object");
    }
    for (Iterator<String> it = params.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw new IllegalArgumentException("unknown VDAF parameter " + f);
      }
    }
    for (String f : allowed) {
      if (!params.has(f)) {
        throw new IllegalArgumentException("missing VDAF parameter " + f);
      }
    }
  }

  private static int intField(JsonNode params, String name) {
    JsonNode v = params.get(name);
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw new IllegalArgumentException("VDAF parameter " + name + " must be an integer, got " + v);
    }
    return v.intValue();
  }

  private static long longField(JsonNode params, String name) {
    JsonNode v = params.get(name);
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new IllegalArgumentException("VDAF parameter " + name + " must be an integer, got " + v);
    }
    return v.longValue();
  }

  /** VDAF-18's range-checked encodings take a maximum in [1, 2^62]. */
  private static void checkMax(String name, long max) {
    if (max < 1 || max > (1L << 62)) {
      throw new IllegalArgumentException(name + " must be in 1..2^62, got " + max);
    }
  }

  private static void checkBits(int bits) {
    if (bits < 1 || bits > 64) {
      throw new IllegalArgumentException("bits must be in 1..64, got " + bits);
    }
  }

  private static void checkPositive(String name, int v) {
    if (v < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + v);
    }
  }
}

