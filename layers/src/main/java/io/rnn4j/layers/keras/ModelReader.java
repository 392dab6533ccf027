package io.rnn4j.layers.keras;

import io.rnn4j.layers.Bidirectional;
import io.rnn4j.layers.ConvLSTM;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.internal.AutoNames;
import io.rnn4j.layers.Recurrent;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A Keras model config (the {@code model_config} attribute, {@code model.to_json()}, or Keras 3's
 * {@code config.json}) to an unweighted {@link KerasModel}: a {@link Sequential} for Sequential
 * models, a functional {@link io.rnn4j.layers.model.Model} for the others ({@link FunctionalReader}).
 */
final class ModelReader {
    private final String file;
    private final LayerReader layers;

    ModelReader(String file, boolean keras2) {
        this(file, keras2, new CustomLayerEntries(CustomLayers.of()));
    }

    /** @param custom the user's custom layer classes, and the layers made from them */
    ModelReader(String file, boolean keras2, CustomLayerEntries custom) {
        this.file = file;
        this.layers = new LayerReader(keras2, custom);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String file, String what, String json) {
        Object v;
        try {
            v = Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw new KerasFileException(file + ": " + what + " is not valid JSON: " + e.getMessage(), e);
        }
        if (!(v instanceof Map<?, ?>)) {
            throw new KerasFileException(file + ": " + what + " must be a JSON object, found " + Options.show(v));
        }
        return (Map<String, Object>) v;
    }

    /** The model the config describes, built (weights initialised, not yet loaded). */
    KerasModel read(Map<String, Object> model, String kerasVersion, String trainingConfig) {
        return AutoNames.suspended(() -> readNamed(model, kerasVersion, trainingConfig));
    }

    private KerasModel readNamed(Map<String, Object> model, String kerasVersion, String trainingConfig) {
        String cls = model.get("class_name") instanceof String s ? s : null;
        if (cls == null) {
            throw new KerasFileException(file + ": the model config has no class_name: " + Options.show(model));
        }
        return switch (cls) {
            case "Sequential" -> new KerasModel(named(sequential(model, false), model), null, null, kerasVersion,
                    trainingConfig);
            case "Model", "Functional" -> {
                FunctionalReader.Read r = new FunctionalReader(file, this, layers).read(model);
                yield new KerasModel(null, r.model(), r.layers(), kerasVersion, trainingConfig);
            }
            default -> throw new KerasFileException(file + ": unsupported model class '" + cls
                    + "': expected Sequential, Functional or Model");
        };
    }

    /**
     * One entry of a model's layers: a layer, or a model used as a layer (Keras's Sequential or
     * functional model nested in another), read whole.
     */
    LayerReader.Read layer(Map<String, Object> entry) {
        String cls = LayerReader.className(entry);
        if (!List.of("Sequential", "Functional", "Model").contains(cls)) {
            return layers.read(entry);
        }
        Object registered = entry.get("registered_name");
        if (registered != null && !registered.equals(cls)) {
            throw new KerasFileException("unsupported layer " + LayerReader.name(entry) + " (" + registered
                    + ") in layer '" + LayerReader.name(entry) + "': a custom model class");
        }
        if (cls.equals("Sequential")) {
            Sequential s = named(sequential(entry, true), entry);
            return new LayerReader.Read(s, s.isBuilt() ? batch(s.inputShape().dims()) : null);
        }
        Model m = new FunctionalReader(file, this, layers).read(entry).model();
        return new LayerReader.Read(m, batch(m.inputShapes().get(0).dims()));
    }

    private static int[] batch(int[] sample) {
        int[] b = new int[sample.length + 1];
        b[0] = -1;
        System.arraycopy(sample, 0, b, 1, sample.length);
        return b;
    }

    /**
     * A Sequential config's model. A nested one (a layer of another model) may give no input shape:
     * it is then built where it is applied.
     */
    @SuppressWarnings("unchecked")
    private Sequential sequential(Map<String, Object> model, boolean nested) {
        Object cfg = model.get("config");
        List<Object> entries;
        int[] buildShape = null;
        if (cfg instanceof List<?> l) {
            entries = (List<Object>) l; // Keras <= 2.2: the config is the list of layers
        } else if (cfg instanceof Map<?, ?> m && m.get("layers") instanceof List<?> l) {
            entries = (List<Object>) l;
            Options o = new Options(String.valueOf(m.get("name")), "Sequential", (Map<String, Object>) m);
            if (o.has("build_input_shape")) {
                buildShape = o.dims("build_input_shape");
            }
        } else {
            throw new KerasFileException(file + ": a Sequential config must hold a list of layers, found "
                    + Options.show(cfg));
        }
        List<Layer> stack = new ArrayList<>();
        int[] batchShape = null;
        for (int i = 0; i < entries.size(); i++) {
            if (!(entries.get(i) instanceof Map<?, ?> e)) {
                throw new KerasFileException(file + ": layer " + i + " of the Sequential model is not an object");
            }
            Map<String, Object> entry = (Map<String, Object>) e;
            if (LayerReader.className(entry).equals("InputLayer")) {
                if (i != 0) {
                    throw new KerasFileException(file + ": an InputLayer may only come first in a Sequential model");
                }
                InputSpec in = input(entry);
                if (in.bool()) {
                    throw new KerasFileException(file + ": the Sequential model's input '" + in.name() + "' is bool; "
                            + "rnn4j reads a bool input (a mask passed by name) in functional models only");
                }
                batchShape = in.batchShape;
                continue;
            }
            LayerReader.Read r = layer(entry);
            if (stack.isEmpty() && batchShape == null) {
                batchShape = r.batchInputShape();
            }
            stack.add(r.layer());
        }
        if (batchShape == null) {
            batchShape = buildShape;
        }
        if (batchShape == null && nested) {
            try {
                return Sequential.of(stack.toArray(Layer[]::new));
            } catch (IllegalArgumentException e) {
                throw new KerasFileException(file + ": the Sequential model cannot be built: " + e.getMessage(), e);
            }
        }
        if (batchShape == null) {
            throw new KerasFileException(file + ": the Sequential config gives no input shape (no InputLayer, "
                    + "batch_input_shape or build_input_shape), so its weights cannot be built");
        }
        List<Layer> all = new ArrayList<>();
        all.add(inputFor(batchShape, stack, "the Sequential model"));
        all.addAll(stack);
        try {
            return Sequential.of(all.toArray(Layer[]::new));
        } catch (IllegalArgumentException e) {
            throw new KerasFileException(file + ": the Sequential model cannot be built: " + e.getMessage(), e);
        }
    }

