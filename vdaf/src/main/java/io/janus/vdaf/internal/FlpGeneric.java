package io.janus.vdaf.internal;

import io.janus.vdaf.VdafException;

/**
 * The generic fully linear proof system of draft-irtf-cfrg-vdaf-08 section 7.3 (from [BBCGGI19], Theorem 4.3)
 * over a {@link Circuit}: {@link #prove}, {@link #query} and {@link #decide}; {@link #draft18} gives the
 * draft-irtf-cfrg-vdaf-18 variant.
 *
 * <p>For each gadget called {@code c} times, the wire values are interpolated over the P-th roots of unity
 * (P = next power of two of c + 1) by an inverse NTT; the gadget polynomial is obtained by evaluating the gadget
 * point-wise on a domain of N = next power of two of degree * (P - 1) + 1 roots of unity. Draft 08 sends that
 * polynomial as coefficients (interpolating back); draft 18 (section 6.1.3) sends its first degree * (P - 1) + 1
 * evaluations (Lagrange basis), so neither side needs an NTT to use it, and folds a multi-output circuit with
 * query randomness.
 *
 * <p>The verifier evaluates each wire polynomial (and, in draft 18, the gadget polynomial) at the query point t from
 * its values on the roots of unity, through the Lagrange basis at t. For domains of up to 1024 points (every gadget
 * of the usual instances) that basis is computed without a field inversion, as one inverse NTT of the powers of t;
 * larger domains use the barycentric form, with one inversion per query.
 *
 * <p>Immutable and thread-safe: the per-gadget constants are computed once in the constructor and only read after
 * that; every call allocates its own scratch space.
 */
public final class FlpGeneric {
  private final Circuit circuit;
  private final Field field;
  private final int[] wireLog;     // log2 P per gadget
  private final int[] polyLen;     // gadget polynomial length per gadget: degree * (P - 1) + 1
  private final int[] evalLog;     // log2 of the point-wise evaluation domain per gadget
  private final int proofLen;
  private final int verifierLen;
  /** Whether gadget polynomials travel as evaluations (draft 18) rather than coefficients (draft 08). */
  private final boolean lagrange;
  /**
   * Draft 18 only: per gadget, the (N - len) x len row-major matrix that extends the len transmitted evaluations to
   * all N; empty when len = N.
   */
  private final long[][] extension;
  /**
   * Per gadget whose evaluation domain is twice its wire domain (degree 2): w^i / P for i in [0, P), w the
   * primitive 2P-th root, which scales and shifts the wire coefficients onto the odd points; null otherwise.
   */
  private final long[][] cosetShift;
  /** Elements of the largest Lagrange basis a query needs (P, or N in draft 18), so one scratch array serves all. */
  private final int maxBasisLen;

  /**
   * Largest log2 of a domain whose Lagrange basis is computed as an NTT of the powers of t rather than with an
   * inversion. For P = 2^k the NTT way costs P - 1 + (P/2) k multiplications; the barycentric way costs one inversion
   * (about 175 Field128 multiplications, measured by {@code Field128Benchmark}) plus about 6P. The first is cheaper
   * up to k = 10 (6,143 against 6,319 at P = 1024) and dearer from k = 11.
   */
  static final int MAX_LOG_POWER_BASIS = 10;

  /** Creates the draft-08 FLP for {@code circuit}. */
  public FlpGeneric(Circuit circuit) {
    this(circuit, false);
  }

  /** Creates the draft-18 FLP for {@code circuit}: Lagrange-basis gadget polynomials, folded circuit outputs. */
  public static FlpGeneric draft18(Circuit circuit) {
    return new FlpGeneric(circuit, true);
  }

