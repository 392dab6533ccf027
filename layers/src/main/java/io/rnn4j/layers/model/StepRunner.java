package io.rnn4j.layers.model;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.RnnState;
import io.rnn4j.engine.RnnWeights;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.Activation;
import io.rnn4j.layers.ActivationLayer;
import io.rnn4j.layers.AlphaDropout;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Dropout;
import io.rnn4j.layers.ELU;
import io.rnn4j.layers.LeakyReLU;
import io.rnn4j.layers.PReLU;
import io.rnn4j.layers.ReLU;
import io.rnn4j.layers.Softmax;
import io.rnn4j.layers.GaussianDropout;
import io.rnn4j.layers.GaussianNoise;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Normalization;
import io.rnn4j.layers.Rescaling;
import io.rnn4j.layers.Recurrent;
import io.rnn4j.layers.SpatialDropout1D;
import io.rnn4j.layers.TimeDistributed;
import io.rnn4j.layers.Weight;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a built model one time step at a time for latency-sensitive callers (one sequence, batch 1):
 * {@link #step} takes the features of the next step and writes the model's output for it — what
 * the model gives for the sequence so far — keeping the recurrent states between calls.
 *
 * <p>Every buffer is allocated here, once; a step only writes the input into the device, runs the
 * fused kernels for one step (states ping-pong between two buffers) and the dense layers' GEMV, and
 * reads the output back. Forward-running recurrent layers, Dense (also inside TimeDistributed),
 * Activation, the activation layers (ReLU but with a threshold, LeakyReLU, ELU, PReLU with alpha
 * shared over the steps, Softmax over the features), Normalization per feature or over all,
 * Rescaling, and the dropout and noise layers (the identity at inference) can be stepped; a layer
 * that needs the whole sequence (go_backwards, Bidirectional, a Softmax over the steps) or the
 * step's position (a PReLU with an alpha per step) cannot. Not thread-safe: one runner per
 * stream; the model's weights may be shared by many runners.
 */
public final class StepRunner {
    /** One layer's per-step work on preallocated buffers. */
    interface Step {
        void run();

        default void reset() {
        }
    }

    private final Device device;
    private final Tensor input;
    private final Tensor output;
    private final List<Step> steps = new ArrayList<>();

    StepRunner(Sequential model) {
        this.device = model.device();
        Shape in = model.inputShape();
        if (in.rank() != 2 || in.dim(1) == Shape.UNKNOWN) {
            throw new IllegalArgumentException(model.name() + ": stepping needs a model of (timesteps, features) "
                    + "inputs with a known number of features, got " + Layer.batchless(in));
        }
        this.input = device.zeros(1, in.dim(1));
        Tensor current = input;
        for (Layer l : model.layers()) {
            current = add(l, current);
        }
        this.output = current;
    }

    /** Adds the step of {@code l} reading {@code in} (1, features); returns its output buffer. */
    private Tensor add(Layer l, Tensor in) {
        if (l instanceof Recurrent<?> r) {
            return recurrent(r, in);
        }
        if (l instanceof Dense dense) {
            return dense(dense, in);
        }
        if (l instanceof TimeDistributed td && td.inner() instanceof Dense dense) {
            return dense(dense, in);
        }
        if (l instanceof ActivationLayer a) {
            Tensor out = device.zeros(in.shape());
            steps.add(() -> activate(a.activation(), in, out));
            return out;
        }
        if (l instanceof ReLU || l instanceof LeakyReLU || l instanceof ELU || l instanceof PReLU
                || l instanceof Softmax) {
            Tensor out = device.zeros(in.shape());
            steps.add(ActivationSteps.of(l, in, out));
            return out;
        }
        if (l instanceof Dropout || l instanceof SpatialDropout1D || l instanceof GaussianNoise
                || l instanceof GaussianDropout || l instanceof AlphaDropout) {
            return in;  // the identity at inference
        }
        if (l instanceof Normalization n) {
            return normalization(n, in);
        }
        if (l instanceof Rescaling r) {
            Tensor out = device.zeros(in.shape());
            Tensor scale = device.tensor(r.scale(), 1, r.scale().length);
            Tensor offset = device.tensor(r.offset(), 1, r.offset().length);
            steps.add(() -> {
                device.binary(BinaryOp.MUL, in, scale, out);
                device.binary(BinaryOp.ADD, out, offset, out);
            });
            return out;
        }
        throw new IllegalArgumentException("layer '" + l.name() + "' (" + l.className() + ") cannot run step by "
                + "step; stepping supports forward recurrent layers, Dense, TimeDistributed(Dense), Activation, "
                + "ReLU, LeakyReLU, ELU, PReLU, Softmax, Normalization, Rescaling and the dropout and noise "
                + "layers");
    }

    /** The layer's forward on one step: its statistics per feature or one for all, re-read each step (adapt may change them). */
    private Tensor normalization(Normalization n, Tensor in) {
        int rank = n.inputShape().rank() + 1;
        int[] axes = n.axis();
        if (axes.length > 1 || axes.length == 1 && (axes[0] < 0 ? axes[0] + rank : axes[0]) != rank - 1) {
            throw new IllegalArgumentException("layer '" + n.name() + "' (Normalization) keeps statistics on axes "
                    + Arrays.toString(axes) + " of a (batch, steps, features) input and cannot run step "
                    + "by step; stepping takes one mean per feature (axis -1) or one for all (axis None)");
        }
        int size = Math.toIntExact(n.mean().size());
        Tensor mean = n.mean().reshape(1, size);
        Tensor variance = n.variance().reshape(1, size);
        Tensor std = device.zeros(1, size);
        Tensor floor = device.full(Shape.of(), Normalization.MIN_STD);
        Tensor out = device.zeros(in.shape());
        steps.add(() -> {
            device.unary(UnaryOp.SQRT, variance, std);
            device.binary(BinaryOp.MAX, std, floor, std);
            if (n.invert()) {
                device.binary(BinaryOp.MUL, in, std, out);
                device.binary(BinaryOp.ADD, mean, out, out);
            } else {
                device.binary(BinaryOp.SUB, in, mean, out);
                device.binary(BinaryOp.DIV, out, std, out);
            }
        });
        return out;
    }

    private Tensor recurrent(Recurrent<?> r, Tensor in) {
        if (r.goBackwards()) {
            throw new IllegalArgumentException("layer '" + r.name() + "' goes backwards: it needs the whole "
                    + "sequence and cannot run step by step");
        }
        RnnSpec spec = r.spec().withZeroOutputForMask(false);
        List<Weight> w = r.weights();
        RnnWeights weights = new RnnWeights(w.get(0).value(), w.get(1).value(), spec.useBias() ? w.get(2).value()
                : null);
        int h = spec.units();
        boolean lstm = spec.hasCellState();
        Tensor x = in.reshape(1, 1, in.dim(1));
        Tensor out = device.zeros(1, 1, h);
        RnnState a = new RnnState(device.zeros(1, h), lstm ? device.zeros(1, h) : null);
        RnnState b = new RnnState(device.zeros(1, h), lstm ? device.zeros(1, h) : null);
        steps.add(new Step() {
            private boolean fromA = true;

            @Override
            public void run() {
                device.rnnForward(spec, x, null, null, weights, fromA ? a : b, out, fromA ? b : a, null);
                fromA = !fromA;
            }

            @Override
            public void reset() {
                for (RnnState s : new RnnState[] {a, b}) {
                    device.fill(s.h(), 0f);
                    if (s.c() != null) {
                        device.fill(s.c(), 0f);
                    }
                }
                fromA = true;
            }
        });
        return out.reshape(1, h);
    }

    private Tensor dense(Dense dense, Tensor in) {
        List<Weight> w = dense.weights();
        Tensor kernel = w.get(0).value();
        // The bias as a (1, units) view of the weight, so that adding it broadcasts nothing (no garbage per step).
        Tensor biasRow = w.size() > 1 ? w.get(1).value().reshape(1, dense.units()) : null;
        Tensor out = device.zeros(1, dense.units());
        Activation act = dense.activation();
        steps.add(() -> {
            device.gemm(false, false, 1f, in, kernel, 0f, out);
            if (biasRow != null) {
                device.binary(BinaryOp.ADD, out, biasRow, out);
            }
            activate(act, out, out);
        });
        return out;
    }

    private void activate(Activation a, Tensor in, Tensor out) {
        if (a == Activation.SOFTMAX) {
            device.softmax(in, -1, false, out);
        } else if (a != Activation.LINEAR || in != out) {
            device.unary(a.unaryOp(), in, out);
        }
    }

    /** Features per step. */
    public int inputSize() {
        return input.dim(1);
    }

    /** Outputs per step. */
    public int outputSize() {
        return output.dim(1);
    }

    /**
     * Feeds one time step and writes the output for it into {@code result}; on the simd backend
     * this allocates nothing (the scalar reference backend makes its per-call arrays).
     *
     * @throws IllegalArgumentException if the arrays do not have {@link #inputSize()} and {@link #outputSize()} elements
     */
    public void step(float[] features, float[] result) {
        if (features == null || result == null) {
            throw new IllegalArgumentException("step: expected arrays of " + inputSize() + " features and room for "
                    + outputSize() + " outputs, got " + (features == null ? "null" : features.length + " features")
                    + " and " + (result == null ? "null" : "room for " + result.length));
        }
        if (features.length != inputSize() || result.length != outputSize()) {
            throw new IllegalArgumentException("step: expected " + inputSize() + " features and room for "
                    + outputSize() + " outputs, got " + features.length + " and " + result.length);
        }
        device.write(features, input);
        for (int i = 0; i < steps.size(); i++) {  // indexed: no iterator per step
            steps.get(i).run();
        }
        device.backend().read(output.storage(), output.offset(), result, 0, result.length);
    }

    /** Feeds one time step and returns a new array with the output. */
    public float[] step(float[] features) {
        if (features == null) {
            throw new IllegalArgumentException("step: expected an array of " + inputSize() + " features, got null");
        }
        float[] result = new float[outputSize()];
        step(features, result);
        return result;
    }

    /** Starts a new sequence: the recurrent states back to zero. */
    public void reset() {
        for (Step s : steps) {
            s.reset();
        }
    }
}