    /** An Input of the batch shape; the batch size is kept only where a stateful layer needs it. */
    Input inputFor(int[] batchShape, List<Layer> after, String what) {
        int[] sample = Arrays.copyOfRange(batchShape, 1, batchShape.length);
        for (int d : sample) {
            if (d < 1 && d != Input.NONE) {
                throw new KerasFileException(file + ": " + what + " has input shape " + shape(batchShape)
                        + ": dimensions must be positive or None");
            }
        }
        boolean stateful = after.stream().anyMatch(ModelReader::stateful);
        return stateful && batchShape[0] > 0 ? Input.batchShape(batchShape[0], sample) : Input.shape(sample);
    }

    private static boolean stateful(Layer l) {
        return l instanceof Recurrent<?> r ? r.stateful()
                : l instanceof Bidirectional b ? b.forwardLayer().stateful()
                : l instanceof ConvLSTM<?> c && c.stateful();
    }

    private static String shape(int[] d) {
        return Arrays.toString(d).replace("-1", "None").replace('[', '(').replace(']', ')');
    }

    /**
     * An InputLayer's name, batch shape and Keras dtype: float32, bool (held as 1/0 float32), int32 or
     * int64 (token ids, held as float32).
     */
    record InputSpec(String name, int[] batchShape, String dtype) {
        boolean bool() {
            return dtype.equals("bool");
        }
    }

    static InputSpec input(Map<String, Object> entry) {
        String name = LayerReader.name(entry);
        Options o = new Options(name, "InputLayer", LayerReader.config(entry));
        o.ignore("name");
        // Token ids arrive as int32 in Keras; here every tensor is float32 (ids exact up to 2^24).
        Object dt = o.raw("dtype");
        String d = dt == null ? "float32" : String.valueOf(dt instanceof Map<?, ?> m && m.get("config") instanceof Map<?, ?> c
                ? c.get("name") : dt);
        if (!List.of("float32", "int32", "int64", "bool").contains(d)) {
            throw new KerasFileException("unsupported dtype '" + d + "' in " + o.where()
                    + ": rnn4j computes in float32 only" + (d.equals("string") ? " (a string input loads from a "
                    + ".keras archive when it goes straight into a TextVectorization)" : ""));
        }
        o.require("sparse", Boolean.FALSE);
        o.require("ragged", Boolean.FALSE);
        o.require("optional", Boolean.FALSE);
        o.ignore("batch_size", "input_tensor");
        int[] shape = o.has("batch_shape") ? o.dims("batch_shape") : o.has("batch_input_shape")
                ? o.dims("batch_input_shape") : null;
        if (shape == null && o.has("shape")) {
            int[] s = o.dims("shape");
            shape = new int[s.length + 1];
            shape[0] = -1;
            System.arraycopy(s, 0, shape, 1, s.length);
        }
        o.ignore("batch_shape", "batch_input_shape", "shape");
        o.requireAllRead();
        if (shape == null) {
            throw new KerasFileException(o.where() + " has no batch_shape");
        }
        return new InputSpec(name, shape, d);
    }

    /**
     * The model's name and trainable flag from its config: Keras's {@code model.trainable = False}
     * freezes every layer.
     */

    private static Sequential named(Sequential s, Map<String, Object> model) {
        Map<?, ?> cfg = model.get("config") instanceof Map<?, ?> c ? c : Map.of();
        // Keras <= 2.2 nests a Sequential as a list of layers with the name beside it
        Object name = cfg.containsKey("name") ? cfg.get("name") : model.get("name");
        // unnamed in the file: a fresh name, as Keras draws one
        s.named(name instanceof String n && !n.isBlank() ? n : AutoNames.next("sequential"));
        if (Boolean.FALSE.equals(cfg.get("trainable"))) {
            for (Layer l : s.layers()) {
                l.trainable(false);
            }
            s.trainable(false);
        }
        return s;
    }
}