  private FlpGeneric(Circuit circuit, boolean lagrange) {
    this.lagrange = lagrange;
    this.circuit = circuit;
    this.field = circuit.field;
    int n = circuit.gadgets.length;
    wireLog = new int[n];
    polyLen = new int[n];
    evalLog = new int[n];
    for (int i = 0; i < n; i++) {
      int p = Integer.highestOneBit(circuit.calls[i]) << 1;
      wireLog[i] = Integer.numberOfTrailingZeros(p);
      polyLen[i] = circuit.gadgets[i].degree() * (p - 1) + 1;
      evalLog[i] = 32 - Integer.numberOfLeadingZeros(polyLen[i] - 1);
      if (evalLog[i] > Field.MAX_LOG_NTT) {
        throw new IllegalArgumentException("circuit too large for the NTT domain");
      }
    }
    proofLen = circuit.proofLen();
    verifierLen = circuit.verifierLen();
    if (!lagrange && circuit.evalOutputLen() != 1) {
      throw new IllegalArgumentException("draft-08 circuits have exactly one output");
    }
    extension = new long[n][];
    if (lagrange) {
      for (int g = 0; g < n; g++) {
        extension[g] = extensionMatrix(polyLen[g], evalLog[g]);
      }
    }
    cosetShift = new long[n][];
    int maxBasis = 1;
    for (int g = 0; g < n; g++) {
      if (evalLog[g] == wireLog[g] + 1) {
        cosetShift[g] = cosetShift(wireLog[g]);
      }
      maxBasis = Math.max(maxBasis, 1 << (lagrange ? evalLog[g] : wireLog[g]));
    }
    maxBasisLen = maxBasis;
  }

  /**
   * Returns the matrix taking the values of a polynomial of degree below m at W^0 .. W^(m-1) to its values at
   * W^m .. W^(N-1), W the primitive N-th root. With one value missing, the zero coefficient of x^(N-1) gives it
   * directly: v_(N-1) = -W * sum_i W^i v_i. Otherwise (gadgets of degree 3 and more) each row is the Lagrange
   * basis of the m known points at a missing point y, using prod_{j != i, j < N} (x_i - x_j) = N / x_i.
   */
  private long[] extensionMatrix(int m, int logN) {
    Field f = field;
    int n = 1 << logN;
    int missing = n - m;
    long[] w = f.zeros(n); // powers of W
    f.set(w, 0, 1);
    if (n > 1) {
      f.root(logN, false, w, 1);
    }
    for (int i = 2; i < n; i++) {
      f.mul(w, i - 1, w, 1, w, i);
    }
    long[] e = f.zeros(missing * m);
    if (missing == 1) {
      for (int i = 0; i < m; i++) {
        f.neg(w, (i + 1) & (n - 1), e, i);
      }
      return e;
    }
    long[] scale = f.zeros(m); // x_i * prod_{j >= m} (x_i - x_j) / N
    long[] t = f.zeros(2);
    f.invPow2(logN, t, 1);
    for (int i = 0; i < m; i++) {
      f.mul(w, i, t, 1, scale, i);
      for (int j = m; j < n; j++) {
        f.sub(w, i, w, j, t, 0);
        f.mul(scale, i, t, 0, scale, i);
      }
    }
    long[] ell = f.zeros(1);
    for (int k = 0; k < missing; k++) {
      int y = m + k;
      f.set(ell, 0, 1);
      for (int j = 0; j < m; j++) {
        f.sub(w, y, w, j, t, 0);
        f.mul(ell, 0, t, 0, ell, 0);
      }
      for (int i = 0; i < m; i++) {
        f.sub(w, y, w, i, t, 0);
        f.inv(t, 0, t, 0);
        f.mul(t, 0, ell, 0, t, 0);
        f.mul(t, 0, scale, i, e, k * m + i);
      }
    }
    return e;
  }

  /** Returns the circuit. */
  public Circuit circuit() {
    return circuit;
  }

  /** Returns the proof length in field elements. */
  public int proofLen() {
    return proofLen;
  }

  /** Returns the verifier length in field elements. */
  public int verifierLen() {
    return verifierLen;
  }

