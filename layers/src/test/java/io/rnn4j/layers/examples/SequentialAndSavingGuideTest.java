package io.rnn4j.layers.examples;

import static io.rnn4j.layers.examples.ApiGuideFixtures.npy;
import static io.rnn4j.layers.examples.ApiGuideFixtures.want;
import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.keras.CustomLayers;
import io.rnn4j.layers.keras.KerasModel;
import io.rnn4j.layers.keras.KerasSerializable;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keras-io's guides/sequential_model.py ("The Sequential model") and guides/serialization_and_saving.py ("Save, serialize,
 * and export models"), one test per section, against Keras 3.15.1 (TensorFlow backend) on the guides' code at small
 * sizes with LSTMs for the Dense stacks: keras3151/make_api_guides.py writes {@code apig_<section>.*}. Bar: {@code
 * Keras3151.assertClose}, 1e-5 + 1e-5·|y|.
 */
class SequentialAndSavingGuideTest {

    /** The guide's model built with add(), named as make_api_guides.py names it. */
    private static Sequential seqModel() {
        Sequential model = Sequential.of().named("seq");
        model.add(Input.shape(6, 3));
        model.add(new LSTM(8).returnSequences(true).named("lstm_a"));
        model.add(new LSTM(4).named("lstm_b"));
        model.add(new Dense(2).named("head"));
        return model;
    }

    private static List<List<String>> kerasRows(String section) throws IOException {
        return Examples.rows(Files.readString(resource("apig_" + section + ".summary.txt"), StandardCharsets.UTF_8));
    }

    private static List<String> totals(String summary) {
        return summary.lines().map(String::strip).filter(l -> l.contains("params:")).toList();
    }

    @Test
    void sequentialBuiltWithAddSummarizesExtractsFeaturesAndPops() throws IOException {
        Sequential model = seqModel();
        model.loadWeights(resource("apig_seq.keras"));
        Tensor x = npy("seq.x0");
        assertClose("seq", model.predict(x).toArray(), want("seq.y"));
        assertThat(Examples.rows(model.summary())).isEqualTo(kerasRows("seq"));

        // keras.Model(inputs=initial_model.inputs, outputs=[layer.output for layer in initial_model.layers])
        Model features = Model.of(model.inputs(), model.layers().stream().map(Layer::output).toList());
        List<Tensor> fs = features.predict(List.of(x));
        for (int i = 0; i < 3; i++) {
            assertClose("feature " + i, fs.get(i).toArray(), want("seq.feat" + i));
        }

        Layer popped = model.pop();
        assertThat(popped.name()).isEqualTo("head");
        assertThat(model.layers()).extracting(Layer::name).containsExactly("lstm_a", "lstm_b");
        assertThat(model.outputShape()).isEqualTo(Shape.of(4));
        assertThat(model.countParams()).isEqualTo(384 + 208);
        assertClose("after pop", model.predict(x).toArray(), want("seq.y_pop"));
        assertThat(Model.of(model.inputs(), model.outputs()).predict(x).toArray()).isEqualTo(
                model.predict(x).toArray());
        model.pop();
        model.pop();
        assertThatThrownBy(model::pop).isInstanceOf(IllegalStateException.class).hasMessageContaining("no layers");
    }

    @Test
    void transferLearningFreezesAllButTheLastLayer() throws IOException {
        Sequential model = seqModel();
        model.loadWeights(resource("apig_seq.keras"));
        for (Layer l : model.layers().subList(0, model.layers().size() - 1)) {
            l.trainable(false);
        }
        model.compile(Optimizers.sgd(0.1), Losses.meanSquaredError());
        assertThat(Examples.rows(model.summary())).isEqualTo(kerasRows("freeze"));
        assertThat(totals(model.summary())).isEqualTo(totals(Files.readString(resource("apig_freeze.summary.txt"))));
        History h = model.fit(npy("freeze.fit_x"), npy("freeze.fit_y"), Fit.defaults().batchSize(2).shuffle(false)
                .verbose(0));
        assertClose("loss", new float[] {(float) h.last("loss")}, want("freeze.fit_loss"));
        List<Weight> ws = model.weights();
        for (int i = 0; i < ws.size(); i++) {
            assertClose("weight " + i + " " + ws.get(i).path(), ws.get(i).value().toArray(), want("freeze.after" + i));
        }
    }

