package io.rnn4j.layers.model;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Concatenate;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.metrics.Metrics;
import io.rnn4j.layers.optimizers.Optimizers;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bad input to the functional API gets an IllegalArgumentException naming the layer, input or
 * model and saying what was expected and what came — when the graph is built, or before anything
 * is trained or written. Seed 67.
 */
class FunctionalBadInputTest {
    private final Random r = new Random(67);

    private Model twoInputs() {
        var seq = Input.shape(6, 2).named("seq");
        var vec = Input.shape(3).named("vec");
        var joined = new Concatenate().apply(new GRU(4).apply(seq), vec);
        return Model.of(List.of(seq, vec), List.of(new Dense(1).named("reg").apply(joined),
                new Dense(2).named("pair").apply(joined))).named("twin_heads");
    }

    @Test
    void wrongNumberOrShapeOfInputs() {
        Model m = twoInputs();
        Tensor seq = uniform(r, -1, 1, 4, 6, 2);
        Tensor vec = uniform(r, -1, 1, 4, 3);
        assertThatThrownBy(() -> m.predict(List.of(seq))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("twin_heads.predict: expected 2 inputs [seq (None, 6, 2), vec (None, 3)], got 1");
        assertThatThrownBy(() -> m.predict(List.of(seq, uniform(r, -1, 1, 4, 5))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("twin_heads.predict: input 1 ('vec') is incompatible: expected shape=(None, 3), found "
                        + "shape=(4, 5)");
        assertThatThrownBy(() -> m.predict(List.of(seq, uniform(r, -1, 1, 3, 3))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("every input needs the same number of samples; 'seq' has 4, 'vec' has 3");
        assertThatThrownBy(() -> m.predict(seq)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the model has 2 outputs [reg, pair]; use predict(List<Tensor>)");
    }

    @Test
    void wrongLabelsAreRefusedBeforeTraining() {
        Model m = twoInputs();
        m.compile(Optimizers.adam(), List.of(Losses.meanSquaredError(), Losses.meanSquaredError()),
                List.of(List.of(Metrics.meanAbsoluteError()), List.of()));
        List<Tensor> before = m.getWeights();
        List<Tensor> x = List.of(uniform(r, -1, 1, 8, 6, 2), uniform(r, -1, 1, 8, 3));
        assertThatThrownBy(() -> m.fit(x, List.of(uniform(r, -1, 1, 8, 1)), Fit.defaults().verbose(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("twin_heads.fit: expected one label tensor per output (2: [reg, pair]), got 1");
        assertThatThrownBy(() -> m.fit(x, List.of(uniform(r, -1, 1, 8, 1), uniform(r, -1, 1, 8, 3)),
                Fit.defaults().verbose(0))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(8, 2)").hasMessageContaining("(8, 3)").hasMessageContaining("layer 'pair'");
        assertThatThrownBy(() -> m.evaluate(x, List.of(uniform(r, -1, 1, 7, 1), uniform(r, -1, 1, 8, 2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("labels must have one row per input sample (8), got shape (7, 1) for output 'reg'");
        List<Tensor> after = m.getWeights();
        for (int i = 0; i < before.size(); i++) {
            assertThat(after.get(i).toArray()).as("weight %d untouched", i).containsExactly(before.get(i).toArray());
        }
        assertThatThrownBy(() -> m.compile(Optimizers.adam(), Losses.meanSquaredError(), Metrics.meanAbsoluteError()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has 2 outputs [reg, pair]; give "
                        + "each output its own metrics");
        assertThatThrownBy(() -> m.compile(Optimizers.adam(), List.of(Losses.meanSquaredError()), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("twin_heads.compile: expected losses for each of the 2 outputs [reg, pair], got 1");
    }

    @Test
    void layersRefuseInputsTheyCannotTakeWhenApplied() {
        var a = Input.shape(4).named("a");
        var b = Input.shape(5).named("b");
        Dense dense = new Dense(2).named("proj");
        assertThatThrownBy(() -> dense.apply(a, b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer 'proj' (Dense) takes 1 input, got 2");
        dense.apply(a);
        assertThatThrownBy(() -> dense.apply(b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Input of layer 'proj' (Dense) is incompatible with the layer: expected shape=(None, 4), "
                        + "found shape=(None, 5)");
        var seq = Input.shape(3, 2);
        LSTM lstm = new LSTM(4).returnState(true).named("enc");
        assertThatThrownBy(() -> lstm.apply(seq)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer 'enc' (LSTM) gives 3 outputs; use applyAll(...)");
        List<SymbolicTensor> states = lstm.applyAll(seq);
        assertThatThrownBy(() -> new LSTM(4).named("dec").apply(seq, states.subList(1, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("dec: initial_state must hold 2 states").hasMessageContaining("got 1");
        assertThatThrownBy(() -> new GRU(3).named("dec2").apply(seq, states.subList(1, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dec2: initial_state[0] must be (batch, 3), got (None, 4)");
        assertThatThrownBy(() -> a.apply(b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Input 'a' is not applied to anything");
    }

    @Test
    void badGraphsAreRefused() {
        var a = Input.shape(3).named("in_a");
        var b = Input.shape(3).named("in_b");
        var sum = new Concatenate().apply(a, b);
        assertThatThrownBy(() -> Model.of(List.of(a), List.of(sum)).named("partial"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("graph disconnected").hasMessageContaining("in_b[0][0]")
                .hasMessageContaining("not among the model's inputs [in_a]");
        var twice = new Dense(2).named("same").apply(new Dense(2).named("same").apply(a));
        assertThatThrownBy(() -> Model.of(a, twice)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the name \"same\" is used 2 times in the model");
        var hidden = new Dense(3).apply(a);
        var withB = new Concatenate().apply(hidden, b);
        assertThatThrownBy(() -> Model.of(hidden, withB)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("graph disconnected").hasMessageContaining("in_b[0][0]");
        assertThatThrownBy(() -> Model.of(List.of(hidden, hidden), List.of(withB)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is given twice");
        assertThatThrownBy(() -> Model.of(List.of(), List.of(hidden))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs at least one input and one output");
    }
}
