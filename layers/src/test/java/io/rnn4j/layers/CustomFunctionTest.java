package io.rnn4j.layers;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Autograd;
import io.rnn4j.layers.autograd.Function;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A Function written outside the autograd package (as a user's custom op), and the checker catching a wrong backward. */
class CustomFunctionTest {

    /** x³ with backward {@code factor · x² · g}; correct for factor 3. */
    static final class Cube extends Function {
        private final float factor;

        Cube(float factor) {
            this.factor = factor;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            Device d = in[0].device();
            Tensor sq = d.zeros(in[0].shape());
            d.binary(BinaryOp.MUL, in[0], in[0], sq);
            Tensor out = d.zeros(in[0].shape());
            d.binary(BinaryOp.MUL, sq, in[0], out);
            save(sq);
            return out;
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Device d = g.device();
            Tensor dx = d.zeros(g.shape());
            d.binary(BinaryOp.MUL, g, saved(0), dx);
            d.affine(dx, factor, 0f, dx);
            return new Tensor[] {needsGrad(0) ? dx : null};
        }
    }

    @Test
    void aCorrectUserFunctionPassesTheCheck() {
        GradCheck.check("cube", v -> Autograd.apply(new Cube(3f), v[0]), GradCheck.uniform(new Random(1), -1, 1, 5));
    }

    @Test
    void aWrongBackwardIsCaught() {
        assertThatThrownBy(() -> GradCheck.check("cube with a wrong backward",
                v -> Autograd.apply(new Cube(2f), v[0]), GradCheck.uniform(new Random(1), 0.5f, 1, 5)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("central difference");
    }
}
