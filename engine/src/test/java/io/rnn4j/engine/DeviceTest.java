package io.rnn4j.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.scalar.ScalarBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Device refuses bad input before any backend sees it: wrong ranks and shapes, GEMM dimension and
 * leading-dimension errors, outputs overlapping inputs, bad indices, tensors from another device and
 * nulls each give an IllegalArgumentException whose message names the op, the argument, what was
 * expected and what came — and the output is exactly as it was (values and storage version).
 */
class DeviceTest {
    private static final Device D = Devices.get("scalar");
    /** A second scalar device: the same kind of backend, but not the same device. */
    private static final Device OTHER = Devices.wrap(new ScalarBackend());

    /** A refused call, the tensor it must leave untouched (or null), and what its message must say. */
    record Refusal(String name, Tensor output, Executable call, String... fragments) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A tensor of distinct values 1, 2, 3, … (so any write shows). */
    private static Tensor t(int... dims) {
        Tensor x = D.zeros(dims);
        float[] v = new float[(int) x.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = i + 1;
        }
        D.write(v, x);
        return x;
    }

    private static Tensor idx(float... values) {
        return D.tensor(values, values.length);
    }

    static List<Refusal> refusals() {
        List<Refusal> r = new ArrayList<>();
        ranksAndShapes(r);
        gemm(r);
        aliasing(r);
        indices(r);
        devicesAndNulls(r);
        return r;
    }

