package io.rnn4j.layers.ops;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Devices;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.GradCheck;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.model.Model;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Keras 3's Stack: values against a plain loop placing each input at its index of the new axis (bit
 * for bit: it only moves values), every axis from 1 to the end and negative, None timesteps, the
 * gradient split back by central differences, and refusals. Seed 31.
 */
class KerasOpsStackTest {
    private final Random r = new Random(31);

    @Test
    void stackPutsEachInputAtItsIndexOfTheNewAxis() {
        int[] dims = {2, 3, 4};
        Tensor a = uniform(r, -1f, 1f, dims);
        Tensor b = uniform(r, -1f, 1f, dims);
        Tensor c = uniform(r, -1f, 1f, dims);
        List<float[]> in = List.of(a.toArray(), b.toArray(), c.toArray());
        for (int axis : new int[] {1, 2, 3, -1, -2, -3}) {
            int ax = axis < 0 ? axis + 4 : axis;
            Input ia = Input.shape(3, 4);
            Input ib = Input.shape(3, 4);
            Input ic = Input.shape(3, 4);
            Model m = Model.of(List.of(ia, ib, ic), KerasOps.stack(List.of(ia, ib, ic), axis));
            Tensor y = m.predict(List.of(a, b, c)).get(0);
            int[] out = new int[4];
            for (int d = 0, s = 0; d < 4; d++) {
                out[d] = d == ax ? 3 : dims[s++];
            }
            assertThat(y.shape().dims()).as("axis %d: shape", axis).containsExactly(out);
            float[] got = y.toArray();
            for (int i = 0; i < got.length; i++) {
                int[] idx = Nd.index(i, out);
                int k = idx[ax];
                int src = 0;
                for (int d = 0, s = 0; d < 4; d++) {
                    if (d != ax) {
                        src = src * dims[s++] + idx[d];
                    }
                }
                assertThat(got[i]).as("axis %d: element %d from input %d", axis, i, k).isEqualTo(in.get(k)[src]);
            }
        }
    }

    @Test
    void stackTakesNoneTimestepsAndItsGradientSplitsBack() {
        Input ia = Input.shape(Input.NONE, 2);
        Input ib = Input.shape(Input.NONE, 2);
        Model m = Model.of(List.of(ia, ib), KerasOps.stack(List.of(ia, ib), -1));
        for (int steps : new int[] {1, 5}) {
            Tensor y = m.predict(List.of(uniform(r, -1f, 1f, 2, steps, 2), uniform(r, -1f, 1f, 2, steps, 2))).get(0);
            assertThat(y.shape().dims()).containsExactly(2, steps, 2, 2);
        }
        Stack op = new Stack(2, 2);
        op.build(List.of(Shape.of(3, 2), Shape.of(3, 2)), Devices.defaultDevice(), null);
        GradCheck.check("stack axis 2", v -> op.callAll(List.of(v), null, CallContext.inference()).get(0),
                uniform(r, -1f, 1f, 2, 3, 2), uniform(r, -1f, 1f, 2, 3, 2));
    }

    @Test
    void stackRefusesTheBatchAxisAndUnequalShapes() {
        assertThatThrownBy(() -> KerasOps.stack(List.of(Input.shape(3), Input.shape(3)), 0)).hasMessageEndingWith(
                "(Stack): axis 0 puts the new axis before the batch axis; rnn4j keeps the batch axis first (give "
                        + "axis 1 and up, or -1)");
        assertThatThrownBy(() -> KerasOps.stack(List.of(Input.shape(3), Input.shape(3)), 3)).hasMessageEndingWith(
                "(Stack): axis 3 is out of bounds for a tensor of rank 3 (axes -3 to 2, the batch axis 0)");
        assertThatThrownBy(() -> KerasOps.stack(List.of(Input.shape(3), Input.shape(4)), 1)).hasMessageEndingWith(
                "(Stack): every input must have the same shape, but input 1 (None, 4) differs from the first "
                        + "(None, 3)");
    }
}
