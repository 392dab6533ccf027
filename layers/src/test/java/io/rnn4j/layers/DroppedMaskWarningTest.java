package io.rnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

/**
 * Every layer added for Keras 3 layers that do not support masking (supports_masking False) logs
 * Keras 3's "will therefore destroy the mask information" warning when given a mask, once per
 * layer, and passes no mask on; an unmasked call logs nothing.
 */
class DroppedMaskWarningTest {

    /**
     * The messages logged to "io.rnn4j.layers" while {@code body} runs. System.Logger goes to
     * java.util.logging in these tests (no other LoggerFinder on the test classpath).
     */
    static List<String> loggedDuring(Runnable body) {
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord rec) {
                logged.add(new SimpleFormatter().formatMessage(rec));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger jul = Logger.getLogger("io.rnn4j.layers");
        jul.addHandler(h);
        try {
            body.run();
        } finally {
            jul.removeHandler(h);
        }
        return logged;
    }

    /** Keras 3's warning for {@code layer}, word for word. */
    static String kerasWarning(Layer layer) {
        return "Layer '" + layer.name() + "' (of type " + layer.className() + ") was passed an input with a mask "
                + "attached to it. However, this layer does not support masking and will therefore destroy the "
                + "mask information. Downstream layers will not see the mask.";
    }

    @Test
    void layersWithoutMaskSupportWarnOnceAndPassNoMask() {
        Tensor x = GradCheck.uniform(new Random(5), -1, 1, 2, 4, 4);
        Tensor mask = Tensor.of(new float[] {1, 1, 1, 0, 1, 1, 0, 0}, 2, 4);
        List<Layer> layers = List.of(new Conv1D(2, 2), new MaxPooling1D(), new AveragePooling1D(2), new Permute(2, 1),
                new ZeroPadding1D(), new Cropping1D(), new UpSampling1D(), new GlobalMaxPooling1D(), new Flatten(),
                new Reshape(16));
        for (Layer l : layers) {
            l.build(x.shape().tail());
            List<String> logged = loggedDuring(() -> {
                l.call(Variable.constant(x), null, CallContext.inference());
                l.call(Variable.constant(x), mask, CallContext.inference());
                l.call(Variable.constant(x), mask, CallContext.inference());
            });
            assertThat(logged).as("%s: Keras 3's warning, once, and only for a masked call", l).containsExactly(
                    kerasWarning(l));
            assertThat(l.computeMask(Variable.constant(x), mask)).as("%s passes no mask on", l).isNull();
        }
    }
}
