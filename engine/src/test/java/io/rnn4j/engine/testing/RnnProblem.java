package io.rnn4j.engine.testing;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.RnnCell;
import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.RnnState;
import io.rnn4j.engine.RnnWeights;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One recurrent sequence problem: a spec, inputs, weights, initial states, masks and the upstream
 * gradients of a loss, held as doubles that are exactly float32 values, so that a float32 backend
 * and the float64 reference see the same numbers. The arrays are public and mutable on purpose:
 * finite differences perturb them in place.
 *
 * <p>The loss whose gradients tests compare is
 * {@code L = Σ dOutput·output + Σ dLastH·h_T + Σ dLastC·c_T}.
 */
public final class RnnProblem {
    public final RnnSpec spec;
    public final int batch;
    public final int steps;
    /** (B, T, D). */
    public final double[] x;
    public final double[] kernel;
    public final double[] recurrentKernel;
    /** The bias in the spec's layout, or null without bias. */
    public final double[] bias;
    /** Initial h (B, H); zeros when {@link #giveH0} is false. */
    public final double[] h0;
    /** Initial c (B, H) for LSTM, else null; zeros when {@link #giveC0} is false. */
    public final double[] c0;
    /** Whether h0 / c0 are passed to the backend (otherwise it is given null and must use zeros). */
    public boolean giveH0;
    public boolean giveC0;
    /** (B, T) of 0/1, or null for no mask. */
    public double[] mask;
    /** (B, H) recurrent dropout multipliers, or null. */
    public double[] dropout;
    /** Upstream gradients: (B, T, H), (B, H), (B, H) (the last null but for LSTM). */
    public final double[] dOutput;
    public final double[] dLastH;
    public final double[] dLastC;

    public RnnProblem(RnnSpec spec, int batch, int steps) {
        this.spec = spec;
        this.batch = batch;
        this.steps = steps;
        int h = spec.units();
        this.x = new double[batch * steps * spec.inputSize()];
        this.kernel = new double[(int) spec.kernelShape().size()];
        this.recurrentKernel = new double[(int) spec.recurrentKernelShape().size()];
        this.bias = spec.useBias() ? new double[(int) spec.biasShape().size()] : null;
        this.h0 = new double[batch * h];
        this.c0 = spec.hasCellState() ? new double[batch * h] : null;
        this.dOutput = new double[batch * steps * h];
        this.dLastH = new double[batch * h];
        this.dLastC = spec.hasCellState() ? new double[batch * h] : null;
    }

    /**
     * A random problem: weights scaled so that activations stay in their interesting range, inputs
     * in (-1, 1), and — each by a coin — initial states, a recurrent dropout mask, and a mask whose
     * rows are chosen among all-real, random, leading-masked, trailing-masked and all-masked.
     */
    public static RnnProblem random(RnnSpec spec, int batch, int steps, SplittableRandom rnd) {
        RnnProblem p = new RnnProblem(spec, batch, steps);
        fill(p.x, 1.0, rnd);
        boolean small = explosive(spec);
        fill(p.kernel, (small ? 0.3 : 1.2) / Math.sqrt(spec.inputSize()), rnd);
        fill(p.recurrentKernel, (small ? 0.1 : 1.2) / Math.sqrt(spec.units()), rnd);
        if (p.bias != null) {
            fill(p.bias, small ? 0.2 : 0.5, rnd);
        }
        p.giveH0 = rnd.nextBoolean();
        if (p.giveH0) {
            fill(p.h0, 0.8, rnd);
        }
        p.giveC0 = p.c0 != null && rnd.nextBoolean();
        if (p.giveC0) {
            fill(p.c0, 0.8, rnd);
        }
        if (rnd.nextInt(3) > 0) {
            p.mask = randomMask(batch, steps, rnd);
        }
        if (rnd.nextBoolean()) {
            p.dropout = randomDropout(batch * spec.units(), 0.3, rnd);
        }
        fill(p.dOutput, 1.0, rnd);
        fill(p.dLastH, 1.0, rnd);
        if (p.dLastC != null) {
            fill(p.dLastC, 1.0, rnd);
        }
        return p;
    }

