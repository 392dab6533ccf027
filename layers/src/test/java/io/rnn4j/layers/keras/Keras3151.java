package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Weight;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The keras3151/ fixtures that Keras 3.15.1 wrote, and the bar the tests hold rnn4j's outputs to. */
public final class Keras3151 {
    private Keras3151() {
    }

    /** A file of the keras3151/ test resources. */
    public static Path resource(String name) {
        try {
            return Path.of(Keras3151.class.getResource("keras3151/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The tensor of a keras3151/ {@code .npy} file. */
    public static Tensor npy(String name) throws IOException {
        return Npy.read(resource(name)).tensor();
    }

    /** The values of a keras3151/ {@code .npy} file, as Keras wrote them (float64 for comparing). */
    public static double[] npyValues(String name) throws IOException {
        return Npy.read(resource(name)).values();
    }

    /**
     * Sets the weights, in Keras's model.weights order, from the flattened vector a make_*.py script saved
     * ({@code np.concatenate([w.numpy().ravel() for w in model.weights])}): it must hold them all, no more.
     */
    public static void setFlat(List<Weight> weights, double[] flat) {
        int at = 0;
        for (Weight w : weights) {
            float[] v = new float[Math.toIntExact(w.value().size())];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) flat[at++];
            }
            w.set(Tensor.of(v, w.shape().dims()));
        }
        assertThat(at).as("weights in the fixture").isEqualTo(flat.length);
    }

    /** The weights' values one after the other: the flattened vector {@link #setFlat} reads, to compare. */
    public static float[] flat(List<Weight> weights) {
        return flatTensors(weights.stream().map(Weight::value).toList());
    }

    /** The tensors' values one after the other (gradients, optimizer slots), to compare with Keras's. */
    public static float[] flatTensors(List<Tensor> tensors) {
        float[] out = new float[tensors.stream().mapToInt(t -> Math.toIntExact(t.size())).sum()];
        int at = 0;
        for (Tensor t : tensors) {
            float[] v = t.toArray();
            System.arraycopy(v, 0, out, at, v.length);
            at += v.length;
        }
        return out;
    }

    /** rnn4j's outputs against Keras's, each within 1e-5 + 1e-5·|y|. */
    public static void assertClose(String what, float[] y, double[] want) {
        assertThat(y).as("%s: output size", what).hasSize(want.length);
        for (int i = 0; i < y.length; i++) {
            assertThat(Math.abs(y[i] - want[i]))
                    .as("%s output %d: rnn4j %s, Keras 3.15.1 %s (bar 1e-5 + 1e-5·|y|)", what, i, y[i], want[i])
                    .isLessThanOrEqualTo(1e-5 + 1e-5 * Math.abs(want[i]));
        }
    }

    /** The config of each layer of a .keras file whose class_name {@code classes} accepts, in order. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> layerConfigs(Path file, Predicate<String> classes) throws IOException {
        Map<String, Object> root = ModelReader.parse(file.toString(), "config.json", SaveTest.entry(file,
                "config.json"));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object l : (List<Object>) ((Map<String, Object>) root.get("config")).get("layers")) {
            Map<String, Object> layer = (Map<String, Object>) l;
            if (classes.test(String.valueOf(layer.get("class_name")))) {
                out.add((Map<String, Object>) layer.get("config"));
            }
        }
        return out;
    }

    /** The outputs of a model loaded back from rnn4j's own file, each bit for bit the ones it saved. */
    static void assertSameOutputs(String what, List<Tensor> again, List<Tensor> saved) {
        for (int i = 0; i < saved.size(); i++) {
            assertThat(again.get(i).toArray()).as("%srnn4j's own file, output %d, bit for bit", what, i)
                    .isEqualTo(saved.get(i).toArray());
        }
    }

    /** The inputs Keras was given, {@code <name>.x0.npy} to {@code <name>.x<n-1>.npy}. */
    static List<Tensor> inputs(String name, int n) throws IOException {
        List<Tensor> xs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            xs.add(Npy.read(resource(name + ".x" + i + ".npy")).tensor());
        }
        return xs;
    }

    /**
     * A Keras-written model with one input and one output: rnn4j predicts {@code <name>.x0.npy} as
     * Keras did ({@code <name>.y.npy}), and again after saving the model and loading it back.
     */
    static void assertPredictsAsKerasAndAfterSaving(String name, Path dir) throws IOException {
        Tensor x = Npy.read(resource(name + ".x0.npy")).tensor();
        KerasModel m = Models.load(resource(name + ".keras"));
        assertThat(m.kerasVersion()).contains("3.15.1");
        double[] want = Npy.read(resource(name + ".y.npy")).values();
        float[] y = m.predict(x).toArray();
        report(name, y, want);
        assertClose(name, y, want);
        Path saved = dir.resolve(name + ".keras");
        Models.save(m, saved);
        assertClose(name + " saved by rnn4j and reloaded", Models.load(saved).predict(x).toArray(), want);
    }

    /** Prints how far rnn4j's outputs are from Keras's, to see the margin a passing test has. */
    static void report(String name, float[] y, double[] want) {
        double maxAbs = 0;
        double maxRel = 0;
        for (int i = 0; i < y.length && i < want.length; i++) {
            double d = Math.abs(y[i] - want[i]);
            maxAbs = Math.max(maxAbs, d);
            maxRel = Math.max(maxRel, d / Math.max(Math.abs(want[i]), 1e-30));
        }
        System.out.printf("%s: max abs %.3g, max rel %.3g over %d outputs%n", name, maxAbs, maxRel, y.length);
    }

    /** Every weight of the model, layer by layer: Keras's model.weights order. */
    public static List<Weight> allWeights(KerasModel m) {
        List<Weight> weights = new ArrayList<>();
        for (Layer l : m.layers()) {
            weights.addAll(l.weights());
        }
        return weights;
    }

    /** Each weight's values now, to see later how far training moved them. */
    static List<float[]> values(List<Weight> weights) {
        return weights.stream().map(w -> w.value().toArray()).toList();
    }

    /**
     * Each weight after training against Keras's {@code <name>.after<i>.npy}, within {@link
     * #assertClose}'s bar, labelled with the weight's index, path and {@code when} ("after one epoch").
     */
    public static void assertWeightsAsKeras(String name, String when, List<Weight> weights) throws IOException {
        for (int i = 0; i < weights.size(); i++) {
            assertClose(name + " weight " + i + " (" + weights.get(i).path() + ") " + when,
                    weights.get(i).value().toArray(), npyValues(name + ".after" + i + ".npy"));
        }
    }

    /**
     * As {@link #assertWeightsAsKeras(String, String, List)}.
     *
     * @return the largest change of a weight from {@code before}: a test requires it far beyond the
     *         bar, so that the comparison says rnn4j trained as Keras
     */
    static double assertWeightsAsKeras(String name, String when, List<Weight> weights, List<float[]> before)
            throws IOException {
        assertWeightsAsKeras(name, when, weights);
        double moved = 0;
        for (int i = 0; i < weights.size(); i++) {
            float[] after = weights.get(i).value().toArray();
            for (int j = 0; j < after.length; j++) {
                moved = Math.max(moved, Math.abs(after[j] - before.get(i)[j]));
            }
        }
        return moved;
    }
}
