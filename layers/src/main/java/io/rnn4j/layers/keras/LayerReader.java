package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.WeightOptions.weight;

import io.rnn4j.layers.ActivationLayer;
import io.rnn4j.layers.Add;
import io.rnn4j.layers.AdditiveAttention;
import io.rnn4j.layers.Attention;
import io.rnn4j.layers.Average;
import io.rnn4j.layers.Concatenate;
import io.rnn4j.layers.GlobalAveragePooling1D;
import io.rnn4j.layers.GlobalMaxPooling1D;
import io.rnn4j.layers.Maximum;
import io.rnn4j.layers.Minimum;
import io.rnn4j.layers.Multiply;
import io.rnn4j.layers.Subtract;
import io.rnn4j.layers.BatchNormalization;
import io.rnn4j.layers.Bidirectional;
import io.rnn4j.layers.Cell;
import io.rnn4j.layers.GRUCell;
import io.rnn4j.layers.GateCell;
import io.rnn4j.layers.GateOptions;
import io.rnn4j.layers.LSTMCell;
import io.rnn4j.layers.RNN;
import io.rnn4j.layers.RecurrentLayer;
import io.rnn4j.layers.SimpleRNNCell;
import io.rnn4j.layers.StackedRNNCells;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Dropout;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.Flatten;
import io.rnn4j.layers.GetItem;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.Identity;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Masking;
import io.rnn4j.layers.MergeMode;
import io.rnn4j.layers.Recurrent;
import io.rnn4j.layers.RepeatVector;
import io.rnn4j.layers.Reshape;
import io.rnn4j.layers.SimpleRNN;
import io.rnn4j.layers.TimeDistributed;
import io.rnn4j.layers.initializers.Initializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One Keras layer config (Keras 2, tf.keras or Keras 3 form) to the layers module's class with
 * every option set one to one. An option that changes the numbers and has no counterpart here, a
 * dtype other than float32, or a class the layers module lacks is refused with the layer's name.
 */
final class LayerReader {

    /** Keras classes known but not loaded yet (refused with a clear message). */
    static final Set<String> KNOWN_UNSUPPORTED = Set.of("LocallyConnected1D");

    private final boolean keras2;
    private final CustomLayerEntries custom;

    /** @param keras2 the file was written by Keras 2 / tf.keras (hard_sigmoid is 0.2x + 0.5) */
    LayerReader(boolean keras2) {
        this(keras2, new CustomLayerEntries(CustomLayers.of()));
    }

    /** @param custom the user's custom layer classes ({@link CustomLayers}) */
    LayerReader(boolean keras2, CustomLayerEntries custom) {
        this.keras2 = keras2;
        this.custom = custom;
    }

    /** A layer and what its config says about the model's input (first layers of Keras 2 models). */
    record Read(Layer layer, int[] batchInputShape) {
    }

