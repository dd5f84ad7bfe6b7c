package io.janus.messages.dap09;

import io.janus.messages.DecodeException;
import io.janus.messages.Encodable;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;

/**
 * A taskprov task's VDAF and its parameters, as Janus release/0.7 encodes them: {@code u32 vdaf_type} followed by
 * the type's parameters. Unknown type codes fail to decode: an aggregator cannot run a VDAF it does not know.
 */
public sealed interface VdafType extends Encodable
    permits VdafType.Prio3Count, VdafType.Prio3Sum, VdafType.Prio3SumVec,
        VdafType.Prio3SumVecField64MultiproofHmacSha256Aes128, VdafType.Prio3Histogram, VdafType.Poplar1 {
  /** Type code of {@link Prio3Count}. */
  long PRIO3_COUNT = 0x0000_0000L;
  /** Type code of {@link Prio3Sum}. */
  long PRIO3_SUM = 0x0000_0001L;
  /** Type code of {@link Prio3SumVec}. */
  long PRIO3_SUM_VEC = 0x0000_0002L;
  /** Type code of {@link Prio3Histogram}. */
  long PRIO3_HISTOGRAM = 0x0000_0003L;
  /** Type code of {@link Poplar1}. */
  long POPLAR1 = 0x0000_1000L;
  /** Type code of {@link Prio3SumVecField64MultiproofHmacSha256Aes128} (a private-use code Janus assigns). */
  long PRIO3_SUM_VEC_FIELD64_MULTIPROOF_HMAC_SHA256_AES128 = 0xFFFF_1003L;

  /** The u32 type code. */
  long typeCode();

  /** Prio3Count. */
  record Prio3Count() implements VdafType {
    @Override
    public long typeCode() {
      return PRIO3_COUNT;
    }

    @Override
    public void encode(WireWriter w) {
      w.u32(PRIO3_COUNT);
    }
  }

  /**
   * Prio3Sum.
   *
   * @param bits bit width of each measurement (u8)
   */
  record Prio3Sum(int bits) implements VdafType {
    /** Validates the range. */
    public Prio3Sum {
      Wire.checkU8(bits, "Prio3Sum.bits");
    }

    @Override
    public long typeCode() {
      return PRIO3_SUM;
    }

    @Override
    public void encode(WireWriter w) {
      w.u32(PRIO3_SUM).u8(bits);
    }
  }

  /**
   * Prio3SumVec.
   *
   * @param length vector length (u32)
   * @param bits bit width of each element (u8)
   * @param chunkLength FLP gadget chunk length (u32)
   */
  record Prio3SumVec(long length, int bits, long chunkLength) implements VdafType {
    /** Validates ranges. */
    public Prio3SumVec {
      Wire.checkU32(length, "Prio3SumVec.length");
      Wire.checkU8(bits, "Prio3SumVec.bits");
      Wire.checkU32(chunkLength, "Prio3SumVec.chunk_length");
    }

    @Override
    public long typeCode() {
      return PRIO3_SUM_VEC;
    }

    @Override
    public void encode(WireWriter w) {
      w.u32(PRIO3_SUM_VEC).u32(length).u8(bits).u32(chunkLength);
    }
  }

  /**
   * Prio3SumVec over Field64 with several proofs and HMAC-SHA256/AES-128 XOF (Janus-specific).
   *
   * @param length vector length (u32)
   * @param bits bit width of each element (u8)
   * @param chunkLength FLP gadget chunk length (u32)
   * @param proofs number of proofs (u8)
   */
  record Prio3SumVecField64MultiproofHmacSha256Aes128(long length, int bits, long chunkLength, int proofs)
      implements VdafType {
    /** Validates ranges. */
    public Prio3SumVecField64MultiproofHmacSha256Aes128 {
      Wire.checkU32(length, "length");
      Wire.checkU8(bits, "bits");
      Wire.checkU32(chunkLength, "chunk_length");
      Wire.checkU8(proofs, "proofs");
    }

    @Override
    public long typeCode() {
      return PRIO3_SUM_VEC_FIELD64_MULTIPROOF_HMAC_SHA256_AES128;
    }

    @Override
    public void encode(WireWriter w) {
      w.u32(PRIO3_SUM_VEC_FIELD64_MULTIPROOF_HMAC_SHA256_AES128).u32(length).u8(bits).u32(chunkLength).u8(proofs);
    }
  }

  /**
   * Prio3Histogram.
   *
   * @param length number of buckets (u32)
   * @param chunkLength FLP gadget chunk length (u32)
   */
  record Prio3Histogram(long length, long chunkLength) implements VdafType {
    /** Validates ranges. */
    public Prio3Histogram {
      Wire.checkU32(length, "Prio3Histogram.length");
      Wire.checkU32(chunkLength, "Prio3Histogram.chunk_length");
    }

    @Override
    public long typeCode() {
      return PRIO3_HISTOGRAM;
    }

    @Override
    public void encode(WireWriter w) {
      w.u32(PRIO3_HISTOGRAM).u32(length).u32(chunkLength);
    }
  }

  /**
   * Poplar1.
   *
   * @param bits bit length of each input (u16)
   */
  record Poplar1(int bits) implements VdafType {
    /** Validates the range. */
    public Poplar1 {
      Wire.checkU16(bits, "Poplar1.bits");
    }

    @Override
    public long typeCode() {
      return POPLAR1;
    }

    @Override
    public void encode(WireWriter w) {
      w.u32(POPLAR1).u16(bits);
    }
  }

  /** Reads a {@code VdafType}; fails on an unknown type code. */
  static VdafType decode(WireReader r) {
    int at = r.position();
    long code = r.u32("VdafType.vdaf_type");
    if (code == PRIO3_COUNT) {
      return new Prio3Count();
    } else if (code == PRIO3_SUM) {
      return new Prio3Sum(r.u8("Prio3Sum.bits"));
    } else if (code == PRIO3_SUM_VEC) {
      return new Prio3SumVec(r.u32("Prio3SumVec.length"), r.u8("Prio3SumVec.bits"), r.u32("Prio3SumVec.chunk_length"));
    } else if (code == PRIO3_SUM_VEC_FIELD64_MULTIPROOF_HMAC_SHA256_AES128) {
      return new Prio3SumVecField64MultiproofHmacSha256Aes128(r.u32("Prio3SumVecField64Multiproof.length"),
          r.u8("Prio3SumVecField64Multiproof.bits"), r.u32("Prio3SumVecField64Multiproof.chunk_length"),
          r.u8("Prio3SumVecField64Multiproof.proofs"));
    } else if (code == PRIO3_HISTOGRAM) {
      return new Prio3Histogram(r.u32("Prio3Histogram.length"), r.u32("Prio3Histogram.chunk_length"));
    } else if (code == POPLAR1) {
      return new Poplar1(r.u16("Poplar1.bits"));
    }
    throw new DecodeException(at, "VdafType.vdaf_type: unknown value 0x" + Long.toHexString(code));
  }

  /** Decodes exactly one value from {@code bytes}. */
  static VdafType decode(byte[] bytes) {
    return Wire.whole(bytes, "VdafType", VdafType::decode);
  }
}
