package io.rnn4j.kernels.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.ReduceOp;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every non-GEMM op of the CUDA backend against the scalar backend (the oracle) on awkward shapes:
 * sizes 1, around the block size (255, 256, 257), primes and large; float32 agreement to a few ulp
 * (the kernels use accurate float math, the oracle rounds double results once). Needs a GPU.
 */
class CudaOpsTest {
    private static final int[] SIZES = {1, 7, 255, 256, 257, 1009, 65_537, 1_000_003};

    private static Tensor on(Device d, float[] v, int... dims) {
        return d.tensor(v, dims);
    }

    private static float[] inputFor(UnaryOp op, SplittableRandom rnd, int n) {
        return switch (op) {
            case LOG, SQRT, RECIPROCAL -> Compare.uniform(rnd, n, 0.05, 4);
            case EXP, SOFTPLUS, ELU, SELU, SWISH -> Compare.uniform(rnd, n, -20, 20);
            default -> Compare.uniform(rnd, n, -6, 6);
        };
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void unaryAndItsDerivativeMatchTheScalarBackend(UnaryOp op) {
        Device cuda = CudaTestSupport.cuda();
        Device cpu = CudaTestSupport.scalar();
        SplittableRandom rnd = new SplittableRandom(Compare.seed("unary " + op));
        for (int n : SIZES) {
            float[] x = inputFor(op, rnd, n);
            float[] dy = Compare.uniform(rnd, n, -1, 1);
            Tensor gx = on(cuda, x, n);
            Tensor gout = cuda.zeros(n);
            cuda.unary(op, gx, gout);
            Tensor cx = on(cpu, x, n);
            Tensor cout = cpu.zeros(n);
            cpu.unary(op, cx, cout);
            Compare.close(op + " n=" + n, cout.toArray(), gout.toArray(), 1e-6, 4e-6);
            Tensor gdx = cuda.zeros(n);
            cuda.unaryBackward(op, gx, on(cuda, dy, n), gdx);
            Tensor cdx = cpu.zeros(n);
            cpu.unaryBackward(op, cx, on(cpu, dy, n), cdx);
            Compare.close(op + "' n=" + n, cdx.toArray(), gdx.toArray(), 1e-6, 4e-6);
            // In place: out may be x.
            cuda.unary(op, gx, gx);
            Compare.close(op + " in place n=" + n, cout.toArray(), gx.toArray(), 1e-6, 4e-6);
        }
    }

    @Test
    void affineAndFillAndCopyWorkOnViewsAtAnyOffset() {
        Device cuda = CudaTestSupport.cuda();
        SplittableRandom rnd = new SplittableRandom(Compare.seed("affine"));
        float[] x = Compare.uniform(rnd, 5 * 257, -3, 3);
        Tensor t = on(cuda, x, 5, 257);
        Tensor row = t.narrow(3, 1);  // offset 771 floats: not 16-byte aligned
        Tensor out = cuda.zeros(1, 257);
        cuda.affine(row, 2.5f, -1f, out);
        float[] expected = new float[257];
        for (int i = 0; i < 257; i++) {
            expected[i] = 2.5f * x[3 * 257 + i] - 1f;
        }
        // The kernel contracts alpha*x + beta into one FMA (one rounding instead of Java's two): the
        // results differ by up to half an ulp of alpha*x (|alpha*x| <= 7.5, ulp 4.8e-7).
        Compare.close("affine of a row view", expected, out.toArray(), 2.5e-7, 1.2e-7);
        cuda.fill(t.narrow(1, 2), 7.25f);
        float[] back = t.toArray();
        for (int i = 0; i < 5 * 257; i++) {
            float want = i >= 257 && i < 3 * 257 ? 7.25f : x[i];
            assertThat(back[i]).as("element %d after fill of rows 1..2", i).isEqualTo(want);
        }
        Tensor copy = cuda.zeros(2, 257);
        cuda.copy(t.narrow(3, 2), copy);
        float[] c = copy.toArray();
        for (int i = 0; i < 2 * 257; i++) {
            assertThat(c[i]).isEqualTo(x[3 * 257 + i]);
        }
        assertThat(t.get(4, 256)).isEqualTo(x[5 * 257 - 1]);
    }

    @Test
    void binaryOpsBroadcastLikeNumPy() {
        Device cuda = CudaTestSupport.cuda();
        Device cpu = CudaTestSupport.scalar();
        SplittableRandom rnd = new SplittableRandom(Compare.seed("binary"));
        int[][][] cases = {
            {{1000}, {1000}}, {{1}, {1}}, {{33, 257}, {1, 257}}, {{33, 257}, {33, 1}}, {{2, 1, 5}, {1, 3, 5}},
            {{4, 5, 6}, {6}}, {{7, 1}, {1, 9}}, {{3, 4, 5, 6}, {3, 1, 5, 1}}, {{1}, {300}}, {{2, 3, 1, 4}, {1}}};
        for (BinaryOp op : BinaryOp.values()) {
            for (int[][] c : cases) {
                int[] ad = c[0];
                int[] bd = c[1];
                Shape out = Device.broadcastShape("test", Shape.of(ad), Shape.of(bd));
                float[] a = Compare.uniform(rnd, (int) Shape.of(ad).size(), -3, 3);
                float[] b = op == BinaryOp.DIV ? Compare.uniform(rnd, (int) Shape.of(bd).size(), 0.5, 3)
                        : Compare.uniform(rnd, (int) Shape.of(bd).size(), -3, 3);
                Tensor g = cuda.zeros(out);
                cuda.binary(op, on(cuda, a, ad), on(cuda, b, bd), g);
                Tensor s = cpu.zeros(out);
                cpu.binary(op, on(cpu, a, ad), on(cpu, b, bd), s);
                Compare.close(op + " " + Shape.of(ad) + " with " + Shape.of(bd), s.toArray(), g.toArray(), 0, 1e-7);
            }
        }
    }

    @Test
    void maxAndMinPropagateNaNAsJavaDoes() {
        Device cuda = CudaTestSupport.cuda();
        Tensor a = on(cuda, new float[] {Float.NaN, 1f, 2f}, 3);
        Tensor b = on(cuda, new float[] {0f, Float.NaN, 1f}, 3);
        Tensor out = cuda.zeros(3);
        cuda.binary(BinaryOp.MAX, a, b, out);
        float[] r = out.toArray();
        assertThat(Float.isNaN(r[0]) && Float.isNaN(r[1])).as("NaN in either input gives NaN").isTrue();
        assertThat(r[2]).isEqualTo(2f);
    }

    @Test
    void broadcastCopiesAcrossSizeOneAxes() {
        Device cuda = CudaTestSupport.cuda();
        Device cpu = CudaTestSupport.scalar();
        SplittableRandom rnd = new SplittableRandom(Compare.seed("broadcast"));
        int[][][] cases = {{{1, 257}, {33, 257}}, {{5, 1}, {5, 7}}, {{1}, {1000}}, {{2, 1, 3}, {2, 4, 3}}};
        for (int[][] c : cases) {
            float[] x = Compare.uniform(rnd, (int) Shape.of(c[0]).size(), -1, 1);
            Tensor g = cuda.zeros(c[1]);
            cuda.broadcast(on(cuda, x, c[0]), g);
            Tensor s = cpu.zeros(c[1]);
            cpu.broadcast(on(cpu, x, c[0]), s);
            Compare.close("broadcast " + Shape.of(c[0]) + " to " + Shape.of(c[1]), s.toArray(), g.toArray(), 0, 0);
        }
    }

    @ParameterizedTest
    @EnumSource(ReduceOp.class)
    void reductionsAlongEveryAxisMatchTheScalarBackend(ReduceOp op) {
        Device cuda = CudaTestSupport.cuda();
        Device cpu = CudaTestSupport.scalar();
        SplittableRandom rnd = new SplittableRandom(Compare.seed("reduce " + op));
        int[][] shapes = {{1}, {3, 5, 7}, {1000, 3}, {3, 1000}, {70, 1}, {100, 33}, {1, 100_003}, {2, 3200, 257},
            {5000, 17}};
        for (int[] dims : shapes) {
            Shape shape = Shape.of(dims);
            float[] x = Compare.uniform(rnd, (int) shape.size(), -1, 1);
            for (int axis = 0; axis < dims.length; axis++) {
                Shape outShape = shape.with(axis, 1);
                Tensor g = cuda.zeros(outShape);
                cuda.reduce(op, on(cuda, x, dims), axis, g);
                Tensor s = cpu.zeros(outShape);
                cpu.reduce(op, on(cpu, x, dims), axis, s);
                Compare.close(op + " of " + shape + " along " + axis, s.toArray(), g.toArray(), 1e-6, 1e-6);
            }
        }
    }

    @Test
    void softmaxAndLogSoftmaxWithTheirGradientsAlongEveryAxis() {
        Device cuda = CudaTestSupport.cuda();
        Device cpu = CudaTestSupport.scalar();
        SplittableRandom rnd = new SplittableRandom(Compare.seed("softmax"));
        int[][] shapes = {{1}, {7}, {4, 1000}, {300, 3}, {3, 5, 7}, {2, 50_000}};
        for (int[] dims : shapes) {
            float[] x = Compare.uniform(rnd, (int) Shape.of(dims).size(), -8, 8);
            float[] dy = Compare.uniform(rnd, x.length, -1, 1);
            for (int axis = 0; axis < dims.length; axis++) {
                for (boolean log : new boolean[] {false, true}) {
                    String what = (log ? "log_softmax " : "softmax ") + Shape.of(dims) + " axis " + axis;
                    Tensor gy = cuda.zeros(dims);
                    cuda.softmax(on(cuda, x, dims), axis, log, gy);
                    Tensor sy = cpu.zeros(dims);
                    cpu.softmax(on(cpu, x, dims), axis, log, sy);
                    Compare.close(what, sy.toArray(), gy.toArray(), 1e-7, 2e-6);
                    Tensor gdx = cuda.zeros(dims);
                    cuda.softmaxBackward(sy.to(cuda), on(cuda, dy, dims), axis, log, gdx);
                    Tensor sdx = cpu.zeros(dims);
                    cpu.softmaxBackward(sy, on(cpu, dy, dims), axis, log, sdx);
                    Compare.close(what + " backward", sdx.toArray(), gdx.toArray(), 1e-6, 2e-6);
                }
            }
        }
    }

    @Test
    void gatherAndScatterAddWithRepeatedIndices() {
        Device cuda = CudaTestSupport.cuda();
        Device cpu = CudaTestSupport.scalar();
        SplittableRandom rnd = new SplittableRandom(Compare.seed("gather"));
        for (int cols : new int[] {1, 3, 64, 257}) {
            int rows = 50;
            float[] table = Compare.uniform(rnd, rows * cols, -1, 1);
            float[] idx = new float[7 * 13];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = rnd.nextInt(i < 20 ? 3 : rows);  // early indices repeat a lot
            }
            Tensor g = cuda.zeros(7, 13, cols);
            cuda.gather(on(cuda, table, rows, cols), on(cuda, idx, 7, 13), g);
            Tensor s = cpu.zeros(7, 13, cols);
            cpu.gather(on(cpu, table, rows, cols), on(cpu, idx, 7, 13), s);
            Compare.close("gather cols " + cols, s.toArray(), g.toArray(), 0, 0);
            float[] src = Compare.uniform(rnd, idx.length * cols, -1, 1);
            Tensor gt = on(cuda, table, rows, cols);
            cuda.scatterAdd(on(cuda, src, idx.length, cols), on(cuda, idx, idx.length), gt);
            Tensor st = on(cpu, table, rows, cols);
            cpu.scatterAdd(on(cpu, src, idx.length, cols), on(cpu, idx, idx.length), st);
            // Atomic adds in another order: a few ulp of the accumulated rows.
            Compare.close("scatter_add cols " + cols, st.toArray(), gt.toArray(), 1e-5, 1e-5);
        }
    }

