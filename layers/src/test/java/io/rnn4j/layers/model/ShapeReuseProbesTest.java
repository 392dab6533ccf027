package io.rnn4j.layers.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Attention;
import io.rnn4j.layers.BatchNormalization;
import io.rnn4j.layers.Bidirectional;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.GRUCell;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.LayerNormalization;
import io.rnn4j.layers.RNN;
import io.rnn4j.layers.Reshape;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SimpleRNNCell;
import io.rnn4j.layers.TimeDistributed;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Layers reused at other lengths than they were built for, checked where they meet the rest: the
 * numbers against a fresh model of the same weights (bit for bit), several threads predicting
 * different lengths at once, save and load, fit's label checks, zero timesteps.
 */
class ShapeReuseProbesTest {
    /** Values uniform in [-1, 1): the models compared see the same arbitrary data. */
    private static Tensor random(Random r, int... dims) {
        return io.rnn4j.layers.GradCheck.uniform(r, -1, 1, dims);
    }

    @Test
    void bidirectionalAtAnotherLengthGivesFreshModelNumbers() {
        Seeds.set(22);
        Bidirectional bi = new Bidirectional(new GRU(3).returnSequences(true));
        Sequential.of(Input.shape(6, 2), bi);
        Sequential any = Sequential.of(Input.shape(Input.NONE, 2), bi);
        Sequential fresh = Sequential.of(Input.shape(2, 2), new Bidirectional(new GRU(3).returnSequences(true)));
        fresh.setWeights(any.getWeights());
        Tensor x = random(new Random(5), 2, 2, 2);
        assertThat(any.predict(x).toArray()).containsExactly(fresh.predict(x).toArray());
        Bidirectional bc = new Bidirectional(new RNN(new SimpleRNNCell(3)).returnSequences(true));
        Sequential.of(Input.shape(6, 2), bc);
        assertThat(Sequential.of(Input.shape(Input.NONE, 2), bc).predict(x).shape()).isEqualTo(Shape.of(2, 2, 6));
    }

    @Test
    void timeDistributedAtAnotherLength() {
        Seeds.set(23);
        TimeDistributed td = new TimeDistributed(new Dense(2));
        Sequential.of(Input.shape(6, 3), td);
        Sequential any = Sequential.of(Input.shape(Input.NONE, 3), td);
        assertThat(any.outputShape()).hasToString("(None, 2)");
        assertThat(any.predict(Tensor.zeros(1, 2, 3)).shape()).isEqualTo(Shape.of(1, 2, 2));
    }

    @Test
    void attentionBuiltForFourFeaturesGivenThreeNamesItself() {
        Seeds.set(24);
        Attention att = new Attention();
        att.apply(Input.shape(5, 4), Input.shape(7, 4));
        var q = Input.shape(Input.NONE, Input.NONE);
        var v = Input.shape(Input.NONE, Input.NONE);
        Model m = Model.of(List.of(q, v), List.of(att.apply(q, v)));
        assertThat(m.predict(List.of(Tensor.zeros(1, 2, 4), Tensor.zeros(1, 3, 4))).get(0).shape())
                .isEqualTo(Shape.of(1, 2, 4));
    }

