package io.rnn4j.layers.autograd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The tape itself: accumulation, topological order on deep graphs, noGrad, release, errors. */
class AutogradTest {

    @Test
    void gradientsAccumulateWhereAVariableIsUsedTwice() {
        Variable x = Variable.parameter(Tensor.of(new float[] {3f}, 1));
        Variable y = Ops.add(Ops.mul(x, x), x); // x² + x, dy/dx = 2x + 1 = 7
        y.backward();
        assertThat(x.grad().toArray()).containsExactly(7f);
        Ops.scale(x, 2f).backward(); // accumulates: 7 + 2
        assertThat(x.grad().toArray()).containsExactly(9f);
        x.zeroGrad();
        assertThat(x.grad()).isNull();
    }

    @Test
    void aSharedUpstreamGradientIsNeverWrittenThrough() {
        // add passes g unchanged to both inputs; accumulating into one must not change the other.
        Variable a = Variable.parameter(Tensor.of(new float[] {1f, 2f}, 2));
        Variable b = Variable.parameter(Tensor.of(new float[] {3f, 4f}, 2));
        Variable s = Ops.add(a, b);
        Variable y = Ops.add(s, a);
        Ops.sumAll(y).backward();
        assertThat(a.grad().toArray()).containsExactly(2f, 2f);
        assertThat(b.grad().toArray()).containsExactly(1f, 1f);
    }

    @Test
    void deepChainsNeedNoRecursion() {
        Variable x = Variable.parameter(Tensor.of(new float[] {1f}, 1));
        Variable y = x;
        for (int i = 0; i < 20_000; i++) {
            y = Ops.affine(y, 1f, 0.001f);
        }
        Ops.sumAll(y).backward();
        assertThat(x.grad().toArray()).containsExactly(1f);
    }

    @Test
    void noGradRecordsNothingAndScopesNest() {
        Variable w = Variable.parameter(Tensor.of(new float[] {2f}, 1));
        try (var _ = Autograd.noGrad()) {
            try (var _ = Autograd.noGrad()) {
                assertThat(Autograd.isRecording()).isFalse();
            }
            assertThat(Autograd.isRecording()).isFalse();
            Variable y = Ops.unary(UnaryOp.TANH, w);
            assertThat(y.requiresGrad()).isFalse();
            assertThatThrownBy(y::backward).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("does not depend on any parameter");
        }
        assertThat(Autograd.isRecording()).isTrue();
        assertThat(Ops.unary(UnaryOp.TANH, w).requiresGrad()).isTrue();
    }

    @Test
    void backwardReleasesSavedTensorsAndTheGraph() {
        AtomicInteger backwards = new AtomicInteger();
        Variable x = Variable.parameter(Tensor.of(new float[] {0.5f}, 1));
        Function square = new Function() {
            @Override
            protected Tensor forward(Tensor... in) {
                save(in[0]);
                Tensor out = in[0].device().zeros(in[0].shape());
                in[0].device().unary(UnaryOp.SQUARE, in[0], out);
                return out;
            }

            @Override
            protected Tensor[] backward(Tensor g) {
                backwards.incrementAndGet();
                Tensor dx = g.device().zeros(g.shape());
                g.device().unaryBackward(UnaryOp.SQUARE, saved(0), g, dx);
                return new Tensor[] {dx};
            }
        };
        Variable y = Autograd.apply(square, x);
        y.backward();
        assertThat(x.grad().toArray()).containsExactly(1f);
        assertThat(backwards).hasValue(1);
        assertThatThrownBy(() -> square.saved(0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("released");
        assertThatThrownBy(y::backward).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("released");
    }

    @Test
    void backwardOfANonScalarNeedsASeedOfItsShape() {
        Variable x = Variable.parameter(Tensor.of(new float[] {1f, 2f}, 2));
        Variable y = Ops.scale(x, 3f);
        assertThatThrownBy(y::backward).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one element");
        assertThatThrownBy(() -> y.backward(Tensor.of(new float[] {1f}, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seed must have");
        y.backward(Tensor.of(new float[] {1f, -1f}, 2));
        assertThat(x.grad().toArray()).containsExactly(3f, -3f);
    }

    @Test
    void onlyInputsThatNeedGradientsGetThem() {
        Variable w = Variable.parameter(Tensor.of(new float[] {1f, 2f, 3f, 4f}, 2, 2));
        Variable x = Variable.constant(Tensor.of(new float[] {1f, 1f}, 1, 2));
        Ops.sumAll(Ops.matmul(x, w)).backward();
        assertThat(w.grad().toArray()).containsExactly(1f, 1f, 1f, 1f);
        assertThat(x.grad()).isNull();
    }
}
