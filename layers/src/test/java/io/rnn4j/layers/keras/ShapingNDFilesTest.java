package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.allWeights;
import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.assertWeightsAsKeras;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static io.rnn4j.layers.keras.Keras3151.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Cropping2D;
import io.rnn4j.layers.Cropping3D;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.SpatialDropout2D;
import io.rnn4j.layers.SpatialDropout3D;
import io.rnn4j.layers.UpSampling2D;
import io.rnn4j.layers.UpSampling3D;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.ZeroPadding2D;
import io.rnn4j.layers.ZeroPadding3D;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Sequential;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ZeroPadding2D/3D, Cropping2D/3D, UpSampling2D/3D and SpatialDropout2D/3D in Keras files. A
 * model Keras 3.15.1 wrote on TensorFlow's CPU backend (keras3151/make_shaping_nd.py): four
 * branches, channels_last and channels_first, every spatial axis None, run on two sets of sizes;
 * rnn4j predicts Keras's outputs within {@code 1e-5 + 1e-5·|y|} (float32 rounding: the
 * convolutions sum in another order; the shaping layers only move values), writes the layers back
 * with Keras 3's config keys in its order and values, and reads its own file to the same bits.
 * One epoch (two steps) of SGD on Conv2D → ZeroPadding2D → Cropping2D → UpSampling2D →
 * MaxPooling2D → Flatten → Dense, and on the same in 3D, both Keras-written and compiled, gives
 * Keras's weights within {@code 1e-5 + 1e-5·|w|}. Options round trip; hand-written Keras 3 (and
 * tf.keras 2) entries with keys left out load with Keras's defaults; bad options are refused by
 * name.
 */
class ShapingNDFilesTest {
    private static final Set<String> SHAPING = Set.of("ZeroPadding2D", "ZeroPadding3D", "Cropping2D", "Cropping3D",
            "UpSampling2D", "UpSampling3D", "SpatialDropout2D", "SpatialDropout3D");

    @TempDir
    Path tmp;

