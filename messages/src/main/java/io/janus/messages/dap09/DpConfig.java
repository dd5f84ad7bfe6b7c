package io.janus.messages.dap09;

import io.janus.messages.Encodable;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Objects;

/**
 * A taskprov task's differential-privacy configuration: its {@link DpMechanism}. It travels inside a u16-length
 * vector of {@link VdafConfig}, so decoding reads a whole byte string.
 *
 * @param dpMechanism the mechanism
 */
public record DpConfig(DpMechanism dpMechanism) implements Encodable {
  /** Rejects a null mechanism. */
  public DpConfig {
    Objects.requireNonNull(dpMechanism, "dpMechanism");
  }

  /** Reads the config from {@code r}, which must hold exactly the config's bytes. */
  public static DpConfig decode(WireReader r) {
    return new DpConfig(DpMechanism.decode(r));
  }

  /** Decodes exactly one value from {@code bytes}. */
  public static DpConfig decode(byte[] bytes) {
    return Wire.whole(bytes, "DpConfig", DpConfig::decode);
  }

  @Override
  public void encode(WireWriter w) {
    dpMechanism.encode(w);
  }
}
