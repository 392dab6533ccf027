package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.CustomLayersKerasWrittenTest.inputs;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.initializers.Initializers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A custom layer that adds a non-trainable weight before its trainable one, in files Keras 3.15.1
 * wrote (keras3151/make_custom_layer_order.py, TensorFlow backend): Keras keeps a layer's own
 * variables trainable first wherever the layer sits — inside TimeDistributed and inside a nested
 * Sequential in .keras (save_own_variables), and frozen in a legacy .h5 (_legacy_weights lists a
 * frozen layer's weights, trainable first, as its non_trainable_weights). Each loads with the
 * weights where Keras put them and predicts as Keras (bar 1e-5 + 1e-5·|y|), and rnn4j's own
 * .keras of it reads back to the same bits.
 */
class CustomLayerWeightOrderTest {
    private static final CustomLayers CUSTOM = CustomLayers.of().with("r2>Shift",
            c -> new Shift(c.number("bump", 1.0)));

    @TempDir
    Path dir;

    /** Keras's r2>Shift: {@code x · w + bump · count}, count (non-trainable) added before w. */
    static final class Shift extends Layer implements KerasSerializable {
        private final double bump;
        private Weight count;
        private Weight w;

        Shift(double bump) {
            super("shift");
            this.bump = bump;
        }

        @Override
        protected Shape build(Shape in, RandomGenerator random) {
            count = addWeight("count", Shape.of(in.dim(-1)), Initializers.zeros(), random, null, null, false);
            w = addWeight("w", Shape.of(in.dim(-1)), Initializers.ones(), random, null, null, true);
            return in;
        }

        @Override
        protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
            return Ops.add(Ops.mul(x, w.variable()), Ops.scale(count.variable(), (float) bump));
        }

        @Override
        public Map<String, Object> kerasConfig() {
            return Map.of("bump", bump);
        }

        @Override
        public String kerasRegisteredName() {
            return "r2>Shift";
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"custom_order_td.keras", "custom_order_nested.keras", "custom_order_frozen.h5"})
    void aCustomLayersOwnVariablesLoadTrainableFirstWhereverItSits(String file) throws IOException {
        String name = file.substring(0, file.lastIndexOf('.'));
        KerasModel m = Models.load(resource(file), CUSTOM);
        Tensor x = inputs(name, 1).get(0);
        float[] y = m.predict(x).toArray();
        assertClose(file, y, Npy.read(resource(name + ".y.npy")).values());
        Path back = dir.resolve(name + ".keras");
        Models.save(m, back);
        assertThat(Models.load(back, CUSTOM).predict(x).toArray()).as("rnn4j's own .keras, bit for bit")
                .isEqualTo(y);
    }
}
