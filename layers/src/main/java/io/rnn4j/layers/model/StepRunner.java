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
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.LeakyReLU;
import io.rnn4j.layers.PReLU;
import io.rnn4j.layers.ReLU;
import io.rnn4j.layers.Softmax;
import io.rnn4j.layers.GaussianDropout;
import io.rnn4j.layers.GaussianNoise;
import io.rnn4j.layers.Identity;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Node;
import io.rnn4j.layers.Normalization;
import io.rnn4j.layers.Rescaling;
import io.rnn4j.layers.Recurrent;
import io.rnn4j.layers.SpatialDropout1D;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.TimeDistributed;
import io.rnn4j.layers.Weight;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a built model one time step at a time for latency-sensitive callers (one sequence, batch 1):
 * {@link #step} takes the features of the next step and writes the model's output for it — what
 * the model gives for the sequence so far — keeping the recurrent states between calls. A model
 * whose first layer is an {@link Embedding} on {@code (timesteps,)} ids takes one id per step
 * ({@link #step(int, float[])}); with {@code mask_zero}, id 0 is a masked step as in Keras: the
 * recurrent layers it reaches keep their states and repeat their previous output (zeros before
 * the first id that is not 0; zeros always with zero_output_for_mask).
 *
 * <p>Every buffer is allocated here, once; a step only writes the input into the device (an id is
 * looked up with the device's row gather into a preallocated row), runs the fused kernels for one
 * step (states ping-pong between two buffers) and the dense layers' GEMV, and reads the output
 * back. Forward-running recurrent layers, Dense (also inside TimeDistributed), Activation, the
 * activation layers (ReLU but with a threshold, LeakyReLU, ELU, PReLU with alpha shared over the
 * steps, Softmax over the features), Normalization per feature or over all, Rescaling, and the
 * dropout and noise layers (the identity at inference) can be stepped; a layer that needs the
 * whole sequence (go_backwards, Bidirectional, a Softmax over the steps) or the step's position (a
 * PReLU with an alpha per step) cannot. A functional model steps when it is a plain chain of
 * such layers ({@link Model#stepRunner()}). Not thread-safe: one runner per stream; the model's
 * weights may be shared by many runners.
 */
public final class StepRunner {
    /** One layer's per-step work on preallocated buffers. */
    interface Step {
        void run();

        default void reset() {
        }
    }

    /** What stepping takes, for the messages refusing a model. */
    private static final String TAKES = "stepping takes a chain of layers on (timesteps, features) inputs with a "
            + "known number of features, or on (timesteps,) ids into an Embedding first";

    private final Device device;
    /** (1, features), or (1) holding the step's id when the first layer is an Embedding. */
    private final Tensor input;
    private final Tensor output;
    private final List<Step> steps = new ArrayList<>();
    /** The first layer when it is an Embedding (the runner takes ids); null otherwise. */
    private final Embedding embedding;
    /** The id to write, kept so that stepping an int makes no array. */
    private final float[] id = new float[1];
    /** Whether the step being run is masked (id 0 under mask_zero): read by the recurrent steps the mask reaches. */
    private boolean masked;
    /** While adding layers: whether the Embedding's mask reaches the next layer (Keras's compute_mask chain). */
    private boolean maskReaches;

    StepRunner(Sequential model) {
        this(model.name(), model.device(), model.inputShape(), model.layers());
    }

    /** A runner of {@code layers} applied in turn to samples of {@code in} (no batch dimension). */
    private StepRunner(String model, Device device, Shape in, List<Layer> layers) {
        this.device = device;
        Layer first = layers.isEmpty() ? null : layers.get(0);
        Tensor current;
        if (first instanceof Embedding e) {
            if (in.rank() != 1) {
                throw new IllegalArgumentException(model + ": layer '" + e.name() + "' (Embedding) reads ids of "
                        + "shape " + Layer.batchless(in) + " and cannot run step by step; stepping an Embedding "
                        + "takes (timesteps,) ids, one id per step");
            }
            this.embedding = e;
            this.input = device.zeros(1);
            Tensor table = e.weights().get(0).value();
            Tensor row = device.zeros(1, e.outputDim());
            steps.add(() -> device.gather(table, input, row));
            maskReaches = e.maskZero();
            current = row;
        } else {
            if (in.rank() != 2 || in.dim(1) == Shape.UNKNOWN) {
                throw new IllegalArgumentException(model + ": " + TAKES + "; got inputs of shape "
                        + Layer.batchless(in) + (first == null ? "" : " into layer '" + first.name() + "' ("
                        + first.className() + ")"));
            }
            this.embedding = null;
            this.input = device.zeros(1, in.dim(1));
            current = input;
        }
        for (int i = embedding != null ? 1 : 0; i < layers.size(); i++) {
            current = add(layers.get(i), current);
        }
        this.output = current;
    }

    /**
     * A runner for a functional model that is a plain chain: one input, one output, each layer
     * applied once to the output of the one before.
     *
     * @throws IllegalArgumentException naming the layer where the graph is not such a chain
     */
    static StepRunner chain(Model model) {
        if (model.inputs().size() != 1 || model.outputs().size() != 1) {
            throw new IllegalArgumentException(model.name() + ": the model has " + model.inputs().size()
                    + " inputs and " + model.outputs().size() + " outputs; " + TAKES + " (one input, one output)");
        }
        List<Layer> layers = new ArrayList<>();
        SymbolicTensor t = model.outputs().get(0);
        while (!t.node().isInput()) {
            Node n = t.node();
            if (n.inputs().size() != 1 || n.outputs().size() != 1 || n.mask() != null) {
                throw new IllegalArgumentException(model.name() + ": layer '" + n.layer().name() + "' ("
                        + n.layer().className() + ") is applied to " + n.inputsAndMask().size() + " tensors and gives "
                        + n.outputs().size() + ", so the model is not a plain chain and cannot run step by step; "
                        + TAKES + ", each applied to the one before");
            }
            layers.addFirst(n.layer());
            t = n.inputs().get(0);
        }
        return new StepRunner(model.name(), model.device(), model.inputShapes().get(0), layers);
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
        if (l instanceof Softmax && maskReaches) {
            // Keras's Softmax adds the (batch, timesteps) mask to the scores, broadcast against the
            // features axis: it depends on the number of steps, so one step has no meaning of its own.
            throw new IllegalArgumentException("layer '" + l.name() + "' (Softmax) receives the Embedding's "
                    + "mask_zero mask and cannot run step by step; stepping takes a Softmax without a mask (use "
                    + "Dense(activation=\"softmax\") or an Embedding without mask_zero)");
        }
        if (l instanceof ReLU || l instanceof LeakyReLU || l instanceof ELU || l instanceof PReLU
                || l instanceof Softmax) {
            Tensor out = device.zeros(in.shape());
            steps.add(ActivationSteps.of(l, in, out));
            return out;
        }
        if (l instanceof Dropout || l instanceof SpatialDropout1D || l instanceof GaussianNoise
                || l instanceof GaussianDropout || l instanceof AlphaDropout || l instanceof Identity) {
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
        if (l instanceof Embedding) {
            throw new IllegalArgumentException("layer '" + l.name() + "' (Embedding) is not the model's first "
                    + "layer and cannot run step by step; stepping takes an Embedding only first, on (timesteps,) "
                    + "ids");
        }
        throw new IllegalArgumentException("layer '" + l.name() + "' (" + l.className() + ") cannot run step by "
                + "step; stepping supports an Embedding first, forward recurrent layers, Dense, "
                + "TimeDistributed(Dense), Activation, ReLU, LeakyReLU, ELU, PReLU, Softmax, Normalization, "
                + "Rescaling and the dropout and noise layers");
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
            throw new IllegalArgumentException("layer '" + r.name() + "' goes backwards (" + r.className()
                    + " with go_backwards=True): it needs the whole sequence and cannot run step by step; stepping "
                    + "takes recurrent layers that run forward");
        }
        // Keras's mask reaches this layer from a mask_zero Embedding; it passes on only with return_sequences.
        boolean obeysMask = maskReaches;
        // zero_output_for_mask: a masked step outputs zeros (Keras's backend rnn), the states still kept.
        boolean zeroOutput = r.zeroOutputForMask();
        maskReaches = maskReaches && r.returnSequences();
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
                if (obeysMask && masked) {
                    // A masked step in Keras keeps the states and repeats the previous output, which
                    // is still in out (zeros before the first unmasked step), or gives zeros.
                    if (zeroOutput) {
                        device.fill(out, 0f);
                    }
                    return;
                }
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
                device.fill(out, 0f);
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
        if (a == Activation.SOFTMAX || a == Activation.LOG_SOFTMAX) {
            device.softmax(in, -1, a == Activation.LOG_SOFTMAX, out);
        } else if (a != Activation.LINEAR || in != out) {
            device.unary(a.unaryOp(), in, out);
        }
    }

    /** Features per step: 1 (the id) when the first layer is an Embedding. */
    public int inputSize() {
        return embedding != null ? 1 : input.dim(1);
    }

    /** Outputs per step. */
    public int outputSize() {
        return output.dim(1);
    }

    /**
     * Feeds one time step and writes the output for it into {@code result}; on the simd backend
     * this allocates nothing (the scalar reference backend makes its per-call arrays). For a model
     * with an Embedding first, {@code features} holds the step's id.
     *
     * @throws IllegalArgumentException if the arrays do not have {@link #inputSize()} and
     *                                  {@link #outputSize()} elements, or for an id that is not an
     *                                  integer in {@code [0, input_dim)}
     */
    public void step(float[] features, float[] result) {
        if (features == null || result == null) {
            throw new IllegalArgumentException("step: expected arrays of " + inputSize() + " " + what()
                    + " and room for " + outputSize() + " outputs, got " + (features == null ? "null"
                    : features.length + " " + what()) + " and " + (result == null ? "null" : "room for "
                    + result.length));
        }
        if (features.length != inputSize() || result.length != outputSize()) {
            throw new IllegalArgumentException("step: expected " + inputSize() + " " + what() + " and room for "
                    + outputSize() + " outputs, got " + features.length + " and " + result.length);
        }
        if (embedding != null) {
            masked = checkId(features[0]) && embedding.maskZero();
        }
        device.write(features, input);
        run(result);
    }

    /**
     * Feeds the next id to a model whose first layer is an Embedding and writes the output for it
     * into {@code result}, allocating nothing on the simd backend. With {@code mask_zero}, id 0 is a
     * masked step (see the class comment).
     *
     * @throws IllegalStateException    if the first layer is not an Embedding
     * @throws IllegalArgumentException for an id outside {@code [0, input_dim)} or past 2^24 (ids are
     *                                  looked up as float32, which holds no larger one exactly), or a result that
     *                                  does not have {@link #outputSize()} elements
     */
    public void step(int id, float[] result) {
        if (embedding == null) {
            throw new IllegalStateException("step(id): the model's first layer is not an Embedding; step it with "
                    + "the step's " + inputSize() + " features as a float[]");
        }
        if (result == null || result.length != outputSize()) {
            throw new IllegalArgumentException("step: expected room for " + outputSize() + " outputs, got "
                    + (result == null ? "null" : result.length));
        }
        masked = checkId(id) && embedding.maskZero();
        this.id[0] = id;
        device.write(this.id, input);
        run(result);
    }

    /** As {@link #step(int, float[])}, returning a new array with the output. */
    public float[] step(int id) {
        float[] result = new float[outputSize()];
        step(id, result);
        return result;
    }

    /** Feeds one time step and returns a new array with the output. */
    public float[] step(float[] features) {
        if (features == null) {
            throw new IllegalArgumentException("step: expected an array of " + inputSize() + " " + what()
                    + ", got null");
        }
        float[] result = new float[outputSize()];
        step(features, result);
        return result;
    }

    private void run(float[] result) {
        for (int i = 0; i < steps.size(); i++) {  // indexed: no iterator per step
            steps.get(i).run();
        }
        device.backend().read(output.storage(), output.offset(), result, 0, result.length);
    }

    /** Refuses an id the Embedding would refuse, before anything is written; whether it is 0. */
    private boolean checkId(float v) {
        if (v != Math.rint(v) || v < 0 || v >= embedding.inputDim()) {
            throw badId(String.valueOf(v));
        }
        return v == 0;
    }

    private boolean checkId(int v) {
        if (v < 0 || v >= embedding.inputDim()) {
            throw badId(String.valueOf(v));
        }
        if ((int) (float) v != v) {
            // The device holds ids as float32: past 2^24 this one would become its neighbour.
            throw new IllegalArgumentException("step: layer '" + embedding.name() + "' (Embedding) looks ids up "
                    + "as float32, exact only up to 2^24 = 16777216; got " + v + ", which would read row "
                    + (long) (float) v);
        }
        return v == 0;
    }

    private IllegalArgumentException badId(String got) {
        return new IllegalArgumentException("step: layer '" + embedding.name() + "' (Embedding) takes ids that are "
                + "integers in [0, " + embedding.inputDim() + "), got " + got);
    }

    private String what() {
        return embedding != null ? "id" : "features";
    }

    /** Starts a new sequence: the recurrent states back to zero. */
    public void reset() {
        for (Step s : steps) {
            s.reset();
        }
    }
}
