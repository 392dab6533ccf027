package io.rnn4j.layers.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.metrics.Metrics;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A monitored quantity that fit does not log, as a typo ("val_mea") makes it: in mode AUTO the
 * refusal before training names what fit logs (Keras raises at the first epoch's end, naming
 * nothing); with MIN or MAX each callback warns at epoch end with Keras's own sentence and the
 * logged names, once per run, and goes on as Keras does (EarlyStopping never stops,
 * ReduceLROnPlateau never reduces, ModelCheckpoint saves every epoch). The names fit announces
 * to callbacks are checked against the logs it then writes.
 */
class MissingMonitorTest {
    private final Tensor[] data = Scripted.data(32);

    @TempDir
    Path dir;

    private Fit fit(int epochs, boolean validation, Callback... callbacks) {
        Fit f = Fit.defaults().batchSize(8).epochs(epochs).seed(1).verbose(0).callbacks(callbacks);
        return validation ? f.validationData(data[0], data[1]) : f;
    }

    @Test
    void aTypoInAutoModeIsRefusedNamingWhatFitLogs() {
        for (MonitorCallback c : List.of(new EarlyStopping().monitor("val_mea"),
                new ReduceLROnPlateau().monitor("val_mea"),
                new ModelCheckpoint(dir.resolve("m.keras").toString()).monitor("val_mea").saveBestOnly(true))) {
            String name = c.getClass().getSimpleName();
            Sequential m = Scripted.newModel();
            List<Tensor> before = m.getWeights();
            assertThatThrownBy(() -> m.fit(data[0], data[1], fit(2, true, c))).as(name)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(name + " callback received monitor=val_mea, but cannot tell whether that quantity "
                            + "should be maximized or minimized; pass mode MAX to monitor the highest value or MIN "
                            + "for the lowest. The quantities fit logs: loss, mae, val_loss, val_mae (callbacks may "
                            + "add more)");
            assertThat(Scripted.same(m.getWeights(), before)).as("%s: refused before training", name).isTrue();
        }
        Sequential m = Scripted.newModel();
        assertThatThrownBy(() -> m.fit(data[0], data[1], fit(2, false, new EarlyStopping().monitor("val_mea"))))
                .as("without validation data, no val_ names").hasMessageEndingWith(
                        "The quantities fit logs: loss, mae (callbacks may add more)");
    }

    @Test
    void theAnnouncedNamesAreTheLogsFitWrites() {
        // One output with a metric and a weighted metric of the same name (Keras logs it as weighted_<name>).
        Sequential s = Sequential.of(Input.shape(3), new Dense(1));
        s.compile(Optimizers.sgd(0.05), Losses.meanSquaredError(), List.of(Metrics.meanAbsoluteError()),
                List.of(Metrics.meanAbsoluteError(), Metrics.meanSquaredError()));
        NameRecorder rs = new NameRecorder();
        History hs = s.fit(data[0], data[1], fit(1, true, rs));
        assertThat(rs.announced).containsExactly("loss", "mae", "weighted_mae", "mse", "val_loss", "val_mae",
                "val_weighted_mae", "val_mse");
        assertThat(rs.logged).containsExactlyElementsOf(rs.announced);
        assertThat(hs.history().keySet()).containsExactlyElementsOf(rs.announced);

        // Two outputs: each output's metrics and loss under its name.
        Input in = Input.shape(3);
        SymbolicTensor a = new Dense(1).named("a").apply(in);
        SymbolicTensor b = new Dense(1).named("b").apply(in);
        Model f = Model.of(in, List.of(a, b));
        f.compile(Optimizers.sgd(0.05), List.of(Losses.meanSquaredError(), Losses.meanAbsoluteError()),
                List.of(List.of(Metrics.meanAbsoluteError()), List.of()));
        NameRecorder rf = new NameRecorder();
        f.fit(List.of(data[0]), List.of(data[1], data[1]), fit(1, false, rf));
        assertThat(rf.announced).containsExactly("loss", "a_mae", "a_loss", "b_loss");
        assertThat(rf.logged).containsExactlyElementsOf(rf.announced);
    }

    @Test
    void earlyStoppingWarnsOnceWithKerasSentenceAndNeverStops() {
        EarlyStopping es = new EarlyStopping().monitor("val_mea").mode("min").patience(0);
        List<String> warned = warnedDuring(() -> {
            History h = Scripted.newModel().fit(data[0], data[1], fit(3, true, es));
            assertThat(h.epochs()).as("a quantity never logged never stops training").isEqualTo(3);
        });
        assertThat(warned).containsExactly("Early stopping conditioned on metric `val_mea` which is not available. "
                + "Available metrics are: loss,mae,val_loss,val_mae");
        assertThat(es.best()).isNull();
    }

    @Test
    void reduceLrWarnsOnceWithKerasSentenceAndNeverReduces() {
        ReduceLROnPlateau r = new ReduceLROnPlateau().monitor("val_mea").mode("max").patience(0);
        List<String> warned = warnedDuring(() -> {
            History h = Scripted.newModel().fit(data[0], data[1], fit(3, false, r));
            assertThat(h.get("learning_rate")).as("the optimizer's float32 rate, unchanged")
                    .containsExactly((double) 0.05f, (double) 0.05f, (double) 0.05f);
        });
        assertThat(warned).containsExactly("Learning rate reduction is conditioned on metric `val_mea` which is not "
                + "available. Available metrics are: loss,mae,learning_rate.");
    }

    @Test
    void modelCheckpointWarnsOnceNamingTheLogsAndSavesEveryEpoch() {
        int[] saves = {0};
        ModelCheckpoint c = new ModelCheckpoint(dir.resolve("m-{epoch}.bin").toString()).monitor("val_mea")
                .mode("min").saveBestOnly(true).modelSaver((model, path) -> saves[0]++);
        List<String> warned = warnedDuring(() -> Scripted.newModel().fit(data[0], data[1], fit(3, true, c)));
        assertThat(saves[0]).as("Keras saves when it cannot tell").isEqualTo(3);
        assertThat(warned).containsExactly("Can save best model only with val_mea available. Available metrics are: "
                + "loss,mae,val_loss,val_mae; saving regardless");
    }

    @Test
    void aQuantityThatIsLoggedIsNotWarnedAbout() {
        List<String> warned = warnedDuring(() -> Scripted.newModel().fit(data[0], data[1],
                fit(2, true, new EarlyStopping().monitor("val_mae"), new ReduceLROnPlateau())));
        assertThat(warned).isEmpty();
    }

    /** Keeps what fit announced at train begin and the keys of the first epoch's logs. */
    private static final class NameRecorder extends Callback {
        List<String> announced;
        List<String> logged;

        @Override
        public void onTrainBegin(Map<String, Double> logs) {
            announced = params().logNames();
        }

        @Override
        public void onEpochEnd(int epoch, Map<String, Double> logs) {
            if (logged == null) {
                logged = new ArrayList<>(logs.keySet());
            }
        }
    }

    /** What the callbacks logged while {@code body} ran (System.Logger goes to java.util.logging in tests). */
    private static List<String> warnedDuring(Runnable body) {
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord rec) {
                logged.add(new SimpleFormatter().formatMessage(rec));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger jul = Logger.getLogger("io.rnn4j.layers.callbacks");
        jul.addHandler(h);
        try {
            body.run();
        } finally {
            jul.removeHandler(h);
        }
        return logged;
    }
}