    @Test
    void concurrentPredictOfDifferentLengths() throws Exception {
        Seeds.set(25);
        Sequential s = Sequential.of(Input.shape(Input.NONE, 3), new LSTM(8).returnSequences(true), new Dense(2));
        var in = Input.shape(Input.NONE, 3);
        Model m = Model.of(in, new Dense(2).apply(new GRU(8).returnSequences(true).apply(in)));
        ExecutorService ex = Executors.newFixedThreadPool(4);
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int len = 1 + t;
            fs.add(ex.submit(() -> {
                Tensor x = random(new Random(len), 2, len, 3);
                float[] a = s.predict(x).toArray();
                float[] b = m.predict(x).toArray();
                for (int k = 0; k < 50; k++) {
                    assertThat(s.predict(x).toArray()).containsExactly(a);
                    assertThat(m.predict(x).toArray()).containsExactly(b);
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        ex.shutdown();
    }

    @Test
    void reshapeOfNonePerBatch() {
        Sequential s = Sequential.of(Input.shape(Input.NONE, 4), new Reshape(-1, 8));
        assertThat(s.predict(Tensor.zeros(2, 6, 4)).shape()).isEqualTo(Shape.of(2, 3, 8));
        assertThatThrownBy(() -> s.predict(Tensor.zeros(2, 5, 4))).hasMessageContaining("reshape");
    }

    @Test
    void embeddingBuiltOnSixAppliedToNone() {
        Seeds.set(26);
        Embedding e = new Embedding(5, 3);
        Sequential.of(Input.shape(6), e);
        Sequential s = Sequential.of(Input.shape(Input.NONE), e, new LSTM(2));
        assertThat(s.predict(Tensor.zeros(1, 2)).shape()).isEqualTo(Shape.of(1, 2));
    }

    @Test
    void fitWithPrebuiltRelaxedLayersAndNoneLabels() {
        Seeds.set(27);
        LSTM l = new LSTM(3).returnSequences(true);
        Sequential.of(Input.shape(6, 2), l);
        Sequential s = Sequential.of(Input.shape(Input.NONE, 2), l, new TimeDistributed(new Dense(1)));
        s.compile(io.rnn4j.layers.optimizers.Optimizers.sgd(0.1), io.rnn4j.layers.losses.Losses.meanSquaredError());
        Random r = new Random(1);
        s.fit(random(r, 4, 3, 2), random(r, 4, 3, 1), Fit.defaults().batchSize(2).epochs(1).verbose(0));
        assertThatThrownBy(() -> s.fit(random(r, 4, 3, 2), random(r, 4, 4, 1), Fit.defaults().batchSize(2).epochs(1).verbose(0)))
                .hasMessageContaining(s.name() + ".fit");
        assertThatThrownBy(() -> s.evaluate(random(r, 4, 3, 2), random(r, 4, 4, 1)))
                .hasMessageContaining(s.name() + ".evaluate");
    }
    @Test
    void kerasRoundTripOfASharedLayerAtTwoLengths(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Seeds.set(14);
        LSTM lstm = new LSTM(4).returnSequences(true);
        var six = Input.shape(6, 3);
        var any = Input.shape(Input.NONE, 3);
        Dense d = new Dense(2);
        Model m = Model.of(List.of(six, any), List.of(d.apply(lstm.apply(six)), d.apply(lstm.apply(any))));
        Tensor x6 = random(new Random(2), 2, 6, 3);
        Tensor x2 = random(new Random(3), 2, 2, 3);
        List<Tensor> want = m.predict(List.of(x6, x2));
        // rnn4j saves .keras only (an "m.h5" is refused, as Keras's save refuses what it does not write)
        java.nio.file.Path f = dir.resolve("m.keras");
        io.rnn4j.layers.keras.Models.save(m, f);
        List<Tensor> got = io.rnn4j.layers.keras.Models.load(f).functional().predict(List.of(x6, x2));
        assertThat(got.get(1).toArray()).containsExactly(want.get(1).toArray());
    }

    @Test
    void kerasRoundTripOfSequentialWithPrebuiltLayer(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Seeds.set(15);
        LSTM lstm = new LSTM(4).returnSequences(true);
        Sequential.of(Input.shape(6, 3), lstm);
        Sequential any = Sequential.of(Input.shape(Input.NONE, 3), lstm, new Dense(1));
        Tensor x = random(new Random(4), 2, 2, 3);
        Tensor want = any.predict(x);
        java.nio.file.Path f = dir.resolve("s.keras");
        io.rnn4j.layers.keras.Models.save(any, f);
        assertThat(io.rnn4j.layers.keras.Models.load(f).sequential().predict(x).toArray()).containsExactly(want.toArray());
    }

    @Test
    void addPrebuiltAfterBuild() {
        Seeds.set(16);
        Dense d = new Dense(2);
        Sequential.of(Input.shape(6, 3), d);
        Sequential s = Sequential.of(Input.shape(Input.NONE, 3));
        s.add(d);
        assertThat(s.outputShape()).hasToString("(None, 2)");
        assertThat(s.predict(Tensor.zeros(1, 2, 3)).shape()).isEqualTo(Shape.of(1, 2, 2));
    }

    @Test
    void zeroTimestepsThroughManyLayers() {
        assertThat(Sequential.of(Input.shape(Input.NONE, 3), new Bidirectional(new GRU(2).returnSequences(true)))
                .predict(Tensor.zeros(2, 0, 3)).shape()).isEqualTo(Shape.of(2, 0, 4));
        assertThat(Sequential.of(Input.shape(Input.NONE, 3), new Bidirectional(new LSTM(2)))
                .predict(Tensor.zeros(2, 0, 3)).shape()).isEqualTo(Shape.of(2, 4));
        assertThat(Sequential.of(Input.shape(Input.NONE, 3), new TimeDistributed(new Dense(2)))
                .predict(Tensor.zeros(2, 0, 3)).shape()).isEqualTo(Shape.of(2, 0, 2));
        assertThat(Sequential.of(Input.shape(Input.NONE), new Embedding(5, 3).maskZero(true), new LSTM(2))
                .predict(Tensor.zeros(2, 0)).shape()).isEqualTo(Shape.of(2, 2));
        assertThat(Sequential.of(Input.shape(Input.NONE, 3), new RNN(new GRUCell(2)).returnSequences(true))
                .predict(Tensor.zeros(2, 0, 3)).shape()).isEqualTo(Shape.of(2, 0, 2));
        assertThat(Sequential.of(Input.shape(Input.NONE, 3), new LayerNormalization(), new BatchNormalization())
                .predict(Tensor.zeros(2, 0, 3)).shape()).isEqualTo(Shape.of(2, 0, 3));
    }

    @Test
    void layerNormOverTimestepsStaysBound() {
        LayerNormalization ln = new LayerNormalization().axis(1);
        ln.apply(Input.shape(6, 4));
        assertThatThrownBy(() -> ln.apply(Input.shape(5, 4))).isInstanceOf(IllegalArgumentException.class);
    }
}
