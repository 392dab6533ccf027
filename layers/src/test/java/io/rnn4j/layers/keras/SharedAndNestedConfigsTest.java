package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.model.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shared layers and a nested functional model in configs as Keras writes them — Keras 3's
 * ({@code args} histories; a nested model's calls counted from 0 in args and from 1 in
 * output_layers) and tf.keras 2's (nested lists; counted from 1 everywhere) — with the weights in
 * each Keras's file layout (Keras 3's nested {@code layers/functional/layers/...} paths; Keras 2's
 * {@code weight_names}, trainable weights first: a BatchNormalization's moving statistics after the
 * Dense behind it). The model: a Dense {@code d} applied to the input and again to the output of
 * {@code dense_b}, which takes d's first output (so d's second call must wait, as Keras's
 * from_config makes it), then a nested model BatchNormalization → Dense, then a linear Activation.
 * Both give the float64 recomputation of these formulas (bar 1e-5).
 */
class SharedAndNestedConfigsTest {
    @TempDir
    Path tmp;

    private static final float[][] D_KERNEL = {{0.5f, -1f}, {2f, 0.25f}};
    private static final float[] D_BIAS = {0.1f, -0.2f};
    private static final float[][] B_KERNEL = {{1f, 0.5f}, {-0.5f, 1.5f}};
    private static final float[] B_BIAS = {0f, 0.3f};
    private static final float[] GAMMA = {1.5f, 0.5f};
    private static final float[] BETA = {0.2f, -0.1f};
    private static final float[] MEAN = {0.3f, -0.4f};
    private static final float[] VARIANCE = {2f, 0.5f};
    private static final float[][] I_KERNEL = {{0.7f}, {-1.2f}};
    private static final float[] I_BIAS = {0.05f};

    private static String kt(String layer, int node, int tensor) {
        return "{\"class_name\": \"__keras_tensor__\", \"config\": {\"shape\": [null, 2], \"dtype\": \"float32\", "
                + "\"keras_history\": [\"" + layer + "\", " + node + ", " + tensor + "]}}";
    }

    private static String call3(String... tensors) {
        return "{\"args\": [" + String.join(", ", tensors) + "], \"kwargs\": {}}";
    }

    private static String dense3(String name, int units, String nodes) {
        return "{\"module\": \"keras.layers\", \"class_name\": \"Dense\", \"config\": {\"name\": \"" + name
                + "\", \"trainable\": true, \"dtype\": \"float32\", \"units\": " + units + ", \"activation\": "
                + "\"linear\", \"use_bias\": true}, \"registered_name\": null, \"name\": \"" + name
                + "\", \"inbound_nodes\": [" + nodes + "]}";
    }

    private static String input3(String name) {
        return "{\"module\": \"keras.layers\", \"class_name\": \"InputLayer\", \"config\": {\"batch_shape\": [null, 2], "
                + "\"dtype\": \"float32\", \"sparse\": false, \"name\": \"" + name + "\"}, \"registered_name\": null, "
                + "\"name\": \"" + name + "\", \"inbound_nodes\": []}";
    }

    private static final String BN_CONFIG = "\"config\": {\"name\": \"bn\", \"trainable\": true, \"dtype\": \"float32\", "
            + "\"axis\": -1, \"momentum\": 0.99, \"epsilon\": 0.001, \"center\": true, \"scale\": true}";

    /** Keras 3's config.json. */
    private static String keras3() {
        String inner = "{\"module\": \"keras.src.models.functional\", \"class_name\": \"Functional\", \"config\": {"
                + "\"name\": \"inner\", \"trainable\": true, \"layers\": [" + input3("inner_in") + ", "
                + "{\"module\": \"keras.layers\", \"class_name\": \"BatchNormalization\", " + BN_CONFIG
                + ", \"registered_name\": null, \"name\": \"bn\", \"inbound_nodes\": [" + call3(kt("inner_in", 0, 0))
                + "]}, " + dense3("inner_dense", 1, call3(kt("bn", 0, 0))) + "], \"input_layers\": [[\"inner_in\", "
                + "0, 0]], \"output_layers\": [[\"inner_dense\", 0, 0]]}, \"registered_name\": \"Functional\", "
                + "\"build_config\": {\"input_shape\": null}, \"name\": \"inner\", \"inbound_nodes\": ["
                + call3(kt("d", 1, 0)) + "]}";
        String act = "{\"module\": \"keras.layers\", \"class_name\": \"Activation\", \"config\": {\"name\": \"act\", "
                + "\"trainable\": true, \"dtype\": \"float32\", \"activation\": \"linear\"}, \"registered_name\": null, "
                + "\"name\": \"act\", \"inbound_nodes\": [" + call3(kt("inner", 0, 0)) + "]}";
        return "{\"module\": \"keras.src.models.functional\", \"class_name\": \"Functional\", \"config\": {\"name\": "
                + "\"outer\", \"trainable\": true, \"layers\": [" + input3("input_layer") + ", "
                + dense3("d", 2, call3(kt("input_layer", 0, 0)) + ", " + call3(kt("dense_b", 0, 0))) + ", "
                + dense3("dense_b", 2, call3(kt("d", 0, 0))) + ", " + inner + ", " + act + "], \"input_layers\": "
                + "[[\"input_layer\", 0, 0]], \"output_layers\": [[\"act\", 0, 0], [\"inner\", 1, 0]]}, "
                + "\"registered_name\": \"Functional\"}";
    }

