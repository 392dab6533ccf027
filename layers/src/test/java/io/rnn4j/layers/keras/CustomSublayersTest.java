package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A custom layer that owns a built-in layer and calls it in its forward pass
 * ({@link Layer#addSublayer}): make_custom_layers.py's Projector, {@code proj(x) * alpha} with
 * {@code self.proj = layers.Dense(units)}, whose .keras file keeps the Dense's kernel and bias under
 * {@code layers/projector/proj/vars} and its own alpha under {@code layers/projector/vars}; its
 * legacy .h5 lists all three under the layer, alpha first. Bar: Keras3151.assertClose.
 */
class CustomSublayersTest {
    @TempDir
    Path dir;

    /** make_custom_layers.py's Projector: its own alpha (units,), then the Dense it tracks as "proj". */
    static final class Projector extends Layer implements KerasSerializable {
        private final int units;
        private final Dense proj;
        private Weight alpha;

        Projector(int units) {
            super("projector");
            this.units = units;
            this.proj = addSublayer("proj", new Dense(units));
        }

        @Override
        protected Shape build(Shape in, RandomGenerator random) {
            alpha = addWeight("alpha", Shape.of(units), Initializers.randomNormal(), random, null, null, true);
            proj.build(in, device(), random);
            return proj.outputShape();
        }

        @Override
        protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
            return Ops.mul(proj.call(x, null, ctx), alpha.variable());
        }

        @Override
        public Map<String, Object> kerasConfig() {
            return Map.of("units", units);
        }
    }

    static final CustomLayers CUSTOM = CustomLayers.of().with("Projector", c -> new Projector(c.integer("units")));

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"custom_nested.keras", "custom_nested.h5"})
    void aCustomLayerTrackingADenseLoadsItsOwnAndTheDensesWeightsAndPredictsAsKeras(String file) throws IOException {
        KerasModel m = Models.load(resource(file), CUSTOM);
        Layer projector = m.layer("projector");
        assertThat(projector.sublayers()).containsOnlyKeys("proj");
        assertThat(projector.weights()).extracting(Weight::name).containsExactly("alpha", "kernel", "bias");
        assertThat(projector.countParams()).as("alpha 3 + kernel 3x3 + bias 3").isEqualTo(15);
        assertClose(file, m.predict(Npy.read(resource("custom_nested.x0.npy")).tensor()).toArray(),
                Npy.read(resource("custom_nested.y.npy")).values());
    }

    @Test
    void savedByRnn4jTheSubLayersWeightsGoUnderTheAttributeAndLoadBack() throws IOException {
        KerasModel m = Models.load(resource("custom_nested.keras"), CUSTOM);
        Path file = dir.resolve("nested.keras");
        Models.save(m, file);
        Tensor x = Npy.read(resource("custom_nested.x0.npy")).tensor();
        KerasModel back = Models.load(file, CUSTOM);
        assertThat(back.predict(x).toArray()).isEqualTo(m.predict(x).toArray());
        // a Java layer that does not track the Dense is refused, naming the group it would leave out
        CustomLayers flat = CustomLayers.of().with("Projector", c -> {
            c.integer("units");
            return new CustomLayersKerasWrittenTest.Declaring("Projector", Shape.of(3));
        });
        assertThatThrownBy(() -> Models.load(file, flat)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("keeps variables of sub-layers in [layers/projector/proj]")
                .hasMessageContaining("addSublayer(");
    }

    @Test
    void theSubLayersWeightsAreTrainedAndFrozenWithTheOuterLayer() {
        Seeds.set(11);
        System.out.println("CustomSublayersTest seed 11");
        Input in = Input.shape(4, 3);
        Projector p = new Projector(3);
        Model model = Model.of(in, p.apply(in));
        assertThat(model.weights()).hasSize(3);
        float[] half = new float[24];
        float[] ones = new float[24];
        Arrays.fill(half, 0.5f);
        Arrays.fill(ones, 1f);
        Tensor x = Tensor.of(half, 2, 4, 3);
        Tensor y = Tensor.of(ones, 2, 4, 3);
        model.compile(Optimizers.sgd(0.1), Losses.meanSquaredError());
        Tensor kernelBefore = model.weights().get(1).value().copy();
        model.fit(x, y, Fit.defaults().epochs(1).verbose(0));
        assertThat(model.weights().get(1).value().toArray()).as("the Dense's kernel is trained")
                .isNotEqualTo(kernelBefore.toArray());
        p.trainable(false);
        assertThat(p.sublayers().get("proj").trainable()).as("freezing the outer layer freezes the Dense").isFalse();
        assertThat(model.countTrainableParams()).isZero();
    }

    /** Tracks the layer it is given under the attribute it is given. */
    static class Holder extends Layer {
        Holder(String attribute, Layer sub) {
            super("holder");
            addSublayer(attribute, sub);
        }

        void hold(String attribute, Layer l) {
            addSublayer(attribute, l);
        }

        @Override
        protected Shape build(Shape in, RandomGenerator random) {
            return in;
        }

        @Override
        protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
            return x;
        }
    }

    @Test
    void addSublayerRefusesNamesKerasCouldNotSaveUnderAndLateCalls() {
        assertThatThrownBy(() -> new Holder("vars", new Dense(1))).hasMessageContaining("'vars' holds the layer's own");
        assertThatThrownBy(() -> new Holder("my lstm", new Dense(1))).hasMessageContaining("got 'my lstm'");
        assertThatThrownBy(() -> new Holder("proj", null))
                .hasMessageContaining("sub-layer 'proj' must be another layer");
        Holder built = new Holder("proj", new Dense(1));
        built.build(Shape.of(2));
        assertThatThrownBy(() -> built.hold("late", new Dense(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sub-layers cannot change after the layer is built");
    }

    /** Builds its Dense, then fails while {@code failures} lasts (a shape it refuses, say). */
    static final class FailingOnce extends Layer {
        private final Dense dense;
        private int failures = 1;

        FailingOnce() {
            super("failing_once");
            dense = addSublayer("dense", new Dense(2));
        }

        @Override
        protected Shape build(Shape in, RandomGenerator random) {
            addWeight("scale", Shape.of(2), Initializers.constant(1), random, null, null, true);
            dense.build(in, device(), random);
            if (failures-- > 0) {
                throw new IllegalArgumentException("refused once");
            }
            return dense.outputShape();
        }

        @Override
        protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
            return dense.call(x, null, ctx);
        }
    }

    @Test
    void aBuildThatFailsAfterBuildingASubLayerCanBeRetried() {
        FailingOnce l = new FailingOnce();
        assertThatThrownBy(() -> l.build(Shape.of(3))).hasMessageContaining("refused once");
        assertThat(l.sublayers().get("dense").isBuilt()).as("the Dense's build is undone with its owner's").isFalse();
        l.build(Shape.of(3));
        assertThat(l.weights()).extracting(Weight::name).containsExactly("scale", "kernel", "bias");
        assertThat(l.countParams()).isEqualTo(2 + 3 * 2 + 2);
    }

    @Test
    void aLayerHasOneOwnerAndNoCycles() {
        Dense shared = new Dense(2);
        Holder first = new Holder("sub", shared);
        assertThatThrownBy(() -> first.hold("again", shared)).hasMessageContaining("is already a sub-layer");
        assertThatThrownBy(() -> new Holder("sub", shared)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is already sub-layer of " + first);
        Holder outer = new Holder("sub", first);
        assertThatThrownBy(() -> first.hold("up", outer)).hasMessageContaining("cannot be its sub-layer 'up' too");
    }

    @Test
    void aListOfLayersInAnAttributeIsRefusedByName() {
        // as if the list were one layer: addSublayer("dense_list", new Dense(2))
        CustomLayers custom = CustomLayers.of().with("rnn4j>Stack", c -> new Holder("dense_list", new Dense(2)) {
            @Override
            public String className() {
                return "Stack";
            }
        });
        assertThatThrownBy(() -> Models.load(resource("custom_list.keras"), custom)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("keeps a Python list or dict of layers in attribute 'dense_list'")
                .hasMessageContaining("layers/stack/dense_list/[dense, dense_1]");
    }
}
