package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.autograd.Autograd;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.initializers.Initializers;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Keras's SpectralNormalization wrapper: before each training call it divides the wrapped layer's
 * {@code kernel} (or an Embedding's {@code embeddings}) by its largest singular value, estimated by
 * {@code powerIterations} steps of the power iteration from the non-trainable {@code vector_u}
 * (1, last kernel axis; TruncatedNormal(stddev 0.02)), and writes both the normalised kernel and
 * the new vector_u back into the weights, as Keras's assign does (an all-zero kernel is left as it
 * is). The gradient is then taken with respect to the normalised kernel as it stands, not through
 * the normalisation, as Keras's assign-then-call does. Inference calls the wrapped layer on the
 * kernel as it is. The mask is dropped (Keras's wrapper does not support masking).
 *
 * <p>Weights, in Keras's {@code layer.weights} order: the kernel, vector_u, then the wrapped
 * layer's others (e.g. Dense's bias).
 */
public final class SpectralNormalization extends Layer {
    /** Models as layers (named, as this package does not depend on the model package). */
    private static final Set<String> MODELS = Set.of("Sequential", "Functional", "Model");
    private final Layer layer;
    private final DroppedMaskWarning droppedMask = new DroppedMaskWarning();
    private int powerIterations = 1;
    private Weight kernel;
    private Weight vectorU;

    /** Wraps {@code layer}, which must have a {@code kernel} or {@code embeddings} weight once built. */
    public SpectralNormalization(Layer layer) {
        super("spectral_normalization");
        this.layer = Objects.requireNonNull(layer, "layer");
        if (layer instanceof Operation) {
            throw new IllegalArgumentException(where() + ": '" + layer.name() + "' (" + layer.className()
                    + ") is an operation in Keras, not a layer; SpectralNormalization wraps a layer with a kernel");
        }
        // Keras's build looks for a `kernel` (or `embeddings`) attribute of the layer itself: recurrent
        // layers keep theirs on the cell, wrappers and attention on sublayers, so Keras refuses them
        // although their weights include one named "kernel".
        if (layer instanceof RecurrentLayer || layer instanceof Bidirectional || layer instanceof TimeDistributed
                || layer instanceof SpectralNormalization || layer instanceof MultiHeadAttention
                || layer instanceof GroupQueryAttention || MODELS.contains(layer.className())) {
            throw new IllegalArgumentException(where() + ": the wrapped layer '" + layer.name() + "' ("
                    + layer.className() + ") has no attribute 'kernel' nor 'embeddings' in Keras; "
                    + "SpectralNormalization wraps a layer such as Dense, a convolution or Embedding");
        }
    }

    @Override
    public SpectralNormalization named(String newName) {
        super.named(newName);
        return this;
    }

    /** Keras's power_iterations (default 1): power-iteration steps per training call, at least 1. */
    public SpectralNormalization powerIterations(int n) {
        requireNotBuilt("power_iterations");
        if (n <= 0) {
            throw new IllegalArgumentException(where() + ": power_iterations must be > 0, got " + n);
        }
        this.powerIterations = n;
        return this;
    }

    public int powerIterations() {
        return powerIterations;
    }

    /** The wrapped layer (Keras's {@code layer}). */
    public Layer layer() {
        return layer;
    }

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        layer.build(in, device(), random);
        kernel = layer.weights().stream().filter(w -> w.name().equals("kernel")).findFirst()
                .or(() -> layer.weights().stream().filter(w -> w.name().equals("embeddings")).findFirst())
                .orElseThrow(() -> new IllegalArgumentException(where() + ": the wrapped layer '" + layer.name()
                        + "' (" + layer.className() + ") has no weight 'kernel' nor 'embeddings' to normalize"));
        Shape k = kernel.shape();
        vectorU = addWeight("vector_u", Shape.of(1, k.dim(k.rank() - 1)), Initializers.truncatedNormal(0.0, 0.02),
                random, null, null, false);
        return outputShapeFor(in);
    }

    /** What the wrapped layer takes. */
    @Override
    protected Shape acceptedShape() {
        return layer.acceptedShape();
    }

    /** The wrapped layer's output shape (Keras's compute_output_shape). */
    @Override
    protected Shape outputShapeFor(Shape in) {
        return layer.computeOutputShapes(List.of(in)).get(0);
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        droppedMask.check(this, mask);
        if (ctx.training()) {
            normalizeKernel();
        }
        return layer.call(x, null, ctx);
    }

    /**
     * Keras's normalized_weights and the two assigns: with W the kernel viewed as (−1, n) and u
     * vector_u, {@code v = normalize(u·Wᵀ)}, {@code u = normalize(v·W)} (each step), then
     * {@code σ = (v·W)·uᵀ} and {@code kernel = kernel / σ}; normalize divides by the L2 norm of all
     * entries, at least 1e-7. Not recorded: the gradient does not flow through it.
     */
    private void normalizeKernel() {
        try (var _ = Autograd.noGrad()) {
            Shape ks = kernel.shape();
            int n = ks.dim(ks.rank() - 1);
            Variable w = Variable.constant(kernel.value().reshape(-1, n));
            if (Ops.max(Ops.reshape(Ops.unary(UnaryOp.ABS, w), -1), 0, false).value().item() == 0f) {
                return; // Keras's cond: an all-zero kernel keeps its value and vector_u
            }
            Variable u = Variable.constant(vectorU.value());
            Variable v = null;
            for (int i = 0; i < powerIterations; i++) {
                // u·Wᵀ as a row: Σ_j u_j W_ij for each row i of W
                v = normalized(Ops.reshape(Ops.sum(Ops.mul(w, u), 1, false), 1, -1));
                u = normalized(Ops.matmul(v, w));
            }
            Variable sigma = Ops.sum(Ops.mul(Ops.matmul(v, w), u), 1, true); // (1, 1)
            Variable scaled = Ops.div(w, sigma);
            vectorU.set(u.value());
            kernel.set(scaled.value().reshape(ks.dims()));
        }
    }

    /** Keras's ops.normalize(x, axis=None): x · rsqrt(max(Σx², 1e-7²)). */
    private static Variable normalized(Variable x) {
        Variable ss = Ops.sumAll(Ops.unary(UnaryOp.SQUARE, x));
        Variable floor = Variable.constant(x.device().tensor(new float[] {(float) (1e-7 * 1e-7)}));
        Variable inv = Ops.unary(UnaryOp.RECIPROCAL, Ops.unary(UnaryOp.SQRT, Ops.maximum(ss, floor)));
        return Ops.mul(x, inv);
    }

    /** The kernel, vector_u, then the wrapped layer's other weights (Keras's layer.weights). */
    @Override
    public List<Weight> weights() {
        if (!isBuilt()) {
            return layer.weights();
        }
        List<Weight> out = new ArrayList<>();
        out.add(kernel);
        out.add(vectorU);
        for (Weight w : layer.weights()) {
            if (w != kernel) {
                out.add(w);
            }
        }
        return out;
    }

    /** The wrapped layer's weights in its own order (its {@code layer/vars} in a Keras weights file). */
    public List<Weight> layerWeights() {
        return layer.weights();
    }

    /** Keras's wrapper drops the mask. */
    @Override
    public Tensor computeMask(Variable x, Tensor mask) {
        return null;
    }
}
