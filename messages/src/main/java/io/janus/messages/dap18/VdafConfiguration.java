package io.janus.messages.dap18;

import io.janus.messages.DecodeException;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Optional;

/**
 * A VDAF's configuration as draft-ietf-ppm-dap-18 appendix B encodes it into {@link TaskConfiguration}'s
 * {@code vdaf_type} and {@code vdaf_configuration}, for the VDAFs of draft-irtf-cfrg-vdaf (code points from its
 * registry: Prio3Count 1, Prio3Sum 2, Prio3SumVec 3, Prio3Histogram 4, Prio3MultihotCountVec 5, Poplar1 6).
 *
 * <p>Range checks that depend on the VDAF's field (for example {@code max_measurement} below the modulus) are the
 * VDAF's business, not the codec's. A VDAF outside this list still fits in a {@link TaskConfiguration}, as raw bytes.
 */
public sealed interface VdafConfiguration {
  /** VDAF code point of Prio3Count. */
  long PRIO3_COUNT = 0x00000001L;
  /** VDAF code point of Prio3Sum. */
  long PRIO3_SUM = 0x00000002L;
  /** VDAF code point of Prio3SumVec. */
  long PRIO3_SUM_VEC = 0x00000003L;
  /** VDAF code point of Prio3Histogram. */
  long PRIO3_HISTOGRAM = 0x00000004L;
  /** VDAF code point of Prio3MultihotCountVec. */
  long PRIO3_MULTIHOT_COUNT_VEC = 0x00000005L;
  /** VDAF code point of Poplar1. */
  long POPLAR1 = 0x00000006L;

  /** The u32 {@code vdaf_type} code point. */
  long vdafType();

  /** Appends the {@code vdaf_configuration} bytes (without their length prefix). */
  void encodeConfiguration(WireWriter w);

  /** The {@code vdaf_configuration} bytes. */
  default byte[] configuration() {
    WireWriter w = new WireWriter(16);
    encodeConfiguration(w);
    return w.toByteArray();
  }

  /** Prio3Count: {@code Empty} (appendix B.1). */
  record Prio3Count() implements VdafConfiguration {
    @Override
    public long vdafType() {
      return PRIO3_COUNT;
    }

    @Override
    public void encodeConfiguration(WireWriter w) {}
  }

  /**
   * Prio3Sum: {@code uint64 max_measurement} (appendix B.2).
   *
   * @param maxMeasurement the largest summand
   */
  record Prio3Sum(long maxMeasurement) implements VdafConfiguration {
    /** Rejects a negative value. */
    public Prio3Sum {
      Wire.checkNonNegative(maxMeasurement, "Prio3SumConfig.max_measurement");
    }

    @Override
    public long vdafType() {
      return PRIO3_SUM;
    }

    @Override
    public void encodeConfiguration(WireWriter w) {
      w.u64(maxMeasurement);
    }
  }

  /**
   * Prio3SumVec: {@code uint32 length; uint64 max_measurement; uint32 chunk_length} (appendix B.3).
   *
   * @param length the vector length
   * @param maxMeasurement the largest summand per entry
   * @param chunkLength the proof chunk size
   */
  record Prio3SumVec(long length, long maxMeasurement, long chunkLength) implements VdafConfiguration {
    /** Validates ranges. */
    public Prio3SumVec {
      Wire.checkU32(length, "Prio3SumVecConfig.length");
      Wire.checkNonNegative(maxMeasurement, "Prio3SumVecConfig.max_measurement");
      Wire.checkU32(chunkLength, "Prio3SumVecConfig.chunk_length");
    }

    @Override
    public long vdafType() {
      return PRIO3_SUM_VEC;
    }

    @Override
    public void encodeConfiguration(WireWriter w) {
      w.u32(length).u64(maxMeasurement).u32(chunkLength);
    }
  }

