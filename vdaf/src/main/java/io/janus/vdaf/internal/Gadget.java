package io.janus.vdaf.internal;

/**
 * A validity-circuit gadget of the generic FLP (draft-irtf-cfrg-vdaf-08 section 7.3.1): a function of
 * {@link #arity()} field elements with arithmetic degree {@link #degree()}.
 *
 * <p>Gadgets are evaluated point-wise only: the prover lifts them to polynomials by evaluating on an NTT domain
 * large enough for the output degree, which is exact for any gadget of the stated degree.
 */
public abstract sealed class Gadget permits Gadget.Mul, Gadget.Range2, Gadget.PolyEval, Gadget.ParallelSum {
  private final int arity;
  private final int degree;

  Gadget(int arity, int degree) {
    this.arity = arity;
    this.degree = degree;
  }

  /** Returns the number of inputs. */
  public final int arity() {
    return arity;
  }

  /** Returns the arithmetic degree. */
  public final int degree() {
    return degree;
  }

  /** Adds the gadget's value on inputs {@code in[inOff .. inOff+arity)} to {@code acc[ai]}. */
  abstract void evalAdd(Field f, long[] in, int inOff, long[] acc, int ai);

  /** Writes the gadget's value on inputs {@code in[inOff .. inOff+arity)} to {@code out[oi]}. */
  public final void eval(Field f, long[] in, int inOff, long[] out, int oi) {
    f.set(out, oi, 0);
    evalAdd(f, in, inOff, out, oi);
  }

  /** The product of two inputs. */
  public static final class Mul extends Gadget {
    /** Creates the gadget. */
    public Mul() {
      super(2, 2);
    }

    @Override
    void evalAdd(Field f, long[] in, int inOff, long[] acc, int ai) {
      f.mulAdd(in, inOff, in, inOff + 1, acc, ai);
    }
  }

  /** x^2 - x of one input: zero exactly on {0, 1}. */
  public static final class Range2 extends Gadget {
    /** Creates the gadget. */
    public Range2() {
      super(1, 2);
    }

    @Override
    void evalAdd(Field f, long[] in, int inOff, long[] acc, int ai) {
      f.mulAdd(in, inOff, in, inOff, acc, ai);
      f.sub(acc, ai, in, inOff, acc, ai);
    }
  }

  /**
   * A fixed polynomial of one input with small integer coefficients (draft-irtf-cfrg-vdaf-18 appendix A.2). Range2
   * is the degree-2 case; this general form exists for the draft's degree-3 test circuit, which exercises proofs
   * whose gadget polynomial needs more than one extra evaluation.
   */
  public static final class PolyEval extends Gadget {
    private final long[] coeffs; // field elements, constant term first

    /** Creates the gadget for sum_i c[i] * x^i over {@code f}; the leading coefficient must be non-zero. */
    public PolyEval(Field f, long... c) {
      super(1, degreeOf(c));
      coeffs = f.zeros(c.length);
      for (int i = 0; i < c.length; i++) {
        if (c[i] >= 0) {
          f.set(coeffs, i, c[i]);
        } else {
          f.set(coeffs, i, -c[i]);
          f.neg(coeffs, i, coeffs, i);
        }
      }
    }

    private static int degreeOf(long[] c) {
      if (c.length < 2 || c[c.length - 1] == 0 || c[c.length - 1] == Long.MIN_VALUE) {
        throw new IllegalArgumentException("polynomial must have degree at least 1 and a non-zero leading term");
      }
      return c.length - 1;
    }

    @Override
    void evalAdd(Field f, long[] in, int inOff, long[] acc, int ai) {
      // Horner's rule; this gadget only serves test circuits, so one scratch element per call is fine.
      long[] t = f.zeros(1);
      int d = degree();
      f.copy(coeffs, d, t, 0);
      for (int i = d - 1; i >= 0; i--) {
        f.mul(t, 0, in, inOff, t, 0);
        f.add(t, 0, coeffs, i, t, 0);
      }
      f.add(acc, ai, t, 0, acc, ai);
    }
  }

  /** The sum of {@code count} copies of a subcircuit on consecutive slices of the input. */
  public static final class ParallelSum extends Gadget {
    private final Gadget sub;
    private final int count;

    /** Creates the gadget summing {@code count} evaluations of {@code sub}. */
    public ParallelSum(Gadget sub, int count) {
      super(Math.multiplyExact(sub.arity(), count), sub.degree());
      this.sub = sub;
      this.count = count;
    }

    @Override
    void evalAdd(Field f, long[] in, int inOff, long[] acc, int ai) {
      int a = sub.arity();
      for (int i = 0; i < count; i++) {
        sub.evalAdd(f, in, inOff + i * a, acc, ai);
      }
    }
  }
}
