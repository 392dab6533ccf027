package io.rnn4j.layers;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * How a built {@link ConvLSTM} (1-, 2- or 3-D) runs over a sequence, composed of generic autograd
 * ops (so every backend runs it and its backward without a kernel of its own); only the two
 * convolutions depend on the rank ({@link Convolutions}):
 * <ol>
 *   <li>the input convolution of every time step at once: batch and time folded into one axis,
 *       {@code (B·T, spatial..., C)}, one convolution giving the four gates together
 *       {@code (B·T, out..., 4F)} plus the bias (with input dropout: one convolution per gate on
 *       its masked input), split into the T steps once;</li>
 *   <li>per step, the recurrent "same" convolution of h with the whole recurrent kernel
 *       {@code (B, out..., 4F)}, added to the step's input part, split into the gates, and the
 *       LSTM update; a masked step keeps h and c and repeats the previous output (Keras's
 *       {@code where(mask, new, old)}).</li>
 * </ol>
 *
 * <p>Cost, 1-D (B batch, T steps, S/S' input/output spatial steps, C channels, F filters, K kernel
 * size). Input convolution, once: {@code 2·B·T·S'·K·C·4F} flops as K GEMMs over shifted views
 * ({@link Ops#conv1d}, stride 1; an im2col gather and one GEMM for strides > 1). One step:
 * the recurrent convolution is K GEMMs of {@code (B·(S'+K−1)−(K−1)) × F} by {@code F × 4F}, about
 * {@code 8·B·(S'+K−1)·K·F²} flops; the gates {@code 13·B·S'·F} elementwise operations (the sum
 * with the input part over 4F, 5 activations, 3 products, 1 sum). The per-step overhead besides
 * the GEMMs is 13 autograd nodes (a reshape, the convolution, the sum, the split, 5 activations,
 * 4 products and sums) and the copies they make: h padded ({@code B·(S'+K−1)·F} floats), the
 * convolution's accumulator and its cut ({@code B·(S'+K−1)·4F + B·S'·4F}), the sum and the gate
 * split ({@code 8·B·S'·F}), 9 elementwise results of {@code B·S'·F}; about
 * {@code 26·B·S'·F + 5·B·(K−1)·F} floats written against {@code 8·B·S'·K·F²} flops, so the GEMMs
 * dominate from a few filters on.
 *
 * <p>Cost, 2-D and 3-D ({@link GridWindows}' im2col; P output and Q input positions per frame, Kt
 * taps, e.g. P = rows'·cols', Kt = kr·kc). Input convolution, once: one gather of
 * {@code B·T·P·Kt·C} floats (after the input copied once with a zero row when a tap reads the
 * padding) and one GEMM of {@code 2·B·T·P·Kt·C·4F} flops. One step: the recurrent convolution is h
 * copied with a zero row ({@code B·P·F}), gathered ({@code B·P·Kt·F}) and one GEMM
 * {@code (B·P) × (Kt·F)} by {@code (Kt·F) × 4F}, {@code 8·B·P·Kt·F²} flops, its result
 * {@code B·P·4F}; then the gates as above: 16 autograd nodes and about {@code (Kt + 22)·B·P·F}
 * floats written per step against {@code 8·B·P·Kt·F²} flops (3×3 windows, 16 filters: about 37
 * flops per float written), so the GEMM dominates from a few filters on here too.
 *
 * <p>Backward costs twice the GEMMs and the same order of copies (the gathers' scatter-adds). A
 * masked step adds 3 selects; a step no sample uses is skipped. A fused kernel (as LSTM's) would
 * save the node overhead; none exists for convolutions.
 */
final class ConvLstmSequence {
    /**
     * A ConvLSTM's two convolutions at the input size it was built for: all the sequence needs to
     * know of its rank.
     */
    interface Convolutions {
        /** The states' spatial shape: the input convolution's output. */
        int[] outDims();

        /** The input convolution of x {@code (n, spatial..., C)} by a kernel {@code (k..., C, G)}, no bias. */
        Variable input(Variable x, Variable kernel);

        /** The recurrent convolution of h {@code (B, outDims..., F)} by {@code (k..., F, G)}: stride 1, "same". */
        Variable recurrent(Variable h, Variable kernel);
    }

    private final ConvLSTM<?> layer;
    private final Convolutions convolutions;
    private final int[] outDims;
    private final Weight kernel;
    private final Weight recurrentKernel;
    private final Weight bias;
    private final int filters;
    /** The spatial axes. */
    private final int rank;
    /** The states carried between calls of a stateful layer (h, c; replaced each call, never written). */
    private Tensor[] states;
    private int stateBatch;

    /** @param bias null without use_bias */
    ConvLstmSequence(ConvLSTM<?> layer, Convolutions convolutions, Weight kernel, Weight recurrentKernel, Weight bias) {
        this.layer = layer;
        this.convolutions = convolutions;
        this.outDims = convolutions.outDims();
        this.kernel = kernel;
        this.recurrentKernel = recurrentKernel;
        this.bias = bias;
        this.filters = layer.filters();
        this.rank = layer.rank();
    }

    /** {@code (lead..., outDims..., last)}: a state-like shape. */
    private Shape around(int[] lead, int last) {
        int[] d = new int[lead.length + rank + 1];
        System.arraycopy(lead, 0, d, 0, lead.length);
        System.arraycopy(outDims, 0, d, lead.length, rank);
        d[d.length - 1] = last;
        return Shape.of(d);
    }

    /**
     * Refuses initial states other than h and c of {@code expected} each, naming the layer.
     *
     * @param show how a shape is written: batchless for symbolic shapes
     */
    static void checkStates(ConvLSTM<?> layer, List<Shape> given, Shape expected, Function<Shape, String> show) {
        if (given.size() != 2) {
            throw new IllegalArgumentException(layer.where() + ": initial_state must hold 2 states (h and c), got "
                    + given.size());
        }
        for (int i = 0; i < 2; i++) {
            Shape s = given.get(i);
            if (s == null || !s.equals(expected)) {
                throw new IllegalArgumentException(layer.where() + ": initial_state[" + i + "] must be "
                        + layer.stateLayout() + " = " + show.apply(expected) + ", got " + (s == null ? "null"
                        : show.apply(s)));
            }
        }
    }

    /**
     * Runs the layer on a checked input from the initial states, else a stateful layer's carried
     * states, else zeros: the output (every step's, in processing order, with return_sequences;
     * else the last) and the final h and c, which a stateful layer keeps.
     *
     * @param initialState h and c {@code (B, outDims..., F)}, or null
     */
    RnnOutput run(Variable x, Tensor mask, List<Variable> initialState, CallContext ctx) {
        int b = x.dim(0);
        int t = x.dim(1);
        if (mask != null && !mask.shape().equals(Shape.of(b, t))) {
            throw new IllegalArgumentException(layer.where() + ": mask must be (batch, time) = " + Shape.of(b, t)
                    + ", got " + mask.shape());
        }
        // Keras 3's RNN.call checks a stateful layer's batch size whether or not initial_state is given.
        if (layer.stateful() && states != null && stateBatch != b) {
            throw new IllegalArgumentException(layer.where() + ": stateful layer holds states for batch size "
                    + stateBatch + ", got a batch of " + b + "; a stateful layer needs the same batch size on "
                    + "every call (Keras: a fixed batch_shape)");
        }
        Shape state = around(new int[] {b}, filters);
        Variable h;
        Variable c;
        if (initialState != null) {
            checkStates(layer, initialState.stream().map(v -> v == null ? null : v.shape()).toList(), state,
                    Shape::toString);
            h = initialState.get(0);
            c = initialState.get(1);
        } else if (layer.stateful() && states != null) {
            h = Variable.constant(states[0]);
            c = Variable.constant(states[1]);
        } else {
            h = Variable.constant(x.device().zeros(state));
            c = h;
        }
        RnnOutput o = steps(x, mask, h, c, ctx);
        if (layer.stateful()) {
            // Replace rather than overwrite: this call's tensors may still be read by its backward.
            states = new Tensor[] {o.states().get(0).value(), o.states().get(1).value()};
            stateBatch = b;
        }
        return o;
    }

    /** Zeroes a stateful layer's states; the batch size stays fixed. */
    void resetStates() {
        if (states != null) {
            Tensor zeros = states[0].device().zeros(states[0].shape());
            states = new Tensor[] {zeros, zeros};
        }
    }

    /** A stateful layer's current h and c, or none before its first call. */
    List<Tensor> states() {
        return states == null ? List.of() : List.of(states);
    }

    /** The batch size a stateful layer holds states for, or 0. */
    int fixedBatchSize() {
        return layer.stateful() && states != null ? stateBatch : 0;
    }

    private RnnOutput steps(Variable x, Tensor mask, Variable h, Variable c, CallContext ctx) {
        Device device = x.device();
        int b = x.dim(0);
        int t = x.dim(1);
        int[] stepShape = x.shape().dims();
        stepShape[1] = 1;  // one mask per sample and position, the same at every time step
        Tensor[] inputMasks = dropoutMasks(layer.dropout(), Shape.of(stepShape), device, ctx);
        Tensor[] recurrentMasks = dropoutMasks(layer.recurrentDropout(), around(new int[] {b}, filters), device, ctx);
        Variable[] inputs = t == 0 ? new Variable[0] : inputParts(x, inputMasks);
        Variable[] recurrentGates = recurrentMasks == null ? null : gates(recurrentKernel.variable());
        float[] m = mask == null ? null : mask.toArray();
        Shape state = around(new int[] {b}, filters);
        Variable zeros = Variable.constant(device.zeros(state));
        Variable previous = zeros;
        Variable[] outputs = new Variable[t];
        for (int s = 0; s < t; s++) {
            int at = layer.goBackwards() ? t - 1 - s : s;
            float[] keep = m == null ? null : column(m, b, t, at);
            Variable fill = layer.zeroOutputForMask() ? zeros : previous;
            if (keep != null && all(keep, 0f)) {
                outputs[s] = previous = fill;  // no sample uses this step: states kept, nothing to compute
                continue;
            }
            Variable z = Ops.add(Ops.reshape(inputs[at], around(new int[] {b}, 4 * filters).dims()),
                    recurrent(h, recurrentMasks, recurrentGates));
            Variable[] g = Ops.split(z, rank + 1, filters, filters, filters, filters);
            Activation sr = layer.recurrentActivation();
            Variable i = sr.apply(g[0]);
            Variable f = sr.apply(g[1]);
            Variable candidate = layer.activation().apply(g[2]);
            Variable o = sr.apply(g[3]);
            Variable c2 = Ops.add(Ops.mul(f, c), Ops.mul(i, candidate));
            Variable h2 = Ops.mul(o, layer.activation().apply(c2));
            Variable y = h2;
            if (keep != null && !all(keep, 1f)) {
                int[] column = new int[rank + 2];
                Arrays.fill(column, 1);
                column[0] = b;
                Tensor k = device.tensor(keep, column);
                y = Ops.where(k, h2, fill);
                h2 = Ops.where(k, h2, h);
                c2 = Ops.where(k, c2, c);
            }
            h = h2;
            c = c2;
            outputs[s] = previous = y;
        }
        Variable output;
        if (!layer.returnSequences()) {
            output = t == 0 ? h : previous;  // no step: the initial h, as the fused LSTM gives
        } else if (t == 0) {
            output = Variable.constant(device.zeros(around(new int[] {b, 0}, filters)));
        } else {
            Variable[] seq = new Variable[t];
            for (int s = 0; s < t; s++) {
                seq[s] = Ops.reshape(outputs[s], around(new int[] {b, 1}, filters).dims());
            }
            output = t == 1 ? seq[0] : Ops.concat(1, seq);
        }
        return new RnnOutput(output, List.of(h, c));
    }

    /** Keras's four dropout masks of {@code shape} (one per gate), or null when none applies (as LSTM's cell). */
    private Tensor[] dropoutMasks(float rate, Shape shape, Device device, CallContext ctx) {
        if (!ctx.training() || !Masks.recurrentDropoutApplies(rate, false)) {
            return null;
        }
        Tensor[] m = new Tensor[4];
        for (int g = 0; g < 4; g++) {
            m[g] = Masks.dropout(device, shape, rate, ctx.random(), layer.name());
        }
        return m;
    }

    /**
     * The input convolution of every step (the layer's, with its strides, padding and dilation)
     * plus the bias, {@code (B, T, outDims..., 4F)}, split into the T steps {@code (B, 1, outDims..., 4F)}.
     */
    private Variable[] inputParts(Variable x, Tensor[] masks) {
        int b = x.dim(0);
        int t = x.dim(1);
        // Batch and time folded into one axis: one convolution for every step at once.
        int[] folded = Arrays.copyOfRange(x.shape().dims(), 1, rank + 3);
        folded[0] = b * t;
        Variable z;
        if (masks == null) {
            z = convolutions.input(Ops.reshape(x, folded), kernel.variable());
        } else {
            Variable[] w = gates(kernel.variable());
            Variable[] parts = new Variable[4];
            for (int g = 0; g < 4; g++) {
                Variable dropped = Ops.mul(x, Variable.constant(masks[g]));
                parts[g] = convolutions.input(Ops.reshape(dropped, folded), w[g]);
            }
            z = Ops.concat(rank + 1, parts);
        }
        if (bias != null) {
            z = Ops.add(z, bias.variable());
        }
        z = Ops.reshape(z, around(new int[] {b, t}, 4 * filters).dims());
        if (t == 1) {
            return new Variable[] {z};
        }
        int[] ones = new int[t];
        Arrays.fill(ones, 1);
        return Ops.split(z, 1, ones);
    }

    /** The recurrent convolution of h (stride 1, "same", no dilation): {@code (B, outDims..., 4F)}. */
    private Variable recurrent(Variable h, Tensor[] masks, Variable[] gates) {
        if (masks == null) {
            return convolutions.recurrent(h, recurrentKernel.variable());
        }
        Variable[] parts = new Variable[4];
        for (int g = 0; g < 4; g++) {
            parts[g] = convolutions.recurrent(Ops.mul(h, Variable.constant(masks[g])), gates[g]);
        }
        return Ops.concat(rank + 1, parts);
    }

    /** A kernel's four gate blocks i, f, c, o along its last axis, each {@code (k..., ·, F)}. */
    private Variable[] gates(Variable kernel) {
        Variable[] w = new Variable[4];
        for (int g = 0; g < 4; g++) {
            w[g] = Ops.slice(kernel, rank + 1, g * filters, filters);
        }
        return w;
    }

    /** Step {@code at} of a (batch, time) mask, as 0/1 per sample. */
    private static float[] column(float[] mask, int b, int t, int at) {
        float[] c = new float[b];
        for (int i = 0; i < b; i++) {
            c[i] = mask[i * t + at] != 0f ? 1f : 0f;
        }
        return c;
    }

    private static boolean all(float[] v, float value) {
        for (float f : v) {
            if (f != value) {
                return false;
            }
        }
        return true;
    }
}
