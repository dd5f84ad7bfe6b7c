package io.janus.interop;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.janus.core.task.DapVersion;
import io.janus.core.task.VdafInstance;

/**
 * The test API's VDAF object (draft-dcook-ppm-dap-interop-test-design-07 section 4.1.1): {@code type} names the
 * VDAF and its parameters are base-10 strings, e.g. {@code {"type":"Prio3SumVec","bits":"8","length":"4",
 * "chunk_length":"2"}}. Keys the VDAF does not use are ignored, as the draft lets new keys appear.
 *
 * <p>A DAP-18 request's object takes the form of Janus {@code main}'s interop binaries: Prio3Sum and Prio3SumVec
 * give {@code max_measurement} (the largest measurement, inclusive) instead of {@code bits}, and map to the VDAF-18
 * records. Giving {@code bits} in a DAP-18 request, or {@code max_measurement} in a DAP-09 one, is refused, since
 * the two mean different ranges; so is Janus's multiproof SumVec for DAP-18, which has no VDAF-18 form here.
 */
public final class VdafObject {
  private static final String SUPPORTED_09 = "Prio3Count, Prio3Sum, Prio3SumVec, Prio3Histogram, "
      + "Prio3SumVecField64MultiproofHmacSha256Aes128";
  private static final String SUPPORTED_18 = "Prio3Count, Prio3Sum, Prio3SumVec, Prio3Histogram";

  private VdafObject() {}

  /** Maps a DAP-09 request's VDAF object; the same as {@code parse(vdaf, DapVersion.DAP_09)}. */
  public static VdafInstance parse(JsonFields vdaf) {
    return parse(vdaf, DapVersion.DAP_09);
  }

  /**
   * Maps a VDAF object to the task model's {@link VdafInstance} for a request of {@code version}.
   *
   * @param vdaf the object's fields (for error messages named as in the request, e.g. {@code vdaf.bits})
   * @param version the request's DAP version (see {@link Dap18Fields#version})
   * @throws InteropRequestException for an unknown or unsupported {@code type} (Poplar1 among them), a missing
   *     or malformed parameter, or a parameter of the other version's form
   */
  public static VdafInstance parse(JsonFields vdaf, DapVersion version) {
    String type = vdaf.string("type");
    try {
      return switch (version) {
        case DAP_09 -> parse09(vdaf, type);
        case DAP_18 -> parse18(vdaf, type);
      };
    } catch (IllegalArgumentException e) {
      // A combination the VDAF model refuses even though each field parsed.
      throw new InteropRequestException("invalid " + type + " parameters: " + e.getMessage());
    }
  }

  private static VdafInstance parse09(JsonFields vdaf, String type) {
    if (vdaf.has("max_measurement")) {
      throw new InteropRequestException("field \"" + vdaf.path("max_measurement") + "\" is the DAP-18 form of a"
          + " VDAF parameter, but this is a DAP-09 request (no \"batch_mode\"); give \"bits\"");
    }
    return switch (type) {
      case "Prio3Count" -> new VdafInstance.Prio3Count();
      case "Prio3Sum" -> new VdafInstance.Prio3Sum(bits(vdaf));
      case "Prio3SumVec" -> new VdafInstance.Prio3SumVec(bits(vdaf), positive(vdaf, "length"),
          positive(vdaf, "chunk_length"));
      case "Prio3Histogram" -> new VdafInstance.Prio3Histogram(positive(vdaf, "length"),
          positive(vdaf, "chunk_length"));
      // Janus 0.7's interop binaries take this type with these keys (a Janus extension of the draft).
      case "Prio3SumVecField64MultiproofHmacSha256Aes128" ->
          new VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128((int) vdaf.decimal("proofs", 2, 255),
              bits(vdaf), positive(vdaf, "length"), positive(vdaf, "chunk_length"));
      default -> throw unsupported(vdaf, type, SUPPORTED_09);
    };
  }

