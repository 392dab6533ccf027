package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Activation;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizer;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A model built and trained here with Adamax, Nadam, Adadelta, Lion, Ftrl, Lamb or Adafactor (options
 * away from the defaults), saved as .keras and loaded compiled from its file, or its .weights.h5 loaded into a
 * model whose optimizer is built, trains on to the same bits as the model never saved: the
 * optimizer's options, iteration count, slots (Adafactor's of reduced shapes) and Nadam's u_product all
 * came back. Seed 71.
 */
class SavedAdamaxNadamAdadeltaLionFtrlTest {
    private static final long SEED = 71;

    @TempDir
    Path tmp;

    static Stream<Arguments> optimizers() {
        return Stream.of(
                Arguments.of("adamax", (Supplier<Optimizer>) () -> Optimizers.adamax(0.03).beta1(0.8).epsilon(1e-5)),
                Arguments.of("nadam", (Supplier<Optimizer>) () -> Optimizers.nadam(0.02).beta2(0.99).clipnorm(0.5)),
                Arguments.of("adadelta", (Supplier<Optimizer>) () -> Optimizers.adadelta(2.0).rho(0.9)),
                Arguments.of("lion", (Supplier<Optimizer>) () -> Optimizers.lion(0.01).beta1(0.8).weightDecay(0.1)),
                Arguments.of("ftrl", (Supplier<Optimizer>) () -> Optimizers.ftrl(0.2).learningRatePower(-0.6)
                        .l1RegularizationStrength(0.001).l2ShrinkageRegularizationStrength(0.01).beta(0.1)),
                Arguments.of("lamb", (Supplier<Optimizer>) () -> Optimizers.lamb(0.02).beta1(0.8).beta2(0.95)
                        .epsilon(1e-5).weightDecay(0.05)),
                // factored slots for the kernels, scalar placeholders for the biases
                Arguments.of("adafactor", (Supplier<Optimizer>) () -> Optimizers.adafactor(0.3).beta2Decay(-0.6)
                        .epsilon2(0.01).clipThreshold(0.5).relativeStep(false).weightDecay(0.01)));
    }

    private static Sequential model(Supplier<Optimizer> optimizer) {
        Sequential m = Sequential.of(Input.shape(3), new Dense(4, Activation.TANH), new Dense(1));
        m.compile(optimizer.get(), Losses.meanSquaredError());
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void trainingGoesOnToTheSameBitsAfterSaveAndLoad(String name, Supplier<Optimizer> optimizer) throws IOException {
        System.out.println("SavedAdamaxNadamAdadeltaLionFtrlTest " + name + " seed " + SEED);
        Tensor x = TestTensors.gaussian(SEED, 12, 3);
        Tensor y = TestTensors.gaussian(SEED + 1, 12, 1);
        Fit fit = Fit.defaults().batchSize(4).epochs(2).shuffle(false).verbose(0);
        Seeds.set(SEED);
        Sequential m = model(optimizer);
        m.fit(x, y, fit);
        Path file = tmp.resolve(name + ".keras");
        Models.save(m, file);
        Path weights = tmp.resolve(name + ".weights.h5");
        m.saveWeights(weights);

        KerasModel loaded = Models.load(file, true);
        Optimizer back = loaded.sequential().optimizer();
        assertThat(back.getClass()).isEqualTo(m.optimizer().getClass());
        assertThat(back.kerasConfig()).as("the options, from compile_config").isEqualTo(m.optimizer().kerasConfig());
        assertThat(back.iterations()).isEqualTo(6);

        Seeds.set(SEED + 2);
        Sequential other = model(optimizer);
        other.fit(x, y, Fit.defaults().batchSize(12).epochs(1).shuffle(false).verbose(0));  // builds its optimizer
        other.loadWeights(weights);
        assertThat(other.optimizer().iterations()).as("the .weights.h5 file's iteration count").isEqualTo(6);

        m.fit(x, y, fit);
        loaded.sequential().fit(x, y, fit);
        other.fit(x, y, fit);
        float[] want = m.predict(x).toArray();
        assertThat(m.optimizer().state(m.weights()).iterations()).isEqualTo(12);
        assertThat(loaded.predict(x).toArray()).as("%s: from the .keras file, two more epochs", name)
                .isEqualTo(want);
        assertThat(other.predict(x).toArray()).as("%s: from the .weights.h5 file, two more epochs", name)
                .isEqualTo(want);
    }
}
