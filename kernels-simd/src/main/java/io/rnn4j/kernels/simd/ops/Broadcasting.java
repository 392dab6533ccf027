package io.rnn4j.kernels.simd.ops;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.scalar.ScalarMath;
import io.rnn4j.kernels.simd.platform.SimdConstants;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Two-tensor pointwise ops and broadcasting copies, NumPy rules (inputs already padded to out's
 * rank by {@code Device}).
 *
 * <p>The shapes are first reduced to a few dimensions ({@link BroadcastLayout}) so that the inner
 * loop runs over the longest contiguous stretch: along it each input is either contiguous (stride
 * 1) or one repeated value (stride 0), which gives three vector loops per op. Each op has its own
 * loops, not a switch inside one loop, so that C2 sees one constant operation per loop.
 */
public final class Broadcasting {
    private static final VectorSpecies<Float> S = SimdConstants.SPECIES;
    private static final int L = S.length();

    private Broadcasting() {
    }

    /** {@code out = op(a, b)}, broadcasting a and b to out's shape. */
    public static void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        float[] av = Heap.array(a);
        float[] bv = Heap.array(b);
        float[] ov = Heap.array(out);
        if (a.shape().equals(out.shape()) && b.shape().equals(out.shape())) {
            // Same shapes: one contiguous run, with no layout objects made (a streaming step's bias add).
            elementwise(op, av, Heap.offset(a), bv, Heap.offset(b), ov, Heap.offset(out), Math.toIntExact(out.size()));
            return;
        }
        BroadcastLayout layout = BroadcastLayout.of(out.shape().dims(), a.shape().dims(), b.shape().dims());
        int n = layout.inner();
        int sa = layout.innerStride(0);
        int sb = layout.innerStride(1);
        BroadcastLayout.Cursor at = layout.cursor(Heap.offset(a), Heap.offset(b));
        int oo = Heap.offset(out);
        for (long row = 0; row < layout.rows(); row++, oo += n, at.next()) {
            int ao = at.offset(0);
            int bo = at.offset(1);
            if (sa == 0 && sb == 0) {
                java.util.Arrays.fill(ov, oo, oo + n, ScalarMath.apply(op, av[ao], bv[bo]));
                continue;
            }
            switch (op) {
                case ADD -> add(av, ao, sa, bv, bo, sb, ov, oo, n);
                case SUB -> sub(av, ao, sa, bv, bo, sb, ov, oo, n);
                case MUL -> mul(av, ao, sa, bv, bo, sb, ov, oo, n);
                case DIV -> div(av, ao, sa, bv, bo, sb, ov, oo, n);
                case MAX -> max(av, ao, sa, bv, bo, sb, ov, oo, n);
                case MIN -> min(av, ao, sa, bv, bo, sb, ov, oo, n);
            }
        }
    }

    /** {@code out = op(a, b)} over n elements of each, all three contiguous (stride 1). */
    private static void elementwise(BinaryOp op, float[] av, int ao, float[] bv, int bo, float[] ov, int oo, int n) {
        switch (op) {
            case ADD -> add(av, ao, 1, bv, bo, 1, ov, oo, n);
            case SUB -> sub(av, ao, 1, bv, bo, 1, ov, oo, n);
            case MUL -> mul(av, ao, 1, bv, bo, 1, ov, oo, n);
            case DIV -> div(av, ao, 1, bv, bo, 1, ov, oo, n);
            case MAX -> max(av, ao, 1, bv, bo, 1, ov, oo, n);
            case MIN -> min(av, ao, 1, bv, bo, 1, ov, oo, n);
        }
    }

    /** {@code out = x} broadcast to out's shape. */
    public static void broadcast(Tensor x, Tensor out) {
        float[] xv = Heap.array(x);
        float[] ov = Heap.array(out);
        int[] dims = out.shape().dims();
        BroadcastLayout layout = BroadcastLayout.of(dims, x.shape().dims(), dims);
        int n = layout.inner();
        boolean contiguous = layout.innerStride(0) == 1;
        BroadcastLayout.Cursor at = layout.cursor(Heap.offset(x), 0);
        int oo = Heap.offset(out);
        for (long row = 0; row < layout.rows(); row++, oo += n, at.next()) {
            if (contiguous) {
                System.arraycopy(xv, at.offset(0), ov, oo, n);
            } else {
                java.util.Arrays.fill(ov, oo, oo + n, xv[at.offset(0)]);
            }
        }
    }

    // One method per op, each with a loop for every stride pair (both contiguous; b repeated; a
    // repeated) and a scalar tail.

    private static void add(float[] a, int ao, int sa, float[] b, int bo, int sb, float[] o, int oo, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        if (sa == 1 && sb == 1) {
            for (; i < bound; i += L) {
                FloatVector.fromArray(S, a, ao + i).add(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
            }
        } else if (sa == 1) {
            FloatVector bv = FloatVector.broadcast(S, b[bo]);
            for (; i < bound; i += L) {
                FloatVector.fromArray(S, a, ao + i).add(bv).intoArray(o, oo + i);
            }
        } else if (sb == 1) {
            FloatVector av = FloatVector.broadcast(S, a[ao]);
            for (; i < bound; i += L) {
                av.add(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
            }
        }
        for (; i < n; i++) {
            float x = a[ao + i * sa];
            float y = b[bo + i * sb];
            o[oo + i] = x + y;
        }
    }

    private static void sub(float[] a, int ao, int sa, float[] b, int bo, int sb, float[] o, int oo, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        if (sa == 1 && sb == 1) {
            for (; i < bound; i += L) {
                FloatVector.fromArray(S, a, ao + i).sub(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
            }
        } else if (sa == 1) {
            FloatVector bv = FloatVector.broadcast(S, b[bo]);
            for (; i < bound; i += L) {
                FloatVector.fromArray(S, a, ao + i).sub(bv).intoArray(o, oo + i);
            }
        } else if (sb == 1) {
            FloatVector av = FloatVector.broadcast(S, a[ao]);
            for (; i < bound; i += L) {
                av.sub(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
            }
        }
        for (; i < n; i++) {
            float x = a[ao + i * sa];
            float y = b[bo + i * sb];
            o[oo + i] = x - y;
        }
    }

    private static void mul(float[] a, int ao, int sa, float[] b, int bo, int sb, float[] o, int oo, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        if (sa == 1 && sb == 1) {
            for (; i < bound; i += L) {
                FloatVector.fromArray(S, a, ao + i).mul(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
            }
        } else if (sa == 1) {
            FloatVector bv = FloatVector.broadcast(S, b[bo]);
            for (; i < bound; i += L) {
                FloatVector.fromArray(S, a, ao + i).mul(bv).intoArray(o, oo + i);
            }
        } else if (sb == 1) {
            FloatVector av = FloatVector.broadcast(S, a[ao]);
            for (; i < bound; i += L) {
                av.mul(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
            }
        }
        for (; i < n; i++) {
            float x = a[ao + i * sa];
            float y = b[bo + i * sb];
            o[oo + i] = x * y;
        }
    }

    private static void div(float[] a, int ao, int sa, float[] b, int bo, int sb, float[] o, int oo, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        if (sa == 1 && sb == 1) {
            for (; i < bound; i += L) {
                FloatVector.fromArray(S, a, ao + i).div(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
            }
        } else if (sa == 1) {
            FloatVector bv = FloatVector.broadcast(S, b[bo]);
            for (; i < bound; i += L) {
                FloatVector.fromArray(S, a, ao + i).div(bv).intoArray(o, oo + i);
            }
        } else if (sb == 1) {
            FloatVector av = FloatVector.broadcast(S, a[ao]);
            for (; i < bound; i += L) {
                av.div(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
            }
        }
        for (; i < n; i++) {
            float x = a[ao + i * sa];
            float y = b[bo + i * sb];
            o[oo + i] = x / y;
        }
    }

    private static void max(float[] a, int ao, int sa, float[] b, int bo, int sb, float[] o, int oo, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        if (sa == 1 && sb == 1) {
            for (; i < bound; i += L) {
                FloatVector.fromArray(S, a, ao + i).max(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
            }
        } else if (sa == 1) {
            FloatVector bv = FloatVector.broadcast(S, b[bo]);
            for (; i < bound; i += L) {
                FloatVector.fromArray(S, a, ao + i).max(bv).intoArray(o, oo + i);
            }
        } else if (sb == 1) {
            FloatVector av = FloatVector.broadcast(S, a[ao]);
            for (; i < bound; i += L) {
                av.max(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
            }
        }
        for (; i < n; i++) {
            float x = a[ao + i * sa];
            float y = b[bo + i * sb];
            o[oo + i] = Math.max(x, y);
        }
    }

    private static void min(float[] a, int ao, int sa, float[] b, int bo, int sb, float[] o, int oo, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        if (sa == 1 && sb == 1) {
            for (; i < bound; i += L) {
                FloatVector.fromArray(S, a, ao + i).min(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
            }
        } else if (sa == 1) {
            FloatVector bv = FloatVector.broadcast(S, b[bo]);
            for (; i < bound; i += L) {
                FloatVector.fromArray(S, a, ao + i).min(bv).intoArray(o, oo + i);
            }
        } else if (sb == 1) {
            FloatVector av = FloatVector.broadcast(S, a[ao]);
            for (; i < bound; i += L) {
                av.min(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
            }
        }
        for (; i < n; i++) {
            float x = a[ao + i * sa];
            float y = b[bo + i * sb];
            o[oo + i] = Math.min(x, y);
        }
    }
}
