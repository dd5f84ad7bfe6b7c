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

  /** Reads {@code HpkeConfig configs<1..2^16-1>}; fails on an empty list. */
  public static HpkeConfigList decode(WireReader r) {
    int at = r.position();
    WireReader v = r.vector16("HpkeConfigList");
    java.util.ArrayList<HpkeConfig> out = new java.util.ArrayList<>();
    while (!v.isEmpty()) {
      out.add(HpkeConfig.decode(v));
    }
    if (out.isEmpty()) {
      throw new DecodeException(at, "HpkeConfigList must not be empty");
    }
    return new HpkeConfigList(out);
  }

  /** Decodes a whole body; fails on an empty list or trailing bytes. */
  public static HpkeConfigList decode(byte[] bytes) {
    WireReader r = WireReader.of(bytes);
    HpkeConfigList list = decode(r);
    r.expectEnd("HpkeConfigList");
    return list;
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
