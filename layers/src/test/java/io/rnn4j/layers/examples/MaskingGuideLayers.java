package io.rnn4j.layers.examples;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.keras.CustomLayerConfig;
import io.rnn4j.layers.keras.CustomLayers;
import io.rnn4j.layers.keras.KerasSerializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The custom layers of keras-io's guides/understanding_masking_and_padding.py written in Java as a user
 * ports them from the guide's Python: each overrides what the Python class overrides ({@code call} is
 * {@code forward}/{@code forwardAll}, {@code compute_mask} is {@code computeMask}/{@code computeMasks};
 * {@code supports_masking = True} is a {@code computeMask} that returns the incoming mask). Registered in
 * make_masking_guide.py under the package "maskguide"; {@link #REGISTRY} is Keras's custom_objects.
 */
final class MaskingGuideLayers {
    /** The factories of the guide's five classes, by their registered names. */
    static final CustomLayers REGISTRY = CustomLayers.of()
            .with("maskguide>MyLayer", c -> new MyLayer())
            .with("maskguide>TemporalSplit", c -> new TemporalSplit())
            .with("maskguide>CustomEmbedding", CustomEmbedding::fromConfig)
            .with("maskguide>MyActivation", c -> new MyActivation())
            .with("maskguide>TemporalSoftmax", c -> new TemporalSoftmax());

    private MaskingGuideLayers() {
    }

    /** Base: saved as the "maskguide" package's registered class of the same name, with no options. */
    abstract static class Registered extends Layer implements KerasSerializable {
        Registered(String prefix) {
            super(prefix);
        }

        @Override
        public Map<String, Object> kerasConfig() {
            return Map.of();
        }

        @Override
        public String kerasRegisteredName() {
            return "maskguide>" + className();
        }
    }

    /**
     * The guide's MyLayer: an {@code Embedding(mask_zero=True)} and an LSTM as attributes; its call passes
     * {@code embedding.compute_mask(inputs)} to {@code lstm(x, mask=mask)}. Sizes 50·8 and 8 units (the
     * guide's 5000·16 and 32, shrunk).
     */
    static final class MyLayer extends Registered {
        private final Embedding embedding = addSublayer("embedding", new Embedding(50, 8).maskZero(true));
        private final LSTM lstm = addSublayer("lstm", new LSTM(8));

        MyLayer() {
            super("my_layer");
        }

        @Override
        protected Shape build(Shape in, RandomGenerator random) {
            embedding.build(in, device(), random);
            lstm.build(embedding.outputShape(), device(), random);
            return lstm.outputShape();
        }

        @Override
        protected Variable forward(Variable inputs, Tensor mask, CallContext ctx) {
            Variable x = embedding.call(inputs, null, ctx);
            Tensor m = embedding.computeMask(inputs, null);
            return lstm.call(x, m, ctx); // the layer will ignore the masked values
        }
    }

    /** The guide's TemporalSplit: the input and its mask cut into two halves along time (axis 1). */
    static final class TemporalSplit extends Registered {
        TemporalSplit() {
            super("temporal_split");
        }

        @Override
        protected Shape build(Shape in, RandomGenerator random) {
            return half(in);
        }

        private Shape half(Shape in) {
            requireKnown(in, 0, "to split time in two");
            if (in.dim(0) % 2 != 0) {
                // tf.split(x, 2, axis=1) raises for an odd length too
                throw new IllegalArgumentException(name() + ": expected an even number of timesteps, got "
                        + batchless(in));
            }
            return in.with(0, in.dim(0) / 2);
        }

        @Override
        protected List<Shape> outputShapes(List<Shape> shapes) {
            requireInputCount(shapes.size(), 1, 1);
            Shape h = half(shapes.get(0));
            return List.of(h, h);
        }

        @Override
        protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
            throw new IllegalArgumentException(name() + ": gives two outputs; use callAll");
        }

        @Override
        protected List<Variable> forwardAll(List<Variable> in, List<Tensor> masks, CallContext ctx) {
            requireInputCount(in.size(), 1, 1);
            checkInput(in.get(0).shape());
            int h = in.get(0).dim(1) / 2;
            return Arrays.asList(Ops.split(in.get(0), 1, h, h));
        }

        @Override
        public List<Tensor> computeMasks(List<Variable> in, List<Tensor> masks) {
            Tensor mask = masks.get(0);
            if (mask == null) {
                return Arrays.asList(null, null);
            }
            int h = mask.shape().dim(1) / 2;
            Variable[] parts = Ops.split(Variable.constant(mask), 1, h, h);
            return List.of(parts[0].value(), parts[1].value());
        }
    }

    /** The guide's CustomEmbedding: a random_normal table looked up by id, masking id 0 when mask_zero. */
    static final class CustomEmbedding extends Layer implements KerasSerializable {
        private final int inputDim;
        private final int outputDim;
        private final boolean maskZero;
        private Weight embeddings;

        CustomEmbedding(int inputDim, int outputDim, boolean maskZero) {
            super("custom_embedding");
            this.inputDim = inputDim;
            this.outputDim = outputDim;
            this.maskZero = maskZero;
        }

        static CustomEmbedding fromConfig(CustomLayerConfig c) {
            return new CustomEmbedding(c.integer("input_dim"), c.integer("output_dim"), c.bool("mask_zero", false));
        }

        @Override
        protected Shape build(Shape in, RandomGenerator random) {
            embeddings = addWeight("embeddings", Shape.of(inputDim, outputDim), Initializers.randomNormal(), random,
                    null, null, true);
            return outputShapeFor(in);
        }

        @Override
        protected Shape acceptedShape() {
            return keepingOnly(inputShape());
        }

        @Override
        protected Shape outputShapeFor(Shape in) {
            int[] d = Arrays.copyOf(in.dims(), in.rank() + 1);
            d[in.rank()] = outputDim;
            return Shape.withUnknown(d);
        }

        @Override
        protected Variable forward(Variable inputs, Tensor mask, CallContext ctx) {
            return Ops.gather(embeddings.variable(), inputs.value());
        }

        @Override
        public Tensor computeMask(Variable inputs, Tensor mask) {
            if (!maskZero) {
                return null;
            }
            float[] ids = inputs.value().toArray();
            float[] m = new float[ids.length];
            for (int i = 0; i < ids.length; i++) {
                m[i] = ids[i] != 0f ? 1f : 0f; // tf.not_equal(inputs, 0)
            }
            return Tensor.of(m, inputs.shape().dims());
        }

        @Override
        public Map<String, Object> kerasConfig() {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("input_dim", inputDim);
            c.put("output_dim", outputDim);
            c.put("mask_zero", maskZero);
            return c;
        }

        @Override
        public String kerasRegisteredName() {
            return "maskguide>CustomEmbedding";
        }
    }

    /** The guide's MyActivation: relu, and {@code supports_masking = True} (the mask passed on unchanged). */
    static final class MyActivation extends Registered {
        MyActivation() {
            super("my_activation");
        }

        @Override
        protected Shape build(Shape in, RandomGenerator random) {
            return in;
        }

        @Override
        protected Shape acceptedShape() {
            return keepingOnly(inputShape());
        }

        @Override
        protected Shape outputShapeFor(Shape in) {
            return in;
        }

        @Override
        protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
            return Ops.unary(UnaryOp.RELU, x);
        }

        @Override
        public Tensor computeMask(Variable x, Tensor mask) {
            return mask; // supports_masking = True
        }
    }

    /**
     * The guide's TemporalSoftmax, as written: {@code exp(x)·m / sum(x·m, axis=1)} (its denominator sums
     * the masked inputs, not their exponentials, so rows do not sum to 1; Keras computes the same). Its
     * call needs the mask, as the guide's {@code tf.cast(mask)} fails on None; the mask is not passed on.
     */
    static final class TemporalSoftmax extends Registered {
        TemporalSoftmax() {
            super("temporal_softmax");
        }

        @Override
        protected Shape build(Shape in, RandomGenerator random) {
            return in;
        }

        @Override
        protected Shape acceptedShape() {
            return keepingOnly(inputShape());
        }

        @Override
        protected Shape outputShapeFor(Shape in) {
            return in;
        }

        @Override
        protected Variable forward(Variable inputs, Tensor mask, CallContext ctx) {
            if (mask == null) {
                throw new IllegalArgumentException(name() + ": needs the mask of its input (batch, timesteps); "
                        + "got none");
            }
            Variable m = Variable.constant(mask.reshape(inputs.dim(0), inputs.dim(1), 1));
            Variable exp = Ops.mul(Ops.unary(UnaryOp.EXP, inputs), m);
            Variable sum = Ops.sum(Ops.mul(inputs, m), 1, true);
            return Ops.div(exp, sum);
        }
    }
}
