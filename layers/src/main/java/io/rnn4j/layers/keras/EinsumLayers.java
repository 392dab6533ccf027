package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.WeightOptions.held;
import static io.rnn4j.layers.keras.WeightOptions.weight;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.EinsumDense;
import io.rnn4j.layers.Layer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keras's EinsumDense config (keras/src/layers/core/einsum_dense.py get_config) to and from
 * {@link EinsumDense}. LoRA (lora_rank) and quantization are refused by name: a LoRA layer's
 * delta and a quantized kernel have no counterpart here.
 */
final class EinsumLayers {
    private EinsumLayers() {
    }

    static Layer einsumDense(Options o, boolean keras2) {
        EinsumDense d;
        try {
            d = new EinsumDense(o.string("equation", null), outputShape(o));
            d.biasAxes(o.string("bias_axes", null));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new KerasFileException(o.where() + ": " + e.getMessage(), e);
        }
        d.activation(Components.activation(o, "activation", keras2));
        WeightOptions.read(o,
                weight("kernel", d::kernelInitializer, d::kernelRegularizer, d::kernelConstraint),
                weight("bias", d::biasInitializer, d::biasRegularizer, d::biasConstraint));
        if (o.raw("lora_rank") != null) {
            throw new KerasFileException("unsupported option lora_rank=" + Options.show(o.raw("lora_rank")) + " in "
                    + o.where() + ": rnn4j's EinsumDense has no LoRA (lora_kernel_a/b over a frozen kernel); "
                    + "merge the LoRA delta into the kernel in Keras first");
        }
        o.ignore("lora_alpha");
        o.requireNull("quantization_config");
        o.requireNull("gptq_unpacked_column_size");
        return d;
    }

    /** Keras's output_shape: an int (one axis) or a list in which null is None. */
    private static int[] outputShape(Options o) {
        Object v = o.raw("output_shape");
        if (v instanceof Double) {
            return new int[] {o.integer("output_shape")};
        }
        int[] d = o.dims("output_shape");
        for (int i = 0; i < d.length; i++) {
            d[i] = d[i] == -1 ? Shape.UNKNOWN : d[i];
        }
        return d;
    }

    /** get_config's keys as Keras 3.15 writes them (output_shape as a list, None for an unknown axis). */
    static void write(EinsumDense d, Map<String, Object> c, String activation) {
        List<Object> shape = new ArrayList<>();
        for (int x : d.partialOutputShape()) {
            shape.add(x == Shape.UNKNOWN ? null : x);
        }
        c.put("output_shape", shape);
        c.put("equation", d.equation());
        c.put("activation", activation);
        c.put("bias_axes", d.biasAxes());
        WeightOptions.writeWithActivity(c, d,
                held("kernel", d.kernelInitializer(), d.kernelRegularizer(), d.kernelConstraint()),
                held("bias", d.biasInitializer(), d.biasRegularizer(), d.biasConstraint()));
        c.put("quantization_config", null);
    }
}