    /** tf.keras 2's model.to_json(). */
    private static String keras2() {
        String in = "{\"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 2], \"dtype\": "
                + "\"float32\", \"sparse\": false, \"ragged\": false, \"name\": \"%s\"}, \"name\": \"%s\", "
                + "\"inbound_nodes\": []}";
        String dense = "{\"class_name\": \"Dense\", \"config\": {\"name\": \"%s\", \"trainable\": true, \"dtype\": "
                + "\"float32\", \"units\": %d, \"activation\": \"linear\", \"use_bias\": true}, \"name\": \"%s\", "
                + "\"inbound_nodes\": [%s]}";
        String inner = "{\"class_name\": \"Functional\", \"config\": {\"name\": \"inner\", \"layers\": ["
                + String.format(in, "inner_in", "inner_in") + ", {\"class_name\": \"BatchNormalization\", "
                + BN_CONFIG + ", \"name\": \"bn\", \"inbound_nodes\": [[[\"inner_in\", 0, 0, {}]]]}, "
                + String.format(dense, "inner_dense", 1, "inner_dense", "[[\"bn\", 0, 0, {}]]")
                + "], \"input_layers\": [[\"inner_in\", 0, 0]], \"output_layers\": [[\"inner_dense\", 0, 0]]}, "
                + "\"name\": \"inner\", \"inbound_nodes\": [[[\"d\", 1, 0, {}]]]}";
        String act = "{\"class_name\": \"Activation\", \"config\": {\"name\": \"act\", \"trainable\": true, \"dtype\": "
                + "\"float32\", \"activation\": \"linear\"}, \"name\": \"act\", \"inbound_nodes\": "
                + "[[[\"inner\", 1, 0, {}]]]}";
        return "{\"class_name\": \"Functional\", \"config\": {\"name\": \"outer\", \"layers\": ["
                + String.format(in, "input_1", "input_1") + ", "
                + String.format(dense, "d", 2, "d", "[[\"input_1\", 0, 0, {}]], [[\"dense_b\", 0, 0, {}]]") + ", "
                + String.format(dense, "dense_b", 2, "dense_b", "[[\"d\", 0, 0, {}]]") + ", " + inner + ", " + act
                + "], \"input_layers\": [[\"input_1\", 0, 0]], \"output_layers\": [[\"act\", 0, 0], "
                + "[\"inner\", 1, 0]]}, \"keras_version\": \"2.15.0\", \"backend\": \"tensorflow\"}";
    }

