package io.rnn4j.layers.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Sequential;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * EarlyStopping against Keras 3's rules, on scripted values of the monitored quantity: when it
 * stops (patience, min_delta, baseline, start_from_epoch, mode), and that restore_best_weights
 * leaves the model with exactly the weights of its best epoch.
 */
class EarlyStoppingTest {
    private final Tensor[] data = Scripted.data(32);

    private History fit(Sequential m, int epochs, Callback... callbacks) {
        return m.fit(data[0], data[1], Fit.defaults().batchSize(8).epochs(epochs).seed(1).verbose(0)
                .validationData(data[0], data[1]).callbacks(callbacks));
    }

    @Test
    void stopsAfterPatienceAndRestoresTheBestEpochsWeights() {
        Sequential m = Scripted.newModel();
        Scripted script = new Scripted("val_loss", 1.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0);
        EarlyStopping es = new EarlyStopping().patience(2).restoreBestWeights(true).verbose(1);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        History h = m.fit(data[0], data[1], Fit.defaults().batchSize(8).epochs(7).seed(1).verbose(0)
                .validationData(data[0], data[1]).callbacks(script, es)
                .output(new PrintStream(buf, true, StandardCharsets.UTF_8)));
        // Epoch 1 (from 0) is the best; epochs 2 and 3 do not improve: stop at the end of epoch 3.
        assertThat(h.epochs()).isEqualTo(4);
        assertThat(es.stoppedEpoch()).isEqualTo(3);
        assertThat(es.bestEpoch()).isEqualTo(1);
        assertThat(es.best()).isEqualTo(0.5);
        assertThat(h.get("val_loss")).containsExactly(1.0, 0.5, 0.6, 0.7);
        assertThat(Scripted.same(m.getWeights(), script.weightsAtEpochEnd.get(1))).as("best epoch's weights").isTrue();
        assertThat(Scripted.same(m.getWeights(), script.weightsAtEpochEnd.get(3))).isFalse();
        assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo("Epoch 4: early stopping\n"
                + "Restoring model weights from the end of the best epoch: 2.\n");
    }

    @Test
    void minDeltaBaselineAndStartFromEpoch() {
        // Improvements smaller than min_delta do not count.
        EarlyStopping delta = new EarlyStopping().minDelta(0.1).patience(1);
        History h = fit(Scripted.newModel(), 6, new Scripted("val_loss", 1.0, 0.95, 0.92, 0.5, 0.45, 0.4), delta);
        assertThat(h.epochs()).isEqualTo(2);
        // A baseline that is never beaten: improvements move the best but do not restart the patience.
        double[] values = {1.0, 0.9, 0.95, 0.97, 0.99, 1.0};
        EarlyStopping base = new EarlyStopping().baseline(0.1).patience(3);
        h = fit(Scripted.newModel(), 6, new Scripted("val_loss", values), base);
        assertThat(h.epochs()).isEqualTo(3);
        assertThat(base.best()).isEqualTo(0.9);
        h = fit(Scripted.newModel(), 6, new Scripted("val_loss", values), new EarlyStopping().patience(3));
        assertThat(h.epochs()).as("without the baseline").isEqualTo(5);
        // An improving epoch never stops training, even with the baseline unbeaten and the patience spent.
        h = fit(Scripted.newModel(), 6, new Scripted("val_loss", 1.0, 0.9, 0.8, 0.7, 0.6, 0.5),
                new EarlyStopping().baseline(0.1).patience(1));
        assertThat(h.epochs()).isEqualTo(6);
        // Nothing is monitored before start_from_epoch.
        EarlyStopping late = new EarlyStopping().startFromEpoch(3).patience(0);
        h = fit(Scripted.newModel(), 6, new Scripted("val_loss", 1.0, 2.0, 3.0, 4.0, 5.0, 6.0), late);
        assertThat(h.epochs()).isEqualTo(5);
        // The same callback can be reused: it resets at train begin.
        h = fit(Scripted.newModel(), 6, new Scripted("val_loss", 1.0, 2.0, 3.0, 4.0, 5.0, 6.0), late);
        assertThat(h.epochs()).isEqualTo(5);
    }

    @Test
    void autoModeMaximizesAccuraciesAndRefusesUnknownQuantities() {
        Sequential m = Scripted.newModel();
        m.compile(m.optimizer(), m.loss(), io.rnn4j.layers.metrics.Metrics.binaryAccuracy());
        EarlyStopping acc = new EarlyStopping().monitor("val_binary_accuracy").patience(1);
        History h = fit(m, 6, new Scripted("val_binary_accuracy", 0.5, 0.6, 0.7, 0.65, 0.6, 0.9), acc);
        assertThat(h.epochs()).isEqualTo(4);
        assertThat(acc.best()).isEqualTo(0.7);
        EarlyStopping max = new EarlyStopping().monitor("something").mode(MonitorCallback.Mode.MAX).patience(0);
        h = fit(Scripted.newModel(), 6, new Scripted("something", 3.0, 2.0, 1.0, 0, 0, 0), max);
        assertThat(h.epochs()).isEqualTo(2);
        EarlyStopping byName = new EarlyStopping().monitor("something").mode("Max").patience(0);
        assertThat(fit(Scripted.newModel(), 6, new Scripted("something", 3.0, 2.0, 1.0, 0, 0, 0), byName).epochs())
                .as("Keras's mode=\"max\" as a string, any case").isEqualTo(2);
        assertThatThrownBy(() -> new ModelCheckpoint("m.keras").mode("maximum"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mode: expected \"auto\", \"min\" or \"max\", got 'maximum'");
        assertThat(new ReduceLROnPlateau().mode("min")).isNotNull();
        Sequential untouched = Scripted.newModel();
        var before = untouched.getWeights();
        assertThatThrownBy(() -> fit(untouched, 2, new EarlyStopping().monitor("something")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot tell whether that quantity should be maximized or minimized");
        assertThat(Scripted.same(untouched.getWeights(), before)).as("refused before any training").isTrue();
    }

    @Test
    void aMissingQuantityNeverStopsTraining() {
        Sequential m = Scripted.newModel();
        History h = m.fit(data[0], data[1], Fit.defaults().batchSize(8).epochs(3).verbose(0)
                .callbacks(new EarlyStopping().patience(0)));
        assertThat(h.epochs()).isEqualTo(3);
    }
}