    private static void ranksAndShapes(List<Refusal> r) {
        Tensor c = t(2, 5);
        r.add(new Refusal("gemm: a of rank 3", c, () -> D.gemm(false, false, 1, t(2, 3, 4), t(4, 5), 0, c),
                "gemm", "a must have rank 2", "(2, 3, 4)"));
        Tensor c1 = t(10);
        r.add(new Refusal("gemm: c of rank 1", c1, () -> D.gemm(false, false, 1, t(2, 3), t(3, 5), 0, c1),
                "gemm", "c must have rank 2", "(10,)"));
        Tensor g = t(4, 3);
        r.add(new Refusal("gather: table of rank 1", g, () -> D.gather(t(5), idx(0, 1, 2, 3), g),
                "gather", "table must have rank 2", "(5,)"));
        Tensor st = t(2, 3, 4);
        r.add(new Refusal("scatter_add: table of rank 3", st, () -> D.scatterAdd(t(2, 4), idx(0, 1), st),
                "scatter_add", "table must have rank 2", "(2, 3, 4)"));
        Tensor u = t(3, 4);
        r.add(new Refusal("unary: out shape", u, () -> D.unary(UnaryOp.TANH, t(3, 5), u),
                "tanh", "out must have shape (3, 5)", "got (3, 4)"));
        Tensor ub = t(3, 5);
        r.add(new Refusal("unary backward: dy shape", ub, () -> D.unaryBackward(UnaryOp.SIGMOID, t(3, 5), t(5, 3), ub),
                "sigmoid backward", "dy must have shape (3, 5)", "got (5, 3)"));
        Tensor af = t(7);
        r.add(new Refusal("affine: out shape", af, () -> D.affine(t(8), 2, 1, af),
                "affine", "out must have shape (8,)", "got (7,)"));
        Tensor b = t(3, 4);
        r.add(new Refusal("add: shapes that do not broadcast", b, () -> D.binary(BinaryOp.ADD, t(3, 4), t(3, 5), b),
                "add", "(3, 4) and (3, 5) do not broadcast", "axis 1: 4 vs 5"));
        Tensor bo = t(4, 3);
        r.add(new Refusal("mul: out shape", bo, () -> D.binary(BinaryOp.MUL, t(3, 4), t(4), bo),
                "mul", "out must have shape (3, 4)", "got (4, 3)"));
        Tensor bc = t(3);
        r.add(new Refusal("broadcast: x larger than out", bc, () -> D.broadcast(t(2, 3), bc),
                "broadcast", "x (2, 3)", "out (3,)", "(2, 3)"));
        Tensor bc2 = t(2, 4);
        r.add(new Refusal("broadcast: incompatible", bc2, () -> D.broadcast(t(3), bc2),
                "broadcast", "(3,) and (2, 4) do not broadcast"));
        Tensor red = t(4);
        r.add(new Refusal("sum: out shape", red, () -> D.reduce(ReduceOp.SUM, t(3, 4), 1, red),
                "sum", "out must be (3,) or (3, 1)", "(3, 4) along axis 1", "got (4,)"));
        Tensor ra = t(3);
        r.add(new Refusal("mean: axis out of range", ra, () -> D.reduce(ReduceOp.MEAN, t(3, 4), 2, ra),
                "mean", "axis must be in -2..1", "x of shape (3, 4)", "got 2"));
        Tensor rm = t(3);
        r.add(new Refusal("max: empty axis", rm, () -> D.reduce(ReduceOp.MAX, D.zeros(3, 0), 1, rm),
                "max", "axis 1 of x (3, 0) must not be empty", "length 0"));
        Tensor sm = t(3, 5);
        r.add(new Refusal("softmax: out shape", sm, () -> D.softmax(t(3, 4), 1, false, sm),
                "softmax", "out must have shape (3, 4)", "got (3, 5)"));
        Tensor sa = t(3, 4);
        r.add(new Refusal("log_softmax: axis out of range", sa, () -> D.softmax(t(3, 4), -3, true, sa),
                "log_softmax", "axis must be in -2..1", "got -3"));
        Tensor sb = t(3, 4);
        r.add(new Refusal("softmax backward: dy shape", sb, () -> D.softmaxBackward(t(3, 4), t(4, 4), 1, false, sb),
                "softmax backward", "dy must have shape (3, 4)", "got (4, 4)"));
        Tensor go = t(6, 5);
        r.add(new Refusal("gather: out shape", go, () -> D.gather(t(5, 4), D.tensor(new float[] {0, 1, 2, 3, 4, 0},
                2, 3), go), "gather", "out must be (2, 3, 4) or (6, 4)", "got (6, 5)"));
        Tensor so = t(5, 4);
        r.add(new Refusal("scatter_add: src shape", so, () -> D.scatterAdd(t(3, 4), idx(0, 1), so),
                "scatter_add", "src must be (2, 4) (indices (2,), table (5, 4))", "got (3, 4)"));
        Tensor co = t(2, 5);
        r.add(new Refusal("concat: a part that differs off the axis", co,
                () -> D.concat(new Tensor[] {t(2, 3), t(3, 2)}, 1, co),
                "concat", "parts[1] must match (2, 5) on every axis but 1", "got (3, 2)"));
        Tensor ct = t(2, 5);
        r.add(new Refusal("concat: parts too short", ct, () -> D.concat(new Tensor[] {t(2, 3), t(2, 1)}, 1, ct),
                "concat", "out (2, 5) must have the parts' total 4 along axis 1", "got 5"));
        Tensor p0 = t(2, 3);
        r.add(new Refusal("split: parts too short (first part untouched)", p0,
                () -> D.split(t(2, 6), 1, new Tensor[] {p0, t(2, 2)}),
                "split", "parts must add up to x's 6 along axis 1", "got 5"));
        Tensor p1 = t(2, 3);
        r.add(new Refusal("split: a part that differs off the axis", p1,
                () -> D.split(t(2, 6), 1, new Tensor[] {p1, t(3, 3)}),
                "split", "parts[1] must match (2, 6) on every axis but 1", "got (3, 3)"));
        Tensor rv = t(4, 3);
        r.add(new Refusal("reverse: out shape", rv, () -> D.reverse(t(3, 4), 0, rv),
                "reverse", "out must have shape (3, 4)", "got (4, 3)"));
        Tensor cp = t(5);
        r.add(new Refusal("copy: sizes differ", cp, () -> D.copy(t(3, 4), cp),
                "copy", "dst must have 12 elements (like (3, 4))", "got (5,)"));
        Tensor w = t(3, 4);
        r.add(new Refusal("write: wrong length", w, () -> D.write(new float[5], w),
                "write", "dst (3, 4) holds 12 values", "got 5"));
        Tensor rd = t(3, 4);
        r.add(new Refusal("read: wrong array length", rd, () -> D.read(rd, new float[5]),
                "read", "src (3, 4) holds 12 values", "array of 5"));
    }

