package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;

import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.Session;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.ops.Arithmetic;
import io.rnn4j.layers.ops.Axis;
import io.rnn4j.layers.ops.KerasOps;
import io.rnn4j.layers.ops.Reduction;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras 3's operations in .keras files: a model using every one saves each as Keras 3.15's
 * functional.get_config writes an operation (serialize_keras_object of a class keras does not
 * export: module keras.src.ops.numpy or .nn, registered_name the class; config Operation.get_config's
 * name and {@code __init__} arguments; the call's args with numbers in place, Concatenate's tensors
 * as one list), with no weights group, loads back predicting the same bits and saves again to the
 * same config; and a config.json written by hand as Keras 3.15 writes {@code res = x + inputs},
 * {@code keras.ops.mean(res, axis=1)}, {@code 2.0 * x}, {@code 1 - x} loads and predicts as the
 * same model built in Java. The refusals are in {@link KerasOpsFilesRefusedTest}. Seed 83.
 */
class KerasOpsFilesTest {
    private static final long SEED = 83;

    @TempDir
    Path tmp;

    /** A model through every operation, named as a fresh Keras session names them. */
    static Model everyOperation() {
        Session.clear();
        Input in = Input.shape(6, 4).named("input_layer");
        SymbolicTensor d = new Dense(4).apply(in);
        SymbolicTensor a = KerasOps.add(d, in);
        SymbolicTensor c = KerasOps.subtract(1, KerasOps.multiply(a, 0.5));
        SymbolicTensor e = KerasOps.trueDivide(c, 3);
        SymbolicTensor g = KerasOps.divide(e, KerasOps.add(KerasOps.sigmoid(in), 1));
        SymbolicTensor s = KerasOps.softmax(KerasOps.relu(KerasOps.negative(KerasOps.tanh(g))), 1);
        SymbolicTensor sq = KerasOps.squeeze(KerasOps.expandDims(KerasOps.mean(s, 1, true), -1), new int[] {1, 3});
        SymbolicTensor mm = KerasOps.matmul(KerasOps.transpose(s, 0, 2, 1), s);
        SymbolicTensor rs = KerasOps.reshape(mm, -1, 16);
        SymbolicTensor mx = KerasOps.max(s, new int[] {1}, false);
        SymbolicTensor mn = new Reduction(Reduction.Kind.MIN, Axis.of(-2), false, 0.125).apply(s);
        SymbolicTensor sm = KerasOps.sum(s, 1);
        SymbolicTensor cat = KerasOps.concatenate(List.of(rs, mx, mn, sq, sm), -1);
        return Model.of(in, new Dense(2).apply(cat)).named("every_op");
    }

    private static String tensor(String layer, String shape) {
        return "{\"class_name\": \"__keras_tensor__\", \"config\": {\"shape\": " + shape + ", \"dtype\": \"float32\", "
                + "\"keras_history\": [\"" + layer + "\", 0, 0]}}";
    }

    private static String op(String module, String cls, String config, String name, String args) {
        return "{\"module\": \"keras.src.ops." + module + "\", \"class_name\": \"" + cls + "\", \"config\": " + config
                + ", \"registered_name\": \"" + cls + "\", \"name\": \"" + name + "\", \"inbound_nodes\": [{\"args\": "
                + args + ", \"kwargs\": {}}]}";
    }

