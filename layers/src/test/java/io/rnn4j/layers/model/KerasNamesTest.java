package io.rnn4j.layers.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Activation;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.metrics.Metrics;
import io.rnn4j.layers.optimizers.Adam;
import io.rnn4j.layers.optimizers.Optimizers;
import io.rnn4j.layers.optimizers.RMSprop;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code Optimizers.get}, {@code Losses.get} and {@code Metrics.get} are Keras's
 * {@code keras.optimizers.get} etc.: the names compile takes as strings give the same objects as
 * the factories, logged under Keras's names, and an unknown name is refused naming it. Seed 7.
 */
class KerasNamesTest {

    @Test
    void namesGiveWhatTheFactoriesGive() {
        assertThat(Optimizers.get("adam")).isInstanceOf(Adam.class);
        assertThat(Optimizers.get("RMSprop")).as("any case, as Keras").isInstanceOf(RMSprop.class);
        assertThat(Optimizers.get("adam").kerasConfig()).isEqualTo(Optimizers.adam().kerasConfig());
        assertThat(Losses.get("mse").kerasConfig()).isEqualTo(Losses.meanSquaredError().kerasConfig());
        assertThat(Losses.get("BinaryCrossentropy").kerasConfig()).isEqualTo(Losses.binaryCrossentropy().kerasConfig());
        assertThat(Losses.get("kld").kerasConfig()).isEqualTo(Losses.klDivergence().kerasConfig());
        assertThat(Metrics.get("mae").name()).isEqualTo("mae");
        // Keras 3.15.1 logs a metric given by string under that string (compile_forms.json, CompileFormsKerasTest)
        assertThat(Metrics.get("mean_absolute_error").name()).isEqualTo("mean_absolute_error");
        assertThat(Metrics.get("acc").name()).isEqualTo("acc");
        assertThat(Metrics.get("auc").name()).isEqualTo("auc");
        assertThat(Metrics.get("msle").name()).isEqualTo("msle");
    }

    @Test
    void aModelCompiledFromNamesTrainsAsOneCompiledFromFactories() {
        Random r = new Random(7);
        float[] xv = new float[8 * 5 * 3];
        float[] yv = new float[8];
        for (int i = 0; i < xv.length; i++) {
            xv[i] = r.nextFloat() - 0.5f;
        }
        for (int i = 0; i < yv.length; i++) {
            yv[i] = r.nextFloat();
        }
        double[] losses = new double[2];
        for (int k = 0; k < 2; k++) {
            Seeds.set(7);
            Sequential m = Sequential.of(Input.shape(5, 3), new LSTM(4), new Dense(1, Activation.SIGMOID));
            if (k == 0) {
                m.compile(Optimizers.get("adam"), Losses.get("binary_crossentropy"), Metrics.get("accuracy"));
            } else {
                m.compile(Optimizers.adam(), Losses.binaryCrossentropy(), Metrics.accuracy());
            }
            losses[k] = m.trainOnBatch(Tensor.of(xv, 8, 5, 3), Tensor.of(yv, 8, 1));
        }
        assertThat(losses[0]).as("names and factories: the same model, the same first step").isEqualTo(losses[1]);
    }

    @Test
    void unknownNamesAreRefusedByName() {
        assertThatThrownBy(() -> Optimizers.get("muon")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("optimizer 'muon' is not one rnn4j has (adam, adamw, sgd, rmsprop, adagrad, adamax, nadam, "
                        + "adadelta, lion, ftrl, lamb, adafactor)");
        assertThatThrownBy(() -> Losses.get("cosine_proximity")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("loss 'cosine_proximity' is not one rnn4j has");
        assertThatThrownBy(() -> Metrics.get("MeanIoU")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metric 'MeanIoU' is not one rnn4j has");
    }
}