    private static List<Tensor> inputs(String prefix) throws IOException {
        List<Tensor> xs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            xs.add(Npy.read(resource(prefix + i + ".npy")).tensor());
        }
        return xs;
    }

    @Test
    void aKerasWrittenModelPredictsAsKerasOnTwoSizesAndRoundTrips() throws IOException {
        KerasModel m = Models.load(resource("shaping_branches.keras"));
        for (String set : List.of("", "b")) {
            List<Tensor> ys = m.predict(inputs("shaping_branches.x" + set));
            assertThat(ys).hasSize(4);
            for (int i = 0; i < 4; i++) {
                assertClose("branch " + i + (set.isEmpty() ? "" : " on other sizes"), ys.get(i).toArray(),
                        Npy.read(resource("shaping_branches.y" + set + i + ".npy")).values());
            }
        }
        Path back = tmp.resolve("back.keras");
        Models.save(m, back);
        Map<Object, Map<String, Object>> theirs = entries(resource("shaping_branches.keras"));
        Map<Object, Map<String, Object>> ours = entries(back);
        assertThat(ours.keySet()).as("the shaping and spatial dropout layers as rnn4j writes them back, by name")
                .containsExactlyInAnyOrderElementsOf(theirs.keySet()).hasSize(16);
        for (Object name : theirs.keySet()) {
            assertThat(ours.get(name).keySet()).as("get_config keys of %s in Keras's order", name)
                    .containsExactlyElementsOf(theirs.get(name).keySet());
            for (String key : List.of("padding", "cropping", "size", "data_format", "interpolation", "rate", "seed")) {
                assertThat(ours.get(name).get(key)).as("%s of %s", key, name).isEqualTo(theirs.get(name).get(key));
            }
        }
        List<Tensor> xs = inputs("shaping_branches.x");
        List<Tensor> first = m.predict(xs);
        List<Tensor> again = Models.load(back).predict(xs);
        for (int i = 0; i < 4; i++) {
            assertThat(again.get(i).toArray()).as("rnn4j's own file, output %d, bit for bit", i)
                    .isEqualTo(first.get(i).toArray());
        }
    }

    /** The config of each shaping or spatial dropout layer in a .keras file, by name. */
    @SuppressWarnings("unchecked")
    private static Map<Object, Map<String, Object>> entries(Path file) throws IOException {
        Map<String, Object> root = ModelReader.parse(file.toString(), "config.json", SaveTest.entry(file,
                "config.json"));
        Map<Object, Map<String, Object>> out = new HashMap<>();
        for (Object l : (List<Object>) ((Map<String, Object>) root.get("config")).get("layers")) {
            Map<String, Object> layer = (Map<String, Object>) l;
            if (SHAPING.contains(String.valueOf(layer.get("class_name")))) {
                Map<String, Object> config = (Map<String, Object>) layer.get("config");
                out.put(config.get("name"), config);
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"shaping2d_train", "shaping3d_train"})
    void oneSgdEpochOnAKerasWrittenCompiledModelGivesKerasWeights(String name) throws IOException {
        KerasModel m = Models.load(resource(name + ".keras"), true);
        Tensor fx = Npy.read(resource(name + ".fit_x.npy")).tensor();
        Tensor fy = Npy.read(resource(name + ".fit_y.npy")).tensor();
        assertClose(name + " before training", m.predict(fx).toArray(), Npy.read(resource(name + ".y0.npy"))
                .values());
        List<Weight> weights = allWeights(m);
        List<float[]> before = values(weights);
        m.fit(fx, fy, Fit.defaults().batchSize(4).epochs(1).shuffle(false).verbose(0));
        assertThat(weights).as("Keras's model.weights: the convolution's and the Dense's kernel and bias")
                .hasSize(4);
        double moved = assertWeightsAsKeras(name, "after one epoch", weights, before);
        // The steps move the weights far beyond the bar, so the comparison says that rnn4j trained as Keras.
        assertThat(moved).as("the largest change of a weight in the two steps").isGreaterThan(1e-3);
    }

    @Test
    void everyOptionComesBack() throws IOException {
        Sequential two = Sequential.of(Input.shape(3, 7, 8),
                new ZeroPadding2D(new int[][] {{1, 2}, {0, 3}}).dataFormat("channels_first").named("zp"),
                new Cropping2D(new int[][] {{2, 0}, {1, 1}}).dataFormat("channels_first").named("cr"),
                new UpSampling2D(1, 3).dataFormat("channels_first").named("up"),
                new SpatialDropout2D(0.25).dataFormat("channels_first").named("sd"));
        Path out = tmp.resolve("two.keras");
        Models.save(two, out);
        KerasModel back = Models.load(out);
        ZeroPadding2D zp = (ZeroPadding2D) back.layer("zp");
        assertThat(zp.padding()).isDeepEqualTo(new int[][] {{1, 2}, {0, 3}});
        Cropping2D cr = (Cropping2D) back.layer("cr");
        assertThat(cr.cropping()).isDeepEqualTo(new int[][] {{2, 0}, {1, 1}});
        UpSampling2D up = (UpSampling2D) back.layer("up");
        assertThat(up.size()).containsExactly(1, 3);
        assertThat(up.interpolation()).isEqualTo("nearest");
        SpatialDropout2D sd = (SpatialDropout2D) back.layer("sd");
        assertThat(sd.rate()).isEqualTo(0.25f);
        assertThat(List.of(zp.dataFormat(), cr.dataFormat(), up.dataFormat(), sd.dataFormat()))
                .containsOnly("channels_first");
        Tensor x = TestTensors.gaussian(5, 2, 3, 7, 8);
        assertThat(back.predict(x).toArray()).as("the same numbers after the round trip")
                .isEqualTo(two.predict(x).toArray());

        Sequential three = Sequential.of(Input.shape(4, 5, 3, 2), new ZeroPadding3D(1, 0, 2).named("zp"),
                new Cropping3D(new int[][] {{0, 1}, {1, 1}, {2, 3}}).named("cr"), new UpSampling3D(2, 1, 3).named("up"),
                new SpatialDropout3D(0.5).named("sd"));
        Path out3 = tmp.resolve("three.keras");
        Models.save(three, out3);
        KerasModel back3 = Models.load(out3);
        assertThat(((ZeroPadding3D) back3.layer("zp")).padding()).isDeepEqualTo(new int[][] {{1, 1}, {0, 0}, {2, 2}});
        assertThat(((Cropping3D) back3.layer("cr")).cropping()).isDeepEqualTo(new int[][] {{0, 1}, {1, 1}, {2, 3}});
        assertThat(((UpSampling3D) back3.layer("up")).size()).containsExactly(2, 1, 3);
        assertThat(((SpatialDropout3D) back3.layer("sd")).dataFormat()).isEqualTo("channels_last");
        Tensor x3 = TestTensors.gaussian(6, 2, 4, 5, 3, 2);
        assertThat(back3.predict(x3).toArray()).isEqualTo(three.predict(x3).toArray());
    }

    private static Layer read(String json) {
        return new LayerReader(false).read(ModelReader.parse("test", "layer", json)).layer();
    }

    private static Layer read(String cls, String config) {
        return read("{\"class_name\": \"" + cls + "\", \"config\": {\"name\": \"s\"" + (config.isEmpty() ? "" : ", ")
                + config + "}}");
    }

    @Test
    void handWrittenEntriesLoadWithKerasDefaults() {
        assertThat(((ZeroPadding2D) read("ZeroPadding2D", "")).padding()).as("Keras's default padding=(1, 1)")
                .isDeepEqualTo(new int[][] {{1, 1}, {1, 1}});
        assertThat(((ZeroPadding2D) read("ZeroPadding2D", "\"padding\": [1, 2]")).padding())
                .as("a tuple of 2 ints: symmetric per axis").isDeepEqualTo(new int[][] {{1, 1}, {2, 2}});
        assertThat(((ZeroPadding3D) read("ZeroPadding3D", "\"padding\": 2")).padding())
                .isDeepEqualTo(new int[][] {{2, 2}, {2, 2}, {2, 2}});
        assertThat(((ZeroPadding3D) read("ZeroPadding3D", "\"padding\": [[1, 0], 2, [0, 3]]")).padding())
                .as("pairs and ints mixed, as standardize_tuple takes each entry")
                .isDeepEqualTo(new int[][] {{1, 0}, {2, 2}, {0, 3}});
        assertThat(((Cropping2D) read("Cropping2D", "")).cropping()).as("Keras's default: nothing cropped")
                .isDeepEqualTo(new int[][] {{0, 0}, {0, 0}});
        assertThat(((Cropping3D) read("Cropping3D", "")).cropping()).as("Keras's default: one off each side")
                .isDeepEqualTo(new int[][] {{1, 1}, {1, 1}, {1, 1}});
        UpSampling2D up = (UpSampling2D) read("UpSampling2D", "\"interpolation\": \"NEAREST\"");
        assertThat(up.size()).as("Keras's default size").containsExactly(2, 2);
        assertThat(List.of(up.interpolation(), up.dataFormat())).containsExactly("nearest", "channels_last");
        assertThat(((UpSampling3D) read("UpSampling3D", "\"size\": 3")).size()).containsExactly(3, 3, 3);
        assertThat(((UpSampling3D) read("UpSampling3D", "")).size()).containsExactly(2, 2, 2);
        SpatialDropout2D sd = (SpatialDropout2D) read("SpatialDropout2D", "\"rate\": 0.3, \"seed\": 5");
        assertThat(List.of(String.valueOf(sd.rate()), sd.dataFormat())).containsExactly("0.3", "channels_last");
        // tf.keras 2 writes trainable and Dropout's noise_shape too.
        SpatialDropout3D tf2 = (SpatialDropout3D) read("SpatialDropout3D", "\"trainable\": true, \"rate\": 0.1, "
                + "\"noise_shape\": null, \"seed\": null, \"data_format\": \"channels_first\"");
        assertThat(tf2.dataFormat()).isEqualTo("channels_first");
        for (String cls : SHAPING) {
            assertThat(LayerReader.KNOWN_UNSUPPORTED).doesNotContain(cls);
        }
    }

    @Test
    void badOptionsAreRefusedByLayerAndOption() {
        assertThatThrownBy(() -> read("UpSampling2D", "\"interpolation\": \"bicubic\""))
                .isInstanceOf(KerasFileException.class)
                .hasMessage("Layer 's' (UpSampling2D): interpolation 'bicubic' is not supported; rnn4j computes "
                        + "'nearest' and 'bilinear'");
        assertThatThrownBy(() -> read("ZeroPadding2D", "\"padding\": [1, 2, 3]"))
                .isInstanceOf(KerasFileException.class)
                .hasMessageStartingWith("layer 's' (ZeroPadding2D): option 'padding' must be an integer >= 0, a list "
                        + "of 2 of them, or a list of 2 pairs of them, found [1");
        assertThatThrownBy(() -> read("Cropping3D", "\"cropping\": [[1, -1], 0, 0]"))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("'cropping'");
        assertThatThrownBy(() -> read("UpSampling3D", "\"size\": [1, 0, 1]"))
                .isInstanceOf(KerasFileException.class)
                .hasMessageStartingWith("layer 's' (UpSampling3D): option 'size' must be an integer >= 1 or a list "
                        + "of 3 of them, found [1");
        assertThatThrownBy(() -> read("SpatialDropout2D", ""))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("'rate' must be a number");
        assertThatThrownBy(() -> read("SpatialDropout3D", "\"rate\": 1.5")).as("named as in the file")
                .isInstanceOf(KerasFileException.class)
                .hasMessage("layer 's' (SpatialDropout3D): option 'rate' must be a number in [0, 1], found 1.5");
        assertThatThrownBy(() -> read("SpatialDropout2D", "\"rate\": -0.5")).isInstanceOf(KerasFileException.class)
                .hasMessage("layer 's' (SpatialDropout2D): option 'rate' must be a number in [0, 1], found -0.5");
        assertThatThrownBy(() -> read("Cropping2D", "\"data_format\": \"channels_middle\""))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("data_format");
        assertThatThrownBy(() -> read("UpSampling3D", "\"interpolation\": \"nearest\""))
                .as("UpSampling3D has no interpolation in Keras").isInstanceOf(KerasFileException.class)
                .hasMessageContaining("interpolation");
    }
}
