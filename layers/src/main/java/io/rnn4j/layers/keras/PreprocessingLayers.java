package io.rnn4j.layers.keras;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Normalization;
import io.rnn4j.layers.Rescaling;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keras configs of the numeric preprocessing layers a model may carry in front of its recurrent
 * layers ({@code keras/src/layers/preprocessing/}): Normalization (axis as an int, a list or None;
 * mean and variance as None, a number or nested lists, NumPy's {@code tolist()}) and Rescaling
 * (scale and offset as numbers, lists, or Keras's {@code __numpy__} objects), in Keras 3's and
 * tf.keras 2's forms, read for {@link LayerReader} and written for {@link ConfigWriter}.
 */
final class PreprocessingLayers {
    private PreprocessingLayers() {
    }

    static Layer normalization(Options o) {
        // Named first, so that the layer's own refusals name the entry.
        Normalization n = new Normalization().named(o.layer());
        // Keras builds the layer with cls(**config): no axis key is its default -1, a null axis is axis=None.
        boolean absent = !o.has("axis") && !o.isNull("axis");
        Object axis = o.raw("axis");
        n.axis(absent ? new int[] {-1} : axis == null ? new int[0] : axes(o, axis));
        Object mean = o.raw("mean");
        Object variance = o.raw("variance");
        o.ignore("mean", "variance");
        if ((mean == null) != (variance == null)) {
            throw new KerasFileException(o.where() + ": mean and variance must both be given or both be null, got mean="
                    + Options.show(mean) + " and variance=" + Options.show(variance));
        }
        if (mean != null) {
            Tensor m = array(o, "mean", mean);
            Tensor v = array(o, "variance", variance);
            try {
                n.meanAndVariance(m, v);
            } catch (IllegalArgumentException e) {
                throw new KerasFileException(e.getMessage(), e);
            }
        }
        return n.invert(o.bool("invert", false));
    }

    private static int[] axes(Options o, Object v) {
        List<?> list = v instanceof List<?> l ? l : List.of(v);
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            Integer a = Options.wholeNumber(list.get(i));
            if (a == null) {
                throw o.error("axis", "an integer, a list of integers or null", v);
            }
            out[i] = a;
        }
        return out;
    }

    /** A number or nested lists of numbers as a tensor of their shape (a number: shape ()). */
    private static Tensor array(Options o, String key, Object v) {
        List<Integer> dims = new ArrayList<>();
        for (Object e = v; e instanceof List<?> l; e = l.isEmpty() ? null : l.get(0)) {
            dims.add(l.size());
        }
        int[] d = dims.stream().mapToInt(Integer::intValue).toArray();
        List<Float> flat = new ArrayList<>();
        flatten(o, key, v, v, 0, d, flat);
        float[] values = new float[flat.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = flat.get(i);
        }
        return Tensor.of(values, d);
    }

    private static void flatten(Options o, String key, Object whole, Object v, int depth, int[] d, List<Float> out) {
        if (depth == d.length) {
            if (!(v instanceof Double x)) {
                throw o.error(key, "a number or nested lists of numbers of one shape", whole);
            }
            out.add((float) (double) x);
            return;
        }
        if (!(v instanceof List<?> l) || l.size() != d[depth]) {
            throw o.error(key, "a number or nested lists of numbers of one shape", whole);
        }
        for (Object e : l) {
            flatten(o, key, whole, e, depth + 1, d, out);
        }
    }

    /**
     * scale and offset: a number, a list of one per feature, or either serialized as Keras's
     * serialize_keras_object writes a NumPy array ("__numpy__") or a backend tensor ("__tensor__").
     */
    static Layer rescaling(Options o) {
        float[] scale = values(o, "scale", o.raw("scale"));
        float[] offset = o.raw("offset") == null ? new float[] {0f} : values(o, "offset", o.raw("offset"));
        o.ignore("scale", "offset");
        return new Rescaling(scale, offset);
    }

    private static float[] values(Options o, String key, Object v) {
        Object value = v;
        if (v instanceof Map<?, ?> m && List.of("__numpy__", "__tensor__").contains(m.get("class_name"))
                && m.get("config") instanceof Map<?, ?> c) {
            value = c.get("value");
        }
        if (value instanceof Double x) {
            return new float[] {(float) (double) x};
        }
        if (value instanceof List<?> l && !l.isEmpty() && l.stream().allMatch(e -> e instanceof Double)) {
            float[] out = new float[l.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (double) (Double) l.get(i);
            }
            return out;
        }
        throw o.error(key, "a number or a list of numbers (one per feature)", v);
    }

    static void write(Normalization n, Map<String, Object> c) {
        c.put("axis", ActivationLayers.ints(n.axis()));
        c.put("invert", n.invert());
        c.put("mean", n.givenMean() == null ? null : nested(n.givenMean()));
        c.put("variance", n.givenVariance() == null ? null : nested(n.givenVariance()));
    }

    /** NumPy's tolist(): a number for shape (), else nested lists. */
    private static Object nested(Tensor t) {
        float[] v = t.toArray();
        return nested(v, t.shape().dims(), 0, 0);
    }

    private static Object nested(float[] v, int[] d, int axis, int offset) {
        if (axis == d.length) {
            return KerasConfig.decimal(v[offset]);
        }
        int stride = 1;
        for (int a = axis + 1; a < d.length; a++) {
            stride *= d[a];
        }
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < d[axis]; i++) {
            out.add(nested(v, d, axis + 1, offset + i * stride));
        }
        return out;
    }

    static void write(Rescaling r, Map<String, Object> c) {
        c.put("scale", single(r.scale()));
        c.put("offset", single(r.offset()));
    }

    private static Object single(float[] v) {
        if (v.length == 1) {
            return KerasConfig.decimal(v[0]);
        }
        List<Object> out = new ArrayList<>();
        for (float x : v) {
            out.add(KerasConfig.decimal(x));
        }
        return out;
    }
}