    @Test
    void wholeModelAndWeightsSaveLoadAndTransfer(@TempDir Path dir) throws IOException {
        Sequential model = seqModel();
        model.loadWeights(resource("apig_seq.keras"));
        Tensor x = npy("seq.x0");
        double[] y = want("seq.y");

        Path file = dir.resolve("my_model.keras");   // model.save / keras.models.load_model
        Models.save(model, file);
        assertClose("reloaded", Models.load(file).predict(x).toArray(), y);

        Sequential other = seqModel();                // get_weights / set_weights between models
        other.setWeights(model.getWeights());
        assertClose("set_weights", other.predict(x).toArray(), y);

        Path weights = dir.resolve("my.weights.h5");  // save_weights / load_weights
        model.saveWeights(weights);
        Sequential third = seqModel();
        third.loadWeights(weights);
        assertClose("load_weights", third.predict(x).toArray(), y);

        // The guide's partial loading: the pretrained model's first layers' weights into a new, smaller model.
        Sequential partial = Sequential.of(Input.shape(6, 3), new LSTM(8).returnSequences(true), new LSTM(4));
        for (int i = 0; i < 2; i++) {
            partial.layers().get(i).setWeights(model.layers().get(i).getWeights());
        }
        assertClose("partial", partial.predict(x).toArray(), want("seq.y_pop"));
        assertThatThrownBy(() -> partial.setWeights(model.getWeights())).isInstanceOf(IllegalArgumentException.class);
    }

    /** The serialization guide's CustomLayer: {@code x * factor}, registered as {@code MyLayers>CustomLayer}. */
    static final class CustomLayer extends Layer implements KerasSerializable {
        private final double factor;

        CustomLayer(double factor) {
            super("custom_layer");
            this.factor = factor;
        }

        @Override
        protected Shape build(Shape inputShape, RandomGenerator random) {
            return inputShape;
        }

        @Override
        protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
            return Ops.scale(x, (float) factor);
        }

        @Override
        public Map<String, Object> kerasConfig() {
            return Map.of("factor", factor);
        }

        @Override
        public String kerasRegisteredName() {
            return "MyLayers>CustomLayer";
        }
    }

    @Test
    void customObjectsWithGetConfigLoadAndSaveAsKeras(@TempDir Path dir) throws IOException {
        // custom_objects / custom_object_scope / register_keras_serializable: the registered name maps to a factory
        CustomLayers custom = CustomLayers.of().with("MyLayers>CustomLayer", cfg -> new CustomLayer(cfg.number(
                "factor")));
        KerasModel m = Models.load(resource("apig_custom.keras"), custom);
        Tensor x = npy("custom.x0");
        assertClose("custom", m.predict(x).toArray(), want("custom.y"));
        assertThatThrownBy(() -> Models.load(resource("apig_custom.keras"))).hasMessageContaining("CustomLayer");

        Path file = dir.resolve("custom.keras");
        Models.save(m, file);
        assertClose("custom reloaded", Models.load(file, custom).predict(x).toArray(), want("custom.y"));
        // the rnn4j-built equivalent, saved for Keras (checked by hand with load_model: see the commit)
        Sequential built = Sequential.of(Input.shape(5, 2), new LSTM(4), new CustomLayer(0.5), new Dense(2));
        built.setWeights(m.sequential().getWeights());
        assertClose("custom built", built.predict(x).toArray(), want("custom.y"));
        String json = Models.toJson(built);
        assertThat(json).contains("\"registered_name\": \"MyLayers>CustomLayer\"").contains("\"factor\": 0.5");
        KerasModel fresh = Models.fromJson(json, custom);
        fresh.sequential().setWeights(built.getWeights());
        assertClose("from_json", fresh.predict(x).toArray(), want("custom.y"));
    }
}
