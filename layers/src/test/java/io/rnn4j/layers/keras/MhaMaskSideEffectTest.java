package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keras 3's MultiHeadAttention deletes the Keras masks of the tensors it attends over
 * ({@code backend.set_keras_mask(query/value/key, None)} in multi_head_attention.py's call), so the
 * layers Keras's Functional runs after it (by decreasing depth) on the same Embedding(mask_zero)
 * output see no mask, and those it runs before do (keras3151/make_mha_mask.py): a
 * GroupQueryAttention on (MHA output, embedding), an LSTM on the embedding at depth 0, one at depth 3.
 */
class MhaMaskSideEffectTest {
    @Test
    void layersAfterAMultiHeadAttentionSeeItsInputsWithoutMasksAsInKeras() throws IOException {
        Tensor x = Npy.read(resource("mha_mask.x0.npy")).tensor();
        KerasModel m = Models.load(resource("mha_mask.keras"));
        List<Tensor> ys = m.predict(List.of(x));
        String[] what = {"GroupQueryAttention after the MHA (value mask gone)", "LSTM after the MHA (unmasked)",
            "LSTM before the MHA (masked)"};
        for (int i = 0; i < ys.size(); i++) {
            assertClose("mha_mask output " + i + ": " + what[i], ys.get(i).toArray(),
                    Npy.read(resource("mha_mask.y" + i + ".npy")).values());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Models.save(m, out);
        KerasModel back = Models.load(new ByteArrayInputStream(out.toByteArray()), "mha_mask-rnn4j.keras");
        List<Tensor> again = back.predict(List.of(x));
        for (int i = 0; i < ys.size(); i++) {
            assertThat(again.get(i).toArray()).as("output %s after rnn4j saves and loads, to the bit", i)
                    .isEqualTo(ys.get(i).toArray());
        }
    }
}
