package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.BatchNormalization;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.model.Fit;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * make_sublayers.py's Block, a custom layer with a non-trainable weight of its own added before a
 * trainable one, then a Dense, a BatchNormalization and a custom layer owning a Dense (Inner), all
 * tracked with {@link Layer#addSublayer}, trained by Keras 3.15.1 with Adam: rnn4j trains it one
 * epoch to Keras's weights (the moving statistics of the sub-layer included), continues from
 * Keras's saved Adam state as Keras did, and reads the legacy .h5 the same. Bar: Keras3151.assertClose.
 */
class CustomSublayersTrainingTest {
    @TempDir
    Path dir;

    /** make_sublayers.py's Inner: calls the Dense it tracks as "proj". */
    static final class Inner extends Layer implements KerasSerializable {
        private final int units;
        private final Dense proj;

        Inner(int units) {
            super("inner");
            this.units = units;
            this.proj = addSublayer("proj", new Dense(units));
        }

        @Override
        protected Shape build(Shape in, RandomGenerator random) {
            proj.build(in, device(), random);
            return proj.outputShape();
        }

        @Override
        protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
            return proj.call(x, null, ctx);
        }

        @Override
        public Map<String, Object> kerasConfig() {
            return Map.of("units", units);
        }

        @Override
        public String kerasRegisteredName() {
            return "rnn4j>Inner";
        }
    }

    /** make_sublayers.py's Block: inner(bn(dense(x))) * alpha + count. */
    static final class Block extends Layer implements KerasSerializable {
        private final int units;
        private final Dense dense;
        private final BatchNormalization bn;
        private final Inner inner;
        private Weight count;
        private Weight alpha;

        Block(int units) {
            super("block");
            this.units = units;
            this.dense = addSublayer("dense", new Dense(units));
            this.bn = addSublayer("bn", new BatchNormalization().momentum(0.5));
            this.inner = addSublayer("inner", new Inner(units));
        }

        @Override
        protected Shape build(Shape in, RandomGenerator random) {
            count = addWeight("count", Shape.of(units), Initializers.constant(0.25), random, null, null, false);
            alpha = addWeight("alpha", Shape.of(units), Initializers.randomNormal(), random, null, null, true);
            dense.build(in, device(), random);
            bn.build(dense.outputShape(), device(), random);
            inner.build(dense.outputShape(), device(), random);
            return inner.outputShape();
        }

        @Override
        protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
            Variable h = inner.call(bn.call(dense.call(x, null, ctx), null, ctx), null, ctx);
            return Ops.add(Ops.mul(h, alpha.variable()), count.variable());
        }

        @Override
        public Map<String, Object> kerasConfig() {
            return Map.of("units", units);
        }

        @Override
        public String kerasRegisteredName() {
            return "rnn4j>Block";
        }
    }

    static final CustomLayers CUSTOM = CustomLayers.of().with("rnn4j>Block", c -> new Block(c.integer("units")))
            .with("rnn4j>Inner", c -> new Inner(c.integer("units")));

    private static Tensor x() throws IOException {
        return Npy.read(resource("sublayers.x.npy")).tensor();
    }

    private static Tensor y() throws IOException {
        return Npy.read(resource("sublayers.y.npy")).tensor();
    }

    private static void fitOneEpoch(KerasModel m) throws IOException {
        m.fit(x(), y(), Fit.defaults().batchSize(4).epochs(1).shuffle(false).verbose(0));
    }

    /** Every weight of {@code m} against the same weight of {@code want}, layer by layer, by path. */
    private static void assertSameWeights(String what, KerasModel m, KerasModel want) {
        for (Layer l : m.layers()) {
            List<Weight> got = l.weights();
            List<Weight> expected = want.layer(l.name()).weights();
            assertThat(got).hasSameSizeAs(expected);
            for (int i = 0; i < got.size(); i++) {
                float[] e = expected.get(i).value().toArray();
                double[] wd = new double[e.length];
                for (int j = 0; j < e.length; j++) {
                    wd[j] = e[j];
                }
                assertClose(what + " " + got.get(i).path(), got.get(i).value().toArray(), wd);
            }
        }
    }

    @Test
    void loadedUntrainedItTrainsOneEpochToKerasWeightsMovingStatisticsIncluded() throws IOException {
        KerasModel m = Models.load(resource("sublayers_init.keras"), true, CUSTOM);
        Layer block = m.layer("block");
        assertThat(block.weights()).as("Keras 3.15.1's Block.weights: own trainable, own non-trainable, sub-layers'")
                .extracting(Weight::name).containsExactly("alpha", "count", "kernel", "bias",
                "gamma", "beta", "moving_mean", "moving_variance", "kernel", "bias");
        assertThat(m.countParams()).as("Keras's count_params()").isEqualTo(65);
        fitOneEpoch(m);
        KerasModel keras = Models.load(resource("sublayers_e1.keras"), false, CUSTOM);
        assertSameWeights("after one epoch", m, keras);
    }

    @Test
    void loadedWithKerasAdamStateItContinuesAsKerasDid() throws IOException {
        KerasModel m = Models.load(resource("sublayers_e1.keras"), true, CUSTOM);
        assertThat(m.hasOptimizerState()).isTrue();
        fitOneEpoch(m);
        KerasModel keras = Models.load(resource("sublayers_e1.keras"), false, CUSTOM);
        Models.loadWeights(keras, resource("sublayers_e2.weights.h5"));
        assertSameWeights("after a second epoch", m, keras);
        assertClose("predict after a second epoch", m.predict(x()).toArray(),
                Npy.read(resource("sublayers.pred_e2.npy")).values());
    }

    @Test
    void theLegacyH5HoldsTheSameWeights() throws IOException {
        assertSameWeights("legacy .h5", Models.load(resource("sublayers_e1.h5"), false, CUSTOM),
                Models.load(resource("sublayers_e1.keras"), false, CUSTOM));
    }

    @Test
    void savedByRnn4jWithItsAdamStateItLoadsBackAndContinuesAsKeras() throws IOException {
        KerasModel m = Models.load(resource("sublayers_e1.keras"), true, CUSTOM);
        Path file = dir.resolve("e1.keras");
        Models.save(m, file);
        KerasModel back = Models.load(file, true, CUSTOM);
        fitOneEpoch(back);
        KerasModel keras = Models.load(resource("sublayers_e1.keras"), false, CUSTOM);
        Models.loadWeights(keras, resource("sublayers_e2.weights.h5"));
        assertSameWeights("saved by rnn4j, after a second epoch", back, keras);
        Path weights = dir.resolve("e2.weights.h5");
        Models.saveWeights(back, weights);
        KerasModel again = Models.load(resource("sublayers_e1.keras"), false, CUSTOM);
        Models.loadWeights(again, weights);
        assertSameWeights(".weights.h5 written by rnn4j", again, keras);
    }
}
