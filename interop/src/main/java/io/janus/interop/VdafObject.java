package io.janus.interop;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.janus.core.task.VdafInstance;

/**
 * The test API's VDAF object (draft-dcook-ppm-dap-interop-test-design-07 section 4.1.1): {@code type} names the
 * VDAF and its parameters are base-10 strings, e.g. {@code {"type":"Prio3SumVec","bits":"8","length":"4",
 * "chunk_length":"2"}}. Keys the VDAF does not use are ignored, as the draft lets new keys appear.
 */
public final class VdafObject {
  private VdafObject() {}

  /**
   * Maps a VDAF object to the task model's {@link VdafInstance}.
   *
   * @param vdaf the object's fields (for error messages named as in the request, e.g. {@code vdaf.bits})
   * @throws InteropRequestException for an unknown or unsupported {@code type} (Poplar1 among them) or a missing
   *     or malformed parameter
   */
  public static VdafInstance parse(JsonFields vdaf) {
    String type = vdaf.string("type");
    try {
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
        default -> throw new InteropRequestException("unsupported VDAF type \"" + type + "\" in field \""
            + vdaf.path("type") + "\"; supported: Prio3Count, Prio3Sum, Prio3SumVec, Prio3Histogram, "
            + "Prio3SumVecField64MultiproofHmacSha256Aes128");
      };
    } catch (IllegalArgumentException e) {
      // A combination the VDAF model refuses even though each field parsed.
      throw new InteropRequestException("invalid " + type + " parameters: " + e.getMessage());
    }
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
      // The interop test API (DAP-09) has no VDAF-18 parameterisations.
      case VdafInstance.Prio3SumMaxMeasurement s -> throw notInInteropApi(s);
      case VdafInstance.Prio3SumVecMaxMeasurement v -> throw notInInteropApi(v);
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

  private static int positive(JsonFields vdaf, String name) {
    return (int) vdaf.decimal(name, 1, Integer.MAX_VALUE);
  }
}