  /**
   * Generates a proof that {@code meas} is valid, writing {@link #proofLen()} elements to {@code proof} at
   * element offset {@code pOff}.
   */
  public void prove(long[] meas, long[] proveRand, int prOff, long[] jointRand, int jrOff, long[] proof, int pOff) {
    Circuit c = circuit;
    Field f = field;
    int ng = c.gadgets.length;
    long[][] wires = new long[ng][];
    int[] counters = new int[ng];
    int r = prOff;
    for (int g = 0; g < ng; g++) {
      int a = c.gadgets[g].arity();
      int p = 1 << wireLog[g];
      wires[g] = f.zeros(a * p);
      for (int j = 0; j < a; j++) {
        f.copy(proveRand, r++, wires[g], j * p);
      }
    }
    Circuit.GadgetOracle oracle = (g, in, inOff, out, oi) -> {
      int k = ++counters[g];
      int a = c.gadgets[g].arity();
      int p = 1 << wireLog[g];
      for (int j = 0; j < a; j++) {
        f.copy(in, inOff + j, wires[g], j * p + k);
      }
      c.gadgets[g].eval(f, in, inOff, out, oi);
    };
    long[] v = f.zeros(c.evalOutputLen());
    c.eval(meas, jointRand, jrOff, 1, oracle, v, 0);
    checkCalls(counters);

    int o = pOff;
    for (int g = 0; g < ng; g++) {
      Gadget gadget = c.gadgets[g];
      int a = gadget.arity();
      int logP = wireLog[g];
      int p = 1 << logP;
      int logN = evalLog[g];
      int n = 1 << logN;
      long[] evals = f.zeros(a * n);
      int limbs = f.limbs();
      long[] coeffs = f.zeros(p);
      long[] shift = cosetShift[g];
      for (int j = 0; j < a; j++) {
        f.copy(wires[g], j * p, proof, o++);
        if (shift != null) {
          // Degree-2 gadgets: the even points of the n-th roots are the P-th roots, where the wire values are
          // known; the odd points are the coset w * <a>, one size-P NTT of the coefficients scaled by w^i.
          System.arraycopy(wires[g], j * p * limbs, coeffs, 0, p * limbs);
          f.ntt(coeffs, 0, logP, true, false);
          for (int i = 0; i < p; i++) {
            f.mul(coeffs, i, shift, i, coeffs, i);
          }
          f.ntt(coeffs, 0, logP, false);
          for (int k = 0; k < p; k++) {
            f.copy(wires[g], j * p + k, evals, j * n + 2 * k);
            f.copy(coeffs, k, evals, j * n + 2 * k + 1);
          }
        } else {
          System.arraycopy(wires[g], j * p * limbs, evals, j * n * limbs, p * limbs);
          f.ntt(evals, j * n, logP, true);
          f.ntt(evals, j * n, logN, false);
        }
      }
      long[] point = f.zeros(a);
      long[] gadgetPoly = f.zeros(n);
      for (int k = 0; k < n; k++) {
        for (int j = 0; j < a; j++) {
          f.copy(evals, j * n + k, point, j);
        }
        gadget.eval(f, point, 0, gadgetPoly, k);
      }
      if (!lagrange) {
        f.ntt(gadgetPoly, 0, logN, true);
      }
      System.arraycopy(gadgetPoly, 0, proof, o * limbs, polyLen[g] * limbs);
      o += polyLen[g];
    }
  }

  /**
   * Returns w^i / P for i in [0, P), w the primitive 2P-th root: interpolation scale and coset shift in one.
   * Computed once per gadget by the constructor.
   */
  private long[] cosetShift(int logP) {
    Field f = field;
    int p = 1 << logP;
    long[] out = f.zeros(p);
    long[] w = f.zeros(1);
    f.root(logP + 1, false, w, 0);
    f.invPow2(logP, out, 0);
    for (int i = 1; i < p; i++) {
      f.mul(out, i - 1, w, 0, out, i);
    }
    return out;
  }