    private static void gemm(List<Refusal> r) {
        Tensor c = t(2, 5);
        r.add(new Refusal("gemm: inner dimensions", c, () -> D.gemm(false, false, 1, t(2, 3), t(4, 5), 0, c),
                "gemm", "inner dimensions differ", "op(a) is 2x3", "(2, 3)", "op(b) is 4x5", "(4, 5)"));
        Tensor ct = t(3, 4);
        r.add(new Refusal("gemm: inner dimensions, transposed", ct, () -> D.gemm(true, true, 1, t(2, 3), t(4, 5), 0,
                ct), "gemm", "op(a) is 3x2", "transposed", "op(b) is 5x4"));
        Tensor cs = t(5, 2);
        r.add(new Refusal("gemm: c shape", cs, () -> D.gemm(false, false, 1, t(2, 3), t(3, 5), 1, cs),
                "gemm", "c must have shape (2, 5)", "got (5, 2)"));
        Tensor c2 = t(10);
        r.add(new Refusal("gemm: lda below the width", c2,
                () -> D.gemm(false, false, 2, 5, 3, 1, t(6), 2, t(15), 5, 0, c2, 5),
                "gemm", "a is 2x3", "leading dimension >= 3", "got 2"));
        Tensor c3 = t(10);
        r.add(new Refusal("gemm: transposed b, ldb below its width", c3,
                () -> D.gemm(false, true, 2, 5, 3, 1, t(6), 3, t(15), 2, 0, c3, 5),
                "gemm", "b is 5x3", "leading dimension >= 3", "got 2"));
        Tensor c4 = t(10);
        r.add(new Refusal("gemm: b too small for its leading dimension", c4,
                () -> D.gemm(false, false, 2, 5, 3, 1, t(6), 3, t(15), 6, 0, c4, 5),
                "gemm", "b as a 3x5 matrix with leading dimension 6 needs 17 elements", "got (15,) with 15"));
        Tensor c5 = t(9);
        r.add(new Refusal("gemm: c too small", c5,
                () -> D.gemm(false, false, 2, 5, 3, 1, t(6), 3, t(15), 5, 0, c5, 5),
                "gemm", "c as a 2x5 matrix", "needs 10 elements", "got (9,)"));
        Tensor c6 = t(10);
        r.add(new Refusal("gemm: negative size", c6,
                () -> D.gemm(false, false, -1, 5, 3, 1, t(6), 3, t(15), 5, 0, c6, 5),
                "gemm", "a must be at least 0x0", "got -1x3"));
    }

