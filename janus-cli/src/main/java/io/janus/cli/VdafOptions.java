package io.janus.cli;

import io.janus.core.task.VdafInstance;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options naming a task's VDAF on the command line, as Janus's collect tool spells them: {@code --vdaf} plus
 * the parameters that VDAF takes ({@code --bits}, {@code --length}, {@code --chunk-length}, {@code --proofs}).
 */
final class VdafOptions {
  /** The VDAFs the client and collector support. */
  enum Kind {
    COUNT,
    SUM,
    SUMVEC,
    HISTOGRAM,
    /**
     * Prio3SumVecField64MultiproofHmacSha256Aes128, which Janus 0.7's collect tool lacks: spelled as its clap
     * enums would spell the variant (lower case, no separators).
     */
    SUMVECFIELD64MULTIPROOFHMACSHA256AES128,
    /** Prio3MultihotCountVec (VDAF-18, DAP-18 tasks only). */
    MULTIHOTCOUNTVEC
  }

  @Option(names = "--vdaf", required = true, paramLabel = "VDAF",
      description = "The task's VDAF: count, sum, sumvec, histogram, sumvecfield64multiproofhmacsha256aes128 "
          + "or multihotcountvec (all Prio3)")
  Kind kind;

  @Option(names = "--proofs", paramLabel = "N",
      description = "Number of proofs, at least 2 (sumvecfield64multiproofhmacsha256aes128)")
  Optional<Integer> proofs = Optional.empty();

  @Option(names = "--bits", paramLabel = "N",
      description = "Bit length of each value (sum, the sumvecs; DAP-09)")
  Optional<Integer> bits = Optional.empty();

  @Option(names = "--max-measurement", paramLabel = "N",
      description = "Largest value of a measurement or element (sum, sumvec; DAP-18, instead of --bits)")
  Optional<Long> maxMeasurement = Optional.empty();

  @Option(names = "--max-weight", paramLabel = "N",
      description = "Most elements set to 1 (multihotcountvec)")
  Optional<Integer> maxWeight = Optional.empty();

  @Option(names = "--length", paramLabel = "N",
      description = "Vector length (the sumvecs) or bucket count (histogram)")
  Optional<Integer> length = Optional.empty();

  @Option(names = "--chunk-length", paramLabel = "N",
      description = "FLP gadget chunk length (the sumvecs, histogram)")
  Optional<Integer> chunkLength = Optional.empty();

  /**
   * The VDAF the options name.
   *
   * @throws ParameterException if a needed parameter is missing, an unused one is given, or a value is out of range
   */
  VdafInstance instance(CommandSpec spec) {
    try {
      return switch (kind) {
        case COUNT -> {
          only(spec, false, false, false, false);
          yield new VdafInstance.Prio3Count();
        }
        case SUM -> {
          if (maxMeasurement.isPresent()) {
            only(spec, false, false, false, false, true, false);
            yield new VdafInstance.Prio3SumMaxMeasurement(maxMeasurement.get());
          }
          only(spec, true, false, false, false);
          yield new VdafInstance.Prio3Sum(bits.get());
        }
        case SUMVEC -> {
          if (maxMeasurement.isPresent()) {
            only(spec, false, true, true, false, true, false);
            yield new VdafInstance.Prio3SumVecMaxMeasurement(maxMeasurement.get(), length.get(), chunkLength.get());
          }
          only(spec, true, true, true, false);
          yield new VdafInstance.Prio3SumVec(bits.get(), length.get(), chunkLength.get());
        }
        case MULTIHOTCOUNTVEC -> {
          only(spec, false, true, true, false, false, true);
          yield new VdafInstance.Prio3MultihotCountVec(length.get(), maxWeight.get(), chunkLength.get());
        }
        case HISTOGRAM -> {
          only(spec, false, true, true, false);
          yield new VdafInstance.Prio3Histogram(length.get(), chunkLength.get());
        }
        case SUMVECFIELD64MULTIPROOFHMACSHA256AES128 -> {
          only(spec, true, true, true, true);
          yield new VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128(proofs.get(), bits.get(), length.get(),
              chunkLength.get());
        }
      };
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "invalid VDAF parameters: " + e.getMessage());
    }
  }

  private void only(CommandSpec spec, boolean needsBits, boolean needsLength, boolean needsChunk,
      boolean needsProofs) {
    only(spec, needsBits, needsLength, needsChunk, needsProofs, false, false);
  }

  private void only(CommandSpec spec, boolean needsBits, boolean needsLength, boolean needsChunk,
      boolean needsProofs, boolean needsMaxMeasurement, boolean needsMaxWeight) {
    check(spec, "--bits", needsBits, bits);
    check(spec, "--length", needsLength, length);
    check(spec, "--chunk-length", needsChunk, chunkLength);
    check(spec, "--proofs", needsProofs, proofs);
    check(spec, "--max-measurement", needsMaxMeasurement, maxMeasurement);
    check(spec, "--max-weight", needsMaxWeight, maxWeight);
  }

  private void check(CommandSpec spec, String option, boolean needed, Optional<?> value) {
    String vdaf = "--vdaf " + kind.name().toLowerCase(java.util.Locale.ROOT);
    if (needed && value.isEmpty()) {
      throw new ParameterException(spec.commandLine(), vdaf + " needs " + option);
    }
    if (!needed && value.isPresent()) {
      throw new ParameterException(spec.commandLine(), vdaf + " takes no " + option);
    }
  }
}
