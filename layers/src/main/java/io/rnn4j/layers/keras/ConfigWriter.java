package io.rnn4j.layers.keras;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Activation;
import io.rnn4j.layers.ActivationLayer;
import io.rnn4j.layers.Bidirectional;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Dropout;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.Flatten;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Masking;
import io.rnn4j.layers.MergeMode;
import io.rnn4j.layers.Recurrent;
import io.rnn4j.layers.RepeatVector;
import io.rnn4j.layers.Reshape;
import io.rnn4j.layers.SimpleRNN;
import io.rnn4j.layers.TimeDistributed;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Sequential;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Sequential model's {@code config.json} as Keras 3 writes it: every option that changes the
 * numbers, with Keras's argument names. Initializers, regularizers and constraints are left out
 * (Keras then uses its defaults) because the layers module does not expose them yet; the weights
 * file carries the trained values.
 */
final class ConfigWriter {
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
        if (keras2HardSigmoid && keras3HardSigmoid) {
            throw new IllegalArgumentException("the model uses both Keras 2's hard_sigmoid (0.2x + 0.5) and Keras 3's "
                    + "(relu6(x + 3) / 6); a Keras file can hold only one of them");
        }
        if (keras2HardSigmoid) {
            // tf.keras 2.15 names the input shape batch_input_shape.
            Map<String, Object> in = config(layers.get(0));
            in.remove("batch_shape");
            in.put("batch_input_shape", batchShape);
        }
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("name", model.name());
        cfg.put("trainable", true);
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

    @SuppressWarnings("unchecked")
    private static Map<String, Object> config(Object entry) {
        return (Map<String, Object>) ((Map<String, Object>) entry).get("config");
    }

    /** Whether the file must say Keras 2 (tf.keras 2.15) so that hard_sigmoid reads back as 0.2x + 0.5. */
    boolean keras2() {
        return keras2HardSigmoid;
    }

    private static List<Object> batchShape(int[] sample, int batch) {
        List<Object> s = new ArrayList<>();
        s.add(batch > 0 ? batch : null);
        for (int d : sample) {
            s.add(d);
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
            e.put("build_config", Map.of("input_shape", batchShape(built.inputShape().dims(), 0)));
        }
        return e;
    }

    private Map<String, Object> base(Layer l) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", l.name());
        c.put("trainable", true);
        c.put("dtype", "float32");
        return c;
    }

    Map<String, Object> layer(Layer l) {
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
                c.put("layer", layer(b.forwardLayer()));
                c.put("backward_layer", layer(b.backwardLayer()));
            }
            case Dense d -> {
                c.put("units", d.units());
                c.put("activation", activation(d.activation()));
                c.put("use_bias", d.weights().size() == 2);
            }
            case Embedding e -> {
                Tensor table = e.weights().get(0).value();
                c.put("input_dim", table.dim(0));
                c.put("output_dim", table.dim(1));
                c.put("mask_zero", masksZero(e));
            }
            case Masking m -> c.put("mask_value", (double) Introspection.maskValue(m));
            case Dropout d -> {
                c.put("rate", (double) d.rate());
                c.put("seed", null);
                c.put("noise_shape", null);
            }
            case TimeDistributed t -> c.put("layer", layer(t.inner()));
            case Flatten f -> c.put("data_format", "channels_last");
            case Reshape r -> c.put("target_shape", ints(r.outputShape().dims()));
            case RepeatVector r -> c.put("n", r.outputShape().dim(0));
            case ActivationLayer a -> c.put("activation", activation(a.activation()));
            default -> throw new IllegalArgumentException("cannot save layer '" + l.name() + "' (" + cls
                    + ") as Keras: no Keras config is known for it");
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
        c.put("dropout", (double) r.dropout());
        c.put("recurrent_dropout", (double) r.recurrentDropout());
        c.put("seed", null);
    }

    private String activation(Activation a) {
        if (a == Activation.HARD_SIGMOID_KERAS2) {
            keras2HardSigmoid = true;
        } else if (a == Activation.HARD_SIGMOID) {
            keras3HardSigmoid = true;
        }
        return a.kerasName();
    }

    /** Whether id 0 is masked: the layer gives a mask for an all-zero input exactly when mask_zero is on. */
    private static boolean masksZero(Embedding e) {
        Tensor zero = e.device().zeros(io.rnn4j.engine.Shape.of(1, 1));
        return e.computeMask(Variable.constant(zero), null) != null;
    }

    private static List<Object> ints(int[] d) {
        List<Object> l = new ArrayList<>();
        for (int x : d) {
            l.add(x);
        }
        return l;
    }
}
