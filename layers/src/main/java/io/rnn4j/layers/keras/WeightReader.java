package io.rnn4j.layers.keras;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Weight;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Reads every weight of a model's layers from an HDF5 file in either Keras layout, checking each
 * shape against the layer, into a list of values per layer — nothing is written to the model here
 * (see {@link #apply}), so a bad file leaves the model as it was.
 *
 * <ul>
 *   <li>Keras 2 / tf.keras ({@code model.save} under {@code model_weights}, or {@code save_weights}
 *       at the root): the layers that have weights, matched in order as Keras's
 *       {@code load_weights} does; each one's datasets listed by its {@code weight_names} attribute
 *       (which also covers tf.keras's extra cell level and Theano-era names without {@code :0}).</li>
 *   <li>Keras 3 ({@code model.weights.h5}): {@code <path>/vars/<i>} by {@link WeightLayout}; files
 *       tf.keras 2.15 wrote on Windows have one root group per path, joined with backslashes.</li>
 * </ul>
 */
final class WeightReader {
    private WeightReader() {
    }

    /**
     * Whether the file is in Keras 3's layout: a {@code layers} group (tf.keras 2.15's {@code layers\…}),
     * or, from a model without weights, no groups but Keras 3's {@code optimizer} and {@code vars}
     * and no Keras 2 {@code layer_names}.
     */
    static boolean isKeras3(String file, Group root) {
        return H5.read(file, "the root group", () -> {
            boolean others = false;
            for (String k : root.getChildren().keySet()) {
                if (k.equals("layers") || k.startsWith("layers\\")) {
                    return true;
                }
                others |= !k.equals("optimizer") && !k.equals("vars");
            }
            return !others && root.getAttribute("layer_names") == null;
        });
    }

    /** Reads the weights for {@code layers} (model.layers order) from {@code root}, in whichever layout it has. */
    static List<List<Tensor>> read(String file, Group root, List<Layer> layers) {
        if (isKeras3(file, root)) {
            return readKeras3(file, root, layers);
        }
        Node mw = H5.child(file, root, "model_weights");
        return readKeras2(file, mw instanceof Group g ? g : root, layers);
    }

    static List<List<Tensor>> readKeras2(String file, Group group, List<Layer> layers) {
        if (H5.read(file, "the attributes of '" + group.getPath() + "'", () -> group.getAttribute("layer_names")) == null) {
            throw new KerasFileException(file + ": not a Keras weights file: '" + group.getPath()
                    + "' has no layer_names attribute (and there is no Keras 3 'layers' group)");
        }
        List<String> names = H5.stringsAttribute(file, group, "layer_names");
        // Keras's load_weights: the layers with weights, in order, on both sides.
        List<String> fileLayers = new ArrayList<>();
        List<List<String>> fileWeights = new ArrayList<>();
        for (String n : names) {
            Node g = H5.atPath(file, group, n);
            if (!(g instanceof Group lg)) {
                throw new KerasFileException(file + ": layer_names lists '" + n + "' but there is no group '" + n + "'");
            }
            List<String> w = H5.stringsAttribute(file, lg, "weight_names");
            if (!w.isEmpty()) {
                fileLayers.add(n);
                fileWeights.add(w);
            }
        }
        List<Layer> withWeights = layers.stream().filter(l -> !l.weights().isEmpty()).toList();
        if (withWeights.size() != fileLayers.size()) {
            throw new KerasFileException(file + ": the file has weights for " + fileLayers.size() + " layers "
                    + fileLayers + " but the model has " + withWeights.size() + " layers with weights "
                    + withWeights.stream().map(Layer::name).toList());
        }
        List<List<Tensor>> out = new ArrayList<>();
        int k = 0;
        for (Layer l : layers) {
            if (l.weights().isEmpty()) {
                out.add(List.of());
                continue;
            }
            String fileLayer = fileLayers.get(k);
            List<String> weightNames = fileWeights.get(k++);
            Group lg = (Group) H5.atPath(file, group, fileLayer);
            List<Weight> ws = keras2Order(l);
            if (weightNames.size() != ws.size()) {
                throw new KerasFileException(file + ": layer '" + fileLayer + "' has " + weightNames.size()
                        + " weights " + weightNames + " but layer '" + l.name() + "' (" + l.className() + ") expects "
                        + ws.size() + " " + ws.stream().map(Weight::name).toList());
            }
            List<Tensor> values = new ArrayList<>();
            for (int i = 0; i < ws.size(); i++) {
                String wn = weightNames.get(i);
                Node n = H5.read(file, "dataset '" + wn + "'", () -> lg.getByPath(wn));
                if (!(n instanceof Dataset d)) {
                    throw new KerasFileException(file + ": weight '" + wn + "' of layer '" + fileLayer
                            + "' is not a dataset");
                }
                values.add(checked(file, d.getPath(), H5.tensor(file, d), ws.get(i), l));
            }
            out.add(inWeightsOrder(l, ws, values));
        }
        return out;
    }

    /**
     * The order a legacy weights file lists a layer's weights in ({@code _legacy_weights}): its
     * trainable weights, then the others, each in Keras's {@code layer.weights} order
     * ({@link WeightLayout#storeOrder}). A nested model mixes them (a BatchNormalization's moving
     * statistics among its layers'); a frozen layer's are all "the others", so a custom layer's
     * come in its weights order, those created trainable first.
     */
    private static List<Weight> keras2Order(Layer l) {
        // a variable tracked twice (SpectralNormalization's kernel) is listed once in _legacy_weights
        List<Weight> keras = WeightLayout.storeOrder(l).stream().distinct().toList();
        List<Weight> ordered = new ArrayList<>(keras.stream().filter(Weight::trainable).toList());
        ordered.addAll(keras.stream().filter(w -> !w.trainable()).toList());
        return ordered;
    }

    /** Values read in {@code order} put back in the layer's weights() order. */
    private static List<Tensor> inWeightsOrder(Layer l, List<Weight> order, List<Tensor> values) {
        List<Weight> ws = l.weights();
        if (order.equals(ws)) {
            return values;
        }
        Tensor[] out = new Tensor[ws.size()];
        for (int i = 0; i < order.size(); i++) {
            out[ws.indexOf(order.get(i))] = values.get(i);
        }
        return List.of(out);
    }

    static List<List<Tensor>> readKeras3(String file, Group root, List<Layer> layers) {
        List<String> paths = WeightLayout.layerPaths(layers);
        List<List<Tensor>> out = new ArrayList<>();
        for (int li = 0; li < layers.size(); li++) {
            Layer l = layers.get(li);
            List<WeightLayout.Group> groups = WeightLayout.groups(l, paths.get(li));
            List<Weight> ws = WeightLayout.storeOrder(l);
            List<Tensor> values = new ArrayList<>();
            int w = 0;
            for (WeightLayout.Group g : groups) {
                int expected = g.count();
                List<Dataset> vars = vars(file, root, g.path());
                if (vars.isEmpty() && g.olderPath() != null) {
                    vars = vars(file, root, g.olderPath());
                }
                if (vars.size() != expected) {
                    throw new KerasFileException(file + ": '" + g.path() + "/vars' holds " + vars.size()
                            + " variables but layer '" + l.name() + "' (" + l.className() + ") expects " + expected
                            + " there " + ws.subList(w, w + expected).stream().map(Weight::name).toList());
                }
                for (Dataset d : vars) {
                    values.add(checked(file, d.getPath(), H5.tensor(file, d), ws.get(w++), l));
                }
            }
            out.add(inWeightsOrder(l, ws, values));
        }
        return out;
    }

    /** The datasets of {@code <path>/vars}, by index; none when the group is absent (a layer without variables). */
    private static List<Dataset> vars(String file, Group root, String path) {
        Node g = H5.read(file, "group '" + path + "'", () -> find(root, path));
        if (g == null) {
            return List.of();
        }
        if (!(g instanceof Group group)) {
            throw new KerasFileException(file + ": '" + path + "' is not a group");
        }
        Node v = H5.child(file, group, "vars");
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof Group vg)) {
            throw new KerasFileException(file + ": '" + path + "/vars' is not a group");
        }
        Map<String, Node> children = H5.read(file, "'" + path + "/vars'", vg::getChildren);
        List<String> keys = new ArrayList<>(children.keySet());
        for (String k : keys) {
            if (!k.matches("\\d+") || !(children.get(k) instanceof Dataset)) {
                throw new KerasFileException(file + ": '" + path + "/vars' holds '" + k
                        + "', expected datasets named 0, 1, 2, ...");
            }
        }
        keys.sort(Comparator.comparingInt(Integer::parseInt));
        for (int i = 0; i < keys.size(); i++) {
            if (Integer.parseInt(keys.get(i)) != i) {
                throw new KerasFileException(file + ": '" + path + "/vars' holds " + keys + ", expected 0.."
                        + (keys.size() - 1));
            }
        }
        return keys.stream().map(k -> (Dataset) children.get(k)).toList();
    }

    /** The node at a '/' path, or tf.keras 2.15-on-Windows' one root group named with backslashes; null if absent. */
    static Node find(Group root, String path) {
        Node n = root;
        for (String part : path.split("/")) {
            n = n instanceof Group g ? g.getChildren().get(part) : null;
            if (n == null) {
                break;
            }
        }
        return n != null ? n : root.getChildren().get(path.replace('/', '\\'));
    }

    private static Tensor checked(String file, String dataset, Tensor t, Weight w, Layer l) {
        if (!t.shape().equals(w.shape())) {
            throw new KerasFileException(file + ": dataset '" + dataset + "' has shape " + t.shape() + " but weight '"
                    + w.name() + "' of layer '" + l.name() + "' (" + l.className() + ") needs " + w.shape());
        }
        return t;
    }

    /** Sets every layer's weights; call only with values {@link #read} checked, so no write can fail half-way. */
    static void apply(List<Layer> layers, List<List<Tensor>> values) {
        for (int i = 0; i < layers.size(); i++) {
            if (!layers.get(i).weights().isEmpty()) {
                Layer l = layers.get(i);
                // Bidirectional and TimeDistributed list their inner layers' weights; setWeights covers them.
                l.setWeights(values.get(i));
            }
        }
    }
}
