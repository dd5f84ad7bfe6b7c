package io.janus.messages.dap09;

import io.janus.messages.Encodable;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Objects;

/**
 * A taskprov task's VDAF configuration, as Janus release/0.7 encodes it:
 * {@code opaque dp_config<0..2^16-1>; VdafType vdaf_type}.
 *
 * @param dpConfig the differential-privacy configuration
 * @param vdafType the VDAF and its parameters
 */
public record VdafConfig(DpConfig dpConfig, VdafType vdafType) implements Encodable {
  /** Rejects null components. */
  public VdafConfig {
    Objects.requireNonNull(dpConfig, "dpConfig");
    Objects.requireNonNull(vdafType, "vdafType");
  }

  /** Reads a {@code VdafConfig}. */
  public static VdafConfig decode(WireReader r) {
    WireReader dp = r.vector16("VdafConfig.dp_config");
    DpConfig dpConfig = DpConfig.decode(dp);
    dp.expectEnd("VdafConfig.dp_config");
    return new VdafConfig(dpConfig, VdafType.decode(r));
  }

  /** Decodes exactly one value from {@code bytes}. */
  public static VdafConfig decode(byte[] bytes) {
    return Wire.whole(bytes, "VdafConfig", VdafConfig::decode);
  }

  @Override
  public void encode(WireWriter w) {
    int mark = w.startVector16();
    dpConfig.encode(w);
    w.endVector16(mark);
    vdafType.encode(w);
  }
}
