package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Lambda with Java functions: the output shape traced (None kept where the input's size matters)
 * or given; gradients through the function against finite differences; several inputs; the mask
 * dropped without a mask function and computed with one; refusals naming the layer. Seed 31.
 * Keras files with Lambda layers: LambdaFilesTest.
 */
class LambdaTest {
    private final Random r = new Random(31);

    @Test
    void theOutputShapeIsTracedOrGiven() {
        Lambda sum = new Lambda(x -> Ops.sum(x, 1, false));
        sum.build(Shape.withUnknown(Input.NONE, 5));
        assertThat(sum.outputShape()).as("a sum over the None axis").isEqualTo(Shape.of(5));
        Lambda twice = new Lambda(x -> Ops.concat(1, x, x));
        twice.build(Shape.withUnknown(Input.NONE, 2));
        assertThat(twice.outputShape()).isEqualTo(Shape.withUnknown(Input.NONE, 2));
        Lambda known = new Lambda(x -> Ops.reshape(x, x.dim(0), 12));
        known.build(Shape.of(3, 4));
        assertThat(known.outputShape()).isEqualTo(Shape.of(12));
        Lambda given = new Lambda(x -> Ops.slice(x, 1, 0, 2)).outputShape(2, 4);
        given.build(Shape.withUnknown(Input.NONE, 4));
        assertThat(given.outputShape()).isEqualTo(Shape.of(2, 4));
    }

    @Test
    void gradientsFlowThroughTheFunction() {
        Lambda l = Lambda.ofList(t -> Ops.mul(Ops.unary(io.rnn4j.engine.UnaryOp.TANH, t.get(0)), t.get(1)));
        l.build(List.of(Shape.of(3), Shape.of(3)), io.rnn4j.engine.Devices.defaultDevice(), new java.util.SplittableRandom(1));
        GradCheck.check("Lambda tanh(a)·b", v -> l.callAll(List.of(v[0], v[1]), null, CallContext.inference()).get(0),
                uniform(r, -1, 1, 2, 3), uniform(r, -1, 1, 2, 3));
        Sequential m = Sequential.of(Input.shape(4), new Dense(3), new Lambda(x -> Ops.scale(x, 0.5f)), new Dense(1));
        m.compile(io.rnn4j.layers.optimizers.Optimizers.get("sgd"), io.rnn4j.layers.losses.Losses.get("mse"));
        Tensor x = uniform(r, -1, 1, 8, 4);
        Tensor y = uniform(r, -1, 1, 8, 1);
        double before = m.evaluate(x, y).loss();
        m.fit(x, y, io.rnn4j.layers.model.Fit.defaults().epochs(5).verbose(0));
        assertThat(m.evaluate(x, y).loss()).as("trained through the Lambda").isLessThan(before);
    }

    @Test
    void theMaskIsDroppedWithoutAMaskFunctionAndComputedWithOne() {
        Tensor mask = Tensor.of(new float[] {1, 0}, 1, 2);
        Variable x = Variable.constant(uniform(r, -1, 1, 1, 2, 3));
        Lambda plain = new Lambda(v -> v);
        plain.build(Shape.of(2, 3));
        assertThat(plain.computeMask(x, mask)).isNull();
        assertThat(plain.supportsMasking()).isFalse();
        Lambda passing = new Lambda(v -> v).mask((in, masks) -> masks.get(0));
        passing.build(Shape.of(2, 3));
        assertThat(passing.computeMask(x, mask)).isSameAs(mask);
    }

    @Test
    void refusalsNameTheLayer() {
        Lambda bad = new Lambda(x -> Ops.slice(x, 1, 5, 1)).named("cut");
        assertThatThrownBy(() -> bad.build(Shape.of(3, 2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Layer 'cut' (Lambda): could not infer the output shape")
                .hasMessageContaining("give outputShape(...)");
        Lambda noBatch = new Lambda(x -> Ops.sumAll(x)).named("all");
        assertThatThrownBy(() -> noBatch.build(Shape.of(3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must keep the batch axis first");
        Input a = Input.shape(2);
        Input b = Input.shape(2);
        assertThatThrownBy(() -> new Lambda(x -> x).apply(a, b)).isInstanceOf(IllegalArgumentException.class);
        Model ok = Model.of(List.of(a, b), Lambda.ofList(t -> Ops.add(t.get(0), t.get(1))).apply(a, b));
        assertThat(ok.predict(List.of(Tensor.of(new float[] {1, 2}, 1, 2), Tensor.of(new float[] {3, 4}, 1, 2)))
                .get(0).toArray()).containsExactly(4, 6);
    }
}
