package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.losses.Ctc;
import io.rnn4j.layers.losses.Losses;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Ctc#batchCost} and {@link Losses#ctcBatchCost()} against tf.keras's
 * {@code keras.backend.ctc_batch_cost} (Keras 3.15.1 legacy backend, TensorFlow 2.21;
 * keras3151/make_ctc_batch_cost.py, ctc_batch_cost.json): repeated classes, label_length shorter than
 * the labels' width (the padding, blanks and zeros, ignored), input_length shorter than the steps, batch
 * 1, probabilities near 0 that do not sum to 1, and labels with no valid path (loss +∞, finite gradient).
 * Loss and the gradient of its sum w.r.t. y_pred, bar 1e-5 + 1e-5·|y|.
 */
class CtcBatchCostKerasTest {
    @SuppressWarnings("unchecked")
    private static Map<String, Object> manifest() throws IOException {
        return (Map<String, Object>) Json.parse(Files.readString(resource("ctc_batch_cost.json")));
    }

    static Stream<String> cases() throws IOException {
        return manifest().keySet().stream();
    }

    private static void flatten(Object o, List<Double> out) {
        if (o instanceof List<?> l) {
            l.forEach(e -> flatten(e, out));
        } else {
            out.add(o instanceof Number n ? n.doubleValue() : "inf".equals(o) ? Double.POSITIVE_INFINITY : Double.NaN);
        }
    }

    private static double[] numbers(Object nested) {
        List<Double> flat = new ArrayList<>();
        flatten(nested, flat);
        return flat.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static Tensor tensor(Object nested) {
        List<Integer> dims = new ArrayList<>();
        for (Object o = nested; o instanceof List<?> l; o = l.get(0)) {
            dims.add(l.size());
        }
        double[] v = numbers(nested);
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return Tensor.of(f, dims.stream().mapToInt(Integer::intValue).toArray());
    }

    private static int[] ints(Object nested) {
        return Arrays.stream(numbers(nested)).mapToInt(d -> (int) d).toArray();
    }

    private static void assertLosses(String what, float[] got, double[] want) {
        for (int i = 0; i < want.length; i++) {
            if (Double.isInfinite(want[i])) {
                assertThat(got[i]).as("%s, sample %d (TensorFlow: no valid path)", what, i)
                        .isEqualTo(Float.POSITIVE_INFINITY);
                got[i] = 0;
                want[i] = 0;
            }
        }
        assertClose(what, got, want);
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void lossAndGradientAreKerasCtcBatchCost(String name) throws IOException {
        Map<String, Object> c = (Map<String, Object>) manifest().get(name);
        Variable yPred = Variable.parameter(tensor(c.get("y_pred")));
        Variable loss = Ctc.batchCost(tensor(c.get("y_true")), yPred, ints(c.get("input_length")),
                ints(c.get("label_length")));
        assertThat(loss.shape().dims()).as("(batch, 1) as Keras").containsExactly(yPred.dim(0), 1);
        assertLosses(name + " loss", loss.value().toArray(), numbers(c.get("loss")));
        Ops.sumAll(loss).backward();
        assertClose(name + " gradient of the summed loss w.r.t. y_pred", yPred.grad().toArray(),
                numbers(c.get("grad")));
    }

    /** keras-io's CTCLoss (full lengths) is the Loss; before, a label without a valid path was refused. */
    @SuppressWarnings("unchecked")
    @Test
    void theLossIsTheFullLengthCallAndANoValidPathSampleIsInfinite() throws IOException {
        for (String name : List.of("repeats", "batch1", "tiny_unnormalized")) {
            Map<String, Object> c = (Map<String, Object>) manifest().get(name);
            assertLosses(name + " as Losses.ctcBatchCost()", Losses.ctcBatchCost().perSample(Variable.constant(
                    tensor(c.get("y_true"))), Variable.constant(tensor(c.get("y_pred")))).value().toArray(),
                    numbers(c.get("loss")));
        }
        float[] uniform = new float[2 * 4 * 6];
        Arrays.fill(uniform, 1f / 6);
        Variable p = Variable.parameter(Tensor.of(uniform, 2, 4, 6));
        // 1, 1, 1 needs 5 steps with its blanks, 4 given: TensorFlow's loss is inf and training goes on
        Variable mean = Losses.ctcBatchCost().compute(Variable.constant(Tensor.of(new float[] {1, 1, 1, 1, 2, 3},
                2, 3)), p, null);
        assertThat(mean.value().toArray()[0]).isEqualTo(Float.POSITIVE_INFINITY);
        mean.backward();
        float[] g = p.grad().toArray();
        // the mean's 1/2 times the softmax of log(1/6 + 1e-7) over 6 classes, 1/6
        for (int i = 0; i < 24; i++) {
            assertThat(g[i]).as("gradient at %d", i).isCloseTo(0.5f, org.assertj.core.data.Offset.offset(1e-6f));
        }
        for (int i = 24; i < 48; i++) {
            assertThat(Float.isFinite(g[i])).isTrue();
        }
    }

    @Test
    void refusesWhatTensorFlowRaisesOn() {
        float[] uniform = new float[4 * 6];
        Arrays.fill(uniform, 1f / 6);
        Variable p = Variable.constant(Tensor.of(uniform, 1, 4, 6));
        Tensor label = Tensor.of(new float[] {1, 2, 3}, 1, 3);
        assertThatThrownBy(() -> Ctc.batchCost(label, p, new int[] {2}, new int[] {3}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label_length 3 exceeds its "
                        + "input_length 2").hasMessageContaining("Not enough time");
        assertThatThrownBy(() -> Ctc.batchCost(label, p, new int[] {4}, new int[] {0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label_length must be in [1, 3]");
        assertThatThrownBy(() -> Ctc.batchCost(label, p, new int[] {5}, new int[] {3}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input_length must be in [0, 4]");
        assertThatThrownBy(() -> Ctc.batchCost(Tensor.of(new float[] {1, 5}, 1, 2), p, new int[] {4}, new int[] {2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("class 5, the last, is the blank");
        // past label_length anything goes, as TensorFlow never reads it
        assertThat(Ctc.batchCost(Tensor.of(new float[] {1, 5}, 1, 2), p, new int[] {4}, new int[] {1}).value()
                .toArray()[0]).isEqualTo(Ctc.batchCost(Tensor.of(new float[] {1, 0}, 1, 2), p, new int[] {4},
                new int[] {1}).value().toArray()[0]);
        assertThatThrownBy(() -> Ctc.batchCost(label, p, new int[] {4, 4}, new int[] {3}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one input_length and one "
                        + "label_length per sample (1), got 2 and 1");
    }
}