  /**
   * Prio3Histogram: {@code uint32 length; uint32 chunk_length} (appendix B.4).
   *
   * @param length the number of buckets
   * @param chunkLength the proof chunk size
   */
  record Prio3Histogram(long length, long chunkLength) implements VdafConfiguration {
    /** Validates ranges. */
    public Prio3Histogram {
      Wire.checkU32(length, "Prio3HistogramConfig.length");
      Wire.checkU32(chunkLength, "Prio3HistogramConfig.chunk_length");
    }

    @Override
    public long vdafType() {
      return PRIO3_HISTOGRAM;
    }

    @Override
    public void encodeConfiguration(WireWriter w) {
      w.u32(length).u32(chunkLength);
    }
  }

  /**
   * Prio3MultihotCountVec: {@code uint32 length; uint32 chunk_length; uint64 max_weight} (appendix B.5).
   *
   * @param length the vector length
   * @param chunkLength the proof chunk size
   * @param maxWeight the largest number of set entries
   */
  record Prio3MultihotCountVec(long length, long chunkLength, long maxWeight) implements VdafConfiguration {
    /** Validates ranges. */
    public Prio3MultihotCountVec {
      Wire.checkU32(length, "Prio3MultihotCountVecConfig.length");
      Wire.checkU32(chunkLength, "Prio3MultihotCountVecConfig.chunk_length");
      Wire.checkNonNegative(maxWeight, "Prio3MultihotCountVecConfig.max_weight");
    }

    @Override
    public long vdafType() {
      return PRIO3_MULTIHOT_COUNT_VEC;
    }

    @Override
    public void encodeConfiguration(WireWriter w) {
      w.u32(length).u32(chunkLength).u64(maxWeight);
    }
  }

  /**
   * Poplar1: {@code uint16 bits} (appendix B.6).
   *
   * @param bits the input length in bits
   */
  record Poplar1(int bits) implements VdafConfiguration {
    /** Validates the range. */
    public Poplar1 {
      Wire.checkU16(bits, "Poplar1Config.bits");
    }

    @Override
    public long vdafType() {
      return POPLAR1;
    }

    @Override
    public void encodeConfiguration(WireWriter w) {
      w.u16(bits);
    }
  }

  /**
   * Reads the configuration of the VDAF {@code vdafType} from exactly {@code configuration}.
   *
   * @return empty if {@code vdafType} is not one of the VDAFs above
   * @throws DecodeException if the bytes are not exactly that VDAF's configuration
   */
  static Optional<VdafConfiguration> decode(long vdafType, byte[] configuration) {
    WireReader r = WireReader.of(configuration);
    VdafConfiguration c;
    if (vdafType == PRIO3_COUNT) {
      c = new Prio3Count();
    } else if (vdafType == PRIO3_SUM) {
      c = new Prio3Sum(Wire.u64NonNegative(r, "Prio3SumConfig.max_measurement"));
    } else if (vdafType == PRIO3_SUM_VEC) {
      c = new Prio3SumVec(r.u32("Prio3SumVecConfig.length"),
          Wire.u64NonNegative(r, "Prio3SumVecConfig.max_measurement"), r.u32("Prio3SumVecConfig.chunk_length"));
    } else if (vdafType == PRIO3_HISTOGRAM) {
      c = new Prio3Histogram(r.u32("Prio3HistogramConfig.length"), r.u32("Prio3HistogramConfig.chunk_length"));
    } else if (vdafType == PRIO3_MULTIHOT_COUNT_VEC) {
      c = new Prio3MultihotCountVec(r.u32("Prio3MultihotCountVecConfig.length"),
          r.u32("Prio3MultihotCountVecConfig.chunk_length"),
          Wire.u64NonNegative(r, "Prio3MultihotCountVecConfig.max_weight"));
    } else if (vdafType == POPLAR1) {
      c = new Poplar1(r.u16("Poplar1Config.bits"));
    } else {
      return Optional.empty();
    }
    r.expectEnd("vdaf_configuration");
    return Optional.of(c);
  }
}