    private static void aliasing(List<Refusal> r) {
        Tensor a = t(3, 3);
        r.add(new Refusal("gemm: c is a", a, () -> D.gemm(false, false, 1, a, t(3, 3), 0, a),
                "gemm", "c (3, 3) must not overlap a (3, 3)"));
        Tensor big = t(4, 3);
        r.add(new Refusal("gemm: c overlaps b", big, () -> D.gemm(false, false, 1, t(3, 3), big.narrow(0, 3), 0,
                big.narrow(1, 3)), "gemm", "c (3, 3) must not overlap b (3, 3)"));
        Tensor u = t(3, 4);
        r.add(new Refusal("unary: out partly overlaps x", u, () -> D.unary(UnaryOp.RELU, u.narrow(0, 2),
                u.narrow(1, 2)), "relu", "out (2, 4) must be x itself (in place) or not overlap it"));
        Tensor bb = t(3, 4);
        r.add(new Refusal("add: out overlaps the broadcast operand", bb, () -> D.binary(BinaryOp.ADD, t(3, 4),
                bb.narrow(0, 1), bb), "add", "out (3, 4) must be b itself (in place) or not overlap it"));
        Tensor x = t(5);
        r.add(new Refusal("unary backward: dx is x", x, () -> D.unaryBackward(UnaryOp.TANH, x, t(5), x),
                "tanh backward", "dx (5,) must not overlap x (5,)"));
        Tensor dy = t(2, 3);
        r.add(new Refusal("softmax backward: dx is dy", dy, () -> D.softmaxBackward(t(2, 3), dy, 1, false, dy),
                "softmax backward", "dx (2, 3) must not overlap dy (2, 3)"));
        Tensor sp = t(4, 3);
        r.add(new Refusal("softmax: out partly overlaps x", sp, () -> D.softmax(sp.narrow(0, 3), 1, false,
                sp.narrow(1, 3)), "softmax", "out (3, 3) must be x itself (in place) or not overlap it"));
        Tensor rx = t(3, 4);
        r.add(new Refusal("sum: out inside x", rx, () -> D.reduce(ReduceOp.SUM, rx, 1, rx.reshape(12).narrow(0, 3)),
                "sum", "out (3,) must not overlap x (3, 4)"));
        Tensor cp = t(4, 2);
        r.add(new Refusal("copy: dst partly overlaps src", cp, () -> D.copy(cp.narrow(0, 2), cp.narrow(1, 2)),
                "copy", "dst (2, 2) must not overlap src (2, 2)"));
        Tensor part = t(2, 2);
        r.add(new Refusal("split: the same part twice", part, () -> D.split(t(2, 4), 1, new Tensor[] {part, part}),
                "split", "parts[1] (2, 2) must not overlap parts[0] (2, 2)"));
        Tensor sx = t(4, 2);
        r.add(new Refusal("split: a part inside x", sx, () -> D.split(sx, 0, new Tensor[] {sx.narrow(2, 2),
                t(2, 2)}), "split", "parts[0] (2, 2) must not overlap x (4, 2)"));
        Tensor co = t(4, 2);
        r.add(new Refusal("concat: out overlaps a part", co, () -> D.concat(new Tensor[] {co.narrow(0, 2),
                t(2, 2)}, 0, co), "concat", "out (4, 2) must not overlap parts[0] (2, 2)"));
        Tensor rev = t(3, 2);
        r.add(new Refusal("reverse: out is x", rev, () -> D.reverse(rev, 0, rev),
                "reverse", "out (3, 2) must not overlap x (3, 2)"));
        Tensor table = t(4, 2);
        r.add(new Refusal("gather: out overlaps the table", table, () -> D.gather(table, idx(0, 1), table.narrow(2,
                2)), "gather", "out (2, 2) must not overlap table (4, 2)"));
        Tensor st = t(4, 2);
        r.add(new Refusal("scatter_add: table overlaps src", st, () -> D.scatterAdd(st.narrow(0, 2), idx(2, 3), st),
                "scatter_add", "table (4, 2) must not overlap src (2, 2)"));
        Tensor bc = t(3, 2);
        r.add(new Refusal("broadcast: out overlaps x", bc, () -> D.broadcast(bc.narrow(0, 1), bc),
                "broadcast", "out (3, 2) must not overlap x (1, 2)"));
    }

    private static void indices(List<Refusal> r) {
        float[][] bad = {{0, 1, 1.5f, 2}, {0, -1}, {5}, {Float.NaN}, {Float.POSITIVE_INFINITY}};
        String[] got = {"got 1.5 at flat position 2 of (4,)", "got -1.0 at flat position 1", "got 5.0",
            "got NaN", "got Infinity"};
        for (int i = 0; i < bad.length; i++) {
            float[] b = bad[i];
            Tensor out = t(b.length, 3);
            r.add(new Refusal("gather: indices " + Arrays.toString(b), out, () -> D.gather(t(5, 3), idx(b),
                    out), "gather", "indices must be integers in [0, 5)", got[i]));
        }
        Tensor table = t(4, 3);
        r.add(new Refusal("scatter_add: index past the table", table, () -> D.scatterAdd(t(2, 3), idx(3, 4), table),
                "scatter_add", "indices must be integers in [0, 4)", "got 4.0 at flat position 1 of (2,)"));
    }

