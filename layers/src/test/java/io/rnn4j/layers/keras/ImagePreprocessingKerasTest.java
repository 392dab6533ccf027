package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.assertPredictsAsKerasAndAfterSaving;
import static io.rnn4j.layers.keras.Keras3151.report;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.RandomBrightness;
import io.rnn4j.layers.RandomContrast;
import io.rnn4j.layers.RandomCrop;
import io.rnn4j.layers.RandomFlip;
import io.rnn4j.layers.RandomRotation;
import io.rnn4j.layers.RandomTranslation;
import io.rnn4j.layers.RandomZoom;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Fit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The image preprocessing layers against what Keras 3.15.1 computed on TensorFlow
 * (keras3151/make_imageprep.py): each layer read from Keras's own config, given the transformation
 * Keras was given ({@code layer.transform_images(images, transformation, training=True)}; for
 * Resizing and CenterCrop their call) gives Keras's output within {@link Keras3151#assertClose}'s
 * 1e-5 + 1e-5·|y|; and Keras-written models holding them load, predict as Keras (inference: the
 * random layers are the identity), save back the same, and train one epoch of SGD as Keras did.
 */
class ImagePreprocessingKerasTest {

    @SuppressWarnings("unchecked")
    static Stream<Map<String, Object>> cases() throws IOException {
        Stream<Map<String, Object>> all = Stream.empty();
        // make_rev-image.py's edge cases (1x1 images, a batch of 1, ties, clipping...) in the same format
        for (String file : List.of("imageprep-transforms.json", "revimage-transforms.json")) {
            all = Stream.concat(all, ((List<Map<String, Object>>) Json.parse(Files.readString(resource(file))))
                    .stream());
        }
        return all;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void aGivenTransformationGivesKerasTransformImagesOutput(Map<String, Object> c) throws IOException {
        String name = (String) c.get("name");
        Layer layer = new LayerReader(false).read((Map<String, Object>) c.get("layer")).layer();
        Tensor x = Npy.read(resource("ip_" + c.get("images") + ".x.npy")).tensor();
        Map<String, Object> p = (Map<String, Object>) c.get("params");
        Tensor y = switch (layer) {
            case RandomRotation r -> r.rotate(x, floats(p.get("degrees")));
            case RandomZoom z -> z.zoom(x, floats(p.get("height_zoom")), floats(p.get("width_zoom")));
            case RandomTranslation t -> t.translate(x, floats(p.get("dy")), floats(p.get("dx")));
            case RandomFlip f -> f.flip(x, bools(p.get("flips")));
            case RandomContrast k -> k.contrast(x, floats(p.get("factors")));
            case RandomBrightness b -> b.brighten(x, floats(p.get("deltas")));
            case RandomCrop k when p.containsKey("top") -> k.crop(x, ((Double) p.get("top")).intValue(),
                    ((Double) p.get("left")).intValue());
            default -> { // Resizing, CenterCrop, and RandomCrop's training path on small images: their call
                layer.build(Shape.of(x.shape().dim(1), x.shape().dim(2), x.shape().dim(3)));
                boolean training = Boolean.TRUE.equals(p.get("training"));
                CallContext ctx = training ? CallContext.training(Seeds.of(1)) : CallContext.inference();
                yield layer.call(Variable.constant(x), null, ctx).value();
            }
        };
        Tensor want = Npy.read(resource("ip_" + name + ".y.npy")).tensor();
        assertThat(y.shape()).as("%s: output shape", name).isEqualTo(want.shape());
        float[] got = y.toArray();
        double[] w = Npy.read(resource("ip_" + name + ".y.npy")).values();
        report(name, got, w);
        assertClose(name, got, w);
    }

    static Stream<String> models() throws IOException {
        return Stream.of("manifest-imageprep.txt", "manifest-revimage.txt").flatMap(f -> {
            try {
                return Files.readAllLines(resource(f)).stream();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).filter(l -> !l.isBlank()).map(l -> l.trim().split(" ")[0]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void aKerasWrittenModelWithImageLayersPredictsAsKerasAndSavesBackTheSame(String name, @TempDir Path dir)
            throws IOException {
        assertPredictsAsKerasAndAfterSaving(name, dir);
    }

    @Test
    void theLegacyH5KerasWritesForAModelWithImageLayersLoadsAndPredictsAsKeras() throws IOException {
        // make_rev-image.py: every image layer but RandomBrightness, which Keras 3.15.1 cannot write to .h5
        KerasModel m = Models.load(resource("rev_legacy.h5"));
        float[] y = m.predict(Npy.read(resource("rev_legacy.x0.npy")).tensor()).toArray();
        double[] want = Npy.read(resource("rev_legacy.y.npy")).values();
        report("rev_legacy.h5", y, want);
        assertClose("rev_legacy.h5", y, want);
    }

    @Test
    void aModelWithIdentityAugmentationTrainsAsKerasForOneEpochOfSgd() throws IOException {
        KerasModel m = Models.load(resource("ip_trained.keras"), true);
        Tensor fx = Npy.read(resource("ip_trained.fit_x.npy")).tensor();
        Tensor fy = Npy.read(resource("ip_trained.fit_y.npy")).tensor();
        m.fit(fx, fy, Fit.defaults().batchSize(4).epochs(1).shuffle(false).verbose(0));
        float[] y = m.predict(Npy.read(resource("ip_trained.x0.npy")).tensor()).toArray();
        assertClose("ip_trained after one epoch (the Conv2D before the augmentation trained through it)", y,
                Npy.read(resource("ip_trained.y_after.npy")).values());
    }

    private static float[] floats(Object list) {
        List<?> l = (List<?>) list;
        float[] out = new float[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Double) l.get(i)).floatValue();
        }
        return out;
    }

    private static boolean[] bools(Object list) {
        List<?> l = (List<?>) list;
        boolean[] out = new boolean[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (Boolean) l.get(i);
        }
        return out;
    }
}
