package io.rnn4j.layers.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Devices;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Session;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.model.Model;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defects found reviewing the Keras 3 operation nodes against Keras 3.15.1 on TensorFlow (and
 * JAX where the two agree): each test names the bar it checks. Signed zeros are told apart by
 * their bits, as {@code 1 / x} would tell them apart downstream.
 */
class KerasOpsReviewTest {
    private static final float NAN = Float.NaN;
    private static final float INF = Float.POSITIVE_INFINITY;

    @TempDir
    Path tmp;

    /** The operation on one (1, n) tensor of {@code v}. */
    private static float[] run(Layer op, float... v) {
        op.build(List.of(Shape.of(v.length)), Devices.defaultDevice(), null);
        Variable x = Variable.constant(Tensor.of(v, 1, v.length));
        return op.callAll(List.of(x), null, CallContext.inference()).get(0).value().toArray();
    }

    /** The gradient of sum(op(x)) at x = v. */
    private static float[] gradient(Layer op, float... v) {
        op.build(List.of(Shape.of(v.length)), Devices.defaultDevice(), null);
        Variable x = Variable.parameter(Tensor.of(v, 1, v.length));
        Variable y = op.callAll(List.of(x), null, CallContext.inference()).get(0);
        y.backward(y.value().device().full(y.value().shape(), 1f));
        return x.grad().toArray();
    }

    /** Exactly {@code want}, bit for bit (so -0 is not +0; any NaN matches NaN). */
    private static void sameBits(String what, float[] got, float... want) {
        assertThat(got).hasSameSizeAs(want);
        for (int i = 0; i < want.length; i++) {
            boolean same = Float.isNaN(want[i]) ? Float.isNaN(got[i])
                    : Float.floatToRawIntBits(got[i]) == Float.floatToRawIntBits(want[i]);
            assertThat(same).as("%s: element %d, rnn4j %s, expected %s", what, i, got[i], want[i]).isTrue();
        }
    }

    @Test
    void signOfNaNIsNaNAsTensorFlow2sTfSignAndJax() {
        // TF 2's tf.sign (Eigen's sign returns a NaN argument as it is) and jnp.sign both give NaN
        sameBits("sign", run(new Rounding(Rounding.Kind.SIGN), NAN, -NAN, 2f, -3f, 0f, INF, -INF),
                NAN, NAN, 1f, -1f, 0f, 1f, -1f);
    }

    @Test
    void floorCeilAndRoundKeepTheSignOfAZeroResultAsCsFloorCeilAndRint() {
        // tf.floor / tf.math.ceil are C's floor/ceil (and jnp's agree): a zero result keeps x's sign
        float[] v = {-0f, 0f, -0.3f, -0.7f, -0.5f, 0.3f, 0.7f, -1.5f};
        sameBits("floor", run(new Rounding(Rounding.Kind.FLOOR), v), -0f, 0f, -1f, -1f, -1f, 0f, 0f, -2f);
        sameBits("ceil", run(new Rounding(Rounding.Kind.CEIL), v), -0f, 0f, -0f, -0f, -0f, 1f, 1f, -1f);
        sameBits("round of ±0", run(new Rounding(Rounding.Kind.ROUND), -0f, 0f), -0f, 0f);
        sameBits("round(x, 1) of ±0", run(new Rounding(Rounding.Kind.ROUND, 1), -0f, 0f), -0f, 0f);
    }

    @Test
    void clipGradientIsZeroAtNaNAsClipByValuesMinimumAndMaximumSelect() {
        // tf.clip_by_value is maximum(minimum(x, hi), lo); their gradients select on x <= hi and
        // t >= lo, both false for NaN, so no gradient reaches a NaN x
        sameBits("clip(x, -1, 1)'s gradient", gradient(new Clip(-1, 1), NAN, 0.5f, -1f, 1f, 2f), 0f, 1f, 1f, 1f, 0f);
        sameBits("clip(x, -1, 1)", run(new Clip(-1, 1), NAN, 0.5f, 2f), NAN, 0.5f, 1f);
    }

    @Test
    void whereWithTwoNumbersTakesTheConditionsShapeAndSavesAndLoadsAsKerasRecordsIt() throws IOException {
        // keras.ops.where(greater(x, 0.5), 1.0, 0.0): Keras records [condition, 1.0, 0.0], shape (None, 3)
        Session.clear();
        Input x = Input.shape(Input.NONE, 3);
        Model m = Model.of(x, KerasOps.where(KerasOps.greater(x, 0.5), 1.0, 0.0));
        Tensor in = Tensor.of(new float[] {0.2f, 0.7f, NAN, 0.5f, 3f, -INF}, 1, 2, 3);
        float[] want = {0f, 1f, 0f, 0f, 1f, 0f};
        sameBits("where(x > 0.5, 1.0, 0.0)", m.predict(in).toArray(), want);
        Path saved = tmp.resolve("where2.keras");
        Models.save(m, saved);
        String config;
        try (var zip = new java.util.zip.ZipFile(saved.toFile())) {
            config = new String(zip.getInputStream(zip.getEntry("config.json")).readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
        }
        assertThat(config).contains("\"keras_history\": [\"greater\", 0, 0]}}, 1.0, 0.0], \"kwargs\": {}");
        var back = Models.load(saved);
        sameBits("where(x > 0.5, 1.0, 0.0) loaded back", back.predict(in).toArray(), want);
    }
}