    /**
     * A random spec for {@code cell}: any Keras activation pair (but the LSTM pairs that overflow,
     * see below), bias, reset_after, direction, zero outputs.
     */
    public static RnnSpec randomSpec(RnnCell cell, int inputSize, int units, SplittableRandom rnd) {
        List<UnaryOp> all = Float64Rnn.KERAS_ACTIVATIONS;
        UnaryOp activation = all.get(rnd.nextInt(all.size()));
        UnaryOp recurrent = all.get(rnd.nextInt(all.size()));
        if (cell == RnnCell.LSTM && (activation == UnaryOp.EXP || !bounded(activation) && !bounded(recurrent))) {
            // h = o·act(c) with c growing through f·c: with f unbounded (a gate activation that
            // exceeds 1: exp, softplus, linear, …) c grows geometrically, and an unbounded act
            // (softplus, exp, …) passes that growth to h and through h·U back into the gates, a
            // double exponential that overflows float32 (NaN in float64 finite differences too)
            // within a few steps, so no kernel can be compared on it. Such pairs get tanh; exp
            // stays covered as LSTM's recurrent activation (with a bounded act) and in GRU and
            // SimpleRNN.
            activation = UnaryOp.TANH;
        }
        return RnnSpec.of(cell, inputSize, units)
                .withActivations(activation, recurrent)
                .withBias(rnd.nextInt(4) > 0)
                .withResetAfter(cell == RnnCell.GRU && rnd.nextBoolean())
                .withGoBackwards(rnd.nextBoolean())
                .withZeroOutputForMask(rnd.nextBoolean());
    }

    /** Whether {@code op}'s outputs stay within [−1, 1] for any input (tanh, the sigmoids, softsign, hard_tanh). */
    static boolean bounded(UnaryOp op) {
        return switch (op) {
            case TANH, SIGMOID, HARD_SIGMOID, HARD_SIGMOID_KERAS2, SOFTSIGN, HARD_TANH, SPARSE_SIGMOID -> true;
            default -> false;
        };
    }

    /**
     * Whether a spec's state can grow geometrically from step to step, so that weights of the usual
     * scale overflow float32 within a few steps: exp anywhere (exp of exp …), or gates that are not
     * bounded (LSTM's f above 1 scales c, GRU's z above 1 or below 0 scales h). Such problems get
     * small weights.
     */
    static boolean explosive(RnnSpec spec) {
        boolean exp = spec.activation() == UnaryOp.EXP || spec.recurrentActivation() == UnaryOp.EXP;
        return exp || spec.cell() != RnnCell.SIMPLE && !bounded(spec.recurrentActivation());
    }

    /**
     * A (B, T) mask whose rows are each all real, random, all masked, masked at the start or masked
     * at the end (right padding); with 3 or more rows, row 1 is all masked and row 2 starts masked.
     */
    public static double[] randomMask(int batch, int steps, SplittableRandom rnd) {
        double[] m = new double[batch * steps];
        for (int b = 0; b < batch; b++) {
            int kind = batch >= 3 && b == 1 ? 2 : batch >= 3 && b == 2 ? 3 : rnd.nextInt(5);
            int edge = 1 + rnd.nextInt(Math.max(1, steps - 1));
            for (int t = 0; t < steps; t++) {
                boolean use = switch (kind) {
                    case 0 -> true;
                    case 1 -> rnd.nextInt(3) > 0;
                    case 2 -> false;
                    case 3 -> t >= edge;
                    default -> t < edge;
                };
                m[b * steps + t] = use ? 1.0 : 0.0;
            }
        }
        return m;
    }

    /** Keras's recurrent dropout multipliers: 0 with probability {@code rate}, else {@code 1/(1-rate)}. */
    public static double[] randomDropout(int size, double rate, SplittableRandom rnd) {
        double[] d = new double[size];
        float keep = (float) (1.0 / (1.0 - rate));
        for (int i = 0; i < size; i++) {
            d[i] = rnd.nextDouble() < rate ? 0.0 : keep;
        }
        return d;
    }

