package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.GetItem;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GetItem in Keras 3 files, as Luong's seq2seq takes the encoder's last output:
 * {@code encoder_outputs[:, -1, :]} of an LSTM(return_sequences, return_state) feeding a Dense. It
 * equals the LSTM's state h, lowers the loss, saves as Keras 3's functional get_config writes an
 * operation (module keras.src.ops.numpy, config {"name"} only, the key beside the tensor in the
 * inbound node's args, serialized by serialization_lib.serialize_keras_object) with no weights
 * group, and predicts the same bits after loading; a hand-written Keras 3 config.json of the same
 * model loads and predicts as the Java-built one; keys Keras would not take are refused. Seed 71.
 */
class GetItemFilesTest {
    private static final long SEED = 71;

    @TempDir
    Path tmp;



    private static final String SLICE_ALL = "{\"class_name\": \"__slice__\", \"config\": {\"start\": null, "
            + "\"stop\": null, \"step\": null}}";

    /** What Keras 3's get_config writes for seq[:, -1, :] (seq the first output of layer "encoder"). */
    private static final String GET_ITEM_ENTRY = "{\"module\": \"keras.src.ops.numpy\", \"class_name\": \"GetItem\", "
            + "\"config\": {\"name\": \"get_item\"}, \"registered_name\": \"GetItem\", \"name\": \"get_item\", "
            + "\"inbound_nodes\": [{\"args\": [{\"class_name\": \"__keras_tensor__\", \"config\": {\"shape\": "
            + "[null, null, 8], \"dtype\": \"float32\", \"keras_history\": [\"encoder\", 0, 0]}}, [" + SLICE_ALL
            + ", -1, " + SLICE_ALL + "]], \"kwargs\": {}}]}";

    private static final String DTYPE = "{\"module\": \"keras\", \"class_name\": \"DTypePolicy\", \"config\": "
            + "{\"name\": \"float32\"}, \"registered_name\": null}";

    /**
     * The config.json Keras 3.10 writes for
     * {@code inp = Input((None, 3), name="encoder_inputs"); seq, h, c = LSTM(8, return_sequences=True,
     * return_state=True, name="encoder")(inp); y = Dense(1, name="out")(seq[:, -1, :]);
     * Model(inp, y, name="luong_last")}; the LSTM and Dense entries as in the fixture
     * keras3-har-lstm-stacked-renamed (Keras 3.10), the GetItem entry as functional.get_config and
     * serialization_lib write an operation and its key.
     */
    private static String kerasConfig(String getItemEntry) {
        String input = "{\"module\": \"keras.layers\", \"class_name\": \"InputLayer\", \"config\": {\"batch_shape\": "
                + "[null, null, 3], \"dtype\": \"float32\", \"sparse\": false, \"ragged\": false, \"name\": "
                + "\"encoder_inputs\"}, \"registered_name\": null, \"name\": \"encoder_inputs\", "
                + "\"inbound_nodes\": []}";
        String lstm = "{\"module\": \"keras.layers\", \"class_name\": \"LSTM\", \"config\": {\"name\": \"encoder\", "
                + "\"trainable\": true, \"dtype\": " + DTYPE + ", \"return_sequences\": true, \"return_state\": true, "
                + "\"go_backwards\": false, \"stateful\": false, \"unroll\": false, \"zero_output_for_mask\": false, "
                + "\"units\": 8, \"activation\": \"tanh\", \"recurrent_activation\": \"sigmoid\", \"use_bias\": true, "
                + "\"kernel_initializer\": {\"module\": \"keras.initializers\", \"class_name\": \"GlorotUniform\", "
                + "\"config\": {\"seed\": null}, \"registered_name\": null}, \"recurrent_initializer\": {\"module\": "
                + "\"keras.initializers\", \"class_name\": \"Orthogonal\", \"config\": {\"seed\": null, "
                + "\"gain\": 1.0}, "
                + "\"registered_name\": null}, \"bias_initializer\": {\"module\": \"keras.initializers\", "
                + "\"class_name\": \"Zeros\", \"config\": {}, \"registered_name\": null}, \"unit_forget_bias\": true, "
                + "\"kernel_regularizer\": null, \"recurrent_regularizer\": null, \"bias_regularizer\": null, "
                + "\"activity_regularizer\": null, \"kernel_constraint\": null, \"recurrent_constraint\": null, "
                + "\"bias_constraint\": null, \"dropout\": 0.0, \"recurrent_dropout\": 0.0, \"seed\": null}, "
                + "\"registered_name\": null, \"build_config\": {\"input_shape\": [null, null, 3]}, \"name\": "
                + "\"encoder\", \"inbound_nodes\": [{\"args\": [{\"class_name\": \"__keras_tensor__\", \"config\": "
                + "{\"shape\": [null, null, 3], \"dtype\": \"float32\", \"keras_history\": "
                + "[\"encoder_inputs\", 0, 0]}}], "
                + "\"kwargs\": {}}]}";
        String dense = "{\"module\": \"keras.layers\", \"class_name\": \"Dense\", \"config\": {\"name\": \"out\", "
                + "\"trainable\": true, \"dtype\": " + DTYPE + ", \"units\": 1, \"activation\": \"linear\", "
                + "\"use_bias\": true, \"kernel_initializer\": {\"module\": \"keras.initializers\", \"class_name\": "
                + "\"GlorotUniform\", \"config\": {\"seed\": null}, \"registered_name\": null}, \"bias_initializer\": "
                + "{\"module\": \"keras.initializers\", \"class_name\": \"Zeros\", \"config\": {}, "
                + "\"registered_name\": "
                + "null}, \"kernel_regularizer\": null, \"bias_regularizer\": null, \"kernel_constraint\": null, "
                + "\"bias_constraint\": null}, \"registered_name\": null, \"build_config\": {\"input_shape\": "
                + "[null, 8]}, \"name\": \"out\", \"inbound_nodes\": [{\"args\": [{\"class_name\": "
                + "\"__keras_tensor__\", \"config\": {\"shape\": [null, 8], \"dtype\": \"float32\", "
                + "\"keras_history\": [\"get_item\", 0, 0]}}], "
                + "\"kwargs\": {}}]}";
        return "{\"module\": \"keras.src.models.functional\", \"class_name\": \"Functional\", \"config\": {\"name\": "
                + "\"luong_last\", \"trainable\": true, \"layers\": [" + input + ", " + lstm + ", " + getItemEntry
                + ", "
                + dense + "], \"input_layers\": [\"encoder_inputs\", 0, 0], \"output_layers\": [\"out\", 0, 0]}, "
                + "\"registered_name\": \"Functional\", \"build_config\": {\"input_shape\": null}, "
                + "\"compile_config\": null}";
    }

    /** The Java model: encoder LSTM, its last output by GetItem, a Dense on it; also a model giving (last, h). */
    private record Luong(Model model, Model lastAndH) {
    }

    private static Luong luong() {
        Input in = Input.shape(Input.NONE, 3).named("encoder_inputs");
        List<SymbolicTensor> enc = new LSTM(8).returnSequences(true).returnState(true).named("encoder").applyAll(in);
        SymbolicTensor last = new GetItem(":, -1, :").named("get_item").apply(enc.get(0));
        Model m = Model.of(in, new Dense(1).named("out").apply(last)).named("luong_last");
        return new Luong(m, Model.of(List.of(in), List.of(last, enc.get(1))));
    }

    @Test
    void encoderLastOutputIntoDenseTrainsAndRoundTripsBitForBit() throws IOException {
        System.out.println("GetItemFilesTest seed " + SEED);
        Seeds.set(SEED);
        Luong l = luong();
        Model m = l.model();
        Tensor x = TestTensors.gaussian(SEED, 32, 6, 3);
        List<Tensor> lastAndH = l.lastAndH().predict(List.of(x));
        assertThat(lastAndH.get(0).toArray()).as("encoder_outputs[:, -1, :] is the LSTM's state h")
                .isEqualTo(lastAndH.get(1).toArray());

        float[] xv = x.toArray();
        float[] target = new float[32];
        for (int b = 0; b < 32; b++) {
            target[b] = xv[b * 18 + 15] - xv[b * 18 + 16];  // from the last step's features
        }
        m.compile(Optimizers.adam(0.01), Losses.meanSquaredError());
        History hist = m.fit(List.of(x), List.of(Tensor.of(target, 32, 1)), Fit.defaults().batchSize(8).epochs(5).verbose(0));
        List<Double> loss = hist.get("loss");
        System.out.println("GetItemFilesTest loss by epoch " + loss);
        assertThat(loss.get(loss.size() - 1)).as("loss after 5 epochs below 0.8 of the first: %s", loss)
                .isLessThan(0.8 * loss.get(0));

        Path out = tmp.resolve("luong_last.keras");
        Models.save(m, out);
        String config = SaveTest.entry(out, "config.json");
        assertThat(config).as("the GetItem entry as Keras 3 writes it").contains(GET_ITEM_ENTRY)
                .contains("\"keras_history\": [\"get_item\", 0, 0]");
        try (var h5 = HdfFile.fromBytes(Archives.bytes(out, "model.weights.h5"))) {
            assertThat(((Group) h5.getByPath("layers")).getChildren().keySet()).as("an operation has no weights group")
                    .containsExactlyInAnyOrder("lstm", "dense");
        }
        KerasModel back = Models.load(out);
        assertThat(back.layer("get_item")).isInstanceOfSatisfying(GetItem.class,
                g -> assertThat(g.keyString()).isEqualTo(":, -1, :"));
        assertThat(back.predict(x).toArray()).as("predictions after save and load, bit for bit")
                .isEqualTo(m.predict(x).toArray());
        Tensor longer = TestTensors.gaussian(SEED + 1, 4, 11, 3);
        assertThat(back.predict(longer).toArray()).as("11 steps through the None steps")
                .isEqualTo(m.predict(longer).toArray());
        Models.save(back.functional(), tmp.resolve("again.keras"));
        String model = config.substring(0, config.indexOf(", \"build_config\""));
        assertThat(SaveTest.entry(tmp.resolve("again.keras"), "config.json")).as("saved again, the same model config")
                .startsWith(model);
    }

    @Test
    void handWrittenKeras3ConfigLoadsAndPredictsAsTheJavaBuiltModel() throws IOException {
        Seeds.set(SEED + 2);
        Model m = luong().model();
        Path saved = tmp.resolve("java.keras");
        Models.save(m, saved);
        Path keras = Archives.copy(saved, tmp.resolve("keras.keras"), Map.of("config.json",
                s -> kerasConfig(GET_ITEM_ENTRY)));
        KerasModel k = Models.load(keras);
        assertThat(k.functional().layers()).extracting(Layer::className).containsExactly("InputLayer", "LSTM",
                "GetItem", "Dense");
        Tensor x = TestTensors.gaussian(SEED + 3, 5, 7, 3);
        assertThat(k.predict(x).toArray()).as("the Keras 3 config predicts as the Java-built model, bit for bit")
                .isEqualTo(m.predict(x).toArray());
        assertThat(k.functional().summary()).contains("get_item (GetItem)");
    }

    @Test
    void keysKerasWouldNotTakeOrRnn4jDoesNotAreRefused() throws IOException {
        Seeds.set(SEED + 4);
        Path saved = tmp.resolve("java.keras");
        Models.save(luong().model(), saved);
        String key = "[" + SLICE_ALL + ", -1, " + SLICE_ALL + "]";
        String[][] bad = {
            {"0", "layer 'get_item' (GetItem): key 0 indexes the batch axis; rnn4j takes the batch axis whole (':' "
                + "or '...' first)"},
            {SLICE_ALL, "layer 'get_item' (GetItem): unsupported key type for array slice: {\"class_name\": "
                + "\"__slice__\", \"config\": {\"start\": null, \"stop\": null, \"step\": null}}; expected an int, a "
                + "tuple or a list"},
            {"[" + SLICE_ALL + ", [0, 1]]", "layer 'get_item' (GetItem): unsupported entry [0, 1] in key ["
                + SLICE_ALL + ", [0, 1]]; "
                + "rnn4j takes ints, slices, the Ellipsis and None (newaxis)"},
            {"[" + SLICE_ALL + ", -1, 9]", "layer 'get_item' (GetItem) cannot take its inputs [(None, None, 8)]: "
                + "Layer 'get_item' (GetItem): key [:, -1, 9] index 9 is out of bounds for axis 2 of size 8, "
                + "input shape (None, None, 8)"},
            {"[{\"class_name\": \"__slice__\", \"config\": {\"start\": null, \"stop\": null, \"step\": 0}}]",
                "layer 'get_item' (GetItem): key [{\"class_name\": \"__slice__\", \"config\": {\"start\": null, "
                + "\"stop\": null, \"step\": 0}}] has a slice step of zero"},
            {"[{\"class_name\": \"__ellipsis__\", \"config\": {}}, 1.5]", "layer 'get_item' (GetItem): key "
                + "[{\"class_name\": \"__ellipsis__\", \"config\": {}}, 1.5] holds 1.5, not an int"}};
        for (String[] c : bad) {
            Path p = Archives.copy(saved, tmp.resolve("bad.keras"), Map.of("config.json",
                    s -> kerasConfig(GET_ITEM_ENTRY.replace(key, c[0]))));
            assertThatThrownBy(() -> Models.load(p)).as("key %s", c[0]).isInstanceOf(KerasFileException.class)
                    .hasMessageContaining(c[1]);
            Files.delete(p);
        }
        String twice = GET_ITEM_ENTRY.replace("\"kwargs\": {}}]", "\"kwargs\": {}}, {\"args\": [{\"class_name\": "
                + "\"__keras_tensor__\", \"config\": {\"shape\": [null, null, 8], \"dtype\": \"float32\", "
                + "\"keras_history\": [\"encoder\", 0, 0]}}, [-2]], \"kwargs\": {}}]");
        Path p = Archives.copy(saved, tmp.resolve("twice.keras"), Map.of("config.json", s -> kerasConfig(twice)));
        assertThatThrownBy(() -> Models.load(p)).isInstanceOf(KerasFileException.class)
                .hasMessageEndingWith("layer 'get_item' (GetItem) is called with the keys [:, -1, :] and [-2]; rnn4j "
                        + "takes the key as an option of the layer");
        String noNodes = GET_ITEM_ENTRY.substring(0, GET_ITEM_ENTRY.indexOf(", \"name\": \"get_item\"")) + "}";
        assertThatThrownBy(() -> new LayerReader(false).read(ModelReader.parse("test", "layer", noNodes)))
                .isInstanceOf(KerasFileException.class).hasMessage("layer 'get_item' (GetItem): Keras's x[key] "
                        + "operation has its key in its call; this entry has no inbound_nodes (it is read in "
                        + "functional models only)");
    }
}
