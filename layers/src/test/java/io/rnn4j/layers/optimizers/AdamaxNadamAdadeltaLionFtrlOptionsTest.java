package io.rnn4j.layers.optimizers;

import static io.rnn4j.layers.optimizers.TestWeights.setGrad;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.Weight;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Adamax, Nadam, Adadelta, Lion and Ftrl as Keras 3.15.1 names and configures them: Optimizers.get
 * and the factories give Keras's defaults, get_config's entries in Keras's order, bad option values
 * refused with the optimizer, option, allowed range and value named, and a state (Nadam's u_product
 * included) that another optimizer continues from bit for bit.
 */
class AdamaxNadamAdadeltaLionFtrlOptionsTest {
    private static final float[][] GRADS = {{0.5f, -2f}, {0.4f, -1f}, {-0.3f, 3f}, {0.1f, 0.1f}, {1f, -1f}};

    @Test
    void optimizersGetNamesThemAsKerasDoesInAnyCase() {
        assertThat(Optimizers.get("adamax")).isInstanceOf(Adamax.class);
        assertThat(Optimizers.get("Nadam")).isInstanceOf(Nadam.class);
        assertThat(Optimizers.get("ADADELTA")).isInstanceOf(Adadelta.class);
        assertThat(Optimizers.get("lion")).isInstanceOf(Lion.class);
        assertThat(Optimizers.get("ftrl")).isInstanceOf(Ftrl.class);
        assertThatThrownBy(() -> Optimizers.get("muon")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("optimizer 'muon' is not one rnn4j has")
                .hasMessageContaining("adamax, nadam, adadelta, lion, ftrl");
        assertThat(Optimizers.nadam(0.5).learningRate()).isEqualTo(0.5);
        assertThat(Optimizers.lion(new io.rnn4j.layers.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5))
                .schedule()).isNotNull();
    }

    /** The optimizer's own get_config entries, after the base's. */
    private static Map<String, Object> own(Optimizer o) {
        KerasConfig k = o.kerasConfig().orElseThrow();
        Map<String, Object> c = new java.util.LinkedHashMap<>(k.config());
        for (String base : List.of("name", "learning_rate", "weight_decay", "clipnorm", "global_clipnorm", "clipvalue",
                "use_ema", "ema_momentum", "ema_overwrite_frequency", "loss_scale_factor",
                "gradient_accumulation_steps")) {
            assertThat(c).as("%s: base entry %s", k.className(), base).containsKey(base);
            c.remove(base);
        }
        return c;
    }

    @Test
    void defaultsAndGetConfigAreKeras3s() {
        // As keras.optimizers.X().get_config() gives them in Keras 3.15.1, in its order.
        assertThat(own(Optimizers.adamax())).containsExactly(Map.entry("beta_1", 0.9), Map.entry("beta_2", 0.999),
                Map.entry("epsilon", 1e-7));
        assertThat(own(Optimizers.nadam())).containsExactly(Map.entry("beta_1", 0.9), Map.entry("beta_2", 0.999),
                Map.entry("epsilon", 1e-7));
        assertThat(own(Optimizers.adadelta())).containsExactly(Map.entry("rho", 0.95), Map.entry("epsilon", 1e-7));
        assertThat(own(Optimizers.lion())).containsExactly(Map.entry("beta_1", 0.9), Map.entry("beta_2", 0.99));
        assertThat(own(Optimizers.ftrl())).containsExactly(Map.entry("learning_rate_power", -0.5),
                Map.entry("initial_accumulator_value", 0.1), Map.entry("l1_regularization_strength", 0.0),
                Map.entry("l2_regularization_strength", 0.0), Map.entry("l2_shrinkage_regularization_strength", 0.0),
                Map.entry("beta", 0.0));
        for (Optimizer o : List.of(Optimizers.adamax(), Optimizers.nadam(), Optimizers.adadelta(), Optimizers.lion(),
                Optimizers.ftrl())) {
            assertThat(o.learningRate()).as(o.kerasName()).isEqualTo((double) 0.001f);
            assertThat(o.kerasConfig().orElseThrow().config().get("name")).isEqualTo(o.kerasName());
            assertThat(o.weightDecay()).isNull();
        }
        assertThat(List.of(new Adamax(), new Nadam(), new Adadelta(), new Lion(), new Ftrl()).stream()
                .map(o -> o.kerasConfig().orElseThrow().className()).toList())
                .containsExactly("Adamax", "Nadam", "Adadelta", "Lion", "Ftrl");
    }

