package io.janus.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import io.janus.core.task.VdafInstance;

/**
 * The test API's encoding of measurements and aggregate results (draft-dcook-ppm-dap-interop-test-design-07
 * sections 4.2.2 and 4.4.4): base-10 strings, one for Prio3Count, Prio3Sum and Prio3Histogram (the bucket index)
 * measurements and for Count and Sum results, an array of them for the SumVecs' measurements (Prio3SumVec and
 * Janus's Prio3SumVecField64MultiproofHmacSha256Aes128) and for SumVec and Histogram results.
 */
public final class Measurement {
  private Measurement() {}

  /**
   * Reads field {@code name} of {@code fields} as a measurement of {@code vdaf}, in the client library's form: one
   * element, or one per vector entry for the SumVecs.
   *
   * @throws InteropRequestException if the field is missing, has the wrong shape or length, or holds something
   *     other than a base-10 integer in the VDAF's range
   */
  public static long[] parse(VdafInstance vdaf, JsonFields fields, String name) {
    return switch (vdaf) {
      case VdafInstance.Prio3Count c -> new long[] {fields.decimal(name, 0, 1)};
      case VdafInstance.Prio3Sum s -> new long[] {fields.decimal(name, 0, maxForBits(s.bits()))};
      case VdafInstance.Prio3Histogram h -> new long[] {fields.decimal(name, 0, h.length() - 1L)};
      case VdafInstance.Prio3SumVec v -> vector(fields, name, v.length(), v.bits());
      case VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128 v -> vector(fields, name, v.length(), v.bits());
      case VdafInstance.Prio3SumMaxMeasurement s -> new long[] {fields.decimal(name, 0, s.maxMeasurement())};
      case VdafInstance.Prio3SumVecMaxMeasurement v -> vector(fields, name, v.length(), v.maxMeasurement());
      case VdafInstance.Prio3MultihotCountVec v -> vector(fields, name, v.length(), 1L);
    };
  }

  private static long[] vector(JsonFields fields, String name, int length, int bits) {
    return vector(fields, name, length, maxForBits(bits));
  }

  private static long[] vector(JsonFields fields, String name, int length, long max) {
    String what = fields.path(name);
    JsonNode array = fields.required(name);
    if (!array.isArray()) {
      throw new InteropRequestException("field \"" + what + "\" must be an array of base-10 strings, got "
          + JsonFields.kind(array));
    }
    if (array.size() != length) {
      throw new InteropRequestException("field \"" + what + "\" must have " + length + " entries, got "
          + array.size());
    }
    long[] m = new long[array.size()];
    for (int i = 0; i < m.length; i++) {
      m[i] = JsonFields.decimalValue(what + "[" + i + "]", array.get(i), 0, max);
    }
    return m;
  }

  /**
   * Renders an aggregate result of {@code vdaf}: a string for Count and Sum, an array for SumVec and Histogram.
   * Elements are printed unsigned, as a sum may use all 64 bits.
   *
   * @throws IllegalArgumentException if a Count or Sum result does not have exactly one element
   */
  public static JsonNode resultToJson(VdafInstance vdaf, long[] result) {
    return switch (vdaf) {
      case VdafInstance.Prio3Count c -> scalar(result);
      case VdafInstance.Prio3Sum s -> scalar(result);
      case VdafInstance.Prio3SumVec v -> array(result);
      case VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128 v -> array(result);
      case VdafInstance.Prio3Histogram h -> array(result);
      case VdafInstance.Prio3SumMaxMeasurement s -> scalar(result);
      case VdafInstance.Prio3SumVecMaxMeasurement v -> array(result);
      case VdafInstance.Prio3MultihotCountVec v -> array(result);
    };
  }

  /** Renders a measurement of {@code vdaf} as a test runner sends it (the inverse of {@link #parse}). */
  public static JsonNode toJson(VdafInstance vdaf, long[] measurement) {
    return switch (vdaf) {
      case VdafInstance.Prio3SumVec v -> array(measurement);
      case VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128 v -> array(measurement);
      case VdafInstance.Prio3Count c -> scalar(measurement);
      case VdafInstance.Prio3Sum s -> scalar(measurement);
      case VdafInstance.Prio3Histogram h -> scalar(measurement);
      case VdafInstance.Prio3SumMaxMeasurement s -> scalar(measurement);
      case VdafInstance.Prio3SumVecMaxMeasurement v -> array(measurement);
      case VdafInstance.Prio3MultihotCountVec v -> array(measurement);
    };
  }

  private static JsonNode scalar(long[] values) {
    if (values.length != 1) {
      throw new IllegalArgumentException("expected one value, got " + values.length);
    }
    return TextNode.valueOf(Long.toUnsignedString(values[0]));
  }

  private static ArrayNode array(long[] values) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode(values.length);
    for (long v : values) {
      a.add(Long.toUnsignedString(v));
    }
    return a;
  }

  private static long maxForBits(int bits) {
    // Measurements travel as signed longs; a 64-bit VDAF still gets every value up to Long.MAX_VALUE.
    return bits >= 63 ? Long.MAX_VALUE : (1L << bits) - 1;
  }
}
