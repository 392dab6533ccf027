package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.ConvLSTM2D;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.RnnOutput;
import io.rnn4j.layers.autograd.Variable;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ConvLSTM2D on a (batch, time) mask against Keras 3.15.1 on TensorFlow (keras3151/
 * make_convlstm2d_mask.py: {@code layer(x, mask=mask)} with return_state): a masked step keeps h
 * and c and repeats the previous output (zeros with zero_output_for_mask), go_backwards reads the
 * steps and the mask from the end and returns the outputs in processing order, with strides (2, 1)
 * and "same" padding. Sample 0 skips a middle step, sample 1 ends masked, sample 2 starts and ends
 * masked. The output and the final h and c within {@code 1e-5 + 1e-5·|y|}. (ConvLSTM2DTest checks
 * masks against the test's own float64 reference; this checks that reference's reading of Keras.)
 */
class ConvLstm2DKerasMaskTest {

    static Stream<String> fixtures() throws IOException {
        return Files.readAllLines(resource("manifest-convlstm2d-mask.txt")).stream().filter(l -> !l.isBlank());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void aMaskedCallGivesKerasOutputAndStates(String name) throws IOException {
        KerasModel m = Models.load(resource(name + ".keras"));
        ConvLSTM2D layer = null;
        for (Layer l : m.layers()) {
            if (l instanceof ConvLSTM2D c) {
                layer = c;
            }
        }
        assertThat(layer).as("the model's ConvLSTM2D").isNotNull();
        Tensor x = Npy.read(resource("convlstm2d_mask.x.npy")).tensor();
        Tensor mask = Npy.read(resource("convlstm2d_mask.mask.npy")).tensor();
        RnnOutput o = layer.run(Variable.constant(x), mask, null, CallContext.inference());
        List<Tensor> got = new ArrayList<>();
        got.add(o.output().value());
        o.states().forEach(s -> got.add(s.value()));
        String[] what = {"output", "final h", "final c"};
        for (int i = 0; i < 3; i++) {
            float[] y = got.get(i).toArray();
            double[] want = Npy.read(resource(name + ".y" + i + ".npy")).values();
            assertThat(y).as("%s %s: size", name, what[i]).hasSize(want.length);
            for (int j = 0; j < y.length; j++) {
                assertThat(Math.abs(y[j] - want[j]))
                        .as("%s %s element %d: rnn4j %s, Keras %s (bar 1e-5 + 1e-5·|y|)", name, what[i], j, y[j],
                                want[j])
                        .isLessThanOrEqualTo(1e-5 + 1e-5 * Math.abs(want[j]));
            }
        }
    }
}