    @Test
    void badOptionsAreRefusedNamingOptimizerOptionRangeAndValue() {
        assertThatThrownBy(() -> new Adamax().beta1(1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("adamax: beta_1 must be in [0, 1), got 1.0");
        assertThatThrownBy(() -> new Adamax().epsilon(-1e-7)).hasMessage("adamax: epsilon must be >= 0 and finite, "
                + "got -1.0E-7");
        assertThatThrownBy(() -> new Nadam().beta2(Double.NaN)).hasMessage("nadam: beta_2 must be in [0, 1), got NaN");
        assertThatThrownBy(() -> new Nadam(-1)).hasMessageContaining("learning_rate must be >= 0 and finite, got -1");
        assertThatThrownBy(() -> new Adadelta().rho(1.5)).hasMessage("adadelta: rho must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> new Adadelta().epsilon(Double.POSITIVE_INFINITY))
                .hasMessage("adadelta: epsilon must be >= 0 and finite, got Infinity");
        // Keras: "Argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer degenerates to SignSGD."
        assertThatThrownBy(() -> new Lion().beta1(0)).hasMessage("lion: beta_1 must be in (0, 1] (0 degenerates to "
                + "SignSGD), got 0.0");
        assertThatThrownBy(() -> new Lion().beta2(-0.1)).hasMessage("lion: beta_2 must be in [0, 1], got -0.1");
        assertThatThrownBy(() -> new Ftrl().learningRatePower(0.5))
                .hasMessage("ftrl: learning_rate_power must be <= 0 and finite, got 0.5");
        assertThatThrownBy(() -> new Ftrl().initialAccumulatorValue(-0.1))
                .hasMessage("ftrl: initial_accumulator_value must be >= 0 and finite, got -0.1");
        assertThatThrownBy(() -> new Ftrl().l1RegularizationStrength(-1))
                .hasMessage("ftrl: l1_regularization_strength must be >= 0 and finite, got -1.0");
        assertThatThrownBy(() -> new Ftrl().l2RegularizationStrength(-1))
                .hasMessage("ftrl: l2_regularization_strength must be >= 0 and finite, got -1.0");
        assertThatThrownBy(() -> new Ftrl().l2ShrinkageRegularizationStrength(-1))
                .hasMessage("ftrl: l2_shrinkage_regularization_strength must be >= 0 and finite, got -1.0");
        assertThatThrownBy(() -> new Ftrl().beta(-1)).hasMessage("ftrl: beta must be >= 0 and finite, got -1.0");
        // Keras's bounds themselves are taken.
        new Lion().beta1(1.0).beta2(0.0);
        new Ftrl().learningRatePower(0).initialAccumulatorValue(0);
        new Adadelta().rho(0).rho(1);
    }

    @Test
    void ftrlsInitialAccumulatorIsFixedOnceBuilt() {
        Weight w = TestWeights.kernel(1f, 2f);
        Ftrl f = new Ftrl(0.1).initialAccumulatorValue(0.3);
        assertThat(f.state(List.of(w)).slots().get(0).get(0).toArray()).as("accumulators start at 0.3")
                .containsExactly(0.3f, 0.3f);
        setGrad(w, new float[] {1f, 1f});
        f.apply(List.of(w));
        assertThatThrownBy(() -> f.initialAccumulatorValue(0.5)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ftrl: set initial_accumulator_value before the first update");
    }

    private static Weight[] model() {
        return TestWeights.kernelAndBias(new float[] {1f, -1f}, new float[] {0.5f, 0.25f});
    }

    private static void train(Optimizer opt, Weight[] ws, int from, int to) {
        for (int t = from; t < to; t++) {
            setGrad(ws[0], GRADS[t]);
            setGrad(ws[1], GRADS[GRADS.length - 1 - t]);
            opt.apply(List.of(ws));
        }
    }

    @Test
    void aRestoredOptimizerContinuesBitForBitNadamsUProductIncluded() {
        List<Supplier<Optimizer>> kinds = List.of(() -> new Adamax(0.05), () -> new Nadam(0.05),
                () -> new Adadelta(1.0), () -> new Lion(0.01), () -> new Ftrl(0.1).l1RegularizationStrength(0.01));
        for (Supplier<Optimizer> kind : kinds) {
            Weight[] original = model();
            Optimizer a = kind.get();
            train(a, original, 0, 3);
            OptimizerState state = a.state(List.of(original));

            Weight[] copy = model();
            copy[0].set(original[0].value());
            copy[1].set(original[1].value());
            Optimizer b = kind.get();
            b.loadState(List.of(copy), state);
            assertThat(b.state(List.of(copy)).scalars()).isEqualTo(state.scalars());

            train(a, original, 3, 5);
            train(b, copy, 3, 5);
            assertThat(copy[0].value().toArray()).as(a.kerasName()).containsExactly(original[0].value().toArray());
            assertThat(copy[1].value().toArray()).as(a.kerasName()).containsExactly(original[1].value().toArray());
        }
    }

    @Test
    void nadamsUProductIsPartOfItsStateAndAStateWithoutItIsRefused() {
        Weight[] ws = model();
        Nadam n = new Nadam(0.05);
        assertThat(n.state(List.of(ws)).scalars()).as("before any update: Keras's initial 1.0")
                .containsExactly(Map.entry("u_product", 1f));
        assertThat(n.kerasVariableCount()).as("not built: iteration and learning_rate only").isEqualTo(2);
        train(n, ws, 0, 2);
        OptimizerState s = n.state(List.of(ws));
        float u1 = 0.9f * (1f - 0.5f * (float) Math.pow(0.96f, 1f));
        float u2 = u1 * 0.9f * (1f - 0.5f * (float) Math.pow(0.96f, 2f));
        assertThat(s.scalars().get("u_product")).as("u(1)·u(2) in float32").isEqualTo(u2);
        assertThat(n.kerasVariableCount()).as("iteration, learning_rate, 2 slots x (2 + 2), u_product")
                .isEqualTo(2 + 8 + 1);
        OptimizerState without = new OptimizerState("nadam", s.iterations(), s.learningRate(), s.slotNames(),
                s.slotGroups(), s.slots());
        Nadam other = new Nadam(0.05);
        assertThatThrownBy(() -> other.loadState(List.of(ws), without)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nadam.loadState: expected the optimizer-wide variables [u_product], the "
                        + "state has []");
        assertThat(other.iterations()).as("refused before anything is written").isZero();
        // A step where no weight has a gradient counts an iteration but, as in Keras, does not advance u_product.
        Weight[] idle = model();
        idle[0].variable().zeroGrad();
        idle[1].variable().zeroGrad();
        Nadam skipping = new Nadam(0.05);
        skipping.apply(List.of(idle));
        assertThat(skipping.iterations()).isEqualTo(1);
        train(skipping, idle, 1, 2);
        assertThat(skipping.state(List.of(idle)).scalars().get("u_product")).as("u(2) alone")
                .isEqualTo(1f * 0.9f * (1f - 0.5f * (float) Math.pow(0.96f, 2f)));
        // Keras's variable order and back: m₀ v₀ m₁ v₁ u_product
        OptimizerState back = OptimizerState.fromKerasVariables("nadam", s.iterations(), s.learningRate(),
                s.slotNames(), s.slotGroups(), 2, List.of("u_product"), s.kerasVariables());
        assertThat(back.scalars()).isEqualTo(s.scalars());
        assertThat(back.slots().get(1).get(1).toArray()).isEqualTo(s.slots().get(1).get(1).toArray());
        assertThatThrownBy(() -> OptimizerState.fromKerasVariables("nadam", 2, 0.05, s.slotNames(), s.slotGroups(),
                2, List.of("u_product"), s.kerasVariables().subList(0, 4)))
                .hasMessageContaining("expected 2 weights x 2 slots + [u_product] = 5 variables, got 4");
    }
}