    @Test
    void concatSplitAndReverseAlongEveryAxis() {
        Device cuda = CudaTestSupport.cuda();
        Device cpu = CudaTestSupport.scalar();
        SplittableRandom rnd = new SplittableRandom(Compare.seed("concat"));
        int[] base = {3, 5, 7};
        for (int axis = 0; axis < 3; axis++) {
            int[] d1 = base.clone();
            int[] d2 = base.clone();
            d2[axis] = 2;
            int[] od = base.clone();
            od[axis] = base[axis] + 2;
            float[] a = Compare.uniform(rnd, (int) Shape.of(d1).size(), -1, 1);
            float[] b = Compare.uniform(rnd, (int) Shape.of(d2).size(), -1, 1);
            Tensor g = cuda.zeros(od);
            cuda.concat(new Tensor[] {on(cuda, a, d1), on(cuda, b, d2)}, axis, g);
            Tensor s = cpu.zeros(od);
            cpu.concat(new Tensor[] {on(cpu, a, d1), on(cpu, b, d2)}, axis, s);
            Compare.close("concat axis " + axis, s.toArray(), g.toArray(), 0, 0);
            Tensor p1 = cuda.zeros(d1);
            Tensor p2 = cuda.zeros(d2);
            cuda.split(g, axis, new Tensor[] {p1, p2});
            Compare.close("split axis " + axis + " part 0", a, p1.toArray(), 0, 0);
            Compare.close("split axis " + axis + " part 1", b, p2.toArray(), 0, 0);
            Tensor gr = cuda.zeros(od);
            cuda.reverse(g, axis, gr);
            Tensor sr = cpu.zeros(od);
            cpu.reverse(s, axis, sr);
            Compare.close("reverse axis " + axis, sr.toArray(), gr.toArray(), 0, 0);
        }
    }

    @Test
    void largeTransfersRoundTripInChunks() {
        Device cuda = CudaTestSupport.cuda();
        SplittableRandom rnd = new SplittableRandom(Compare.seed("transfer"));
        int n = 3 * PinnedStaging.CHUNK_FLOATS + 12_345;
        float[] x = Compare.uniform(rnd, n, -1, 1);
        Tensor t = cuda.tensor(x, n);
        Compare.close("round trip of " + n + " floats", x, t.toArray(), 0, 0);
        float[] part = new float[10];
        cuda.backend().read(t.storage(), n - 10, part, 0, 10);
        for (int i = 0; i < 10; i++) {
            assertThat(part[i]).isEqualTo(x[n - 10 + i]);
        }
    }
}