    private static void devicesAndNulls(List<Refusal> r) {
        String elsewhere = "expected a tensor on scalar, got one on another device also named scalar";
        Tensor out = t(3);
        r.add(new Refusal("tanh: x on another device", out, () -> D.unary(UnaryOp.TANH, OTHER.zeros(3), out),
                "tanh: x: " + elsewhere, "tensor.to(device)"));
        Tensor c = t(2, 2);
        r.add(new Refusal("gemm: b on another device", c, () -> D.gemm(false, false, 1, t(2, 2), OTHER.zeros(2, 2), 0,
                c), "gemm: b: " + elsewhere));
        Tensor co = t(2, 2);
        r.add(new Refusal("concat: parts[1] on another device", co, () -> D.concat(new Tensor[] {t(2, 1),
                OTHER.zeros(2, 1)}, 1, co), "concat: parts[1]: " + elsewhere));
        Tensor g = t(2, 3);
        r.add(new Refusal("gather: indices on another device", g, () -> D.gather(t(4, 3), OTHER.zeros(2), g),
                "gather: indices: " + elsewhere));
        Tensor other = OTHER.zeros(3);
        r.add(new Refusal("fill: dst on another device", other, () -> D.fill(other, 1f), "fill: dst: " + elsewhere));
        String isNull = "expected a tensor on scalar, got null";
        Tensor un = t(3);
        r.add(new Refusal("tanh: x null", un, () -> D.unary(UnaryOp.TANH, null, un), "tanh: x: " + isNull));
        r.add(new Refusal("gemm: c null", null, () -> D.gemm(false, false, 1, t(2, 2), t(2, 2), 0, null),
                "gemm: c: " + isNull));
        Tensor bn = t(3);
        r.add(new Refusal("binary: op null", bn, () -> D.binary(null, t(3), t(3), bn), "binary: op must not be null"));
        Tensor rn = t(3);
        r.add(new Refusal("reduce: op null", rn, () -> D.reduce(null, t(3, 2), 1, rn), "reduce: op must not be null"));
        Tensor cn = t(2, 2);
        r.add(new Refusal("concat: parts null", cn, () -> D.concat(null, 0, cn), "concat: parts must not be null"));
        Tensor cpn = t(2, 2);
        r.add(new Refusal("concat: parts[0] null", cpn, () -> D.concat(new Tensor[] {null, t(2, 2)}, 0, cpn),
                "concat: parts[0]: " + isNull));
        Tensor spn = t(2, 2);
        r.add(new Refusal("split: parts[1] null", spn, () -> D.split(t(4, 2), 0, new Tensor[] {spn, null}),
                "split: parts[1]: " + isNull));
        Tensor sbn = t(2, 2);
        r.add(new Refusal("softmax backward: y null", sbn, () -> D.softmaxBackward(null, t(2, 2), 1, false, sbn),
                "softmax backward: y: " + isNull));
        Tensor wn = t(2);
        r.add(new Refusal("write: src null", wn, () -> D.write(null, wn), "write: src must not be null"));
        r.add(new Refusal("copy: src null", null, () -> D.copy(null, t(2)), "copy: src: " + isNull));
        r.add(new Refusal("fill: dst null", null, () -> D.fill(null, 1f), "fill: dst: " + isNull));
        r.add(new Refusal("tensor: data null", null, () -> D.tensor(null, 2), "tensor: data must not be null"));
        r.add(new Refusal("tensor: data of the wrong length", null, () -> D.tensor(new float[3], 2, 2),
                "tensor: shape (2, 2) needs 4 values", "got 3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusedCallsNameTheProblemAndWriteNothing(Refusal r) {
        float[] before = r.output() == null ? null : r.output().toArray();
        long version = r.output() == null ? 0 : r.output().storage().version();
        assertThatThrownBy(r.call()::execute).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll(r.fragments());
        if (r.output() != null) {
            assertThat(r.output().toArray()).as("the output after a refused call").containsExactly(before);
            assertThat(r.output().storage().version()).as("the output's storage version").isEqualTo(version);
        }
    }

    @Test
    void allowedAliasingIsExactlyTheSameView() {
        // In place is fine where the op says "may be": the same tensor, or another view of the same memory.
        Tensor x = t(2, 3);
        D.unary(UnaryOp.NEG, x, x.reshape(6).reshape(2, 3));
        assertThat(x.toArray()).containsExactly(-1, -2, -3, -4, -5, -6);
        D.affine(x, -1, 0, x);
        D.binary(BinaryOp.ADD, x, t(3), x);
        assertThat(x.toArray()).containsExactly(2, 4, 6, 5, 7, 9);
        D.softmax(x, 1, true, x);
        Tensor dy = t(2, 3);
        D.unaryBackward(UnaryOp.SQUARE, t(2, 3), dy, dy);
        assertThat(dy.toArray()).containsExactly(2, 8, 18, 32, 50, 72);
        // Disjoint views of one storage are independent tensors.
        Tensor rows = t(4, 2);
        D.copy(rows.narrow(0, 2), rows.narrow(2, 2));
        assertThat(rows.toArray()).containsExactly(1, 2, 3, 4, 1, 2, 3, 4);
    }

    @Test
    void opsRecordWritesOnTheOutputOnly() {
        Tensor x = t(2, 3);
        Tensor out = D.zeros(2, 3);
        long vx = x.storage().version();
        long vo = out.storage().version();
        D.unary(UnaryOp.TANH, x, out);
        assertThat(out.storage().version()).as("out's version after an op that wrote it").isGreaterThan(vo);
        assertThat(x.storage().version()).as("x's version after an op that only read it").isEqualTo(vx);
    }

    @Test
    void eachOpRecordsItsWrite() {
        List<Consumer<Tensor>> writers = List.of(
                o -> D.fill(o, 1), o -> D.copy(t(2, 2), o), o -> D.write(new float[4], o),
                o -> D.gemm(false, false, 1, t(2, 2), t(2, 2), 0, o), o -> D.unary(UnaryOp.TANH, t(2, 2), o),
                o -> D.unaryBackward(UnaryOp.TANH, t(2, 2), t(2, 2), o), o -> D.affine(t(2, 2), 1, 1, o),
                o -> D.binary(BinaryOp.ADD, t(2, 2), t(2), o), o -> D.broadcast(t(2), o),
                o -> D.reduce(ReduceOp.SUM, t(2, 2, 3), 2, o), o -> D.softmax(t(2, 2), 1, false, o),
                o -> D.softmaxBackward(t(2, 2), t(2, 2), 1, false, o), o -> D.gather(t(3, 2), idx(0, 2), o),
                o -> D.scatterAdd(t(2, 2), idx(1, 1), o), o -> D.concat(new Tensor[] {t(2, 1), t(2, 1)}, 1, o),
                o -> D.split(t(4, 2), 0, new Tensor[] {o, D.zeros(2, 2)}), o -> D.reverse(t(2, 2), 0, o));
        for (int i = 0; i < writers.size(); i++) {
            Tensor o = D.zeros(2, 2);
            long v = o.storage().version();
            writers.get(i).accept(o);
            assertThat(o.storage().version()).as("storage version after writer #" + i).isGreaterThan(v);
        }
    }

    @Test
    void wrappedDevicesAreDistinctAndNamedByTheirBackend() {
        assertThat(OTHER).isNotSameAs(D);
        assertThat(OTHER.name()).isEqualTo("scalar");
        assertThat(OTHER.backend()).isNotSameAs(D.backend());
        assertThatThrownBy(() -> Devices.wrap(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("backend must not be null");
    }
}
