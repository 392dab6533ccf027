package io.rnn4j.layers.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import io.rnn4j.layers.optimizers.schedules.ExponentialDecay;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * ReduceLROnPlateau against Keras 3's rules on scripted values: the learning rate drops by factor
 * after patience epochs without improvement, waits out the cooldown, stops at min_lr; each epoch
 * logs the rate in use as "learning_rate" (float32, as Keras's variable); and LearningRateScheduler.
 */
class ReduceLROnPlateauTest {
    private final Tensor[] data = Scripted.data(32);

    private History fit(Sequential m, int epochs, Callback... callbacks) {
        return m.fit(data[0], data[1], Fit.defaults().batchSize(8).epochs(epochs).seed(1).verbose(0)
                .validationData(data[0], data[1]).callbacks(callbacks));
    }

    @Test
    void lowersTheRateAfterPatienceThenCoolsDown() {
        Sequential m = Scripted.newModel();
        ReduceLROnPlateau plateau = new ReduceLROnPlateau().patience(2).factor(0.5).cooldown(1);
        History h = fit(m, 7, new Scripted("val_loss", 1, 1, 1, 1, 1, 1, 1), plateau);
        // e0 best; e1 wait 1; e2 wait 2 → 0.05, cooldown 1; e3 cooldown ends, wait 1; e4 wait 2 → 0.025; ...
        assertThat(h.get("learning_rate")).containsExactly((double) 0.05f, (double) 0.05f, (double) 0.05f,
                (double) 0.025f, (double) 0.025f, (double) 0.0125f, (double) 0.0125f);
        assertThat(m.optimizer().learningRate()).isEqualTo((double) 0.00625f);
    }

    @Test
    void improvementsResetTheWaitAndMinLrIsAFloor() {
        Sequential m = Scripted.newModel();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ReduceLROnPlateau plateau = new ReduceLROnPlateau().patience(1).factor(0.1).minLr(0.001).verbose(1);
        History h = m.fit(data[0], data[1], Fit.defaults().batchSize(8).epochs(6).seed(1).verbose(0)
                .validationData(data[0], data[1]).output(new PrintStream(buf, true, StandardCharsets.UTF_8))
                .callbacks(new Scripted("val_loss", 1.0, 0.5, 0.49995, 0.4, 0.4, 0.4), plateau));
        // e2 improves by less than min_delta 1e-4: a plateau → 0.005; e4 → max(0.0005, 0.001) = 0.001; e5: at the floor.
        assertThat(h.get("learning_rate")).containsExactly((double) 0.05f, (double) 0.05f, (double) 0.05f,
                (double) 0.005f, (double) 0.005f, (double) 0.001f);
        assertThat(m.optimizer().learningRate()).isEqualTo((double) 0.001f);
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains(
                "\nEpoch 3: ReduceLROnPlateau reducing learning rate to 0.005000000074505806.\n",
                "\nEpoch 5: ReduceLROnPlateau reducing learning rate to 0.001.\n");
    }

    @Test
    void aScheduledOptimizerTrainsUntilAReductionIsDueAndFactorsOfOneOrMoreAreRefused() {
        // As Keras: the scheduled rate is logged each epoch; only a due reduction fails.
        Sequential m = Scripted.newModel();
        m.compile(Optimizers.sgd(new ExponentialDecay(0.1, 10, 0.9)), m.loss());
        History h = fit(m, 3, new Scripted("val_loss", 1.0, 0.5, 0.25), new ReduceLROnPlateau().patience(1));
        assertThat(h.get("learning_rate")).hasSize(3);
        Sequential stuck = Scripted.newModel();
        stuck.compile(Optimizers.sgd(new ExponentialDecay(0.1, 10, 0.9)), stuck.loss());
        assertThatThrownBy(() -> fit(stuck, 3, new Scripted("val_loss", 1.0, 1.0, 1.0),
                new ReduceLROnPlateau().patience(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("epoch 2 calls for a lower learning rate").hasMessageContaining("cannot be set");
        assertThatThrownBy(() -> new ReduceLROnPlateau().factor(1.0))
                .hasMessageContaining("does not support a factor outside [0, 1)");
    }

    @Test
    void learningRateSchedulerSetsTheRateAtEachEpochStart() {
        Sequential m = Scripted.newModel();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        History h = m.fit(data[0], data[1], Fit.defaults().batchSize(8).epochs(4).verbose(0)
                .output(new PrintStream(buf, true, StandardCharsets.UTF_8))
                .callbacks(new LearningRateScheduler((epoch, lr) -> epoch < 2 ? lr : lr * 0.5, 1)));
        assertThat(h.get("learning_rate")).containsExactly((double) 0.05f, (double) 0.05f, (double) 0.025f,
                (double) 0.0125f);
        assertThat(buf.toString(StandardCharsets.UTF_8)).startsWith(
                "\nEpoch 1: LearningRateScheduler setting learning rate to 0.05000000074505806.\n");
        assertThatThrownBy(() -> m.fit(data[0], data[1], Fit.defaults().batchSize(8).verbose(0)
                .callbacks(new LearningRateScheduler((epoch, lr) -> Double.NaN))))
                .hasMessageContaining("the schedule must return a finite rate >= 0, got NaN for epoch 0");
    }
}
