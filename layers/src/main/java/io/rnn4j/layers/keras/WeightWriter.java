package io.rnn4j.layers.keras;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.WritableGroup;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.optimizers.OptimizerState;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a model's weights as Keras 3's {@code model.weights.h5} ({@code layers/<path>/vars/<i>},
 * float32) and, when given, its optimizer's state ({@link OptimizerVars}), with jhdf's writer, then
 * reads the file back and compares every value.
 *
 * <p>Groups holding no variable (Dropout's empty {@code vars}, the root {@code vars}) are not
 * written: Keras 3 loads a missing group as "no variables", and jhdf 0.9.4 corrupts a file whose
 * last-written object is an empty group (its closing marker lands on that group's header).
 */
final class WeightWriter {
    private WeightWriter() {
    }

    /**
     * The bytes of {@link #write}'s file: the content of a {@code .keras} archive's
     * {@code model.weights.h5} and of a {@code save_weights} {@code .weights.h5}, which Keras 3
     * writes alike. jhdf writes only to a file, so this goes through a private temporary one.
     */
    static byte[] bytes(List<Layer> layers, OptimizerState optimizer) throws IOException {
        return bytes(layers, optimizer, Map.of());
    }

    /**
     * As {@link #bytes(List, OptimizerState)}, with datasets of variables that are not a layer's
     * weights (a TextVectorization's idf_weights), by path.
     */
    static byte[] bytes(List<Layer> layers, OptimizerState optimizer, Map<String, float[]> others) throws IOException {
        Path h5 = Files.createTempFile(".rnn4j-weights-", ".h5");
        try {
            Files.delete(h5); // jhdf creates it
            write(layers, optimizer, others, h5);
            return Files.readAllBytes(h5);
        } finally {
            Files.deleteIfExists(h5);
        }
    }

    /**
     * @param optimizer the optimizer's state to store under {@code optimizer/vars}, or null
     */
    static void write(List<Layer> layers, OptimizerState optimizer, Path file) {
        write(layers, optimizer, Map.of(), file);
    }

    private static void write(List<Layer> layers, OptimizerState optimizer, Map<String, float[]> others, Path file) {
        List<String> paths = WeightLayout.layerPaths(layers);
        Map<String, Tensor> written = new HashMap<>();
        try (WritableHdfFile h5 = HdfFile.write(file)) {
            Map<String, WritableGroup> groups = new HashMap<>();
            for (int li = 0; li < layers.size(); li++) {
                Layer l = layers.get(li);
                List<WeightLayout.Group> layerGroups = WeightLayout.groups(l, paths.get(li));
                List<Weight> ws = WeightLayout.storeOrder(l);
                int w = 0;
                for (WeightLayout.Group g : layerGroups) {
                    if (g.count() == 0) {
                        continue;
                    }
                    WritableGroup vars = group(h5, groups, g.path() + "/vars");
                    for (int i = 0; i < g.count(); i++) {
                        Weight weight = ws.get(w++);
                        Tensor t = weight.value();
                        vars.putDataset(Integer.toString(i), weight.dtype().equals("int64") ? (Object) (long) t.toArray()[0]
                                : nested(t.toArray(), t.shape().dims()));
                        written.put(g.path() + "/vars/" + i, t);
                    }
                }
            }
            for (Map.Entry<String, float[]> e : others.entrySet()) {
                String path = e.getKey();
                int slash = path.lastIndexOf('/');
                group(h5, groups, path.substring(0, slash)).putDataset(path.substring(slash + 1), e.getValue());
                written.put(path, Tensor.of(e.getValue(), e.getValue().length));
            }
            if (optimizer != null) {
                written.putAll(OptimizerVars.write(h5, optimizer));
            }
        }
        verify(file, written);
        if (optimizer != null) {
            try (HdfFile f = new HdfFile(file)) {
                OptimizerVars back = OptimizerVars.read(file.toString(), f);
                if (back == null || back.iterations() != optimizer.iterations()) {
                    throw new IllegalStateException("the optimizer's iteration count did not read back as written");
                }
            }
        }
    }

    private static WritableGroup group(WritableHdfFile h5, Map<String, WritableGroup> groups, String path) {
        WritableGroup g = groups.get(path);
        if (g != null) {
            return g;
        }
        int slash = path.lastIndexOf('/');
        WritableGroup parent = slash < 0 ? null : group(h5, groups, path.substring(0, slash));
        String name = path.substring(slash + 1);
        g = parent == null ? h5.putGroup(name) : parent.putGroup(name);
        groups.put(path, g);
        return g;
    }

    /** Row-major values as the nested Java array jhdf writes with that shape (a boxed Float for a scalar). */
    static Object nested(float[] flat, int[] dims) {
        if (dims.length == 0) {
            return flat[0];
        }
        return nested(flat, dims, 0, 0);
    }

    private static Object nested(float[] flat, int[] dims, int axis, int offset) {
        if (axis == dims.length - 1) {
            return Arrays.copyOfRange(flat, offset, offset + dims[axis]);
        }
        int stride = 1;
        for (int d = axis + 1; d < dims.length; d++) {
            stride *= dims[d];
        }
        Class<?> element = float.class;
        for (int k = 0; k < dims.length - axis - 1; k++) {
            element = element.arrayType();
        }
        Object out = Array.newInstance(element, dims[axis]);
        for (int i = 0; i < dims[axis]; i++) {
            Array.set(out, i, nested(flat, dims, axis + 1, offset + i * stride));
        }
        return out;
    }

    /** Reads the file back: every dataset must be there with the values written (jhdf's writer is young). */
    private static void verify(Path file, Map<String, Tensor> written) {
        try (HdfFile f = new HdfFile(file)) {
            for (Map.Entry<String, Tensor> e : written.entrySet()) {
                Dataset d = f.getDatasetByPath(e.getKey());
                Tensor back = H5.tensor(file.toString(), d);
                if (!back.shape().equals(e.getValue().shape())
                        || !Arrays.equals(back.toArray(), e.getValue().toArray())) {
                    throw new IllegalStateException("dataset '" + e.getKey() + "' did not read back as written");
                }
            }
        } catch (RuntimeException e) {
            throw new IllegalStateException("writing the weights with jhdf produced an unreadable file: " + e, e);
        }
    }
}
