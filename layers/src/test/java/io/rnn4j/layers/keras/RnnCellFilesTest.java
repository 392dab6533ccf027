package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Bidirectional;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Cell;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.GRUCell;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.LSTMCell;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.MergeMode;
import io.rnn4j.layers.RNN;
import io.rnn4j.layers.RnnOutput;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SimpleRNNCell;
import io.rnn4j.layers.StackedRNNCells;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras's RNN(cell) in files: SimpleRNNCell, LSTMCell, GRUCell and StackedRNNCells, alone and in
 * Bidirectional. A Java-built model trained briefly saves and loads to the same bits, its weights at
 * Keras 3's paths ({@code layers/rnn/cell/vars/0}, stacked cells under
 * {@code cell/cells/<snake_case(class)>}); Keras 3's config of RNN(LSTMCell) with weights at those
 * paths gives the fused LSTM's numbers for the same weights (bar 1e-5); tf.keras 2's config of
 * Bidirectional(RNN(StackedRNNCells)) with its weight_names file gives the numbers of the same model
 * built in Java (bit for bit); an unknown cell is refused by name. Seed 127.
 */
class RnnCellFilesTest {
    private static final long SEED = 127;

    @TempDir
    Path tmp;


    private static String entry(Path zip, String name) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            return new String(z.getInputStream(z.getEntry(name)).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void javaBuiltRnnOverCellsRoundTrips() throws IOException {
        System.out.println("RnnCellFilesTest seed " + SEED);
        Seeds.set(SEED);
        Sequential m = Sequential.of(Input.shape(6, 3),
                new RNN(new LSTMCell(4).recurrentActivation("hard_sigmoid")).returnSequences(true),
                new Bidirectional(new RNN(new GRUCell(3).resetAfter(false), new SimpleRNNCell(2).activation("relu")),
                        MergeMode.AVE),
                new Dense(1));
        Tensor x = TestTensors.gaussian(SEED, 8, 6, 3);
        m.compile(Optimizers.adam(0.01), Losses.meanSquaredError());
        m.fit(x, TestTensors.gaussian(SEED + 1, 8, 1), Fit.defaults().batchSize(4).epochs(1).verbose(0));
        Path out = tmp.resolve("cells.keras");
        Models.save(m, out);
        String config = entry(out, "config.json");
        assertThat(config).contains("\"class_name\": \"RNN\"").contains("\"class_name\": \"LSTMCell\"")
                .contains("\"class_name\": \"StackedRNNCells\"").contains("\"reset_after\": false")
                .contains("\"recurrent_activation\": \"hard_sigmoid\"");
        try (ZipFile z = new ZipFile(out.toFile());
                HdfFile h5 = HdfFile.fromBytes(z.getInputStream(z.getEntry("model.weights.h5")).readAllBytes())) {
            assertThat(h5.getByPath("layers/rnn/cell/vars/2")).isNotNull();
            assertThat(h5.getByPath("layers/bidirectional/forward_layer/cell/cells/gru_cell/vars/0")).isNotNull();
            assertThat(h5.getByPath("layers/bidirectional/backward_layer/cell/cells/simple_rnn_cell/vars/2"))
                    .isNotNull();
        }
        Sequential back = Models.load(out).sequential();
        assertThat(back.layers()).extracting(Layer::className).containsExactly("RNN", "Bidirectional", "Dense");
        RNN rnn = (RNN) back.layers().get(0);
        assertThat(((LSTMCell) rnn.cell()).recurrentActivation()).isEqualTo(io.rnn4j.layers.Activation.HARD_SIGMOID);
        assertThat(back.predict(x).toArray()).as("predictions after save and load, bit for bit")
                .isEqualTo(m.predict(x).toArray());
    }

    /** Keras 3's config.json of Input (5, 3) → RNN(LSTMCell(2)), return_sequences. */
    private static final String KERAS3 = """
            {"module": "keras", "class_name": "Sequential", "config": {"name": "sequential", "trainable": true,
             "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
             "registered_name": null}, "layers": [
              {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 5, 3],
               "dtype": "float32", "sparse": false, "ragged": false, "name": "input_layer"},
               "registered_name": null},
              {"module": "keras.layers", "class_name": "RNN", "config": {"name": "rnn", "trainable": true,
               "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
               "registered_name": null}, "return_sequences": true, "return_state": false,
               "go_backwards": false, "stateful": false, "unroll": false, "zero_output_for_mask": false,
               "cell": {"module": "keras.layers", "class_name": "LSTMCell", "config": {"name": "lstm_cell",
                "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config":
                {"name": "float32"}, "registered_name": null}, "units": 2, "activation": "tanh",
                "recurrent_activation": "sigmoid", "use_bias": true, "unit_forget_bias": true,
                "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config":
                {"seed": null}, "registered_name": null}, "recurrent_initializer": {"module":
                "keras.initializers", "class_name": "Orthogonal", "config": {"gain": 1.0, "seed": null},
                "registered_name": null}, "bias_initializer": {"module": "keras.initializers", "class_name":
                "Zeros", "config": {}, "registered_name": null}, "kernel_regularizer": null,
                "recurrent_regularizer": null, "bias_regularizer": null, "kernel_constraint": null,
                "recurrent_constraint": null, "bias_constraint": null, "dropout": 0.0, "recurrent_dropout": 0.0,
                "seed": null}, "registered_name": null, "build_config": {"input_shape": [null, 3]}}},
               "registered_name": null, "build_config": {"input_shape": [null, 5, 3]}}],
             "build_input_shape": [null, 5, 3]}, "registered_name": null,
             "build_config": {"input_shape": [null, 5, 3]}}
            """;

    @Test
    void keras3RnnOfAnLstmCellGivesTheFusedLstmsNumbers() throws IOException {
        Tensor kernel = TestTensors.gaussian(1, 3, 8);
        Tensor recurrent = TestTensors.gaussian(2, 2, 8);
        Tensor bias = TestTensors.gaussian(3, 8);
        Path json = Files.writeString(tmp.resolve("rnn.json"), KERAS3);
        Path weights = tmp.resolve("rnn.weights.h5");
        try (WritableHdfFile h5 = HdfFile.write(weights)) {
            WritableGroup vars = h5.putGroup("layers").putGroup("rnn").putGroup("cell").putGroup("vars");
            vars.putDataset("0", WeightWriter.nested(kernel.toArray(), new int[] {3, 8}));
            vars.putDataset("1", WeightWriter.nested(recurrent.toArray(), new int[] {2, 8}));
            vars.putDataset("2", bias.toArray());
        }
        KerasModel km = Models.load(json, weights);
        RNN rnn = (RNN) km.layer("rnn");
        assertThat(rnn.cell()).isInstanceOf(LSTMCell.class);
        assertThat(rnn.cell().name()).isEqualTo("lstm_cell");
        LSTM fused = new LSTM(2).returnSequences(true);
        fused.build(Shape.of(5, 3));
        fused.setWeights(List.of(kernel, recurrent, bias));
        Tensor x = TestTensors.gaussian(4, 3, 5, 3);
        float[] got = km.predict(x).toArray();
        float[] want = fused.call(Variable.constant(x), null, CallContext.inference()).value().toArray();
        for (int i = 0; i < got.length; i++) {
            assertThat((double) got[i]).as("element %d", i).isCloseTo(want[i], org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    private static String cell2(String cls, String name, int units, String extra) {
        return "{\"class_name\": \"" + cls + "\", \"config\": {\"name\": \"" + name + "\", \"trainable\": true, "
                + "\"dtype\": \"float32\", \"units\": " + units + ", \"activation\": \"tanh\", \"recurrent_activation\": "
                + "\"sigmoid\", \"use_bias\": true, \"dropout\": 0.0, \"recurrent_dropout\": 0.0, \"implementation\": "
                + "2" + extra + "}}";
    }

    private static String rnn2(String name, boolean backwards) {
        return "{\"class_name\": \"RNN\", \"config\": {\"name\": \"" + name + "\", \"trainable\": true, \"dtype\": "
                + "\"float32\", \"return_sequences\": false, \"return_state\": false, \"go_backwards\": " + backwards
                + ", \"stateful\": false, \"unroll\": false, \"time_major\": false, \"cell\": {\"class_name\": "
                + "\"StackedRNNCells\", \"config\": {\"cells\": [" + cell2("LSTMCell", "lstm_cell", 3,
                ", \"unit_forget_bias\": true") + ", " + cell2("GRUCell", "gru_cell", 2, ", \"reset_after\": true")
                + "]}}}}";
    }

    @Test
    void tfKeras2BidirectionalOverStackedCellsLoadsItsWeightsFile() throws IOException {
        String json = "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"sequential\", \"layers\": ["
                + "{\"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 4, 2], \"dtype\": "
                + "\"float32\", \"sparse\": false, \"ragged\": false, \"name\": \"input_1\"}}, "
                + "{\"class_name\": \"Bidirectional\", \"config\": {\"name\": \"bidirectional\", \"trainable\": true, "
                + "\"dtype\": \"float32\", \"layer\": " + rnn2("rnn", false) + ", \"merge_mode\": \"concat\"}}]}, "
                + "\"keras_version\": \"2.15.0\", \"backend\": \"tensorflow\"}";
        // The same model in Java, its weights the file's.
        Seeds.set(SEED);
        Sequential java = Sequential.of(Input.shape(4, 2), new Bidirectional(new RNN(new LSTMCell(3), new GRUCell(2))));
        List<Weight> ws = java.weights();
        String[] names = new String[ws.size()];
        Path weights = tmp.resolve("weights.h5");
        try (WritableHdfFile h5 = HdfFile.write(weights)) {
            h5.putAttribute("layer_names", new String[] {"bidirectional"});
            h5.putAttribute("keras_version", "2.15.0");
            WritableGroup g = h5.putGroup("bidirectional");
            WritableGroup in = g.putGroup("bidirectional");
            for (int i = 0; i < ws.size(); i++) {
                Weight w = ws.get(i);
                String dir = (i < 6 ? "forward_rnn" : "backward_rnn");
                String dataset = w.owner().name() + "_" + w.name() + "_" + i;
                names[i] = "bidirectional/" + dir + "/" + dataset + ":0";
                WritableGroup d = i % 6 == 0 ? in.putGroup(dir) : (WritableGroup) in.getChild(dir);
                Tensor v = TestTensors.gaussian(100 + i, w.shape().dims());
                w.set(v);
                d.putDataset(dataset + ":0", WeightWriter.nested(v.toArray(), w.shape().dims()));
            }
            g.putAttribute("weight_names", names);
        }
        KerasModel km = Models.load(Files.writeString(tmp.resolve("model.json"), json), weights);
        Bidirectional bi = (Bidirectional) km.layer("bidirectional");
        assertThat(bi.forwardLayer()).isInstanceOf(RNN.class);
        assertThat(((StackedRNNCells) ((RNN) bi.backwardLayer()).cell()).cells()).extracting(Cell::className)
                .containsExactly("LSTMCell", "GRUCell");
        Tensor x = TestTensors.gaussian(7, 2, 4, 2);
        assertThat(km.predict(x).toArray()).isEqualTo(java.predict(x).toArray());
    }

    @Test
    void anUnknownCellIsRefusedByName() {
        String bad = KERAS3.replace("\"class_name\": \"LSTMCell\"", "\"class_name\": \"PeepholeLSTMCell\"");
        assertThatThrownBy(() -> new ModelReader("bad.json", false).read(ModelReader.parse("bad.json", "config", bad),
                null, null)).isInstanceOf(KerasFileException.class)
                .hasMessage("unsupported cell PeepholeLSTMCell in layer 'rnn' (RNN): RNN loads SimpleRNNCell, "
                        + "LSTMCell, GRUCell and StackedRNNCells");
    }

    /** A cell of one's own: no Keras config to save. */
    static final class Doubler extends Cell {
        Doubler() {
            super("doubler");
        }

        @Override
        public int[] stateSizes() {
            return new int[] {3};
        }

        @Override
        protected Shape build(Shape in, RandomGenerator random) {
            return Shape.of(3);
        }

        @Override
        public RnnOutput step(Variable x, List<Variable> states, CallContext ctx) {
            Variable h = Ops.add(x, states.get(0));
            return new RnnOutput(h, List.of(h));
        }
    }

    @Test
    void aCellWithoutAKerasClassCannotBeSaved() {
        Sequential m = Sequential.of(Input.shape(4, 3), new RNN(new Doubler()));
        assertThatThrownBy(() -> Models.save(m, tmp.resolve("doubler.keras")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot save cell 'doubler")
                .hasMessageContaining("(Doubler) as Keras: no Keras config is known for it");
        assertThat(Files.exists(tmp.resolve("doubler.keras"))).isFalse();
    }
}
