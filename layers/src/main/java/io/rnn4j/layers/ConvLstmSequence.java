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
 * How a built {@link ConvLSTM1D} runs over a sequence, composed of generic autograd ops (so every
 * backend runs it and its backward without a kernel of its own):
 * <ol>
 *   <li>the input convolution of every time step at once: batch and time folded into one axis,
 *       {@code (B·T, S, C)}, one convolution giving the four gates together {@code (B·T, S', 4F)}
 *       plus the bias (with input dropout: one convolution per gate on its masked input), split
 *       into the T steps once;</li>
 *   <li>per step, the recurrent "same" convolution of h with the whole recurrent kernel
 *       {@code (B, S', 4F)}, added to the step's input part, split into the gates, and the LSTM
 *       update; a masked step keeps h and c and repeats the previous output (Keras's
 *       {@code where(mask, new, old)}).</li>
 * </ol>
 *
 * <p>Cost (B batch, T steps, S/S' input/output spatial steps, C channels, F filters, K kernel
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
 * dominate from a few filters on. Backward costs twice the GEMMs and the same order of copies. A
 * masked step adds 3 selects; a step no sample uses is skipped. A fused kernel (as LSTM's) would
 * save the node overhead; none exists for convolutions.
 */
final class ConvLstmSequence {
    private final ConvLSTM1D layer;
    private final Windows windows;
    private final int outSteps;
    private final Weight kernel;
    private final Weight recurrentKernel;
    private final Weight bias;
    private final int filters;
    private final int size;
    /** The states carried between calls of a stateful layer (h, c; replaced each call, never written). */
    private Tensor[] states;
    private int stateBatch;

    /**
     * @param windows where the input convolution's windows fall
     * @param bias    null without use_bias
     */
    ConvLstmSequence(ConvLSTM1D layer, Windows windows, int outSteps, Weight kernel, Weight recurrentKernel,
            Weight bias) {
        this.layer = layer;
        this.windows = windows;
        this.outSteps = outSteps;
        this.kernel = kernel;
        this.recurrentKernel = recurrentKernel;
        this.bias = bias;
        this.filters = layer.filters();
        this.size = layer.kernelSize();
    }

    /**
     * Refuses initial states other than h and c of {@code expected} each, naming the layer.
     *
     * @param show how a shape is written: batchless for symbolic shapes
     */
    static void checkStates(ConvLSTM1D layer, List<Shape> given, Shape expected, Function<Shape, String> show) {
        if (given.size() != 2) {
            throw new IllegalArgumentException(layer.where() + ": initial_state must hold 2 states (h and c), got "
                    + given.size());
        }
        for (int i = 0; i < 2; i++) {
            Shape s = given.get(i);
            if (s == null || !s.equals(expected)) {
                throw new IllegalArgumentException(layer.where() + ": initial_state[" + i + "] must be (batch, "
                        + "new_steps, filters) = " + show.apply(expected) + ", got " + (s == null ? "null"
                        : show.apply(s)));
            }
        }
    }

    /**
     * Runs the layer on a checked input from the initial states, else a stateful layer's carried
     * states, else zeros: the output (every step's, in processing order, with return_sequences;
     * else the last) and the final h and c, which a stateful layer keeps.
     *
     * @param initialState h and c {@code (B, S', F)}, or null
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
        Shape state = Shape.of(b, outSteps, filters);
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
        int out = outSteps;
        Tensor[] inputMasks = dropoutMasks(layer.dropout(), Shape.of(b, 1, x.dim(2), x.dim(3)), device, ctx);
        Tensor[] recurrentMasks = dropoutMasks(layer.recurrentDropout(), Shape.of(b, out, filters), device, ctx);
        Variable[] inputs = t == 0 ? new Variable[0] : inputParts(x, inputMasks, out);
        Variable[] recurrentGates = recurrentMasks == null ? null : gates(recurrentKernel.variable());
        float[] m = mask == null ? null : mask.toArray();
        Variable zeros = Variable.constant(device.zeros(b, out, filters));
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
            Variable z = Ops.add(Ops.reshape(inputs[at], b, out, 4 * filters),
                    recurrent(h, recurrentMasks, recurrentGates));
            Variable[] g = Ops.split(z, 2, filters, filters, filters, filters);
            Activation sr = layer.recurrentActivation();
            Variable i = sr.apply(g[0]);
            Variable f = sr.apply(g[1]);
            Variable candidate = layer.activation().apply(g[2]);
            Variable o = sr.apply(g[3]);
            Variable c2 = Ops.add(Ops.mul(f, c), Ops.mul(i, candidate));
            Variable h2 = Ops.mul(o, layer.activation().apply(c2));
            Variable y = h2;
            if (keep != null && !all(keep, 1f)) {
                Tensor k = device.tensor(keep, b, 1, 1);
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
            output = Variable.constant(device.zeros(b, 0, out, filters));
        } else {
            Variable[] seq = new Variable[t];
            for (int s = 0; s < t; s++) {
                seq[s] = Ops.reshape(outputs[s], b, 1, out, filters);
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
     * The input convolution of every step (Conv1D's, with the layer's strides, padding and
     * dilation) plus the bias, {@code (B, T, S', 4F)}, split into the T steps {@code (B, 1, S', 4F)}.
     */
    private Variable[] inputParts(Variable x, Tensor[] masks, int out) {
        int b = x.dim(0);
        int t = x.dim(1);
        int s = x.dim(2);
        int ch = x.dim(3);
        Variable z;
        if (masks == null) {
            z = Conv1D.convolve(Ops.reshape(x, b * t, s, ch), kernel.variable(), windows);
        } else {
            Variable[] w = gates(kernel.variable());
            Variable[] parts = new Variable[4];
            for (int g = 0; g < 4; g++) {
                Variable dropped = Ops.mul(x, Variable.constant(masks[g]));
                parts[g] = Conv1D.convolve(Ops.reshape(dropped, b * t, s, ch), w[g], windows);
            }
            z = Ops.concat(2, parts);
        }
        if (bias != null) {
            z = Ops.add(z, bias.variable());
        }
        z = Ops.reshape(z, b, t, out, 4 * filters);
        if (t == 1) {
            return new Variable[] {z};
        }
        int[] ones = new int[t];
        Arrays.fill(ones, 1);
        return Ops.split(z, 1, ones);
    }

    /** The recurrent convolution of h (stride 1, "same", no dilation): {@code (B, S', 4F)}. */
    private Variable recurrent(Variable h, Tensor[] masks, Variable[] gates) {
        // TensorFlow's "same" at stride 1: K − 1 steps of padding, the odd one on the right.
        int left = (size - 1) / 2;
        int right = size - 1 - left;
        if (masks == null) {
            return Ops.conv1d(h, recurrentKernel.variable(), 1, left, right);
        }
        Variable[] parts = new Variable[4];
        for (int g = 0; g < 4; g++) {
            parts[g] = Ops.conv1d(Ops.mul(h, Variable.constant(masks[g])), gates[g], 1, left, right);
        }
        return Ops.concat(2, parts);
    }

    /** A kernel's four gate blocks i, f, c, o along its last axis, each {@code (K, ·, F)}. */
    private Variable[] gates(Variable kernel) {
        Variable[] w = new Variable[4];
        for (int g = 0; g < 4; g++) {
            w[g] = Ops.slice(kernel, 2, g * filters, filters);
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