  /**
   * Computes this share's verifier message from a measurement share and proof share, writing
   * {@link #verifierLen()} elements to {@code verifier} at element offset {@code vOff}.
   *
   * @throws VdafException if a query randomness element is a degenerate point (a P-th root of unity)
   */
  public void query(
      long[] meas,
      long[] proof,
      int pOff,
      long[] queryRand,
      int qrOff,
      long[] jointRand,
      int jrOff,
      int numShares,
      long[] verifier,
      int vOff)
      throws VdafException {
    if (lagrange) {
      queryLagrange(meas, proof, pOff, queryRand, qrOff, jointRand, jrOff, numShares, verifier, vOff);
      return;
    }
    Circuit c = circuit;
    Field f = field;
    int ng = c.gadgets.length;
    long[][] wires = new long[ng][];
    long[][] values = new long[ng][];
    int[] polyOff = new int[ng];
    int[] counters = new int[ng];
    int o = pOff;
    for (int g = 0; g < ng; g++) {
      int a = c.gadgets[g].arity();
      int logP = wireLog[g];
      int p = 1 << logP;
      wires[g] = f.zeros(a * p);
      for (int j = 0; j < a; j++) {
        f.copy(proof, o++, wires[g], j * p);
      }
      polyOff[g] = o;
      // The gadget polynomial at the P-th roots of unity: reduce it mod x^P - 1, then one forward NTT.
      long[] folded = f.zeros(p);
      for (int i = 0; i < polyLen[g]; i++) {
        f.add(folded, i & (p - 1), proof, o + i, folded, i & (p - 1));
      }
      f.ntt(folded, 0, logP, false);
      values[g] = folded;
      o += polyLen[g];
    }
    Circuit.GadgetOracle oracle = (g, in, inOff, out, oi) -> {
      int k = ++counters[g];
      int a = c.gadgets[g].arity();
      int p = 1 << wireLog[g];
      for (int j = 0; j < a; j++) {
        f.copy(in, inOff + j, wires[g], j * p + k);
      }
      f.copy(values[g], k, out, oi);
    };
    c.eval(meas, jointRand, jrOff, numShares, oracle, verifier, vOff);
    checkCalls(counters);

    int w = vOff + 1;
    long[] tp = f.zeros(1);
    long[] basis = f.zeros(maxBasisLen);
    for (int g = 0; g < ng; g++) {
      int a = c.gadgets[g].arity();
      int logP = wireLog[g];
      int p = 1 << logP;
      int t = qrOff + g;
      f.pow(queryRand, t, p, tp, 0);
      if (f.isOne(tp, 0)) {
        // The point was used to build the gadget polynomial; querying it would leak a gadget output.
        throw new VdafException("degenerate query randomness");
      }
      // Each wire polynomial at t, straight from its values at the P-th roots of unity (Lagrange basis), which
      // costs P multiplications per wire instead of an inverse NTT and a Horner evaluation.
      lagrangeBasis(queryRand, t, tp, 0, logP, basis);
      long[] wg = wires[g];
      for (int j = 0; j < a; j++) {
        f.set(verifier, w, 0);
        for (int k = 0; k < p; k++) {
          f.mulAdd(wg, j * p + k, basis, k, verifier, w);
        }
        w++;
      }
      f.polyEval(proof, polyOff[g], polyLen[g], queryRand, t, verifier, w++);
    }
  }

