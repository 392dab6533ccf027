package io.rnn4j.layers.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where fit calls each hook and with what logs; stop_training; TerminateOnNaN. */
class CallbackHooksTest {
    private final Tensor[] data = Scripted.data(20);

    /** Records every hook call as text. */
    static final class Recorder extends Callback {
        final List<String> calls = new ArrayList<>();
        private final int stopAtBatch;

        Recorder(int stopAtBatch) {
            this.stopAtBatch = stopAtBatch;
        }

        @Override
        public void onTrainBegin(Map<String, Double> logs) {
            calls.add("train_begin " + params().epochs() + " epochs " + params().steps() + " steps");
        }

        @Override
        public void onTrainEnd(Map<String, Double> logs) {
            calls.add("train_end " + logs.keySet());
        }

        @Override
        public void onEpochBegin(int epoch, Map<String, Double> logs) {
            calls.add("epoch_begin " + epoch);
        }

        @Override
        public void onEpochEnd(int epoch, Map<String, Double> logs) {
            calls.add("epoch_end " + epoch + " " + logs.keySet());
        }

        @Override
        public void onBatchBegin(int batch, Map<String, Double> logs) {
            calls.add("batch_begin " + batch);
        }

        @Override
        public void onBatchEnd(int batch, Map<String, Double> logs) {
            calls.add("batch_end " + batch + " " + logs.keySet());
            if (batch == stopAtBatch) {
                model().setStopTraining(true);
            }
        }

        @Override
        public void onTestBegin(Map<String, Double> logs) {
            calls.add("test_begin");
        }

        @Override
        public void onTestBatchBegin(int batch, Map<String, Double> logs) {
            calls.add("test_batch_begin " + batch);
        }

        @Override
        public void onTestBatchEnd(int batch, Map<String, Double> logs) {
            calls.add("test_batch_end " + batch + " " + logs.keySet());
        }

        @Override
        public void onTestEnd(Map<String, Double> logs) {
            calls.add("test_end " + logs.keySet());
        }
    }

    @Test
    void hooksComeInKerasOrderWithTheirLogs() {
        Sequential m = Scripted.newModel();
        Recorder rec = new Recorder(-1);
        m.fit(data[0], data[1], Fit.defaults().batchSize(10).epochs(2).verbose(0).validationData(data[0], data[1])
                .callbacks(rec));
        // Keras's fit evaluates the validation data with the same callbacks: the on_test hooks, after
        // each epoch's training and before its epoch end, 20 samples in batches of 10.
        List<String> validation = List.of("test_begin", "test_batch_begin 0", "test_batch_end 0 [loss, mae]",
                "test_batch_begin 1", "test_batch_end 1 [loss, mae]", "test_end [loss, mae]");
        List<String> expected = new ArrayList<>(List.of("train_begin 2 epochs 2 steps", "epoch_begin 0",
                "batch_begin 0", "batch_end 0 [loss, mae]", "batch_begin 1", "batch_end 1 [loss, mae]"));
        expected.addAll(validation);
        expected.addAll(List.of("epoch_end 0 [loss, mae, val_loss, val_mae]", "epoch_begin 1", "batch_begin 0",
                "batch_end 0 [loss, mae]", "batch_begin 1", "batch_end 1 [loss, mae]"));
        expected.addAll(validation);
        expected.addAll(List.of("epoch_end 1 [loss, mae, val_loss, val_mae]",
                "train_end [loss, mae, val_loss, val_mae]"));
        assertThat(rec.calls).containsExactlyElementsOf(expected);
        assertThat(rec.model()).isSameAs(m);
    }

    @Test
    void stopTrainingEndsFitAfterTheCurrentBatch() {
        Sequential m = Scripted.newModel();
        Recorder rec = new Recorder(0);
        History h = m.fit(data[0], data[1], Fit.defaults().batchSize(10).epochs(3).verbose(0).callbacks(rec));
        assertThat(rec.calls).containsExactly("train_begin 3 epochs 2 steps", "epoch_begin 0", "batch_begin 0",
                "batch_end 0 [loss, mae]", "epoch_end 0 [loss, mae]", "train_end [loss, mae]");
        assertThat(h.epochs()).isEqualTo(1);
        assertThat(m.stopTraining()).isTrue();
        // The next fit starts afresh, as Keras resets stop_training.
        assertThat(m.fit(data[0], data[1], Fit.defaults().batchSize(10).epochs(2).verbose(0)).epochs()).isEqualTo(2);
    }

    @Test
    void terminateOnNaNStopsWhenTheLossDiverges() {
        Sequential m = Scripted.newModel();
        m.compile(Optimizers.sgd(1e6), m.loss());          // diverges to inf, then NaN, from finite data
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        History h = m.fit(data[0], data[1], Fit.defaults().batchSize(2).epochs(5).verbose(0).shuffle(false)
                .output(new PrintStream(buf, true, StandardCharsets.UTF_8)).callbacks(new TerminateOnNaN()));
        assertThat(h.epochs()).isEqualTo(1);
        assertThat(buf.toString(StandardCharsets.UTF_8)).matches("Batch \\d: Invalid loss, terminating training\n");
        double loss = h.last("loss");
        assertThat(Double.isNaN(loss) || Double.isInfinite(loss)).isTrue();

        Sequential again = Scripted.newModel();
        again.compile(Optimizers.sgd(1e6), again.loss());
        assertThatThrownBy(() -> again.fit(data[0], data[1], Fit.defaults().batchSize(2).epochs(5).verbose(0).shuffle(false)
                .callbacks(new TerminateOnNaN(true)))).isInstanceOf(IllegalStateException.class)
                .hasMessageMatching("NaN or Inf loss encountered at batch \\d\\. Loss value: (nan|inf)\\. "
                        + "Terminating training immediately\\.");
    }
}