    /** The class name of a layer entry. */
    static String className(Map<String, Object> entry) {
        Object c = entry.get("class_name");
        if (!(c instanceof String s)) {
            throw new KerasFileException("a layer entry has no class_name: " + Options.show(entry));
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> config(Map<String, Object> entry) {
        Object c = entry.get("config");
        if (!(c instanceof Map<?, ?>)) {
            throw new KerasFileException("layer entry " + className(entry) + " has no config object: "
                    + Options.show(entry));
        }
        return (Map<String, Object>) c;
    }

    static String name(Map<String, Object> entry) {
        Object n = config(entry).get("name");
        if (n == null) {
            n = entry.get("name");
        }
        if (!(n instanceof String s)) {
            throw new KerasFileException("layer entry " + className(entry) + " has no name: " + Options.show(entry));
        }
        return s;
    }

    Read read(Map<String, Object> entry) {
        String cls = className(entry);
        String name = name(entry);
        if (OperationCalls.isOperation(entry)) { // x + y, keras.ops.mean(x, axis=1), ...: not a layer
            return new Read(OperationCalls.layer(entry, name), null);
        }
        if (!custom.matches(entry) && CustomLayerEntries.isUserClass(entry)) {
            String key = java.util.Objects.requireNonNullElse(CustomLayerEntries.key(entry), cls);
            throw new KerasFileException("unsupported layer " + name + " (" + key + ") in layer '" + name
                    + "': a custom layer class; " + custom.howToSupply(key));
        }
        Options o = new Options(name, cls, config(entry));
        o.ignore("name");
        int[] batchInputShape = common(o);
        var activityRegularizer = Components.regularizer(o, "activity_regularizer"); // a base key, read first
        boolean trainable = o.bool("trainable", true);
        Layer layer = custom.matches(entry) ? custom.read(entry, o) : switch (cls) {
            case "SimpleRNN" -> recurrent(o, new SimpleRNN(o.integer("units")));
            case "LSTM" -> lstm(o);
            case "GRU" -> gru(o);
            case "Bidirectional" -> bidirectional(o);
            case "RNN" -> rnn(o);
            case "Dense" -> dense(o);
            case "EinsumDense" -> EinsumLayers.einsumDense(o, keras2);
            case "Embedding" -> embedding(o);
            case "Masking" -> new Masking((float) o.number("mask_value", 0.0));
            case "Dropout" -> dropout(o);
            case "SpatialDropout1D" -> StatelessLayers.spatialDropout1D(o);
            case "GaussianNoise" -> StatelessLayers.gaussianNoise(o);
            case "GaussianDropout" -> StatelessLayers.gaussianDropout(o);
            case "AlphaDropout" -> StatelessLayers.alphaDropout(o);
            case "Permute" -> StatelessLayers.permute(o);
            case "TimeDistributed" -> new TimeDistributed(inner(o, "layer"));
            case "Flatten" -> flatten(o);
            case "Reshape" -> reshape(o);
            case "RepeatVector" -> new RepeatVector(o.integer("n"));
            case "Identity" -> new Identity();
            case "Lambda" -> custom.readLambda(entry, o);
            case "Activation" -> new ActivationLayer(Components.activation(o, "activation", keras2));
            case "BatchNormalization" -> batchNormalization(o);
            case "LayerNormalization" -> NormalizationLayers.layerNormalization(o);
            case "RMSNormalization" -> NormalizationLayers.rmsNormalization(o);
            case "UnitNormalization" -> NormalizationLayers.unitNormalization(o);
            case "GroupNormalization" -> NormRegLayers.groupNormalization(o);
            case "SpectralNormalization" -> NormRegLayers.spectralNormalization(o, inner(o, "layer"));
            case "ActivityRegularization" -> NormRegLayers.activityRegularization(o);
            case "ReversibleEmbedding" -> NormRegLayers.reversibleEmbedding(o);
            case "Concatenate" -> new Concatenate(o.integer("axis", -1));
            case "Add" -> new Add();
            case "Subtract" -> new Subtract();
            case "Multiply" -> new Multiply();
            case "Average" -> new Average();
            case "Maximum" -> new Maximum();
            case "Minimum" -> new Minimum();
            case "GlobalAveragePooling1D" -> new GlobalAveragePooling1D(dataFormat(o), o.bool("keepdims", false));
            case "GlobalMaxPooling1D" -> new GlobalMaxPooling1D(dataFormat(o), o.bool("keepdims", false));
            case "Attention" -> attention(o);
            case "AdditiveAttention" -> additiveAttention(o);
            case "MultiHeadAttention" -> AttentionLayers.multiHeadAttention(o);
            case "GroupQueryAttention", "GroupedQueryAttention" -> GroupQueryAttentionConfig.read(o);
            case "Conv1D" -> ConvReader.conv1d(o, keras2);
            case "Conv1DTranspose" -> ConvVariantLayers.conv1dTranspose(o, keras2);
            case "DepthwiseConv1D" -> ConvVariantLayers.depthwiseConv1d(o, keras2);
            case "SeparableConv1D" -> ConvVariantLayers.separableConv1d(o, keras2);
            case "ConvLSTM1D" -> ConvReader.convLstm1d(o, keras2, this::gateWeights);
            case "ConvLSTM2D" -> ConvLstmReader.convLstm(o, keras2, this::gateWeights, 2);
            case "ConvLSTM3D" -> ConvLstmReader.convLstm(o, keras2, this::gateWeights, 3);
            case "MaxPooling1D" -> ConvReader.maxPooling1d(o);
            case "AveragePooling1D" -> ConvReader.averagePooling1d(o);
            case "AdaptiveAveragePooling1D" -> ConvReader.adaptivePooling1d(o, false);
            case "AdaptiveMaxPooling1D" -> ConvReader.adaptivePooling1d(o, true);
            case "Dot" -> ShapingLayers.dot(o);
            case "ZeroPadding1D" -> ShapingLayers.zeroPadding1d(o);
            case "Cropping1D" -> ShapingLayers.cropping1d(o);
            case "UpSampling1D" -> ShapingLayers.upSampling1d(o);
            case "ReLU" -> ActivationLayers.relu(o);
            case "LeakyReLU" -> ActivationLayers.leakyRelu(o);
            case "PReLU" -> ActivationLayers.prelu(o);
            case "ELU" -> ActivationLayers.elu(o);
            case "Softmax" -> ActivationLayers.softmax(o);
            case "Normalization" -> PreprocessingLayers.normalization(o);
            case "Rescaling" -> PreprocessingLayers.rescaling(o);
            case "IntegerLookup" -> NumericPreprocessingLayers.integerLookup(o);
            case "CategoryEncoding" -> NumericPreprocessingLayers.categoryEncoding(o);
            case "Discretization" -> NumericPreprocessingLayers.discretization(o);
            case "STFTSpectrogram" -> AudioLayers.stftSpectrogram(o);
            case "MelSpectrogram" -> AudioLayers.melSpectrogram(o);
            case "Hashing" -> HashingLayers.hashing(o);
            case "HashedCrossing" -> HashingLayers.hashedCrossing(o);
            case "GetItem" -> GetItemCalls.layer(entry, name);
            case "SlicingOpLambda" -> TfOpLayers.slicing(entry, name, o);
            case "TFOpLambda" -> throw TfOpLayers.tfOpLambda(o, name);
            case String grid when GridLayerEntries.reads(grid) -> GridLayerEntries.read(grid, o, keras2);
            case String image when ImageLayers.reads(image) -> ImageLayers.read(image, o);
            case "InputLayer" -> throw new IllegalStateException("InputLayer is read by the model reader");
            case String lookup when lookup.equals("StringLookup") && Boolean.TRUE.equals(o.raw("invert")) -> throw new KerasFileException(
                    "unsupported layer " + name + " (StringLookup, invert=True) in layer '" + name + "': its output "
                    + "is strings and rnn4j's models output float32 tensors; apply a StringLookup with invert(true) "
                    + "to the model's output instead (StringLookup.applyIds)");
            case "TextVectorization", "StringLookup" -> throw new KerasFileException("unsupported layer " + name
                    + " (" + cls + ") in layer '" + name + "': rnn4j loads a " + cls + " only in a .keras archive, "
                    + "straight on the model's string input (KerasModel.textVectorization(), stringLookup())");
            default -> throw new KerasFileException("unsupported layer " + name + " (" + cls + ") in layer '" + name
                    + "': " + (KNOWN_UNSUPPORTED.contains(cls) ? "rnn4j does not load Keras's " + cls + " yet"
                    : "not a Keras layer this loader knows (a custom layer class? "
                    + custom.howToSupply(cls) + ")"));
        };
        NormRegLayers.activityRegularizer(o, layer, activityRegularizer);
        o.requireAllRead();
        layer.named(name);
        if (!trainable) {
            layer.trainable(false);
        }
        return new Read(layer, batchInputShape);
    }

    /** What every Keras layer config may carry: dtype, input shapes (trainable is read by {@link #read}). */
    private int[] common(Options o) {
        dtype(o, "dtype");
        o.ignore("batch_size", "input_dtype");
        int[] shape = null;
        if (o.has("batch_input_shape")) {
            shape = o.dims("batch_input_shape");
        } else if (o.has("batch_shape")) {
            shape = o.dims("batch_shape");
        } else if (o.has("input_shape")) {
            int[] s = o.dims("input_shape");
            shape = new int[s.length + 1];
            shape[0] = -1;
            System.arraycopy(s, 0, shape, 1, s.length);
        }
        o.ignore("batch_input_shape", "batch_shape", "input_shape");
        return shape;
    }

    /** float32 (as a name or a Keras 3 DTypePolicy) or unset; nothing else is computed here. */
    static void dtype(Options o, String key) {
        Object v = o.raw(key);
        String name = v instanceof Map<?, ?> m && m.get("config") instanceof Map<?, ?> c ? String.valueOf(c.get("name"))
                : v == null ? "float32" : String.valueOf(v);
        if (!name.equals("float32") && !HashingLayers.integerOutput(o, name)) {
            throw new KerasFileException("unsupported dtype '" + name + "' in " + o.where()
                    + ": rnn4j computes in float32 only");
        }
    }

    private <L extends Recurrent<L>> L recurrent(Options o, L r) {
        gateWeights(o, r);
        r.dropout((float) o.number("dropout", 0.0));
        r.recurrentDropout((float) o.number("recurrent_dropout", 0.0));
        r.returnSequences(o.bool("return_sequences", false));
        r.returnState(o.bool("return_state", false));
        r.goBackwards(o.bool("go_backwards", false));
        r.stateful(o.bool("stateful", false));
        r.zeroOutputForMask(o.bool("zero_output_for_mask", false));
        o.require("time_major", Boolean.FALSE);
        // unroll, implementation, use_cudnn: other ways to compute the same numbers; seed: dropout's stream.
        o.ignore("unroll", "implementation", "use_cudnn", "seed", "input_length", "input_dim");
        return r;
    }

    private LSTM lstm(Options o) {
        LSTM l = recurrent(o, new LSTM(o.integer("units")));
        if (o.present("recurrent_activation")) {
            l.recurrentActivation(Components.activation(o, "recurrent_activation", keras2));
        }
        l.unitForgetBias(o.bool("unit_forget_bias", true));
        return l;
    }

    private GRU gru(Options o) {
        GRU g = recurrent(o, new GRU(o.integer("units")));
        if (o.present("recurrent_activation")) {
            g.recurrentActivation(Components.activation(o, "recurrent_activation", keras2));
        }
        // Absent in Keras <= 2.2 files, whose GRU is the reset-before form.
        g.resetAfter(o.bool("reset_after", false));
        return g;
    }

    private Layer bidirectional(Options o) {
        Layer forward = inner(o, "layer");
        Layer backward = o.has("backward_layer") ? inner(o, "backward_layer") : null;
        if (!(forward instanceof RecurrentLayer f)) {
            throw new KerasFileException("unsupported option layer=" + forward.className() + " in " + o.where()
                    + ": Bidirectional wraps SimpleRNN, LSTM, GRU, RNN or ConvLSTM1D/2D/3D");
        }
        if (backward != null && !(backward instanceof RecurrentLayer)) {
            throw new KerasFileException("unsupported option backward_layer=" + backward.className() + " in "
                    + o.where() + ": Bidirectional wraps SimpleRNN, LSTM, GRU, RNN or ConvLSTM1D/2D/3D");
        }
        Object mode = o.raw("merge_mode");
        MergeMode m = switch (mode == null ? "none" : String.valueOf(mode)) {
            case "concat" -> MergeMode.CONCAT;
            case "sum" -> MergeMode.SUM;
            case "mul" -> MergeMode.MUL;
            case "ave" -> MergeMode.AVE;
            case "none", "None" -> MergeMode.NONE;
            default -> throw o.unsupported("merge_mode", mode);
        };
        o.requireNull("weights");
        try {
            return new Bidirectional(f, m, (RecurrentLayer) backward);
        } catch (IllegalArgumentException e) {
            throw new KerasFileException(o.where() + ": " + e.getMessage(), e);
        }
    }

    /** Keras's RNN(cell): the options of its RNN base class and the cell (StackedRNNCells for several). */
    private Layer rnn(Options o) {
        RNN r = new RNN(cell(o.object("cell"), o.where()));
        r.returnSequences(o.bool("return_sequences", false));
        r.returnState(o.bool("return_state", false));
        r.goBackwards(o.bool("go_backwards", false));
        r.stateful(o.bool("stateful", false));
        r.zeroOutputForMask(o.bool("zero_output_for_mask", false));
        o.require("time_major", Boolean.FALSE);
        // unroll: another way to compute the same numbers.
        o.ignore("unroll", "input_length", "input_dim");
        return r;
    }

    /** A cell config: Keras's SimpleRNNCell, LSTMCell, GRUCell or StackedRNNCells of them. */
    @SuppressWarnings("unchecked")
    private Cell cell(Map<String, Object> entry, String where) {
        String cls = className(entry);
        Object registered = entry.get("registered_name");
        Map<String, Object> cfg = config(entry);
        String name = cfg.get("name") instanceof String n ? n : null;
        if (registered != null && !registered.equals(cls)) {
            throw new KerasFileException("unsupported cell " + registered + " in " + where + ": a custom cell class");
        }
        Options o = new Options(name == null ? cls : name, cls, cfg);
        o.ignore("name");
        dtype(o, "dtype");
        boolean trainable = o.bool("trainable", true);
        Cell cell = switch (cls) {
            case "SimpleRNNCell" -> gateCell(o, new SimpleRNNCell(o.integer("units")));
            case "LSTMCell" -> {
                LSTMCell c = gateCell(o, new LSTMCell(o.integer("units")));
                if (o.present("recurrent_activation")) {
                    c.recurrentActivation(Components.activation(o, "recurrent_activation", keras2));
                }
                yield c.unitForgetBias(o.bool("unit_forget_bias", true));
            }
            case "GRUCell" -> {
                GRUCell c = gateCell(o, new GRUCell(o.integer("units")));
                if (o.present("recurrent_activation")) {
                    c.recurrentActivation(Components.activation(o, "recurrent_activation", keras2));
                }
                // Absent in Keras <= 2.2 files, whose GRU is the reset-before form.
                yield c.resetAfter(o.bool("reset_after", false));
            }
            case "StackedRNNCells" -> {
                if (!(o.raw("cells") instanceof List<?> cells) || cells.isEmpty()) {
                    throw o.error("cells", "a list of cells", o.raw("cells"));
                }
                List<Cell> stack = new ArrayList<>();
                for (Object c : cells) {
                    if (!(c instanceof Map<?, ?> m)) {
                        throw o.error("cells", "a list of cells", o.raw("cells"));
                    }
                    stack.add(cell((Map<String, Object>) m, o.where()));
                }
                o.ignore("cells");
                yield new StackedRNNCells(stack);
            }
            default -> throw new KerasFileException("unsupported cell " + cls + " in " + where + ": RNN loads "
                    + "SimpleRNNCell, LSTMCell, GRUCell and StackedRNNCells");
        };
        o.requireAllRead();
        if (name != null) {
            cell.named(name);
        }
        if (!trainable) {
            cell.trainable(false);
        }
        return cell;
    }

    /** activation, use_bias and the gate weights' initializers, regularizers and constraints. */
    private void gateWeights(Options o, GateOptions<?> t) {
        // An absent key keeps Keras's default (tanh); null is Keras's None, linear.
        if (o.present("activation")) {
            t.activation(Components.activation(o, "activation", keras2));
        }
        t.useBias(o.bool("use_bias", true));
        WeightOptions.read(o,
                weight("kernel", t::kernelInitializer, t::kernelRegularizer, t::kernelConstraint),
                weight("recurrent", t::recurrentInitializer, t::recurrentRegularizer, t::recurrentConstraint),
                weight("bias", t::biasInitializer, t::biasRegularizer, t::biasConstraint));
    }

    /** The options every Keras cell has, as the fused layers read them. */
    private <C extends GateCell<C>> C gateCell(Options o, C c) {
        gateWeights(o, c);
        try {
            c.dropout((float) o.number("dropout", 0.0));
            c.recurrentDropout((float) o.number("recurrent_dropout", 0.0));
        } catch (IllegalArgumentException e) {
            throw new KerasFileException(o.where() + ": " + e.getMessage(), e);
        }
        // implementation: another way to compute the same numbers; seed: dropout's stream.
        o.ignore("implementation", "seed");
        return c;
    }

    private Layer inner(Options o, String key) {
        Map<String, Object> entry = o.object(key);
        Read r = read(entry);
        return r.layer();
    }

    private Layer dense(Options o) {
        Dense d = new Dense(o.integer("units"), Components.activation(o, "activation", keras2));
        d.useBias(o.bool("use_bias", true));
        WeightOptions.read(o,
                weight("kernel", d::kernelInitializer, d::kernelRegularizer, d::kernelConstraint),
                weight("bias", d::biasInitializer, d::biasRegularizer, d::biasConstraint));
        o.requireNull("lora_rank");
        o.requireNull("quantization_config");
        o.ignore("lora_alpha");
        return d;
    }

    private Layer embedding(Options o) {
        Embedding e = new Embedding(o.integer("input_dim"), o.integer("output_dim"));
        WeightOptions.read(o,
                weight("embeddings", e::embeddingsInitializer, e::embeddingsRegularizer, e::embeddingsConstraint));
        e.maskZero(o.bool("mask_zero", false));
        o.require("sparse", Boolean.FALSE);
        o.requireNull("lora_rank");
        o.requireNull("quantization_config");
        o.ignore("input_length", "lora_alpha");
        return e;
    }

    private Layer batchNormalization(Options o) {
        BatchNormalization b = new BatchNormalization();
        int axis = bnAxis(o);
        try {
            b.axis(axis);
            b.momentum(o.number("momentum", 0.99));
            b.epsilon(o.number("epsilon", 1e-3));
        } catch (IllegalArgumentException e) {
            throw new KerasFileException(o.where() + ": " + e.getMessage(), e);
        }
        b.center(o.bool("center", true));
        b.scale(o.bool("scale", true));
        Initializer beta = Components.initializer(o, "beta_initializer");
        Initializer gamma = Components.initializer(o, "gamma_initializer");
        Initializer mean = Components.initializer(o, "moving_mean_initializer");
        Initializer variance = Components.initializer(o, "moving_variance_initializer");
        if (beta != null) {
            b.betaInitializer(beta);
        }
        if (gamma != null) {
            b.gammaInitializer(gamma);
        }
        if (mean != null) {
            b.movingMeanInitializer(mean);
        }
        if (variance != null) {
            b.movingVarianceInitializer(variance);
        }
        b.betaRegularizer(Components.regularizer(o, "beta_regularizer"));
        b.gammaRegularizer(Components.regularizer(o, "gamma_regularizer"));
        b.betaConstraint(Components.constraint(o, "beta_constraint"));
        b.gammaConstraint(Components.constraint(o, "gamma_constraint"));
        // tf.keras 2: batch renormalization, ghost batches and adjustments change the numbers.
        o.require("renorm", Boolean.FALSE);
        o.requireNull("virtual_batch_size");
        o.requireNull("adjustment");
        // synchronized: cross-replica statistics (the same on one device); fused: another kernel, same formula;
        // renorm_*: unused without renorm.
        o.ignore("synchronized", "fused", "renorm_clipping", "renorm_momentum");
        return b;
    }

    /** Keras 3 writes axis as an int, tf.keras as an int or a list of one. */
    private static int bnAxis(Options o) {
        Object v = o.raw("axis");
        if (v instanceof java.util.List<?> l && l.size() == 1) {
            v = l.get(0);
        }
        if (v == null) {
            return -1;
        }
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < Integer.MAX_VALUE) {
            return d.intValue();
        }
        throw o.unsupported("axis", v);
    }

    private Layer attention(Options o) {
        Attention a = new Attention().useScale(o.bool("use_scale", false));
        String mode = o.string("score_mode", "dot");
        a.scoreMode(switch (mode) {
            case "dot" -> Attention.ScoreMode.DOT;
            case "concat" -> Attention.ScoreMode.CONCAT;
            default -> throw o.unsupported("score_mode", mode);
        });
        return attentionOptions(o, a);
    }

    private Layer additiveAttention(Options o) {
        return attentionOptions(o, new AdditiveAttention().useScale(o.bool("use_scale", true)));
    }

    /** What both attention layers take: dropout, and tf.keras's causal (Keras 3's use_causal_mask call argument). */
    private static <A extends Layer> A attentionOptions(Options o, A a) {
        float dropout = (float) o.number("dropout", 0.0);
        boolean causal = o.bool("causal", false);
        try {
            if (a instanceof Attention at) {
                at.dropout(dropout).useCausalMask(causal);
            } else if (a instanceof AdditiveAttention ad) {
                ad.dropout(dropout).useCausalMask(causal);
            }
        } catch (IllegalArgumentException e) {
            throw new KerasFileException(o.where() + ": " + e.getMessage(), e);
        }
        o.ignore("seed");
        return a;
    }

    private Layer dropout(Options o) {
        o.requireNull("noise_shape");
        o.ignore("seed");
        return new Dropout((float) o.number("rate", 0.0));
    }

    private Layer flatten(Options o) {
        return ConvReader.options(() -> new Flatten().dataFormat(dataFormat(o)));
    }

    /** A 1D layer's data_format: absent or null is channels_last (Keras's default image_data_format). */
    static String dataFormat(Options o) {
        String f = o.string("data_format", "channels_last");
        if (!f.equalsIgnoreCase("channels_last") && !f.equalsIgnoreCase("channels_first")) {
            throw o.unsupported("data_format", f);
        }
        return f;
    }

    private Layer reshape(Options o) {
        try {
            return new Reshape(o.dims("target_shape"));
        } catch (IllegalArgumentException e) {
            throw new KerasFileException(o.where() + ": " + e.getMessage(), e);
        }
    }
}