  /** The draft-18 query (section 7.3.4): gadget outputs and checks straight from the transmitted evaluations. */
  private void queryLagrange(
      long[] meas,
      long[] proof,
      int pOff,
      long[] queryRand,
      int qrOff,
      long[] jointRand,
      int jrOff,
      int numShares,
      long[] verifier,
      int vOff)
      throws VdafException {
    Circuit c = circuit;
    Field f = field;
    int ng = c.gadgets.length;
    long[][] wires = new long[ng][];
    long[][] values = new long[ng][];
    int[] steps = new int[ng];
    int[] counters = new int[ng];
    int limbs = f.limbs();
    int o = pOff;
    for (int g = 0; g < ng; g++) {
      int a = c.gadgets[g].arity();
      int p = 1 << wireLog[g];
      int m = polyLen[g];
      int n = 1 << evalLog[g];
      wires[g] = f.zeros(a * p);
      for (int j = 0; j < a; j++) {
        f.copy(proof, o++, wires[g], j * p);
      }
      long[] v = f.zeros(n);
      System.arraycopy(proof, o * limbs, v, 0, m * limbs);
      long[] e = extension[g];
      for (int k = 0; k < n - m; k++) {
        for (int i = 0; i < m; i++) {
          f.mulAdd(e, k * m + i, v, i, v, m + k);
        }
      }
      values[g] = v;
      steps[g] = n / p; // call k's output is the value at W_P^k = W_N^(k * N / P)
      o += m;
    }
    Circuit.GadgetOracle oracle = (g, in, inOff, out, oi) -> {
      int k = ++counters[g];
      int a = c.gadgets[g].arity();
      int p = 1 << wireLog[g];
      for (int j = 0; j < a; j++) {
        f.copy(in, inOff + j, wires[g], j * p + k);
      }
      f.copy(values[g], k * steps[g], out, oi);
    };
    int outs = c.evalOutputLen();
    long[] out = f.zeros(outs);
    c.eval(meas, jointRand, jrOff, numShares, oracle, out, 0);
    checkCalls(counters);

    // Several outputs are folded into one with the first query randomness elements; the test points follow.
    int t = qrOff;
    if (outs > 1) {
      f.set(verifier, vOff, 0);
      for (int i = 0; i < outs; i++) {
        f.mulAdd(queryRand, qrOff + i, out, i, verifier, vOff);
      }
      t += outs;
    } else {
      f.copy(out, 0, verifier, vOff);
    }

    int w = vOff + 1;
    long[] tp = f.zeros(2); // [0] t^P, [1] t^N
    long[] basis = f.zeros(maxBasisLen);
    for (int g = 0; g < ng; g++, t++) {
      int a = c.gadgets[g].arity();
      int logP = wireLog[g];
      int p = 1 << logP;
      f.pow(queryRand, t, p, tp, 0);
      if (f.isOne(tp, 0)) {
        // The point was used to build the gadget polynomial; querying it would leak a gadget output.
        throw new VdafException("degenerate query randomness");
      }
      lagrangeBasis(queryRand, t, tp, 0, logP, basis);
      long[] wg = wires[g];
      for (int j = 0; j < a; j++) {
        f.set(verifier, w, 0);
        for (int k = 0; k < p; k++) {
          f.mulAdd(wg, j * p + k, basis, k, verifier, w);
        }
        w++;
      }
      int logN = evalLog[g];
      int n = 1 << logN;
      if (logN > MAX_LOG_POWER_BASIS) {
        f.pow(tp, 0, n / p, tp, 1); // only the barycentric form reads t^N
      }
      lagrangeBasis(queryRand, t, tp, 1, logN, basis);
      f.set(verifier, w, 0);
      for (int k = 0; k < n; k++) {
        f.mulAdd(values[g], k, basis, k, verifier, w);
      }
      w++;
    }
  }

  /**
   * Writes the Lagrange basis of the P-th roots of unity at x = xs[xi] into {@code out[0 .. P)}: by
   * {@link #powerBasis} for domains up to {@link #MAX_LOG_POWER_BASIS}, else by {@link #lagrangeAt}, which reads x^P
   * from xp[pi].
   */
  private void lagrangeBasis(long[] xs, int xi, long[] xp, int pi, int logP, long[] out) {
    if (logP <= MAX_LOG_POWER_BASIS) {
      powerBasis(xs, xi, logP, out);
    } else {
      long[] b = lagrangeAt(xs, xi, xp, pi, logP);
      System.arraycopy(b, 0, out, 0, b.length);
    }
  }