    @Test
    void everyOperationSavesAsKeras3WritesItAndLoadsBackBitForBit() throws IOException {
        System.out.println("KerasOpsFilesTest seed " + SEED);
        Seeds.set(SEED);
        Model m = everyOperation();
        Path out = tmp.resolve("every_op.keras");
        Models.save(m, out);
        String config = SaveTest.entry(out, "config.json");
        String s = "[null, 6, 4]";
        assertThat(config).as("the entries Keras 3.15 writes").contains(
                op("numpy", "Add", "{\"name\": \"add\"}", "add", "[" + tensor("dense", s) + ", "
                        + tensor("input_layer", s) + "]"),
                op("numpy", "Multiply", "{\"name\": \"multiply\"}", "multiply", "[" + tensor("add", s) + ", 0.5]"),
                op("numpy", "Subtract", "{\"name\": \"subtract\"}", "subtract", "[1.0, " + tensor("multiply", s) + "]"),
                op("numpy", "TrueDivide", "{\"name\": \"true_divide\"}", "true_divide", "[" + tensor("subtract", s)
                        + ", 3.0]"),
                op("nn", "Sigmoid", "{\"name\": \"sigmoid\"}", "sigmoid", "[" + tensor("input_layer", s) + "]"),
                op("numpy", "Tanh", "{\"name\": \"tanh\"}", "tanh", "[" + tensor("divide", s) + "]"),
                op("nn", "Softmax", "{\"name\": \"softmax\", \"axis\": 1}", "softmax", "[" + tensor("relu", s) + "]"),
                op("numpy", "Mean", "{\"name\": \"mean\", \"axis\": 1, \"keepdims\": true}", "mean",
                        "[" + tensor("softmax", s) + "]"),
                op("numpy", "ExpandDims", "{\"name\": \"expand_dims\", \"axis\": -1}", "expand_dims",
                        "[" + tensor("mean", "[null, 1, 4]") + "]"),
                op("numpy", "Squeeze", "{\"name\": \"squeeze\", \"axis\": [1, 3]}", "squeeze",
                        "[" + tensor("expand_dims", "[null, 1, 4, 1]") + "]"),
                op("numpy", "Transpose", "{\"name\": \"transpose\", \"axes\": [0, 2, 1]}", "transpose",
                        "[" + tensor("softmax", s) + "]"),
                op("numpy", "Matmul", "{\"name\": \"matmul\"}", "matmul", "[" + tensor("transpose", "[null, 4, 6]")
                        + ", " + tensor("softmax", s) + "]"),
                op("numpy", "Reshape", "{\"name\": \"reshape\", \"newshape\": [-1, 16]}", "reshape",
                        "[" + tensor("matmul", "[null, 4, 4]") + "]"),
                op("numpy", "Max", "{\"name\": \"max\", \"axis\": [1], \"keepdims\": false, \"initial\": null}", "max",
                        "[" + tensor("softmax", s) + "]"),
                op("numpy", "Min", "{\"name\": \"min\", \"axis\": -2, \"keepdims\": false, \"initial\": 0.125}", "min",
                        "[" + tensor("softmax", s) + "]"),
                op("numpy", "Sum", "{\"name\": \"sum\", \"axis\": 1, \"keepdims\": false}", "sum",
                        "[" + tensor("softmax", s) + "]"),
                op("numpy", "Concatenate", "{\"name\": \"concatenate\", \"axis\": -1}", "concatenate",
                        "[[" + tensor("reshape", "[null, 16]") + ", " + tensor("max", "[null, 4]") + ", "
                        + tensor("min", "[null, 4]") + ", " + tensor("squeeze", "[null, 4]") + ", "
                        + tensor("sum", "[null, 4]") + "]]"));
        try (var h5 = HdfFile.fromBytes(Archives.bytes(out, "model.weights.h5"))) {
            assertThat(((Group) h5.getByPath("layers")).getChildren().keySet()).as("operations have no weights group")
                    .containsExactlyInAnyOrder("dense", "dense_1");
        }
        KerasModel back = Models.load(out);
        assertThat(back.functional().layers()).extracting(Layer::className).containsExactlyElementsOf(
                m.layers().stream().map(Layer::className).toList());
        Tensor x = TestTensors.gaussian(SEED, 5, 6, 4);
        assertThat(back.predict(x).toArray()).as("predictions after save and load, bit for bit")
                .isEqualTo(m.predict(x).toArray());
        Models.save(back.functional(), tmp.resolve("again.keras"));
        assertThat(SaveTest.entry(tmp.resolve("again.keras"), "config.json")).as("saved again, the same config")
                .isEqualTo(config);
    }

    @Test
    void anOperationCalledTwiceAndGivingTheModelsOutputRoundTrips() throws IOException {
        Seeds.set(SEED + 3);
        Session.clear();
        Input in = Input.shape(3).named("input_layer");
        Arithmetic half = new Arithmetic(Arithmetic.Kind.MULTIPLY, null, 0.5);
        SymbolicTensor y = half.apply(new Dense(3).apply(half.apply(in)));
        Model m = Model.of(in, y).named("twice");
        Path out = tmp.resolve("twice.keras");
        Models.save(m, out);
        String config = SaveTest.entry(out, "config.json");
        assertThat(config).as("two calls, each with its number; the output is the second call's")
                .contains("\"inbound_nodes\": [{\"args\": [" + tensor("input_layer", "[null, 3]") + ", 0.5], "
                        + "\"kwargs\": {}}, {\"args\": [" + tensor("dense", "[null, 3]") + ", 0.5], \"kwargs\": {}}]")
                .contains("\"output_layers\": [\"multiply\", 1, 0]");
        KerasModel back = Models.load(out);
        Tensor x = TestTensors.gaussian(SEED + 4, 4, 3);
        assertThat(back.predict(x).toArray()).as("predictions after save and load, bit for bit")
                .isEqualTo(m.predict(x).toArray());
    }

    private static final String DTYPE = "{\"module\": \"keras\", \"class_name\": \"DTypePolicy\", \"config\": "
            + "{\"name\": \"float32\"}, \"registered_name\": null}";

    private static String dense(String name, int units, String input, String shape) {
        String init = "{\"module\": \"keras.initializers\", \"class_name\": ";
        return "{\"module\": \"keras.layers\", \"class_name\": \"Dense\", \"config\": {\"name\": \"" + name + "\", "
                + "\"trainable\": true, \"dtype\": " + DTYPE + ", \"units\": " + units + ", "
                + "\"activation\": \"linear\", \"use_bias\": true, \"kernel_initializer\": " + init
                + "\"GlorotUniform\", \"config\": {\"seed\": null}, \"registered_name\": null}, "
                + "\"bias_initializer\": " + init + "\"Zeros\", \"config\": {}, \"registered_name\": null}, "
                + "\"kernel_regularizer\": null, \"bias_regularizer\": null, \"kernel_constraint\": null, "
                + "\"bias_constraint\": null, \"quantization_config\": null}, \"registered_name\": null, "
                + "\"build_config\": {\"input_shape\": " + shape + "}, \"name\": \"" + name + "\", \"inbound_nodes\": "
                + "[{\"args\": [" + tensor(input, shape) + "], \"kwargs\": {}}]}";
    }

