package io.janus.vdaf.internal;

/**
 * The constants of draft-irtf-cfrg-vdaf-08 that reach the wire: the document version carried in every domain
 * separation tag and the Prio3 XOF usages (section 7.2). A later VDAF wire version gets its own class beside this
 * one; nothing else in the module hard-codes the version.
 */
public final class VdafDraft08 {
  /** The one-byte document version in domain separation tags. */
  public static final int VERSION = 8;
  /** Algorithm class of a VDAF (as opposed to a DAF) in the DST. */
  public static final int ALGORITHM_CLASS_VDAF = 0;

  /** XOF usage: expanding a helper's measurement share. */
  public static final int USAGE_MEAS_SHARE = 1;
  /** XOF usage: expanding a helper's proof share. */
  public static final int USAGE_PROOF_SHARE = 2;
  /** XOF usage: expanding the joint randomness from its seed. */
  public static final int USAGE_JOINT_RANDOMNESS = 3;
  /** XOF usage: expanding the prover randomness. */
  public static final int USAGE_PROVE_RANDOMNESS = 4;
  /** XOF usage: expanding the query randomness from the verify key. */
  public static final int USAGE_QUERY_RANDOMNESS = 5;
  /** XOF usage: deriving the joint randomness seed from its parts. */
  public static final int USAGE_JOINT_RAND_SEED = 6;
  /** XOF usage: deriving one aggregator's joint randomness part. */
  public static final int USAGE_JOINT_RAND_PART = 7;

  private VdafDraft08() {}

  /** Formats a draft-08 domain separation tag; see {@link Xof#formatDst}. */
  public static byte[] dst(int algorithmClass, int algorithmId, int usage) {
    return Xof.formatDst(VERSION, algorithmClass, algorithmId, usage);
  }
}
