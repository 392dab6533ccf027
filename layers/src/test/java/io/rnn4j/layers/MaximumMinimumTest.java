package io.rnn4j.layers;

import static io.rnn4j.layers.MergeLayersTest.built;
import static io.rnn4j.layers.MergeLayersTest.close;
import static io.rnn4j.layers.MergeLayersTest.constants;
import static io.rnn4j.layers.MergeLayersTest.gradients;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Keras 3's Maximum and Minimum merges (keras/src/layers/merging/{maximum,minimum,base_merge}.py):
 * forward against float64 loops with broadcasting and a lower-rank input, exactly; masks as
 * {@code _apply_merge_op_and_or_mask} uses them (the op over the inputs unmasked at a position,
 * the first input's value where all are masked) and the OR output mask; gradients against float64
 * central differences ({@link GradCheck}) on inputs without near-ties ({@link Distinct}); ties
 * sending the whole gradient to the earlier input, as TensorFlow's maximum/minimum gradients.
 * Seed 1103.
 */
class MaximumMinimumTest {
    private static final long SEED = 1103;
    private final Random r = new Random(SEED);

    @Test
    void elementwiseExtremaWithBroadcastingMatchLoops() {
        System.out.println("MaximumMinimumTest seed " + SEED);
        float[] all = Distinct.values(r, 24 + 8 + 8).toArray();
        Tensor a = Tensor.of(Arrays.copyOfRange(all, 0, 24), 2, 3, 4);
        Tensor b = Tensor.of(Arrays.copyOfRange(all, 24, 32), 2, 1, 4);
        Tensor c = Tensor.of(Arrays.copyOfRange(all, 32, 40), 2, 4);
        double[] hi = new double[24];
        double[] lo = new double[24];
        for (int n = 0; n < 2; n++) {
            for (int t = 0; t < 3; t++) {
                for (int f = 0; f < 4; f++) {
                    int i = (n * 3 + t) * 4 + f;
                    double x = all[i];
                    double y = all[24 + n * 4 + f];
                    double z = all[32 + n * 4 + f];
                    hi[i] = Math.max(Math.max(x, y), z);
                    lo[i] = Math.min(Math.min(x, y), z);
                }
            }
        }
        Layer max = built(new Maximum(), a, b, c);
        Layer min = built(new Minimum(), a, b, c);
        assertThat(max.outputShape()).isEqualTo(Shape.of(3, 4));
        assertThat(max.name()).startsWith("maximum");
        assertThat(min.name()).startsWith("minimum");
        close("maximum", max.callAll(constants(a, b, c), null, CallContext.inference()).get(0).value().toArray(),
                hi, 0);
        close("minimum", min.callAll(constants(a, b, c), null, CallContext.inference()).get(0).value().toArray(),
                lo, 0);
        gradients("Maximum, broadcast and lower rank", max, null, a, b, c);
        gradients("Minimum, broadcast and lower rank", min, null, a, b, c);
        Layer one = built(new Maximum(), a);
        assertThat(one.callAll(constants(a), null, CallContext.inference()).get(0).value().toArray())
                .as("one input: itself").containsExactly(a.toArray());
    }

    @Test
    void tiesSendTheGradientToTheEarlierInput() {
        Tensor same = Tensor.of(new float[] {0.5f, -1, 2}, 1, 3);
        for (Layer layer : new Layer[] {new Maximum(), new Minimum()}) {
            built(layer, same, same, same);
            List<Variable> in = List.of(Variable.parameter(same), Variable.parameter(same), Variable.parameter(same));
            Ops.sumAll(layer.callAll(in, null, CallContext.inference()).get(0)).backward();
            assertThat(in.get(0).grad().toArray()).as("%s: the first input", layer).containsExactly(1, 1, 1);
            assertThat(in.get(1).grad().toArray()).as("%s: the second", layer).containsExactly(0, 0, 0);
            assertThat(in.get(2).grad().toArray()).as("%s: the third", layer).containsExactly(0, 0, 0);
        }
    }

    @Test
    void maskedPositionsAreLeftOutAsKeras3() {
        float[] all = Distinct.values(r, 36).toArray();
        Tensor a = Tensor.of(Arrays.copyOfRange(all, 0, 12), 2, 3, 2);
        Tensor b = Tensor.of(Arrays.copyOfRange(all, 12, 24), 2, 3, 2);
        Tensor c = Tensor.of(Arrays.copyOfRange(all, 24, 36), 2, 3, 2);
        float[] ma = {1, 0, 1, 0, 0, 1};
        float[] mb = {0, 0, 1, 1, 0, 1};
        float[] mc = {1, 0, 0, 1, 0, 0};
        List<Tensor> masks = Arrays.asList(Tensor.of(ma, 2, 3), Tensor.of(mb, 2, 3), Tensor.of(mc, 2, 3));
        for (boolean isMax : new boolean[] {true, false}) {
            Layer layer = built(isMax ? new Maximum() : new Minimum(), a, b, c);
            String what = isMax ? "Maximum" : "Minimum";
            float[][] m = {ma, mb, mc};
            double[] expected = new double[12];
            for (int i = 0; i < 12; i++) {
                int step = i / 2;
                double acc = Double.NaN;
                for (int k = 0; k < 3; k++) {
                    if (m[k][step] == 1) {
                        double v = all[k * 12 + i];
                        acc = Double.isNaN(acc) ? v : isMax ? Math.max(acc, v) : Math.min(acc, v);
                    }
                }
                expected[i] = Double.isNaN(acc) ? all[i] : acc; // every input masked: the first one's value
            }
            List<Variable> in = constants(a, b, c);
            close(what + " masked", layer.callAll(in, masks, CallContext.inference()).get(0).value().toArray(),
                    expected, 0);
            assertThat(layer.computeMasks(in, masks).get(0).toArray()).as(what + ": OR of the masks")
                    .containsExactly(1, 0, 1, 1, 0, 1);
            assertThat(layer.computeMasks(in, Arrays.asList(masks.get(0), null, masks.get(2))).get(0))
                    .as(what + ": an input without a mask, no mask").isNull();
            gradients(what + " masked", layer, masks, a, b, c);

            // Only the second input masked: its masked positions take the first's value.
            List<Tensor> onlyB = Arrays.asList(null, masks.get(1));
            Layer two = built(isMax ? new Maximum() : new Minimum(), a, b);
            double[] pair = new double[12];
            for (int i = 0; i < 12; i++) {
                double x = all[i];
                double y = mb[i / 2] == 1 ? all[12 + i] : x;
                pair[i] = isMax ? Math.max(x, y) : Math.min(x, y);
            }
            close(what + " with only the second masked",
                    two.callAll(constants(a, b), onlyB, CallContext.inference()).get(0).value().toArray(), pair, 0);
            gradients(what + " with only the second masked", two, onlyB, a, b);
        }
    }

    @Test
    void incompatibleShapesAreRefusedNamingTheLayer() {
        Input a = Input.shape(4, 3);
        Input b = Input.shape(5, 3);
        assertThatThrownBy(() -> new Maximum().named("hi").apply(a, b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'hi' (Maximum): inputs have incompatible shapes [(None, 4, 3), (None, 5, 3)]");
        assertThatThrownBy(() -> new Minimum().named("lo").apply(a, b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'lo' (Minimum): inputs have incompatible shapes");
        assertThat(new Maximum().apply(a, Input.shape(1, 3)).shape()).isEqualTo(Shape.of(4, 3));
    }
}
