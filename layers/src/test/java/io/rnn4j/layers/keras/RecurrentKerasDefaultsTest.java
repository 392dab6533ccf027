package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Activation;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.GradCheck;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.LSTMCell;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.RNN;
import io.rnn4j.layers.Recurrent;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SimpleRNN;
import io.rnn4j.layers.autograd.Variable;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Two Keras 3 rules of its recurrent cells: a config without {@code activation} or
 * {@code recurrent_activation} builds the layer with the constructor's defaults (tanh and sigmoid;
 * Keras's {@code cls(**config)}), while null is None, linear; and LSTM and GRU cells drop only for
 * a dropout strictly between 0 and 1 ({@code if training and 0.0 < self.dropout < 1.0}, lstm.py and
 * gru.py of v3.15.1, the CPU path), so rate 1 trains as rate 0, where SimpleRNN's cell zeroes its
 * input (its mask from TensorFlow's dropout at rate 1 is zeros, simple_rnn.py). Seed 41, fixed.
 */
class RecurrentKerasDefaultsTest {
    private static Layer read(String json) {
        return new LayerReader(false).read(ModelReader.parse("test", "layer", json)).layer();
    }

    @Test
    void absentActivationsAreKerasDefaultsAndNullIsLinear() {
        for (String cls : new String[] {"SimpleRNN", "LSTM", "GRU"}) {
            Recurrent<?> r = (Recurrent<?>) read("""
                    {"class_name": "%s", "config": {"name": "r", "units": 2}}""".formatted(cls));
            assertThat(r.activation()).as("%s without activation: Keras's tanh", cls).isEqualTo(Activation.TANH);
            Recurrent<?> n = (Recurrent<?>) read("""
                    {"class_name": "%s", "config": {"name": "r", "units": 2, "activation": null}}""".formatted(cls));
            assertThat(n.activation()).as("%s with activation null: linear", cls).isEqualTo(Activation.LINEAR);
        }
        LSTM lstm = (LSTM) read("""
                {"class_name": "LSTM", "config": {"name": "r", "units": 2}}""");
        assertThat(lstm.recurrentActivation()).as("LSTM without recurrent_activation: Keras's sigmoid")
                .isEqualTo(Activation.SIGMOID);
    }

    private static float[] trainingOutput(Layer l, Tensor x) {
        return l.call(Variable.constant(x), null, CallContext.training(new Random(41))).value().toArray();
    }

    @Test
    void lstmAndGruDropNothingAtRateOneWhileSimpleRnnZeroesItsInput() {
        Random r = new Random(41);
        Tensor x = GradCheck.uniform(r, -1, 1, 2, 4, 3);
        for (boolean gru : new boolean[] {false, true}) {
            Seeds.set(41);
            Recurrent<?> dropped = gru ? new GRU(3).dropout(1f).recurrentDropout(1f).returnSequences(true)
                    : new LSTM(3).dropout(1f).recurrentDropout(1f).returnSequences(true);
            Seeds.set(41);
            Recurrent<?> plain = gru ? new GRU(3).returnSequences(true) : new LSTM(3).returnSequences(true);
            dropped.build(x.shape().tail(), x.device(), new Random(5));
            plain.build(x.shape().tail(), x.device(), new Random(5));
            assertThat(trainingOutput(dropped, x)).as("%s, dropout 1 in training: Keras's 0 < rate < 1 test fails, "
                    + "nothing is dropped", gru ? "GRU" : "LSTM").isEqualTo(trainingOutput(plain, x));
        }
        RNN cellDropped = new RNN(new LSTMCell(3).dropout(1f).recurrentDropout(1f)).returnSequences(true);
        RNN cellPlain = new RNN(new LSTMCell(3)).returnSequences(true);
        cellDropped.build(x.shape().tail(), x.device(), new Random(5));
        cellPlain.build(x.shape().tail(), x.device(), new Random(5));
        assertThat(trainingOutput(cellDropped, x)).as("RNN(LSTMCell), dropout 1: nothing dropped")
                .isEqualTo(trainingOutput(cellPlain, x));
        SimpleRNN simple = new SimpleRNN(3).dropout(1f).returnSequences(true);
        simple.build(x.shape().tail(), x.device(), new Random(5));
        SimpleRNN zeroInput = new SimpleRNN(3).returnSequences(true);
        zeroInput.build(x.shape().tail(), x.device(), new Random(5));
        assertThat(trainingOutput(simple, x)).as("SimpleRNN, dropout 1: its input is zeroed")
                .isEqualTo(trainingOutput(zeroInput, Tensor.zeros(2, 4, 3)));
    }
}
