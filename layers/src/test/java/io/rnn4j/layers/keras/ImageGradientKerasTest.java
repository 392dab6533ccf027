package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Fit;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gradient the affine image layers (RandomRotation, RandomZoom, RandomTranslation) pass back
 * is TensorFlow's, as Keras 3.15.1's fit on TensorFlow computes it (keras3151/make_rev-image.py):
 * TensorFlow's registered gradient of ImageProjectiveTransformV3 (tensorflow/python/ops/image_ops.py,
 * {@code _image_projective_transform_v3_grad}) warps the incoming gradient by the inverse transform,
 * which is not the sampling's exact derivative. Each layer has a factor range of one value, so its
 * training call applies a known transform.
 */
class ImageGradientKerasTest {

    @SuppressWarnings("unchecked")
    static Stream<Object[]> gradientCases() throws IOException {
        List<Map<String, Object>> cases = (List<Map<String, Object>>) Json.parse(
                Files.readString(resource("rev_grad_affine.json")));
        return IntStream.range(0, cases.size()).mapToObj(i -> new Object[] {cases.get(i).get("name"), i,
                cases.get(i).get("layer")});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gradientCases")
    @SuppressWarnings("unchecked")
    void theInputGradientIsTensorFlowsInverseWarpOfTheIncomingGradient(String name, int row,
            Map<String, Object> config) throws IOException {
        Layer layer = new LayerReader(false).read(config).layer();
        Tensor x = Npy.read(resource("rev_grad.x.npy")).tensor();
        Tensor upstream = Npy.read(resource("rev_grad.upstream.npy")).tensor();
        int n = Math.toIntExact(x.shape().size());
        layer.build(Shape.of(x.shape().dim(1), x.shape().dim(2), x.shape().dim(3)));
        Variable in = Variable.parameter(x);
        Variable y = layer.call(in, null, CallContext.training(Seeds.of(1)));
        y.backward(upstream);
        assertClose(name + " training output", y.value().toArray(), rowOf("rev_grad.y.npy", row, n));
        assertClose(name + " input gradient (TensorFlow's, through tf.GradientTape)", in.grad().toArray(),
                rowOf("rev_grad.grad.npy", row, n));
    }

    static Stream<String> models() throws IOException {
        return Files.readAllLines(resource("manifest-revimage.txt")).stream().filter(l -> !l.isBlank())
                .map(l -> l.trim().split(" ")[0]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void aTrainableLayerBeforeFixedAugmentationTrainsAsKerasForOneEpochOfSgd(String name) throws IOException {
        KerasModel m = Models.load(resource(name + ".keras"), true);
        Tensor fx = Npy.read(resource(name + ".fit_x.npy")).tensor();
        Tensor fy = Npy.read(resource(name + ".fit_y.npy")).tensor();
        double loss = m.evaluate(fx, fy).loss();
        double want = Npy.read(resource(name + ".loss.npy")).values()[0];
        assertThat(Math.abs(loss - want)).as("%s: evaluate (augmentation off) %s, Keras %s", name, loss, want)
                .isLessThanOrEqualTo(1e-5 + 1e-5 * Math.abs(want));
        m.fit(fx, fy, Fit.defaults().batchSize(3).epochs(1).shuffle(false).verbose(0));
        float[] y = m.predict(Npy.read(resource(name + ".x0.npy")).tensor()).toArray();
        assertClose(name + " after one epoch (the Conv2D before the augmentation trained through it)", y,
                Npy.read(resource(name + ".y_after.npy")).values());
    }

    private static double[] rowOf(String file, int row, int n) throws IOException {
        double[] all = Npy.read(resource(file)).values();
        return Arrays.copyOfRange(all, row * n, (row + 1) * n);
    }
}