    /**
     * The config.json Keras 3.15 writes for {@code inputs = keras.Input((5, 3)); x = layers.Dense(3)(inputs);
     * res = x + inputs; m = keras.ops.mean(res, axis=1); y = 1 - 2.0 * m; outputs = layers.Dense(1)(y);
     * keras.Model(inputs, outputs, name="ops_model")}: the layers as serialize_keras_object writes them
     * (InputLayer.get_config, Dense.get_config with 3.15's quantization_config), each operation as
     * {@link OperationCalls} describes, {@code 2.0 * m} recorded by __rmul__ as Multiply(2.0, m).
     *
     * @param meanConfig Mean's config: Keras 3.15's, or Keras 3.10's without the name
     */
    static String kerasConfig(String meanConfig) {
        String input = "{\"module\": \"keras.layers\", \"class_name\": \"InputLayer\", \"config\": {\"batch_shape\": "
                + "[null, 5, 3], \"dtype\": \"float32\", \"sparse\": false, \"ragged\": false, \"name\": "
                + "\"input_layer\", \"optional\": false}, \"registered_name\": null, \"name\": \"input_layer\", "
                + "\"inbound_nodes\": []}";
        String s = "[null, 5, 3]";
        String v = "[null, 3]";
        String layers = String.join(", ", List.of(input, dense("dense", 3, "input_layer", s),
                op("numpy", "Add", "{\"name\": \"add\"}", "add", "[" + tensor("dense", s) + ", "
                        + tensor("input_layer", s) + "]"),
                op("numpy", "Mean", meanConfig, "mean", "[" + tensor("add", s) + "]"),
                op("numpy", "Multiply", "{\"name\": \"multiply\"}", "multiply", "[2.0, " + tensor("mean", v) + "]"),
                op("numpy", "Subtract", "{\"name\": \"subtract\"}", "subtract", "[1, " + tensor("multiply", v) + "]"),
                dense("dense_1", 1, "subtract", v)));
        return "{\"module\": \"keras.src.models.functional\", \"class_name\": \"Functional\", \"config\": {\"name\": "
                + "\"ops_model\", \"trainable\": true, \"layers\": [" + layers + "], \"input_layers\": "
                + "[\"input_layer\", 0, 0], \"output_layers\": [\"dense_1\", 0, 0]}, \"registered_name\": "
                + "\"Functional\", \"build_config\": {\"input_shape\": null}, \"compile_config\": null}";
    }

    /** The same model built in Java. */
    static Model javaOpsModel() {
        Session.clear();
        Input in = Input.shape(5, 3).named("input_layer");
        SymbolicTensor res = KerasOps.add(new Dense(3).apply(in), in);
        SymbolicTensor y = KerasOps.subtract(1, KerasOps.multiply(2.0, KerasOps.mean(res, 1)));
        return Model.of(in, new Dense(1).apply(y)).named("ops_model");
    }

    @Test
    void handWrittenKeras3ConfigLoadsAndPredictsAsTheJavaBuiltModel() throws IOException {
        Seeds.set(SEED + 1);
        Model m = javaOpsModel();
        Path saved = tmp.resolve("java.keras");
        Models.save(m, saved);
        Tensor x = TestTensors.gaussian(SEED + 2, 4, 5, 3);
        String keras315 = "{\"name\": \"mean\", \"axis\": 1, \"keepdims\": false}";
        String keras310 = "{\"axis\": 1, \"keepdims\": false}"; // Mean.__init__ took no name before 3.11
        for (String mean : List.of(keras315, keras310)) {
            Path keras = Archives.copy(saved, tmp.resolve("keras.keras"), Map.of("config.json",
                    c -> kerasConfig(mean)));
            KerasModel k = Models.load(keras);
            assertThat(k.functional().layers()).extracting(Layer::className).containsExactly("InputLayer", "Dense",
                    "Add", "Mean", "Multiply", "Subtract", "Dense");
            assertThat(k.layer("multiply")).isInstanceOfSatisfying(Arithmetic.class,
                    a -> assertThat(new Double[] {a.x1(), a.x2()}).containsExactly(2.0, null));
            assertThat(k.predict(x).toArray()).as("Mean config %s: predicts as the Java-built model, bit for bit",
                    mean).isEqualTo(m.predict(x).toArray());
            java.nio.file.Files.delete(keras);
        }
        String ours = SaveTest.entry(saved, "config.json");
        assertThat(ours).as("rnn4j writes 2.0 * m as Keras does").contains(op("numpy", "Multiply",
                "{\"name\": \"multiply\"}", "multiply", "[2.0, " + tensor("mean", "[null, 3]") + "]"));
    }
}
