package io.rnn4j.layers.examples;

import static io.rnn4j.layers.examples.ApiGuideFixtures.npy;
import static io.rnn4j.layers.examples.ApiGuideFixtures.want;
import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Average;
import io.rnn4j.layers.Concatenate;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Session;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.keras.KerasModel;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keras-io's guides/functional_api.py ("The Functional API"), one test per section, against Keras 3.15.1 (TensorFlow
 * backend) on the guide's code at small sizes (the ensemble's models are Input → LSTM → Dense):
 * keras3151/make_api_guides.py writes {@code apig_<section>.*}. Bar: {@code Keras3151.assertClose}, 1e-5 + 1e-5·|y|.
 */
class FunctionalApiGuideTest {

    /** The guide's ticket classifier: title and body (Embedding → LSTM), tags; priority and department heads. */
    private static Model ticketModel() {
        Session.clear();  // keras.backend.clear_session(): the auto-names (embedding, lstm_1, ...) start again
        Input title = Input.shape(Input.NONE).named("title");
        Input body = Input.shape(Input.NONE).named("body");
        Input tags = Input.shape(6).named("tags");
        SymbolicTensor titleFeatures = new LSTM(8).apply(new Embedding(50, 8).apply(title));
        SymbolicTensor bodyFeatures = new LSTM(4).apply(new Embedding(50, 8).apply(body));
        SymbolicTensor x = new Concatenate().apply(titleFeatures, bodyFeatures, tags);
        SymbolicTensor priority = new Dense(1).named("priority").apply(x);
        SymbolicTensor department = new Dense(3).named("department").apply(x);
        return Model.of(List.of(title, body, tags), List.of(priority, department));
    }

    private static Map<String, Tensor> ticketInputs() throws IOException {
        return Map.of("title", npy("ticket.title"), "body", npy("ticket.body"), "tags", npy("ticket.tags"));
    }

    @Test
    void ticketClassifierTrainsWithDictsAndLossWeightsAsKeras() throws IOException {
        Model model = ticketModel();
        model.loadWeights(resource("apig_ticket.keras"));
        assertThat(model.outputNames()).containsExactly("priority", "department");
        List<Tensor> y = model.predict(ticketInputs());
        assertClose("priority", y.get(0).toArray(), want("ticket.y0"));
        assertClose("department", y.get(1).toArray(), want("ticket.y1"));
        String keras = Files.readString(resource("apig_ticket.summary.txt"), StandardCharsets.UTF_8);
        assertThat(Examples.rows(model.summary(), 3)).isEqualTo(Examples.rows(keras, 3));

        model.compile(Optimizers.rmsprop(1e-3),
                Map.of("priority", Losses.binaryCrossentropy(true), "department", Losses.categoricalCrossentropy(true)),
                Map.of("priority", 1.0, "department", 0.2));
        History h = model.fit(ticketInputs(), Map.of("priority", npy("ticket.priority"), "department",
                npy("ticket.department")), Fit.defaults().batchSize(4).shuffle(false).verbose(0));
        // Against Keras on JAX (make_api_guides_jax.py): on TensorFlow the Embeddings' IndexedSlices gradients make
        // RMSprop move their rows otherwise (up to 2e-3 here; see the README's optimizers paragraph), which the TF
        // history's department_loss shows (1.2227020 there, 1.2226725 on JAX and rnn4j).
        String history = Files.readString(resource("apig_ticket.jax_history.json"), StandardCharsets.UTF_8);
        for (String key : List.of("loss", "priority_loss", "department_loss")) {
            double kerasValue = Double.parseDouble(history.replaceAll("(?s).*\"" + key + "\": \\[\\s*([-0-9.e]+).*",
                    "$1"));
            assertClose(key, new float[] {(float) h.last(key)}, new double[] {kerasValue});
        }
        List<Weight> ws = model.weights();
        for (int i = 0; i < ws.size(); i++) {
            assertClose("after fit, weight " + i + " " + ws.get(i).path(), ws.get(i).value().toArray(),
                    want("ticket.jax_after" + i));
        }
    }

    @Test
    void ticketClassifierNamesAreCheckedAndListsWorkToo() throws IOException {
        Model model = ticketModel();
        assertThatThrownBy(() -> model.compile(Optimizers.rmsprop(1e-3), Map.of("priority",
                Losses.binaryCrossentropy(true), "dept", Losses.categoricalCrossentropy(true)), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown [dept]")
                .hasMessageContaining("missing [department]");
        assertThatThrownBy(() -> model.predict(Map.of("title", npy("ticket.title")))).hasMessageContaining(
                "missing [body, tags]");
        // loss and loss_weights as lists, in output order: the same training
        Model byList = ticketModel();
        byList.loadWeights(resource("apig_ticket.keras"));
        byList.compile(Optimizers.rmsprop(1e-3), List.of(Losses.binaryCrossentropy(true),
                Losses.categoricalCrossentropy(true)), List.of(1.0, 0.2), null);
        byList.fit(List.of(npy("ticket.title"), npy("ticket.body"), npy("ticket.tags")), List.of(npy("ticket.priority"),
                npy("ticket.department")), Fit.defaults().batchSize(4).shuffle(false).verbose(0));
        assertClose("list-compiled department kernel", byList.layer("department").weights().get(0).value().toArray(),
                want("ticket.jax_after" + (byList.weights().size() - 2)));
    }

    @Test
    void toyResnetLoadsAndPredicts(@TempDir Path dir) throws IOException {
        KerasModel m = Models.load(resource("apig_resnet.keras"));
        assertClose("toy_resnet", m.predict(npy("resnet.x0")).toArray(), want("resnet.y"));
        Path file = dir.resolve("toy_resnet.keras");
        Models.save(m, file);
        assertClose("toy_resnet saved by rnn4j", Models.load(file).predict(npy("resnet.x0")).toArray(),
                want("resnet.y"));
    }

    private static Model getModel() {
        Input inputs = Input.shape(5, 2);
        return Model.of(inputs, new Dense(1).apply(new LSTM(3).apply(inputs)));
    }

    @Test
    void modelsNestAsLayersInAnEnsemble(@TempDir Path dir) throws IOException {
        Model model1 = getModel();
        Model model2 = getModel();
        Model model3 = getModel();
        Input inputs = Input.shape(5, 2);
        SymbolicTensor outputs = new Average().apply(model1.apply(inputs), model2.apply(inputs), model3.apply(inputs));
        Model ensemble = Model.of(inputs, outputs);
        ensemble.loadWeights(resource("apig_ensemble.keras"));
        Tensor x = npy("ensemble.x0");
        assertClose("ensemble", ensemble.predict(x).toArray(), want("ensemble.y"));
        assertClose("loaded ensemble", Models.load(resource("apig_ensemble.keras")).predict(x).toArray(),
                want("ensemble.y"));

        // get_config / from_config and to_json / model_from_json: same architecture, fresh weights
        String json = Models.toJson(ensemble);
        KerasModel fresh = Models.fromJson(json);
        assertThat(Models.toJson(fresh.functional())).isEqualTo(json);
        fresh.functional().setWeights(ensemble.getWeights());
        assertClose("from_json", fresh.predict(x).toArray(), want("ensemble.y"));
        Models.save(ensemble, dir.resolve("ensemble.keras"));
        assertClose("saved ensemble", Models.load(dir.resolve("ensemble.keras")).predict(x).toArray(),
                want("ensemble.y"));
    }
}
