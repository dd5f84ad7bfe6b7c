package io.janus.messages;

import java.util.List;

/** {@code HpkeConfig configs<1..2^16-1>}: the body of an HPKE configuration response. */
public record HpkeConfigList(List<HpkeConfig> configs) implements Encodable {
  /** Copies the list; it must not be empty. */
  public HpkeConfigList {
    configs = List.copyOf(configs);
    if (configs.isEmpty()) {
      throw new IllegalArgumentException("HpkeConfigList must not be empty");
    }
  }

  /** Decodes a whole body; fails on an empty list or trailing bytes. */
  public static HpkeConfigList decode(byte[] bytes) {
    WireReader r = WireReader.of(bytes);
    WireReader v = r.vector16("HpkeConfigList");
    r.expectEnd("HpkeConfigList");
    java.util.ArrayList<HpkeConfig> out = new java.util.ArrayList<>();
    while (!v.isEmpty()) {
      out.add(HpkeConfig.decode(v));
    }
    if (out.isEmpty()) {
      throw new DecodeException(0, "HpkeConfigList must not be empty");
    }
    return new HpkeConfigList(out);
  }

  @Override
  public void encode(WireWriter w) {
    int m = w.startVector16();
    for (HpkeConfig c : configs) {
      c.encode(w);
    }
    w.endVector16(m);
  }
}