  /**
   * Writes the Lagrange basis of the P-th roots of unity at x = xs[xi] into {@code out[0 .. P)} without an
   * inversion. As polynomials, L_k(x) = (x^P - 1) a^k / (P (x - a^k)) = (1/P) sum_i x^i a^(-ik), a the primitive
   * P-th root; so the basis is the unscaled inverse NTT of (x^i / P)_i: P - 1 multiplications for the powers and
   * (P/2) log2 P for the transform. The identity holds for every x, a root of unity included (then the basis is a
   * unit vector).
   */
  void powerBasis(long[] xs, int xi, int logP, long[] out) {
    Field f = field;
    int p = 1 << logP;
    f.invPow2(logP, out, 0);
    for (int i = 1; i < p; i++) {
      f.mul(out, i - 1, xs, xi, out, i);
    }
    f.ntt(out, 0, logP, true, false);
  }

  /**
   * Returns the Lagrange basis of the P-th roots of unity at x = xs[xi], given x^P in xp[pi]:
   * L_k(x) = (x^P - 1) * a^k / (P * (x - a^k)) with a the primitive P-th root. Uses one field inversion. If x is
   * itself a P-th root a^k, the basis is the k-th unit vector.
   */
  long[] lagrangeAt(long[] xs, int xi, long[] xp, int pi, int logP) {
    Field f = field;
    int p = 1 << logP;
    long[] out = f.zeros(p);     // first x - a^k, then the basis
    long[] prefix = f.zeros(p);  // prefix products of (x - a^k)
    long[] s = f.zeros(4);       // [0] a (later a^-1), [1] a^k, [2] running scaled inverse, [3] temp
    f.root(logP, false, s, 0);
    f.set(s, 1, 1);
    for (int k = 0; k < p; k++) {
      f.sub(xs, xi, s, 1, out, k);
      if (f.isZero(out, k)) {
        long[] unit = f.zeros(p);
        f.set(unit, k, 1);
        return unit;
      }
      if (k == 0) {
        f.copy(out, 0, prefix, 0);
      } else {
        f.mul(prefix, k - 1, out, k, prefix, k);
      }
      f.mul(s, 1, s, 0, s, 1);
    }
    // s[2] = (x^P - 1) / (P * prod_k (x - a^k)); walking back turns it into each factor's share.
    f.inv(prefix, p - 1, s, 2);
    f.set(s, 3, 1);
    f.sub(xp, pi, s, 3, s, 3);
    f.mul(s, 2, s, 3, s, 2);
    f.invPow2(logP, s, 3);
    f.mul(s, 2, s, 3, s, 2);
    // Walk k from p - 1 down: a^k starts at a^(p-1) = a^-1 and steps by a^-1.
    f.root(logP, true, s, 0);
    f.copy(s, 0, s, 1);
    long[] d = f.zeros(1);
    for (int k = p - 1; k >= 0; k--) {
      f.copy(out, k, d, 0);
      if (k > 0) {
        f.mul(s, 2, prefix, k - 1, out, k); // scale / (x - a^k)
      } else {
        f.copy(s, 2, out, 0);
      }
      f.mul(out, k, s, 1, out, k);
      f.mul(s, 2, d, 0, s, 2);
      f.mul(s, 1, s, 0, s, 1);
    }
    return out;
  }

  /** Returns whether the (combined) verifier at element offset {@code vOff} accepts. */
  public boolean decide(long[] verifier, int vOff) {
    Field f = field;
    if (!f.isZero(verifier, vOff)) {
      return false;
    }
    long[] z = f.zeros(1);
    int w = vOff + 1;
    for (Gadget g : circuit.gadgets) {
      g.eval(f, verifier, w, z, 0);
      w += g.arity();
      if (!f.equal(z, 0, verifier, w)) {
        return false;
      }
      w++;
    }
    return true;
  }

  private void checkCalls(int[] counters) {
    for (int g = 0; g < counters.length; g++) {
      if (counters[g] != circuit.calls[g]) {
        throw new IllegalStateException("circuit made " + counters[g] + " calls to gadget " + g
            + ", expected " + circuit.calls[g]);
      }
    }
  }
}
