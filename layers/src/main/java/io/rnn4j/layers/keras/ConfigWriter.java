package io.rnn4j.layers.keras;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.Activation;
import io.rnn4j.layers.ActivationLayer;
import io.rnn4j.layers.AdaptivePooling1D;
import io.rnn4j.layers.Add;
import io.rnn4j.layers.AdditiveAttention;
import io.rnn4j.layers.AlphaDropout;
import io.rnn4j.layers.Attention;
import io.rnn4j.layers.Average;
import io.rnn4j.layers.BatchNormalization;
import io.rnn4j.layers.Bidirectional;
import io.rnn4j.layers.Cell;
import io.rnn4j.layers.Concatenate;
import io.rnn4j.layers.Conv1D;
import io.rnn4j.layers.Conv1DTranspose;
import io.rnn4j.layers.DepthwiseConv1D;
import io.rnn4j.layers.SeparableConv1D;
import io.rnn4j.layers.AdaptiveGridPooling;
import io.rnn4j.layers.ConvTransposeBase;
import io.rnn4j.layers.DepthwiseConv2DBase;
import io.rnn4j.layers.ConvLSTM;
import io.rnn4j.layers.ConvLSTM1D;
import io.rnn4j.layers.ConvLSTM2D;
import io.rnn4j.layers.ConvLSTM3D;
import io.rnn4j.layers.Cropping1D;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.ELU;
import io.rnn4j.layers.LeakyReLU;
import io.rnn4j.layers.Normalization;
import io.rnn4j.layers.PReLU;
import io.rnn4j.layers.Rescaling;
import io.rnn4j.layers.ReLU;
import io.rnn4j.layers.Softmax;
import io.rnn4j.layers.Dot;
import io.rnn4j.layers.Dropout;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.Flatten;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.GRUCell;
import io.rnn4j.layers.GateCell;
import io.rnn4j.layers.GaussianDropout;
import io.rnn4j.layers.GaussianNoise;
import io.rnn4j.layers.GetItem;
import io.rnn4j.layers.GlobalAveragePooling1D;
import io.rnn4j.layers.GlobalMaxPooling1D;
import io.rnn4j.layers.Identity;
import io.rnn4j.layers.Lambda;
import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.LSTMCell;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.LayerNormalization;
import io.rnn4j.layers.RMSNormalization;
import io.rnn4j.layers.UnitNormalization;
import io.rnn4j.layers.Masking;
import io.rnn4j.layers.Maximum;
import io.rnn4j.layers.MergeMode;
import io.rnn4j.layers.Minimum;
import io.rnn4j.layers.Multiply;
import io.rnn4j.layers.MultiHeadAttention;
import io.rnn4j.layers.Operation;
import io.rnn4j.layers.Permute;
import io.rnn4j.layers.Pooling1D;
import io.rnn4j.layers.RNN;
import io.rnn4j.layers.Recurrent;
import io.rnn4j.layers.RecurrentLayer;
import io.rnn4j.layers.RepeatVector;
import io.rnn4j.layers.Reshape;
import io.rnn4j.layers.SimpleRNN;
import io.rnn4j.layers.SimpleRNNCell;
import io.rnn4j.layers.SpatialDropout1D;
import io.rnn4j.layers.StackedRNNCells;
import io.rnn4j.layers.Subtract;
import io.rnn4j.layers.TimeDistributed;
import io.rnn4j.layers.UpSampling1D;
import io.rnn4j.layers.ZeroPadding1D;
import io.rnn4j.layers.constraints.Constraint;
import io.rnn4j.layers.initializers.Initializer;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.regularizers.Regularizer;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A Sequential model's {@code config.json} as Keras 3 writes it: every option, with Keras's
 * argument names, including initializers, regularizers and constraints as Keras objects
 * ({@code {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {...}}}). One
 * that Keras has no class for (a user's own) is left out or written as null, with a warning: the
 * weights file still carries the trained values, so predictions are the same.
 */
final class ConfigWriter {
    private static final System.Logger LOG = System.getLogger("io.rnn4j.layers.keras");

    /** Whether the model uses Keras 2's hard_sigmoid (then the file is written as tf.keras 2.15 writes it). */
    private boolean keras2HardSigmoid;
    private boolean keras3HardSigmoid;

    Map<String, Object> model(Sequential model) {
        List<Object> layers = new ArrayList<>();
        Map<String, Object> input = new LinkedHashMap<>();
        List<Object> batchShape = batchShape(model.inputShape().dims(), model.fixedBatchSize());
        input.put("batch_shape", batchShape);
        input.put("dtype", "float32");
        input.put("sparse", false);
        input.put("name", "input_layer");
        layers.add(entry("InputLayer", input, null));
        for (Layer l : model.layers()) {
            layers.add(layer(l));
        }
        checkHardSigmoid();
        if (keras2HardSigmoid) {
            // tf.keras 2.15 names the input shape batch_input_shape.
            Map<String, Object> in = config(layers.get(0));
            in.remove("batch_shape");
            in.put("batch_input_shape", batchShape);
        }
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("name", model.name());
        cfg.put("trainable", model.trainable());
        cfg.put("dtype", "float32");
        cfg.put("layers", layers);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("module", "keras");
        m.put("class_name", "Sequential");
        m.put("config", cfg);
        m.put("registered_name", null);
        m.put("build_config", Map.of("input_shape", batchShape));
        return m;
    }

    /** A file names one hard_sigmoid: refuses a model that uses both Keras 2's and Keras 3's. */
    void checkHardSigmoid() {
        if (keras2HardSigmoid && keras3HardSigmoid) {
            throw new IllegalArgumentException("the model uses both Keras 2's hard_sigmoid (0.2x + 0.5) and Keras 3's "
                    + "(relu6(x + 3) / 6); a Keras file can hold only one of them");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> config(Object entry) {
        return (Map<String, Object>) ((Map<String, Object>) entry).get("config");
    }

    /** Whether the file must say Keras 2 (tf.keras 2.15) so that hard_sigmoid reads back as 0.2x + 0.5. */
    boolean keras2() {
        return keras2HardSigmoid;
    }

    static List<Object> batchShape(int[] sample, int batch) {
        List<Object> s = new ArrayList<>();
        s.add(batch > 0 ? batch : null);
        for (int d : sample) {
            s.add(d == Shape.UNKNOWN ? null : d);
        }
        return s;
    }

    private Map<String, Object> entry(String cls, Map<String, Object> config, Layer built) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("module", "keras.layers");
        e.put("class_name", cls);
        e.put("config", config);
        e.put("registered_name", null);
        if (built != null && built.isBuilt()) {
            List<Shape> shapes = built.inputShapes();
            Object shape = shapes.size() == 1 ? batchShape(shapes.get(0).dims(), 0)
                    : shapes.stream().map(s -> batchShape(s.dims(), 0)).toList();
            e.put("build_config", Map.of("input_shape", shape));
            if (built instanceof MultiHeadAttention a) {
                e.put("build_config", Map.of("shapes_dict", MultiHeadAttentionCalls.buildShapes(a)));
            }
            if (built instanceof io.rnn4j.layers.GroupQueryAttention g) {
                e.put("build_config", Map.of("shapes_dict", GroupQueryAttentionConfig.buildShapes(g)));
            }
            if (shapes.size() > 1 && takesInitialState(built)) {
                e.put("build_config", Map.of("shapes_dict", initialStateShapes(shapes)));
            }
        }
        return e;
    }

    /** The layers whose extra inputs are Keras's initial_state (RNN.build's second argument, Bidirectional's too). */
    private static boolean takesInitialState(Layer l) {
        return l instanceof RecurrentLayer || l instanceof ConvLSTM<?> || l instanceof Bidirectional;
    }

    /**
     * Keras's build_config of a layer called with initial_state: build(sequences_shape,
     * initial_state_shape) is recorded by argument name, the states as the list they were given in;
     * an "input_shape" of every input would make Keras's build_from_config call build([seq, h, c]),
     * which fails.
     */
    private static Map<String, Object> initialStateShapes(List<Shape> shapes) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("sequences_shape", batchShape(shapes.get(0).dims(), 0));
        d.put("initial_state_shape", shapes.subList(1, shapes.size()).stream().map(s -> batchShape(s.dims(), 0))
                .toList());
        return d;
    }

    private Map<String, Object> base(Layer l) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", l.name());
        c.put("trainable", l.trainable());
        c.put("dtype", "float32");
        return c;
    }

    Map<String, Object> layer(Layer l) {
        if (l instanceof Model m) {
            return new FunctionalWriter(this).model(m);
        }
        if (l instanceof Sequential s) {
            return model(s);
        }
        Map<String, Object> c = base(l);
        String cls = l.className();
        switch (l) {
            case SimpleRNN r -> recurrent(r, c);
            case LSTM r -> {
                recurrent(r, c);
                c.put("recurrent_activation", activation(r.recurrentActivation()));
                c.put("unit_forget_bias", r.unitForgetBias());
            }
            case GRU r -> {
                recurrent(r, c);
                c.put("recurrent_activation", activation(r.recurrentActivation()));
                c.put("reset_after", r.resetAfter());
            }
            case Bidirectional b -> {
                c.put("merge_mode", b.mergeMode() == MergeMode.NONE ? null
                        : b.mergeMode().name().toLowerCase(Locale.ROOT));
                c.put("layer", layer(b.forwardLayer().layer()));
                c.put("backward_layer", layer(b.backwardLayer().layer()));
            }
            case RNN r -> {
                c.put("return_sequences", r.returnSequences());
                c.put("return_state", r.returnState());
                c.put("go_backwards", r.goBackwards());
                c.put("stateful", r.stateful());
                c.put("unroll", false);
                c.put("zero_output_for_mask", r.zeroOutputForMask());
                c.put("cell", cell(r.cell()));
            }
            case Dense d -> {
                c.put("units", d.units());
                c.put("activation", activation(d.activation()));
                c.put("use_bias", d.useBias());
                initializer(c, l, "kernel_initializer", d.kernelInitializer());
                initializer(c, l, "bias_initializer", d.biasInitializer());
                regularizer(c, l, "kernel_regularizer", d.kernelRegularizer());
                regularizer(c, l, "bias_regularizer", d.biasRegularizer());
                constraint(c, l, "kernel_constraint", d.kernelConstraint());
                constraint(c, l, "bias_constraint", d.biasConstraint());
            }
            case Embedding e -> {
                c.put("input_dim", e.inputDim());
                c.put("output_dim", e.outputDim());
                initializer(c, l, "embeddings_initializer", e.embeddingsInitializer());
                regularizer(c, l, "embeddings_regularizer", e.embeddingsRegularizer());
                constraint(c, l, "embeddings_constraint", e.embeddingsConstraint());
                c.put("mask_zero", e.maskZero());
            }
            case BatchNormalization b -> NormalizationLayers.write(b, c);
            case LayerNormalization n -> NormalizationLayers.write(n, c);
            case RMSNormalization n -> NormalizationLayers.write(n, c);
            case UnitNormalization n -> NormalizationLayers.write(n, c);
            case io.rnn4j.layers.GroupNormalization n -> NormRegLayers.write(n, c);
            case io.rnn4j.layers.SpectralNormalization s -> NormRegLayers.write(s, c, layer(s.layer()));
            case io.rnn4j.layers.ActivityRegularization a -> NormRegLayers.write(a, c);
            case io.rnn4j.layers.ReversibleEmbedding e -> NormRegLayers.write(e, c);
            case Concatenate k -> c.put("axis", k.axis());
            case Add a -> {
            }
            case Subtract s -> {
            }
            case Multiply m -> {
            }
            case Average a -> {
            }
            case Maximum m -> {
            }
            case Minimum m -> {
            }
            case GlobalAveragePooling1D g -> {
                c.put("data_format", g.dataFormat());
                c.put("keepdims", g.keepdims());
            }
            case GlobalMaxPooling1D g -> {
                c.put("data_format", g.dataFormat());
                c.put("keepdims", g.keepdims());
            }
            case AdaptivePooling1D<?> p -> {
                c.put("output_size", List.of(p.outputSize()));
                c.put("data_format", p.dataFormat());
            }
            case Attention a -> {
                c.put("use_scale", a.useScale());
                c.put("score_mode", a.scoreMode().name().toLowerCase(Locale.ROOT));
                c.put("dropout", KerasConfig.decimal(a.dropout()));
                c.put("seed", null);
            }
            case AdditiveAttention a -> {
                c.put("use_scale", a.useScale());
                c.put("dropout", KerasConfig.decimal(a.dropout()));
            }
            case MultiHeadAttention a -> MultiHeadAttentionCalls.write(a, c);
            case io.rnn4j.layers.GroupQueryAttention g -> GroupQueryAttentionConfig.write(g, c);
            case io.rnn4j.layers.EinsumDense d -> EinsumLayers.write(d, c, activation(d.activation()));
            case Masking m -> c.put("mask_value", KerasConfig.decimal(m.maskValue()));
            case Dropout d -> {
                c.put("rate", KerasConfig.decimal(d.rate()));
                c.put("seed", null);
                c.put("noise_shape", null);
            }
            case SpatialDropout1D d -> {
                // Keras's get_config has no trainable here, and its __init__ takes no other keyword.
                c.remove("trainable");
                c.put("rate", KerasConfig.decimal(d.rate()));
                c.put("seed", null);
            }
            case GaussianNoise g -> {
                c.put("stddev", KerasConfig.decimal(g.stddev()));
                c.put("seed", null);
            }
            case GaussianDropout d -> {
                c.put("rate", KerasConfig.decimal(d.rate()));
                c.put("seed", null);
            }
            case AlphaDropout d -> {
                c.put("rate", KerasConfig.decimal(d.rate()));
                c.put("seed", null);
                c.put("noise_shape", null);
            }
            case Permute p -> c.put("dims", ints(p.dims()));
            case TimeDistributed t -> c.put("layer", layer(t.inner()));
            case Flatten f -> c.put("data_format", f.dataFormat());
            case Reshape r -> c.put("target_shape", ints(r.targetShape()));
            case RepeatVector r -> c.put("n", r.n());
            case Identity i -> {
            }
            case Lambda lambda -> c.putAll(CustomLayerEntries.lambdaConfig(lambda));
            case ActivationLayer a -> c.put("activation", activation(a.activation()));
            case Conv1D k -> conv1d(k, c);
            case Conv1DTranspose k -> ConvVariantLayers.write(k, c, activation(k.activation()));
            case DepthwiseConv1D k -> ConvVariantLayers.write(k, c, activation(k.activation()));
            case SeparableConv1D k -> ConvVariantLayers.write(k, c, activation(k.activation()));
            case ConvTransposeBase<?> k -> GridConvVariantLayers.write(k, c, activation(k.activation()));
            case DepthwiseConv2DBase<?> k -> GridConvVariantLayers.write(k, c, activation(k.activation()));
            case AdaptiveGridPooling<?> p -> GridConvVariantLayers.write(p, c, null);
            case ConvLSTM1D k -> convLstm(k, new int[] {k.kernelSize()}, new int[] {k.strides()},
                    new int[] {k.dilationRate()}, c);
            case ConvLSTM2D k -> convLstm(k, k.kernelSize(), k.strides(), k.dilationRate(), c);
            case ConvLSTM3D k -> convLstm(k, k.kernelSize(), k.strides(), k.dilationRate(), c);
            case Pooling1D<?> p -> pooling(p, c);
            case Layer s when SpatialLayers.writes(s) -> SpatialLayers.write(s, c, this::activation);
            case Dot d -> {
                int[] axes = d.axes();
                c.put("axes", axes.length == 1 ? (Object) axes[0] : ints(axes));
                c.put("normalize", d.normalize());
            }
            case ZeroPadding1D z -> {
                c.put("padding", ints(z.padding()));
                c.put("data_format", z.dataFormat());
            }
            case Cropping1D k -> c.put("cropping", ints(k.cropping()));
            case UpSampling1D u -> c.put("size", u.size());
            case ReLU r -> ActivationLayers.write(r, c);
            case LeakyReLU r -> ActivationLayers.write(r, c);
            case ELU e -> ActivationLayers.write(e, c);
            case Softmax s -> ActivationLayers.write(s, c);
            case Normalization n -> PreprocessingLayers.write(n, c);
            case Rescaling r -> PreprocessingLayers.write(r, c);
            case Layer p when NumericPreprocessingLayers.writes(p) -> NumericPreprocessingLayers.write(p, c);
            case Layer p when AudioLayers.writes(p) -> AudioLayers.write(p, c);
            case Layer h when HashingLayers.writes(h) -> HashingLayers.write(h, c);
            case Layer i when ImageLayers.writes(i) -> ImageLayers.write(i, c);
            case PReLU p -> {
                initializer(c, l, "alpha_initializer", p.alphaInitializer());
                regularizer(c, l, "alpha_regularizer", p.alphaRegularizer());
                constraint(c, l, "alpha_constraint", p.alphaConstraint());
                c.put("shared_axes", p.sharedAxes() == null ? null : ints(p.sharedAxes()));
            }
            case GetItem g -> {
                return GetItemCalls.entry(g); // an operation: its config is its name alone, no build_config
            }
            case Operation op -> {
                return OperationCalls.entry(op); // x + y, keras.ops.mean(...): no build_config either
            }
            default -> {
                return CustomLayerEntries.entry(l, c); // a KerasSerializable layer of the user's, else refused
            }
        }
        if (l.activityRegularizer() != null) { // Layer.get_config writes it when set
            regularizer(c, l, "activity_regularizer", l.activityRegularizer());
        }
        return entry(cls, c, l);
    }

    private void recurrent(Recurrent<?> r, Map<String, Object> c) {
        c.put("return_sequences", r.returnSequences());
        c.put("return_state", r.returnState());
        c.put("go_backwards", r.goBackwards());
        c.put("stateful", r.stateful());
        c.put("unroll", false);
        c.put("zero_output_for_mask", r.zeroOutputForMask());
        c.put("units", r.units());
        c.put("activation", activation(r.activation()));
        c.put("use_bias", r.useBias());
        initializer(c, r, "kernel_initializer", r.kernelInitializer());
        initializer(c, r, "recurrent_initializer", r.recurrentInitializer());
        initializer(c, r, "bias_initializer", r.biasInitializer());
        regularizer(c, r, "kernel_regularizer", r.kernelRegularizer());
        regularizer(c, r, "recurrent_regularizer", r.recurrentRegularizer());
        regularizer(c, r, "bias_regularizer", r.biasRegularizer());
        constraint(c, r, "kernel_constraint", r.kernelConstraint());
        constraint(c, r, "recurrent_constraint", r.recurrentConstraint());
        constraint(c, r, "bias_constraint", r.biasConstraint());
        c.put("dropout", KerasConfig.decimal(r.dropout()));
        c.put("recurrent_dropout", KerasConfig.decimal(r.recurrentDropout()));
        c.put("seed", null);
    }

    /** A Keras cell as Keras 3 serializes RNN's cell: SimpleRNNCell, LSTMCell, GRUCell, StackedRNNCells. */
    private Map<String, Object> cell(Cell cell) {
        Map<String, Object> c = base(cell);
        switch (cell) {
            case SimpleRNNCell s -> gateCell(s, c);
            case LSTMCell l -> {
                gateCell(l, c);
                c.put("recurrent_activation", activation(l.recurrentActivation()));
                c.put("unit_forget_bias", l.unitForgetBias());
            }
            case GRUCell g -> {
                gateCell(g, c);
                c.put("recurrent_activation", activation(g.recurrentActivation()));
                c.put("reset_after", g.resetAfter());
            }
            case StackedRNNCells s -> c.put("cells", s.cells().stream().map(this::cell).toList());
            default -> throw new IllegalArgumentException("cannot save cell '" + cell.name() + "' ("
                    + cell.className() + ") as Keras: no Keras config is known for it");
        }
        return entry(cell.className(), c, cell);
    }

    private void gateCell(GateCell<?> g, Map<String, Object> c) {
        c.put("units", g.units());
        c.put("activation", activation(g.activation()));
        c.put("use_bias", g.useBias());
        initializer(c, g, "kernel_initializer", g.kernelInitializer());
        initializer(c, g, "recurrent_initializer", g.recurrentInitializer());
        initializer(c, g, "bias_initializer", g.biasInitializer());
        regularizer(c, g, "kernel_regularizer", g.kernelRegularizer());
        regularizer(c, g, "recurrent_regularizer", g.recurrentRegularizer());
        regularizer(c, g, "bias_regularizer", g.biasRegularizer());
        constraint(c, g, "kernel_constraint", g.kernelConstraint());
        constraint(c, g, "recurrent_constraint", g.recurrentConstraint());
        constraint(c, g, "bias_constraint", g.biasConstraint());
        c.put("dropout", KerasConfig.decimal(g.dropout()));
        c.put("recurrent_dropout", KerasConfig.decimal(g.recurrentDropout()));
        c.put("seed", null);
    }

    /** Keras 3's BaseConv.get_config keys, sizes as lists of one as Keras writes its tuples. */
    private void conv1d(Conv1D k, Map<String, Object> c) {
        c.put("filters", k.filters());
        c.put("kernel_size", List.of(k.kernelSize()));
        c.put("strides", List.of(k.strides()));
        c.put("padding", k.padding());
        c.put("data_format", k.dataFormat());
        c.put("dilation_rate", List.of(k.dilationRate()));
        c.put("groups", k.groups());
        c.put("activation", activation(k.activation()));
        c.put("use_bias", k.useBias());
        initializer(c, k, "kernel_initializer", k.kernelInitializer());
        initializer(c, k, "bias_initializer", k.biasInitializer());
        regularizer(c, k, "kernel_regularizer", k.kernelRegularizer());
        regularizer(c, k, "bias_regularizer", k.biasRegularizer());
        c.put("activity_regularizer", null);
        constraint(c, k, "kernel_constraint", k.kernelConstraint());
        constraint(c, k, "bias_constraint", k.biasConstraint());
    }

    /**
     * Keras 3's ConvLSTM1D/2D/3D.get_config keys: RNN's (without the cell), then ConvLSTM's, sizes as
     * lists of one per axis.
     */
    private void convLstm(ConvLSTM<?> k, int[] kernelSize, int[] strides, int[] dilationRate, Map<String, Object> c) {
        c.put("return_sequences", k.returnSequences());
        c.put("return_state", k.returnState());
        c.put("go_backwards", k.goBackwards());
        c.put("stateful", k.stateful());
        c.put("unroll", false);
        c.put("zero_output_for_mask", k.zeroOutputForMask());
        c.put("filters", k.filters());
        c.put("kernel_size", ints(kernelSize));
        c.put("strides", ints(strides));
        c.put("padding", k.padding());
        c.put("data_format", k.dataFormat());
        c.put("dilation_rate", ints(dilationRate));
        c.put("activation", activation(k.activation()));
        c.put("recurrent_activation", activation(k.recurrentActivation()));
        c.put("use_bias", k.useBias());
        initializer(c, k, "kernel_initializer", k.kernelInitializer());
        initializer(c, k, "recurrent_initializer", k.recurrentInitializer());
        initializer(c, k, "bias_initializer", k.biasInitializer());
        c.put("unit_forget_bias", k.unitForgetBias());
        regularizer(c, k, "kernel_regularizer", k.kernelRegularizer());
        regularizer(c, k, "recurrent_regularizer", k.recurrentRegularizer());
        regularizer(c, k, "bias_regularizer", k.biasRegularizer());
        c.put("activity_regularizer", null);
        constraint(c, k, "kernel_constraint", k.kernelConstraint());
        constraint(c, k, "recurrent_constraint", k.recurrentConstraint());
        constraint(c, k, "bias_constraint", k.biasConstraint());
        c.put("dropout", KerasConfig.decimal(k.dropout()));
        c.put("recurrent_dropout", KerasConfig.decimal(k.recurrentDropout()));
        c.put("seed", null);
    }

    /** Keras 3's BasePooling.get_config keys. */
    private static void pooling(Pooling1D<?> p, Map<String, Object> c) {
        c.put("pool_size", List.of(p.poolSize()));
        c.put("padding", p.padding());
        c.put("strides", List.of(p.strides()));
        c.put("data_format", p.dataFormat());
    }

    /** Keras's serialized initializer; left out (Keras's default then) for one Keras has no class for. */
    static void initializer(Map<String, Object> c, Layer l, String key, Initializer init) {
        Optional<KerasConfig> k = init.kerasConfig();
        if (k.isPresent()) {
            c.put(key, object("keras.initializers", k.get()));
        } else {
            LOG.log(Level.WARNING, "{0} of layer ''{1}'' ({2}) has no Keras class; it is left out of the saved "
                    + "config (Keras will use its default)", key, l.name(), init);
        }
    }

    static void regularizer(Map<String, Object> c, Layer l, String key, Regularizer r) {
        Optional<KerasConfig> k = r == null ? Optional.empty() : r.kerasConfig();
        if (r != null && k.isEmpty()) {
            LOG.log(Level.WARNING, "{0} of layer ''{1}'' ({2}) has no Keras class; it is saved as null, so Keras "
                    + "will train without it", key, l.name(), r);
        }
        c.put(key, k.map(x -> object("keras.regularizers", x)).orElse(null));
    }

    static void constraint(Map<String, Object> c, Layer l, String key, Constraint con) {
        Optional<KerasConfig> k = con == null ? Optional.empty() : con.kerasConfig();
        if (con != null && k.isEmpty()) {
            LOG.log(Level.WARNING, "{0} of layer ''{1}'' ({2}) has no Keras class; it is saved as null, so Keras "
                    + "will train without it", key, l.name(), con);
        }
        c.put(key, k.map(x -> object("keras.constraints", x)).orElse(null));
    }

    /** A Keras object in Keras 3's form: module, class_name, config, registered_name. */
    private static Map<String, Object> object(String module, KerasConfig k) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("module", module);
        o.put("class_name", k.className());
        o.put("config", new LinkedHashMap<>(k.config()));
        o.put("registered_name", null);
        return o;
    }

    private String activation(Activation a) {
        if (a == Activation.HARD_SIGMOID_KERAS2) {
            keras2HardSigmoid = true;
        } else if (a == Activation.HARD_SIGMOID) {
            keras3HardSigmoid = true;
        }
        return a.kerasName();
    }

    private static List<Object> ints(int[] d) {
        List<Object> l = new ArrayList<>();
        for (int x : d) {
            l.add(x);
        }
        return l;
    }
}