  private static VdafInstance parse18(JsonFields vdaf, String type) {
    if (vdaf.has("bits")) {
      throw new InteropRequestException("field \"" + vdaf.path("bits") + "\" is the DAP-09 form of a VDAF"
          + " parameter, but this is a DAP-18 request (it carries \"batch_mode\"); give \"max_measurement\"");
    }
    return switch (type) {
      case "Prio3Count" -> new VdafInstance.Prio3Count();
      case "Prio3Sum" -> new VdafInstance.Prio3SumMaxMeasurement(maxMeasurement(vdaf));
      case "Prio3SumVec" -> new VdafInstance.Prio3SumVecMaxMeasurement(maxMeasurement(vdaf),
          positive(vdaf, "length"), positive(vdaf, "chunk_length"));
      case "Prio3Histogram" -> new VdafInstance.Prio3Histogram(positive(vdaf, "length"),
          positive(vdaf, "chunk_length"));
      case "Prio3SumVecField64MultiproofHmacSha256Aes128" -> throw new InteropRequestException("VDAF type \""
          + type + "\" in field \"" + vdaf.path("type") + "\" has no VDAF-18 form here, so a DAP-18 request"
          + " (it carries \"batch_mode\") cannot use it; it runs under DAP-09 only");
      default -> throw unsupported(vdaf, type, SUPPORTED_18);
    };
  }

  private static InteropRequestException unsupported(JsonFields vdaf, String type, String supported) {
    return new InteropRequestException("unsupported VDAF type \"" + type + "\" in field \"" + vdaf.path("type")
        + "\"; supported: " + supported);
  }

  /** Renders {@code vdaf} as the test API's VDAF object, as a test runner sends it. */
  public static ObjectNode toJson(VdafInstance vdaf) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    switch (vdaf) {
      case VdafInstance.Prio3Count c -> o.put("type", "Prio3Count");
      case VdafInstance.Prio3Sum s -> o.put("type", "Prio3Sum").put("bits", Integer.toString(s.bits()));
      case VdafInstance.Prio3SumVec v -> o.put("type", "Prio3SumVec").put("bits", Integer.toString(v.bits()))
          .put("length", Integer.toString(v.length())).put("chunk_length", Integer.toString(v.chunkLength()));
      case VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128 v ->
          o.put("type", "Prio3SumVecField64MultiproofHmacSha256Aes128").put("proofs", Integer.toString(v.proofs()))
              .put("bits", Integer.toString(v.bits())).put("length", Integer.toString(v.length()))
              .put("chunk_length", Integer.toString(v.chunkLength()));
      case VdafInstance.Prio3Histogram h -> o.put("type", "Prio3Histogram")
          .put("length", Integer.toString(h.length())).put("chunk_length", Integer.toString(h.chunkLength()));
      case VdafInstance.Prio3SumMaxMeasurement s -> o.put("type", "Prio3Sum")
          .put("max_measurement", Long.toString(s.maxMeasurement()));
      case VdafInstance.Prio3SumVecMaxMeasurement v -> o.put("type", "Prio3SumVec")
          .put("max_measurement", Long.toString(v.maxMeasurement())).put("length", Integer.toString(v.length()))
          .put("chunk_length", Integer.toString(v.chunkLength()));
      // Neither Janus's interop binaries nor the draft name this VDAF.
      case VdafInstance.Prio3MultihotCountVec v -> throw notInInteropApi(v);
    }
    return o;
  }

  private static IllegalArgumentException notInInteropApi(VdafInstance vdaf) {
    return new IllegalArgumentException("the interop test API has no VDAF object for " + vdaf.toJson());
  }

  private static int bits(JsonFields vdaf) {
    return (int) vdaf.decimal("bits", 1, 64);
  }

  private static long maxMeasurement(JsonFields vdaf) {
    return vdaf.decimal("max_measurement", 1, 1L << 62);
  }

  private static int positive(JsonFields vdaf, String name) {
    return (int) vdaf.decimal(name, 1, Integer.MAX_VALUE);
  }
}