    private static double[] expected(float[] x) {
        double[] h1 = dense(x, D_KERNEL, D_BIAS);
        double[] h2 = dense(toFloat(h1), B_KERNEL, B_BIAS);
        double[] h3 = dense(toFloat(h2), D_KERNEL, D_BIAS);
        double[] n = new double[2];
        for (int j = 0; j < 2; j++) {
            n[j] = GAMMA[j] * (h3[j] - MEAN[j]) / Math.sqrt(VARIANCE[j] + 1e-3) + BETA[j];
        }
        return dense(toFloat(n), I_KERNEL, I_BIAS);
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    private static double[] dense(float[] x, float[][] k, float[] b) {
        double[] y = new double[b.length];
        for (int j = 0; j < b.length; j++) {
            y[j] = b[j];
            for (int i = 0; i < x.length; i++) {
                y[j] += (double) x[i] * k[i][j];
            }
        }
        return y;
    }

    private static void checkOutputs(KerasModel km) {
        Model m = km.functional();
        assertThat(m.layers()).extracting(Layer::className).containsExactly("InputLayer", "Dense", "Dense",
                "Functional", "Activation");
        assertThat(m.layer("d").inboundNodes()).hasSize(2);
        float[] x = {1f, -2f, 0.5f, 3f, -1f, 0.25f};
        List<Tensor> y = km.predict(List.of(Tensor.of(x, 3, 2)));
        assertThat(y).hasSize(2);
        for (int row = 0; row < 3; row++) {
            double want = expected(new float[] {x[2 * row], x[2 * row + 1]})[0];
            assertThat((double) y.get(0).toArray()[row]).as("act output, row %d", row).isCloseTo(want, within(1e-5));
            assertThat(y.get(1).toArray()[row]).as("the nested model's output is the same tensor")
                    .isEqualTo(y.get(0).toArray()[row]);
        }
    }

    @Test
    void keras3ConfigWithASharedLayerAndANestedModelLoads() throws IOException {
        Path json = Files.writeString(tmp.resolve("model.json"), keras3());
        Path weights = tmp.resolve("model.weights.h5");
        try (WritableHdfFile h5 = HdfFile.write(weights)) {
            WritableGroup layers = h5.putGroup("layers");
            WritableGroup d = layers.putGroup("dense").putGroup("vars");
            d.putDataset("0", D_KERNEL);
            d.putDataset("1", D_BIAS);
            WritableGroup b = layers.putGroup("dense_1").putGroup("vars");
            b.putDataset("0", B_KERNEL);
            b.putDataset("1", B_BIAS);
            WritableGroup inner = layers.putGroup("functional").putGroup("layers");
            WritableGroup bn = inner.putGroup("batch_normalization").putGroup("vars");
            bn.putDataset("0", GAMMA);
            bn.putDataset("1", BETA);
            bn.putDataset("2", MEAN);
            bn.putDataset("3", VARIANCE);
            WritableGroup id = inner.putGroup("dense").putGroup("vars");
            id.putDataset("0", I_KERNEL);
            id.putDataset("1", I_BIAS);
        }
        checkOutputs(Models.load(json, weights));
    }

    @Test
    void keras2ConfigWithASharedLayerAndANestedModelLoads() throws IOException {
        Path json = Files.writeString(tmp.resolve("model.json"), keras2());
        Path weights = tmp.resolve("model_weights.h5");
        try (WritableHdfFile h5 = HdfFile.write(weights)) {
            h5.putAttribute("layer_names", new String[] {"d", "dense_b", "inner"});
            h5.putAttribute("keras_version", "2.15.0");
            WritableGroup d = h5.putGroup("d");
            d.putAttribute("weight_names", new String[] {"d/kernel:0", "d/bias:0"});
            WritableGroup dd = d.putGroup("d");
            dd.putDataset("kernel:0", D_KERNEL);
            dd.putDataset("bias:0", D_BIAS);
            WritableGroup b = h5.putGroup("dense_b");
            b.putAttribute("weight_names", new String[] {"dense_b/kernel:0", "dense_b/bias:0"});
            WritableGroup bb = b.putGroup("dense_b");
            bb.putDataset("kernel:0", B_KERNEL);
            bb.putDataset("bias:0", B_BIAS);
            WritableGroup inner = h5.putGroup("inner");
            // Keras 2's _legacy_weights: trainable first, so the moving statistics come last.
            inner.putAttribute("weight_names", new String[] {"bn/gamma:0", "bn/beta:0", "inner_dense/kernel:0",
                "inner_dense/bias:0", "bn/moving_mean:0", "bn/moving_variance:0"});
            WritableGroup ib = inner.putGroup("bn");
            ib.putDataset("gamma:0", GAMMA);
            ib.putDataset("beta:0", BETA);
            ib.putDataset("moving_mean:0", MEAN);
            ib.putDataset("moving_variance:0", VARIANCE);
            WritableGroup idn = inner.putGroup("inner_dense");
            idn.putDataset("kernel:0", I_KERNEL);
            idn.putDataset("bias:0", I_BIAS);
        }
        checkOutputs(Models.load(json, weights));
    }

    @Test
    void aCallOnANodeNoCallMakesIsRefused() {
        String bad = keras3().replace(kt("inner", 0, 0), kt("inner", 3, 0));
        assertThatThrownBy(() -> new ModelReader("bad.json", false).read(ModelReader.parse("bad.json", "config", bad),
                null, null)).isInstanceOf(KerasFileException.class)
                .hasMessage("bad.json: layer 'act' is called on [inner[3][0]], which no call of the model makes");
    }
}
