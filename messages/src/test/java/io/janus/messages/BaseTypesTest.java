package io.janus.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The version-neutral value types and the reader/writer primitives. */
class BaseTypesTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.toLowerCase());
  }

  @Test
  void idsRoundTripThroughBase64Url() {
    long seed = new SplittableRandom().nextLong();
    System.out.println("BaseTypesTest id seed: " + seed);
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = 0; i < 200; i++) {
      byte[] b32 = new byte[32];
      byte[] b16 = new byte[16];
      rng.nextBytes(b32);
      rng.nextBytes(b16);
      TaskId task = new TaskId(b32);
      assertThat(task.toBase64Url()).hasSize(43).doesNotContain("=", "+", "/");
      assertThat(TaskId.fromBase64Url(task.toBase64Url())).isEqualTo(task);
      assertThat(BatchId.fromBase64Url(new BatchId(b32).toBase64Url())).isEqualTo(new BatchId(b32));
      assertThat(ReportId.fromBase64Url(new ReportId(b16).toBase64Url())).isEqualTo(new ReportId(b16));
      assertThat(AggregationJobId.fromBase64Url(new AggregationJobId(b16).toBase64Url()))
          .isEqualTo(new AggregationJobId(b16));
      assertThat(CollectionJobId.fromBase64Url(new CollectionJobId(b16).toBase64Url()))
          .isEqualTo(new CollectionJobId(b16));
    }
    assertThat(TaskId.random(new SecureRandom())).isNotEqualTo(TaskId.random(new SecureRandom()));
  }

  @Test
  void idTextIsStrict() {
    String task = "A".repeat(43);
    assertThat(TaskId.fromBase64Url(task).bytes()).isEqualTo(new byte[32]);
    assertThatThrownBy(() -> TaskId.fromBase64Url(task + "=")).hasMessageContaining("padded");
    assertThatThrownBy(() -> TaskId.fromBase64Url("A".repeat(42))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TaskId.fromBase64Url("A".repeat(44))).hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> TaskId.fromBase64Url("+" + "A".repeat(42))).isInstanceOf(IllegalArgumentException.class);
    // 43 characters carry 258 bits; the last character's low 2 bits must be zero.
    assertThatThrownBy(() -> TaskId.fromBase64Url("A".repeat(42) + "B")).hasMessageContaining("canonical");
    assertThatThrownBy(() -> ReportId.fromBase64Url("A".repeat(43))).hasMessageContaining("16 bytes");
    assertThatThrownBy(() -> new ReportId(new byte[15])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BatchId(new byte[33])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void idsAreValuesAndCopyTheirBytes() {
    byte[] b = new byte[16];
    ReportId id = new ReportId(b);
    b[0] = 1;
    assertThat(id.bytes()[0]).isZero();
    id.bytes()[1] = 1;
    assertThat(id.bytes()[1]).isZero();
    assertThat(id).isNotEqualTo(new AggregationJobId(new byte[16]));
    assertThat(id.hashCode()).isEqualTo(new ReportId(new byte[16]).hashCode());
    assertThat(id.toString()).isEqualTo("ReportId(" + "00".repeat(16) + ")");
  }

  @Test
  void intervalMath() {
    Interval i = new Interval(new Time(100), DapDuration.ofSeconds(50));
    assertThat(i.end()).isEqualTo(new Time(150));
    assertThat(i.contains(new Time(100))).isTrue();
    assertThat(i.contains(new Time(149))).isTrue();
    assertThat(i.contains(new Time(150))).isFalse();
    assertThat(i.contains(new Time(99))).isFalse();
    assertThat(i.overlaps(new Interval(new Time(149), DapDuration.ofSeconds(1)))).isTrue();
    assertThat(i.overlaps(new Interval(new Time(150), DapDuration.ofSeconds(10)))).isFalse();
    assertThat(i.overlaps(new Interval(new Time(90), DapDuration.ofSeconds(10)))).isFalse();
    assertThat(i.mergedWith(new Time(200))).isEqualTo(new Interval(new Time(100), DapDuration.ofSeconds(101)));
    assertThat(i.mergedWith(new Time(120))).isEqualTo(i);
    assertThat(Interval.EMPTY.mergedWith(new Time(7))).isEqualTo(new Interval(new Time(7), DapDuration.ofSeconds(1)));
    assertThat(Interval.EMPTY.mergedWith(i)).isEqualTo(i);
    assertThat(i.mergedWith(Interval.EMPTY)).isEqualTo(i);
    assertThat(i.mergedWith(new Interval(new Time(10), DapDuration.ofSeconds(5))))
        .isEqualTo(new Interval(new Time(10), DapDuration.ofSeconds(140)));
    assertThatThrownBy(() -> new Interval(new Time(Long.MAX_VALUE), DapDuration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void timeMath() {
    assertThat(new Time(3601).truncateTo(DapDuration.ofSeconds(3600))).isEqualTo(new Time(3600));
    assertThat(new Time(3600).truncateTo(DapDuration.ofSeconds(3600))).isEqualTo(new Time(3600));
    assertThat(new Time(10).plus(DapDuration.ofSeconds(5))).isEqualTo(new Time(15));
    assertThat(new Time(10).minusSaturating(DapDuration.ofSeconds(50))).isEqualTo(new Time(0));
    assertThat(new Time(1).isBefore(new Time(2))).isTrue();
    assertThat(new Time(2).isAfter(new Time(1))).isTrue();
    assertThatThrownBy(() -> new Time(Long.MAX_VALUE).plus(DapDuration.ofSeconds(1)))
        .isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> new Time(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Time(5).truncateTo(DapDuration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DapDuration.ofSeconds(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void intervalCodecRejectsOverflowingEnd() {
    DecodeException e = catchThrowableOfType(DecodeException.class,
        () -> Interval.decode(WireReader.of(hex("7FFFFFFFFFFFFFFF" + "0000000000000001"))));
    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("Interval");
  }

  @Test
  void readerPrimitives() {
    WireReader r = WireReader.of(hex("01" + "0203" + "04050607" + "08090A0B0C0D0E0F"));
    assertThat(r.u8("a")).isEqualTo(1);
    assertThat(r.u16("b")).isEqualTo(0x0203);
    assertThat(r.u32("c")).isEqualTo(0x04050607L);
    assertThat(r.u64("d")).isEqualTo(0x08090A0B0C0D0E0FL);
    assertThat(r.isEmpty()).isTrue();
    r.expectEnd("all");
    assertThat(WireReader.of(hex("FFFFFFFF")).u32("x")).isEqualTo(0xFFFF_FFFFL);
    DecodeException e = catchThrowableOfType(DecodeException.class, () -> WireReader.of(hex("0001")).u32("field"));
    assertThat(e.getMessage()).contains("field").contains("needs 4");
    assertThat(e.offset()).isZero();
  }

  @Test
  void oversizedPrefixesFailBeforeAllocating() {
    // A 4 GiB claim on a 5-byte input must fail fast, not attempt the allocation.
    DecodeException e = catchThrowableOfType(DecodeException.class,
        () -> WireReader.of(hex("FFFFFFFF00")).opaque32("payload"));
    assertThat(e.getMessage()).contains("payload").contains("4294967295");
    assertThat(catchThrowableOfType(DecodeException.class, () -> WireReader.of(hex("FFFF00")).opaque16("x")))
        .isNotNull();
    assertThat(catchThrowableOfType(DecodeException.class, () -> WireReader.of(hex("02AA")).opaque8("x")))
        .isNotNull();
    assertThat(catchThrowableOfType(DecodeException.class, () -> WireReader.of(hex("80000000")).vector32("v")))
        .isNotNull();
  }

  @Test
  void subReadersReportAbsoluteOffsets() {
    WireReader r = WireReader.of(hex("AA" + "0003" + "010203" + "BB"));
    r.u8("lead");
    WireReader v = r.vector16("vec");
    assertThat(v.position()).isEqualTo(3);
    assertThat(v.remaining()).isEqualTo(3);
    v.u16("inner");
    DecodeException e = catchThrowableOfType(DecodeException.class, () -> v.expectEnd("vec"));
    assertThat(e.offset()).isEqualTo(5);
    assertThat(r.u8("tail")).isEqualTo(0xBB);
  }

  @Test
  void writerRangeChecksAndVectors() {
    WireWriter w = new WireWriter(1);
    int m = w.startVector16();
    w.u8(0xFF).u16(0xFFFF).u32(0xFFFF_FFFFL).u64(-1L);
    w.endVector16(m);
    assertThat(HexFormat.of().formatHex(w.toByteArray())).isEqualTo("000f" + "ff".repeat(15));
    assertThatThrownBy(() -> new WireWriter().u8(256)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WireWriter().u16(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WireWriter().u32(1L << 32)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WireWriter().opaque8(new byte[256])).isInstanceOf(IllegalArgumentException.class);
    WireWriter big = new WireWriter();
    int mark = big.startVector16();
    big.fixed(new byte[0x10000]);
    assertThatThrownBy(() -> big.endVector16(mark)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hpkeTypesRoundTripAndValidate() {
    HpkeConfig config = new HpkeConfig(7, HpkeAlgorithms.KEM_X25519_HKDF_SHA256, HpkeAlgorithms.KDF_HKDF_SHA256,
        HpkeAlgorithms.AEAD_AES_128_GCM, hex("0102"));
    byte[] expected = hex(
        "07" // id
            + "0020" // kem_id
            + "0001" // kdf_id
            + "0001" // aead_id
            + "0002" // public_key length
            + "0102"); // public_key
    assertThat(config.toBytes()).isEqualTo(expected);
    assertThat(HpkeConfig.decode(expected)).isEqualTo(config);
    HpkeConfigList list = new HpkeConfigList(List.of(config, config));
    assertThat(HpkeConfigList.decode(list.toBytes())).isEqualTo(list);
    assertThat(list.toBytes()).startsWith(0x00, 0x16); // two 11-byte configs
    assertThatThrownBy(() -> new HpkeConfigList(List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HpkeConfig(256, 0, 0, 0, hex("01"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HpkeConfig(1, 0, 0, 0, new byte[0])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HpkeCiphertext(1, new byte[0], hex("01")))
        .isInstanceOf(IllegalArgumentException.class);
    HpkeCiphertext ct = new HpkeCiphertext(1, hex("AA"), hex("BBCC"));
    assertThat(HpkeCiphertext.decode(ct.toBytes())).isEqualTo(ct);
    assertThat(catchThrowableOfType(DecodeException.class, () -> HpkeConfig.decode(hex("07002000010001" + "0000"))))
        .hasMessageContaining("public_key must not be empty");
  }

  @Test
  void urlIsAsciiAndNonEmpty() {
    Url url = new Url("https://example.com/");
    byte[] enc = url.toBytes();
    assertThat(enc).startsWith(0x00, 0x14);
    assertThat(Url.decode(WireReader.of(enc))).isEqualTo(url);
    assertThatThrownBy(() -> new Url("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Url("https://exämple.com/")).hasMessageContaining("ASCII");
  }

  @Test
  void rolesAndProblemTypes() {
    assertThat(Role.decode(WireReader.of(hex("03")))).isEqualTo(Role.HELPER);
    assertThat(catchThrowableOfType(DecodeException.class, () -> Role.decode(WireReader.of(hex("04")))))
        .hasMessageContaining("Role");
    assertThat(DapProblemType.INVALID_MESSAGE.urn()).isEqualTo("urn:ietf:params:ppm:dap:error:invalidMessage");
    assertThat(DapProblemType.fromUrn("urn:ietf:params:ppm:dap:error:missingTaskID"))
        .contains(DapProblemType.MISSING_TASK_ID);
    assertThat(DapProblemType.fromUrn("urn:ietf:params:ppm:dap:error:nope")).isEmpty();
  }
}
