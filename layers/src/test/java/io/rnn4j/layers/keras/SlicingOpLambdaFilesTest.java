package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.GetItem;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.model.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * tf.keras 2's slicing layer (TF 2.4 to 2.15) read as GetItem. The forms are tf.keras's own:
 * keras-team/tf-keras tf_keras/layers/core/tf_op_layer.py (SlicingOpLambda, TFOpLambda's config
 * {"function": symbol without "tf.", "name", "trainable", "dtype"}, TFSlicingOpDispatcher's
 * _slice_to_dict turning slices into {"start", "stop", "step"}, _preserve_input_structure_in_config),
 * tf_keras/engine/node.py (serialize: one flat [layer, node, tensor, kwargs] per call for those
 * layers, getitem's slice_spec in kwargs, a KerasTensor as [layer, node, tensor]),
 * tf_keras/saving/legacy/saved_model/json_utils.py (get_json_type: the Ellipsis as
 * {"class_name": "__ellipsis__"}), tf_keras/utils/tf_utils.py (convert_inner_node_data: a list of a
 * string and numbers is a tensor); the same code in keras-team/keras keras/layers/core.py from its
 * first commit (TF 2.4). Configs tf.keras printed: XinxiChen/MachineLearning-GPT
 * cvr_model_deepFM_model.md ({'slice_spec': ({'start': None, 'stop': None, 'step': None}, 0)}, and
 * TFOpLambda nodes such as ['tf.stack', 0, 0, {'axis': 1}] and ['_CONSTANT_VALUE', -1, 0.5, {'y': ...}]);
 * the Ellipsis as janclemenslab/das tests write it ({"slice_spec": [{"class_name": "__ellipsis__"}, None]}).
 * Seed 83.
 */
class SlicingOpLambdaFilesTest {
    private static final long SEED = 83;
    private static final String ALL = "{\"start\": null, \"stop\": null, \"step\": null}";

    @TempDir
    Path tmp;


    /** A SlicingOpLambda entry as tf.keras 2's get_config writes it, slicing {@code from}[0][0]. */
    private static String slicing(String name, String function, String from, String kwargs) {
        return "{\"class_name\": \"SlicingOpLambda\", \"config\": {\"name\": \"" + name + "\", \"trainable\": true, "
                + "\"dtype\": \"float32\", \"function\": \"" + function + "\"}, \"name\": \"" + name + "\", "
                + "\"inbound_nodes\": [[\"" + from + "\", 0, 0, " + kwargs + "]]}";
    }

    private static String input(String name, String batchShape) {
        return "{\"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": " + batchShape + ", \"dtype\": "
                + "\"float32\", \"sparse\": false, \"ragged\": false, \"name\": \"" + name + "\"}, \"name\": \"" + name
                + "\", \"inbound_nodes\": []}";
    }

    private static String functional(String name, String layers, String in, String out) {
        return "{\"class_name\": \"Functional\", \"config\": {\"name\": \"" + name + "\", \"layers\": [" + layers
                + "], \"input_layers\": [[\"" + in + "\", 0, 0]], \"output_layers\": [[\"" + out + "\", 0, 0]]}, "
                + "\"keras_version\": \"2.15.0\", \"backend\": \"tensorflow\"}";
    }

    private static final String INITIALIZERS = "\"kernel_initializer\": {\"class_name\": \"GlorotUniform\", "
            + "\"config\": {\"seed\": null}}, ";

    /**
     * The model_config tf.keras 2 writes for {@code inp = Input((None, 3), name="encoder_inputs");
     * seq = LSTM(8, return_sequences=True, name="encoder")(inp); y = Dense(1, name="out")(seq[:, -1, :])}.
     */
    private static final String LUONG = functional("luong_last", input("encoder_inputs", "[null, null, 3]")
            + ", {\"class_name\": \"LSTM\", \"config\": {\"name\": \"encoder\", \"trainable\": true, \"dtype\": "
            + "\"float32\", \"return_sequences\": true, \"return_state\": false, \"go_backwards\": false, "
            + "\"stateful\": false, \"unroll\": false, \"time_major\": false, \"units\": 8, \"activation\": \"tanh\", "
            + "\"recurrent_activation\": \"sigmoid\", \"use_bias\": true, " + INITIALIZERS
            + "\"recurrent_initializer\": {\"class_name\": \"Orthogonal\", \"config\": {\"gain\": 1.0, \"seed\": null}}, "
            + "\"bias_initializer\": {\"class_name\": \"Zeros\", \"config\": {}}, \"unit_forget_bias\": true, "
            + "\"kernel_regularizer\": null, \"recurrent_regularizer\": null, \"bias_regularizer\": null, "
            + "\"activity_regularizer\": null, \"kernel_constraint\": null, \"recurrent_constraint\": null, "
            + "\"bias_constraint\": null, \"dropout\": 0.0, \"recurrent_dropout\": 0.0, \"implementation\": 2}, "
            + "\"name\": \"encoder\", \"inbound_nodes\": [[[\"encoder_inputs\", 0, 0, {}]]]}, "
            + slicing("tf.__operators__.getitem", "__operators__.getitem", "encoder",
                    "{\"slice_spec\": [" + ALL + ", -1, " + ALL + "]}")
            + ", {\"class_name\": \"Dense\", \"config\": {\"name\": \"out\", \"trainable\": true, \"dtype\": "
            + "\"float32\", \"units\": 1, \"activation\": \"linear\", \"use_bias\": true, " + INITIALIZERS
            + "\"bias_initializer\": {\"class_name\": \"Zeros\", \"config\": {}}, \"kernel_regularizer\": null, "
            + "\"bias_regularizer\": null, \"activity_regularizer\": null, \"kernel_constraint\": null, "
            + "\"bias_constraint\": null}, \"name\": \"out\", \"inbound_nodes\": "
            + "[[[\"tf.__operators__.getitem\", 0, 0, {}]]]}", "encoder_inputs", "out");

    /** The same model built in Java with GetItem. */
    private static Model luong() {
        Input in = Input.shape(Input.NONE, 3).named("encoder_inputs");
        LSTM lstm = new LSTM(8).returnSequences(true);
        lstm.named("encoder");
        Layer last = new GetItem(":, -1, :").named("tf.__operators__.getitem");
        return Model.of(in, new Dense(1).named("out").apply(last.apply(lstm.apply(in)))).named("luong_last");
    }

    /**
     * A whole-model .h5 as tf.keras 2's save_model_to_hdf5 lays it out: model_config, keras_version
     * and backend on the root, model_weights with layer_names (every layer of model.layers, the
     * slicing layer included) and one group per layer, its weight_names and datasets at
     * {@code layer/layer/cell/name:0}.
     */
    private static void writeH5(Path file, String modelConfig, Model java) {
        List<Tensor> lstm = java.layer("encoder").getWeights();
        List<Tensor> dense = java.layer("out").getWeights();
        try (WritableHdfFile h5 = HdfFile.write(file)) {
            h5.putAttribute("keras_version", "2.15.0");
            h5.putAttribute("backend", "tensorflow");
            h5.putAttribute("model_config", modelConfig);
            WritableGroup w = h5.putGroup("model_weights");
            w.putAttribute("layer_names", new String[] {"encoder_inputs", "encoder", "tf.__operators__.getitem", "out"});
            w.putAttribute("keras_version", "2.15.0");
            w.putAttribute("backend", "tensorflow");
            // Layers without weights get a group and an empty weight_names in Keras; jhdf 0.9.4 cannot
            // write an empty string array (ArrayIndexOutOfBoundsException), and an absent weight_names
            // reads the same (no weights).
            w.putGroup("encoder_inputs");
            w.putGroup("tf.__operators__.getitem");
            WritableGroup e = w.putGroup("encoder");
            e.putAttribute("weight_names", new String[] {"encoder/lstm_cell/kernel:0",
                "encoder/lstm_cell/recurrent_kernel:0", "encoder/lstm_cell/bias:0"});
            WritableGroup cell = e.putGroup("encoder").putGroup("lstm_cell");
            String[] lstmNames = {"kernel:0", "recurrent_kernel:0", "bias:0"};
            for (int i = 0; i < 3; i++) {
                cell.putDataset(lstmNames[i], WeightWriter.nested(lstm.get(i).toArray(), lstm.get(i).shape().dims()));
            }
            WritableGroup o = w.putGroup("out");
            o.putAttribute("weight_names", new String[] {"out/kernel:0", "out/bias:0"});
            WritableGroup od = o.putGroup("out");
            od.putDataset("kernel:0", WeightWriter.nested(dense.get(0).toArray(), dense.get(0).shape().dims()));
            od.putDataset("bias:0", WeightWriter.nested(dense.get(1).toArray(), dense.get(1).shape().dims()));
        }
    }

    @Test
    void tfKeras2H5OfAnLstmEncoderSlicedToItsLastOutputPredictsAsTheJavaModelAndSavesAsKeras3() throws IOException {
        System.out.println("SlicingOpLambdaFilesTest seed " + SEED);
        Seeds.set(SEED);
        Model java = luong();
        Path h5 = tmp.resolve("luong_last.h5");
        writeH5(h5, LUONG, java);
        KerasModel k = Models.load(h5);
        assertThat(k.kerasVersion()).contains("2.15.0");
        assertThat(k.layer("tf.__operators__.getitem")).isInstanceOfSatisfying(GetItem.class,
                g -> assertThat(g.keyString()).isEqualTo(":, -1, :"));
        for (int steps : new int[] {6, 11}) {
            Tensor x = TestTensors.gaussian(SEED + steps, 4, steps, 3);
            assertThat(k.predict(x).toArray()).as("%d steps through the None axis, bit for bit", steps)
                    .isEqualTo(java.predict(x).toArray());
        }

        Path keras = tmp.resolve("again.keras");
        Models.save(k, keras);
        assertThat(SaveTest.entry(keras, "config.json")).as("saved as Keras 3's GetItem operation")
                .contains("{\"module\": \"keras.src.ops.numpy\", \"class_name\": \"GetItem\", \"config\": {\"name\": "
                        + "\"tf.__operators__.getitem\"}, \"registered_name\": \"GetItem\"")
                .doesNotContain("SlicingOpLambda");
        Tensor x = TestTensors.gaussian(SEED + 1, 3, 5, 3);
        assertThat(Models.load(keras).predict(x).toArray()).as("saved and loaded again, bit for bit")
                .isEqualTo(java.predict(x).toArray());
    }

    @Test
    void theConfigAloneWithAKeras2WeightsFileLoadsTheSame() throws IOException {
        Seeds.set(SEED + 2);
        Model java = luong();
        Path h5 = tmp.resolve("weights.h5");
        writeH5(h5, LUONG, java);
        Path json = Files.writeString(tmp.resolve("model.json"), LUONG);
        Tensor x = TestTensors.gaussian(SEED + 3, 2, 7, 3);
        assertThat(Models.load(json, h5).predict(x).toArray()).as("model.to_json() and the weights, bit for bit")
                .isEqualTo(java.predict(x).toArray());
    }

    private static KerasModel read(String config) {
        return new ModelReader("model.json", true).read(ModelReader.parse("model.json", "config", config), "2.15.0",
                null);
    }

    /** Input (batch, 6, 4) sliced by one tf.keras 2 slice_spec. */
    private static String sliced(String sliceSpec) {
        return functional("m", input("x", "[null, 6, 4]") + ", " + slicing("tf.__operators__.getitem",
                "__operators__.getitem", "x", "{\"slice_spec\": " + sliceSpec + "}"), "x", "tf.__operators__.getitem");
    }

    @ParameterizedTest(name = "{0} is [{1}]")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "[ALL, -1, ALL]|:, -1, :",
        "[ALL, 2]|:, 2",
        "[ALL, {\"start\": 1, \"stop\": null, \"step\": 2}]|:, 1::2",
        "[ALL, {\"start\": null, \"stop\": -1, \"step\": null}, {\"start\": 3, \"stop\": 0, \"step\": -1}]|:, :-1, 3:0:-1",
        "[ALL, {\"start\": -100, \"stop\": 100, \"step\": null}, -4]|:, -100:100, -4",
        "[{\"class_name\": \"__ellipsis__\"}, 0]|..., 0",
        "[{\"class_name\": \"__ellipsis__\"}, null]|..., None",
        "[ALL, null, {\"start\": null, \"stop\": null, \"step\": -2}]|:, None, ::-2",
        "{\"class_name\": \"__ellipsis__\"}|...",
        "ALL|:",
    })
    void eachKeyFormLoadsAsTheGetItemOfThatKey(String spec, String key) {
        Seeds.set(SEED + 4);
        KerasModel k = read(sliced(spec.replace("ALL", ALL)));
        assertThat(k.layer("tf.__operators__.getitem")).isInstanceOfSatisfying(GetItem.class,
                g -> assertThat(g.keyString()).isEqualTo(key));
        Input in = Input.shape(6, 4);
        Model java = Model.of(in, new GetItem(key).apply(in));
        Tensor x = TestTensors.gaussian(SEED + 5, 3, 6, 4);
        Tensor got = k.predict(x);
        Tensor want = java.predict(x);
        assertThat(got.shape()).isEqualTo(want.shape());
        assertThat(got.toArray()).as("x[%s], bit for bit", key).isEqualTo(want.toArray());
    }

    /** The last timestep checked against plain loops, so the form's meaning does not rest on GetItem alone. */
    @Test
    void theLastStepIsTheInputsLastRow() {
        KerasModel k = read(sliced("[" + ALL + ", -1, " + ALL + "]"));
        Tensor x = TestTensors.gaussian(SEED + 6, 2, 6, 4);
        float[] xv = x.toArray();
        float[] want = new float[2 * 4];
        for (int b = 0; b < 2; b++) {
            for (int f = 0; f < 4; f++) {
                want[b * 4 + f] = xv[(b * 6 + 5) * 4 + f];
            }
        }
        Tensor got = k.predict(x);
        assertThat(got.shape().dims()).containsExactly(2, 4);
        assertThat(got.toArray()).isEqualTo(want);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        // x[0]: the batch axis, which GetItem takes whole only.
        "0|indexes the batch axis with 0; rnn4j takes the batch axis whole",
        "{\"start\": 1, \"stop\": null, \"step\": null}|slices the batch axis with '1:'",
        "[ALL, {\"start\": null, \"stop\": [\"tf.__operators__.getitem_1\", 0, 0], \"step\": null}]"
            + "|takes its slice stop from the tensor tf.__operators__.getitem_1[0][0] of the model; rnn4j's "
            + "GetItem takes ints only",
        "[ALL, [\"tf.__operators__.getitem_1\", 0, 0]]|takes an index from the tensor tf.__operators__.getitem_1[0][0]",
        "[ALL, {\"start\": null, \"stop\": null, \"step\": 0}]|has a slice step of zero",
        "[ALL, 1.5]|holds 1.5, not an int",
        "[ALL, true]|unsupported entry true",
        "[{\"class_name\": \"__ellipsis__\"}, {\"class_name\": \"__ellipsis__\"}]|more than one ellipsis",
        "[ALL, 9]|index 9 is out of bounds for axis 1 of size 6",
    })
    void keysGetItemCannotTakeAreRefusedByLayerAndKey(String spec, String message) {
        assertThatThrownBy(() -> read(sliced(spec.replace("ALL", ALL)))).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("tf.__operators__.getitem").hasMessageContaining(message);
    }

    @Test
    void otherCallFormsAreRefusedByName() {
        String constant = functional("m", input("x", "[null, 6, 4]") + ", {\"class_name\": \"SlicingOpLambda\", "
                + "\"config\": {\"name\": \"tf.__operators__.getitem\", \"trainable\": true, \"dtype\": \"float32\", "
                + "\"function\": \"__operators__.getitem\"}, \"name\": \"tf.__operators__.getitem\", \"inbound_nodes\": "
                + "[[\"_CONSTANT_VALUE\", -1, [1.0, 2.0], {\"slice_spec\": [" + ALL + "]}]]}", "x", "x");
        assertThatThrownBy(() -> read(constant)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("slices a constant written in the file");
        String var = sliced("[" + ALL + ", 0]").replace("{\"slice_spec\"", "{\"var\": null, \"slice_spec\"");
        assertThatThrownBy(() -> read(var)).isInstanceOf(KerasFileException.class)
                .hasMessage("unsupported call argument var=null in the call of layer 'tf.__operators__.getitem' "
                        + "(SlicingOpLambda)");
        String nested = sliced("[" + ALL + ", 0]").replace("[[\"x\", 0, 0, {", "[[[\"x\", 0, 0, {")
                .replace("}]]}", "}]]]}");
        assertThatThrownBy(() -> read(nested)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("has a malformed inbound node")
                .hasMessageContaining("expected [layer, node, tensor, {\"slice_spec\": key}]");
    }

    @Test
    void slicingFunctionsOtherThanGetitemAreRefusedNamingThem() {
        String mask = functional("m", input("x", "[null, 6, 4]") + ", " + slicing("tf.boolean_mask", "boolean_mask",
                "x", "{\"mask\": [\"y\", 0, 0]}"), "x", "tf.boolean_mask");
        assertThatThrownBy(() -> read(mask)).isInstanceOf(KerasFileException.class)
                .hasMessage("unsupported layer tf.boolean_mask (SlicingOpLambda) in layer 'tf.boolean_mask': it calls "
                        + "tf.boolean_mask, a TensorFlow function; rnn4j reads only tf.__operators__.getitem (x[key]) "
                        + "of tf.keras 2's slicing layers, as GetItem");
    }

    /** TFOpLambda entries as tf.keras 2 wrote them (XinxiChen/MachineLearning-GPT's printed config). */
    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "math.reduce_sum|tf.math.reduce_sum|[\"x\", 0, 0, {\"axis\": 1}]",
        "math.multiply|tf.math.multiply|[\"_CONSTANT_VALUE\", -1, 0.5, {\"y\": [\"x\", 0, 0], \"name\": null}]",
        "concat|tf.concat_1|[[\"x\", 0, 0, {\"axis\": -1}], [\"x\", 0, 0, {\"axis\": -1}]]",
    })
    void tfOpLambdaIsRefusedNamingTheTensorFlowFunction(String function, String name, String node) {
        String config = functional("m", input("x", "[null, 6, 4]") + ", {\"class_name\": \"TFOpLambda\", "
                + "\"config\": {\"name\": \"" + name + "\", \"trainable\": true, \"dtype\": \"float32\", \"function\": \""
                + function + "\"}, \"name\": \"" + name + "\", \"inbound_nodes\": [" + node + "]}", "x", name);
        assertThatThrownBy(() -> read(config)).isInstanceOf(KerasFileException.class)
                .hasMessage("unsupported layer " + name + " (TFOpLambda) in layer '" + name + "': it calls the "
                        + "TensorFlow function tf." + function + ", which tf.keras 2 recorded as a layer; rnn4j runs "
                        + "Keras layers, not TensorFlow functions");
    }

    /** Keras 2 Sequential entries have no inbound_nodes; tf.keras never puts a SlicingOpLambda in one. */
    @Test
    void aSlicingLayerOutsideAFunctionalModelIsRefused() {
        String seq = "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", \"layers\": [" + input("x",
                "[null, 6, 4]") + ", {\"class_name\": \"SlicingOpLambda\", \"config\": {\"name\": \"g\", "
                + "\"trainable\": true, \"dtype\": \"float32\", \"function\": \"__operators__.getitem\"}}]}}";
        assertThatThrownBy(() -> read(seq)).isInstanceOf(KerasFileException.class)
                .hasMessage("layer 'g' (SlicingOpLambda): tf.keras 2's x[key] layer has its key in its call; this "
                        + "entry has no inbound_nodes (it is read in functional models only)");
    }
}