    /** Uniform float32 values in (-scale, scale). */
    public static void fill(double[] a, double scale, SplittableRandom rnd) {
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rnd.nextDouble(-scale, scale);
        }
    }

    /** Batch row {@code b} alone, as a problem of batch 1 (everything else shared by value). */
    public RnnProblem row(int b) {
        RnnProblem r = new RnnProblem(spec, 1, steps);
        int d = spec.inputSize();
        int h = spec.units();
        System.arraycopy(x, b * steps * d, r.x, 0, steps * d);
        System.arraycopy(kernel, 0, r.kernel, 0, kernel.length);
        System.arraycopy(recurrentKernel, 0, r.recurrentKernel, 0, recurrentKernel.length);
        if (bias != null) {
            System.arraycopy(bias, 0, r.bias, 0, bias.length);
        }
        System.arraycopy(h0, b * h, r.h0, 0, h);
        if (c0 != null) {
            System.arraycopy(c0, b * h, r.c0, 0, h);
        }
        r.giveH0 = giveH0;
        r.giveC0 = giveC0;
        r.mask = mask == null ? null : Arrays.copyOfRange(mask, b * steps, (b + 1) * steps);
        r.dropout = dropout == null ? null : Arrays.copyOfRange(dropout, b * h, (b + 1) * h);
        System.arraycopy(dOutput, b * steps * h, r.dOutput, 0, steps * h);
        System.arraycopy(dLastH, b * h, r.dLastH, 0, h);
        if (dLastC != null) {
            System.arraycopy(dLastC, b * h, r.dLastC, 0, h);
        }
        return r;
    }

    /**
     * A copy under {@code other} (same shapes); with {@code reverseTime}, x and the mask reversed
     * in time (the upstream gradients are kept: they follow the processing order).
     */
    public RnnProblem copy(RnnSpec other, boolean reverseTime) {
        RnnProblem r = new RnnProblem(other, batch, steps);
        int d = spec.inputSize();
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                int from = b * steps + t;
                int to = b * steps + (reverseTime ? steps - 1 - t : t);
                System.arraycopy(x, from * d, r.x, to * d, d);
            }
        }
        if (mask != null) {
            r.mask = new double[mask.length];
            for (int b = 0; b < batch; b++) {
                for (int t = 0; t < steps; t++) {
                    r.mask[b * steps + (reverseTime ? steps - 1 - t : t)] = mask[b * steps + t];
                }
            }
        }
        System.arraycopy(kernel, 0, r.kernel, 0, kernel.length);
        System.arraycopy(recurrentKernel, 0, r.recurrentKernel, 0, recurrentKernel.length);
        if (bias != null) {
            System.arraycopy(bias, 0, r.bias, 0, bias.length);
        }
        System.arraycopy(h0, 0, r.h0, 0, h0.length);
        if (c0 != null) {
            System.arraycopy(c0, 0, r.c0, 0, c0.length);
        }
        r.giveH0 = giveH0;
        r.giveC0 = giveC0;
        r.dropout = dropout == null ? null : dropout.clone();
        System.arraycopy(dOutput, 0, r.dOutput, 0, dOutput.length);
        System.arraycopy(dLastH, 0, r.dLastH, 0, dLastH.length);
        if (dLastC != null) {
            System.arraycopy(dLastC, 0, r.dLastC, 0, dLastC.length);
        }
        return r;
    }

    /** The loss L of a forward result (see the class comment). */
    public double loss(Float64Rnn.Result r) {
        double l = dot(dOutput, r.output()) + dot(dLastH, r.lastH());
        return dLastC == null ? l : l + dot(dLastC, r.lastC());
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    // ---- the problem as tensors on a device ----

    /** The forward inputs on one device. */
    public record Tensors(Tensor x, Tensor mask, Tensor dropout, RnnWeights weights, RnnState initial,
            Tensor dOutput, RnnState dLast) {
    }

    public Tensors on(Device d) {
        int h = spec.units();
        Tensor b = bias == null ? null : d.tensor(floats(bias), spec.biasShape().dims());
        RnnWeights w = new RnnWeights(d.tensor(floats(kernel), spec.kernelShape().dims()),
                d.tensor(floats(recurrentKernel), spec.recurrentKernelShape().dims()), b);
        RnnState initial = new RnnState(giveH0 ? d.tensor(floats(h0), batch, h) : null,
                giveC0 ? d.tensor(floats(c0), batch, h) : null);
        RnnState dLast = new RnnState(d.tensor(floats(dLastH), batch, h),
                dLastC == null ? null : d.tensor(floats(dLastC), batch, h));
        return new Tensors(d.tensor(floats(x), batch, steps, spec.inputSize()),
                mask == null ? null : d.tensor(floats(mask), batch, steps),
                dropout == null ? null : d.tensor(floats(dropout), batch, h), w, initial,
                d.tensor(floats(dOutput), batch, steps, h), dLast);
    }

    public static float[] floats(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    /** A short description for assertion messages. */
    @Override
    public String toString() {
        return spec + " batch=" + batch + " steps=" + steps + " mask=" + (mask != null) + " dropout="
                + (dropout != null) + " h0=" + giveH0 + " c0=" + giveC0;
    }
}
