package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Conv1D's stride-1 path ({@link Ops#conv1d}, one GEMM per kernel tap over shifted views) against
 * its im2col path on the same built layer: outputs and the input and kernel gradients agree to
 * float32 rounding ({@code 1e-5·(1 + |v|)}, a few ulps of sums of at most K·C products) on random
 * shapes: odd lengths, lengths shorter than the kernel with "same"/"causal", dilation 2 and 3,
 * batch 1, None steps; the new Function's gradients against float64 finite differences
 * ({@link GradCheck}); empty inputs and a padded input shorter than the kernel's reach. Seed 23.
 */
class ShiftedConv1DTest {
    private static final long SEED = 23;
    private final Random r = new Random(SEED);

    @ParameterizedTest(name = "{0} k={1} dilation={2} batch={3} steps={4} channels={5} filters={6}")
    @CsvSource({
        "valid, 3, 1, 3, 7, 5, 4", "valid, 5, 2, 1, 13, 3, 7", "valid, 2, 3, 2, 4, 4, 4", "valid, 1, 1, 2, 5, 3, 2",
        "same, 5, 1, 4, 9, 6, 5", "same, 4, 1, 1, 8, 3, 3", "same, 5, 1, 3, 2, 4, 6", "same, 3, 2, 2, 1, 2, 3",
        "same, 4, 3, 1, 11, 5, 2", "same, 2, 1, 5, 3, 1, 1",
        "causal, 3, 1, 2, 7, 4, 4", "causal, 4, 2, 1, 3, 3, 5", "causal, 5, 3, 3, 1, 2, 2",
        "causal, 2, 1, 1, 17, 8, 9"})
    void shiftedPathMatchesIm2colValuesAndGradients(String padding, int k, int dilation, int batch, int steps,
            int channels, int filters) {
        Conv1D conv = new Conv1D(filters, k).padding(padding).dilationRate(dilation);
        conv.build(Shape.withUnknown(Shape.UNKNOWN, channels));
        String what = padding + " k=" + k + " d=" + dilation + " batch=" + batch + " steps=" + steps + " seed="
                + SEED;
        Tensor x = uniform(r, -1, 1, batch, steps, channels);
        Tensor weights = uniform(r, -1, 1, batch, padding.equals("valid") ? steps - (k - 1) * dilation : steps, filters);

        Variable xNew = Variable.parameter(x.copy());
        Variable yNew = conv.shifted(xNew);
        Ops.sumAll(Ops.mul(yNew, Variable.constant(weights))).backward();
        float[] kernelGradNew = kernel(conv).grad().toArray();
        kernel(conv).zeroGrad();

        Variable xOld = Variable.parameter(x.copy());
        Variable yOld = conv.im2colProduct(xOld);
        Ops.sumAll(Ops.mul(yOld, Variable.constant(weights))).backward();
        float[] kernelGradOld = kernel(conv).grad().toArray();
        kernel(conv).zeroGrad();

        assertThat(yNew.shape()).as(what + ": shape").isEqualTo(yOld.shape());
        assertAgree(what + ": output", yNew.value().toArray(), yOld.value().toArray());
        assertAgree(what + ": input gradient", xNew.grad().toArray(), xOld.grad().toArray());
        assertAgree(what + ": kernel gradient", kernelGradNew, kernelGradOld);
    }

    @Test
    void noneStepsRunEveryLengthOnBothPathsAlike() {
        Conv1D conv = new Conv1D(3, 4).padding("same").dilationRate(2);
        conv.build(Shape.withUnknown(Shape.UNKNOWN, 2));
        for (int steps : new int[] {1, 2, 5, 6, 13}) {
            Variable x = Variable.constant(uniform(r, -1, 1, 2, steps, 2));
            assertAgree("None steps, length " + steps, conv.shifted(x).value().toArray(),
                    conv.im2colProduct(x).value().toArray());
            assertThat(conv.call(x, null, CallContext.inference()).shape()).isEqualTo(Shape.of(2, steps, 3));
        }
    }

    @Test
    void gradientsOfTheFunctionMatchFiniteDifferences() {
        // (dilation, left, right): none, "same"-like, "causal"-like with dilation, more padding than input.
        int[][] cases = {{1, 0, 0}, {1, 1, 2}, {2, 4, 0}, {3, 3, 4}};
        for (int[] c : cases) {
            int steps = c[0] == 3 ? 2 : 5;
            Tensor x = uniform(r, -1, 1, 2, steps, 3);
            Tensor kernel = uniform(r, -1, 1, 3, 3, 2);
            GradCheck.check("conv1d dilation " + c[0] + " padding " + c[1] + "+" + c[2] + " seed " + SEED,
                    v -> Ops.conv1d(v[0], v[1], c[0], c[1], c[2]), x, kernel);
        }
    }

    @Test
    void emptyInputsGiveEmptyOutputsAndZeroGradients() {
        Variable x = Variable.parameter(Tensor.zeros(2, 0, 3));
        Variable kernel = Variable.parameter(uniform(r, -1, 1, 3, 3, 4));
        Variable y = Ops.conv1d(x, kernel, 1, 1, 1);  // "same" on no steps
        assertThat(y.shape()).isEqualTo(Shape.of(2, 0, 4));
        Ops.sumAll(y).backward();
        assertThat(x.grad().shape()).isEqualTo(Shape.of(2, 0, 3));
        assertThat(kernel.grad().toArray()).containsOnly(0f);

        Variable noBatch = Variable.constant(Tensor.zeros(0, 5, 3));
        assertThat(Ops.conv1d(noBatch, kernel, 1, 0, 0).shape()).isEqualTo(Shape.of(0, 3, 4));
    }

    @Test
    void aPaddedInputShorterThanTheKernelsReachIsRefused() {
        Variable x = Variable.constant(Tensor.zeros(1, 2, 3));
        Variable kernel = Variable.constant(Tensor.zeros(3, 3, 4));
        assertThatThrownBy(() -> Ops.conv1d(x, kernel, 2, 1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 padded steps are shorter than the kernel's reach 5");
        Variable wrongChannels = Variable.constant(Tensor.zeros(3, 2, 4));
        assertThatThrownBy(() -> Ops.conv1d(x, wrongChannels, 1, 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected x (batch, steps, channels) and a kernel (size, channels, filters)");
    }

    private static Variable kernel(Conv1D conv) {
        return conv.weights().get(0).variable();
    }

    private static void assertAgree(String what, float[] actual, float[] expected) {
        assertThat(actual).as(what + ": length").hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat((double) actual[i]).as("%s: element %d", what, i)
                    .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-5 * (1 + Math.abs(expected[i]))));
        }
    }
}
