package io.rnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.keras.KerasModel;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.model.StepRunner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Keras 3's Identity: the input unchanged, any shape, the mask passed on (an Embedding's mask still
 * reaches the LSTM after it), saved and loaded by its Keras name, and stepped. Seed 5.
 */
class IdentityTest {
    private final Random r = new Random(5);

    @Test
    void passesTheInputAndTheMaskOn() throws Exception {
        Sequential plain = Sequential.of(Input.shape(Input.NONE), new Embedding(10, 3).maskZero(true), new LSTM(2));
        Sequential withIdentity = Sequential.of(Input.shape(Input.NONE), new Embedding(10, 3).maskZero(true),
                new Identity(), new LSTM(2));
        for (int i = 0; i < plain.weights().size(); i++) {
            withIdentity.weights().get(i).set(plain.weights().get(i).value());
        }
        Tensor ids = Tensor.of(new float[] {1, 2, 0, 0, 3, 4, 5, 0}, 2, 4);
        assertThat(withIdentity.predict(ids).toArray()).as("masked steps skipped as without the Identity")
                .isEqualTo(plain.predict(ids).toArray());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Models.save(withIdentity, out);
        KerasModel back = Models.load(new ByteArrayInputStream(out.toByteArray()), "identity.keras");
        assertThat(back.layers()).extracting(Layer::className).contains("Identity");
        assertThat(back.predict(ids).toArray()).isEqualTo(plain.predict(ids).toArray());
        StepRunner steps = withIdentity.stepRunner();
        float[] last = null;
        for (int id : new int[] {3, 4, 5}) {
            last = steps.step(id);
        }
        float[] want = plain.predict(Tensor.of(new float[] {3, 4, 5}, 1, 3)).toArray();
        assertThat(last).as("stepped").containsExactly(want);
    }

    @Test
    void anyShapeComesOutAsItWent() {
        Identity id = new Identity();
        id.build(Shape.withUnknown(Input.NONE, 2, 3));
        Tensor x = GradCheck.uniform(r, -1, 1, 2, 4, 2, 3);
        assertThat(id.call(io.rnn4j.layers.autograd.Variable.constant(x), null, CallContext.inference()).value())
                .isSameAs(x);
        assertThat(id.outputShape()).isEqualTo(Shape.withUnknown(Input.NONE, 2, 3));
    }
}
