package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CenterCrop;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.RandomBrightness;
import io.rnn4j.layers.RandomContrast;
import io.rnn4j.layers.RandomCrop;
import io.rnn4j.layers.RandomFlip;
import io.rnn4j.layers.RandomRotation;
import io.rnn4j.layers.RandomTranslation;
import io.rnn4j.layers.RandomZoom;
import io.rnn4j.layers.Resizing;
import io.rnn4j.layers.TimeDistributed;
import io.rnn4j.layers.model.Sequential;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image preprocessing layers' Keras 3 configs: every option (seed included) is written with
 * the keys of Keras's get_config and comes back on loading; a hand-written Keras 3 entry of each
 * loads with Keras's defaults; options rnn4j does not compute (bicubic, antialias, another fill
 * mode for Resizing, a bad factor) and Keras's image layers it does not build are refused by name.
 */
class ImageLayersConfigTest {
    @TempDir
    Path tmp;

    @Test
    void everyOptionIsWrittenWithKerassKeysAndComesBack() throws IOException {
        Sequential m = Sequential.of(Input.shape(3, 12, 10),
                new Resizing(10, 8, "channels_first").interpolation("nearest").padToAspectRatio(true).fillValue(0.5),
                new RandomFlip(RandomFlip.VERTICAL, 11L, "channels_first"),
                new RandomRotation(new double[] {-0.2, 0.1}, 12L, "channels_first").fillMode("wrap")
                        .interpolation("nearest"),
                new RandomZoom(new double[] {-0.3, 0.2}, new double[] {0.1}, null, "channels_first")
                        .fillMode("constant").fillValue(-1),
                new RandomTranslation(new double[] {0.1}, new double[] {-0.2, 0.3}, 13L, "channels_first")
                        .fillMode("nearest"),
                new RandomContrast(new double[] {0.4}, new double[] {0, 1}, 14L, "channels_first"),
                new RandomBrightness(new double[] {-0.1, 0.3}, new double[] {1, -1}, null, "channels_first"),
                new CenterCrop(6, 7, "channels_first"),
                new RandomCrop(5, 5, 15L, "channels_first"));
        Path out = tmp.resolve("images.keras");
        Models.save(m, out);
        String config;
        try (ZipFile z = new ZipFile(out.toFile())) {
            config = new String(z.getInputStream(z.getEntry("config.json")).readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(config).contains("\"class_name\": \"Resizing\"", "\"data_format\": \"channels_first\", "
                        + "\"height\": 10, \"width\": 8, \"interpolation\": \"nearest\", \"crop_to_aspect_ratio\": false, "
                        + "\"pad_to_aspect_ratio\": true, \"fill_mode\": \"constant\", \"fill_value\": 0.5, "
                        + "\"antialias\": false",
                "\"seed\": 11, \"mode\": \"vertical\"",
                "\"factor\": [-0.2, 0.1], \"fill_mode\": \"wrap\", \"fill_value\": 0.0, \"interpolation\": \"nearest\", "
                        + "\"seed\": 12",
                "\"height_factor\": [-0.3, 0.2], \"width_factor\": 0.1, \"fill_mode\": \"constant\", "
                        + "\"interpolation\": \"bilinear\", \"seed\": null, \"fill_value\": -1.0",
                "\"height_factor\": 0.1, \"width_factor\": [-0.2, 0.3], \"fill_mode\": \"nearest\"",
                "\"factor\": [0.0, 0.4], \"value_range\": [0.0, 1.0], \"seed\": 14",
                "\"factor\": [-0.1, 0.3], \"value_range\": [-1.0, 1.0], \"seed\": null",
                "\"class_name\": \"CenterCrop\"", "\"height\": 5, \"width\": 5, \"seed\": 15");
        Sequential back = Models.load(out).sequential();
        List<Layer> l = back.layers();
        Resizing resize = (Resizing) l.get(0);
        assertThat(List.of(resize.height(), resize.width(), resize.interpolation(), resize.padToAspectRatio(),
                resize.fillValue(), resize.dataFormat())).containsExactly(10, 8, "nearest", true, 0.5f, "channels_first");
        RandomFlip flip = (RandomFlip) l.get(1);
        assertThat(List.of(flip.mode(), flip.seed())).containsExactly("vertical", 11L);
        RandomRotation rot = (RandomRotation) l.get(2);
        assertThat(rot.factor()).containsExactly(-0.2, 0.1);
        assertThat(List.of(rot.fillMode(), rot.interpolation(), rot.seed())).containsExactly("wrap", "nearest", 12L);
        RandomZoom zoom = (RandomZoom) l.get(3);
        assertThat(zoom.heightFactor()).containsExactly(-0.3, 0.2);
        assertThat(zoom.widthFactor()).containsExactly(0.1);
        assertThat(List.of(zoom.fillMode(), zoom.fillValue())).containsExactly("constant", -1f);
        assertThat(zoom.seed()).isNull();
        RandomTranslation tr = (RandomTranslation) l.get(4);
        assertThat(tr.heightFactor()).containsExactly(0.1);
        assertThat(tr.widthFactor()).containsExactly(-0.2, 0.3);
        RandomContrast contrast = (RandomContrast) l.get(5);
        assertThat(contrast.factor()).containsExactly(0.0, 0.4);
        assertThat(contrast.valueRange()).containsExactly(0f, 1f);
        RandomBrightness bright = (RandomBrightness) l.get(6);
        assertThat(bright.valueRange()).as("sorted, as Keras sorts it").containsExactly(-1f, 1f);
        assertThat(((RandomCrop) l.get(8)).seed()).isEqualTo(15L);
        assertThat(l).allSatisfy(x -> assertThat(((io.rnn4j.layers.ImageLayer) x).dataFormat())
                .isEqualTo("channels_first"));
        Tensor x = Tensor.of(new float[2 * 3 * 12 * 10], 2, 3, 12, 10);
        assertThat(back.predict(Tensor.of(new float[2 * 3 * 12 * 10], 2, 3, 12, 10)).shape().dims())
                .as("RandomCrop last: the identity at inference, as Keras 3.15.1").containsExactly(2, 3, 6, 7);
        assertThat(back.predict(x).toArray()).isEqualTo(m.predict(x).toArray());
    }

    private static Layer entry(String json) {
        return new LayerReader(false).read(ModelReader.parse("test", "layer", json)).layer();
    }

    @Test
    void handWrittenKeras3EntriesLoadWithKerassDefaults() {
        Resizing r = (Resizing) entry("""
                {"module": "keras.layers", "class_name": "Resizing", "config": {"name": "resize", "trainable": true,
                 "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
                 "registered_name": null}, "height": 64, "width": 48}, "registered_name": null}""");
        assertThat(List.of(r.name(), r.height(), r.width(), r.interpolation(), r.cropToAspectRatio(),
                r.dataFormat())).containsExactly("resize", 64, 48, "bilinear", false, "channels_last");
        RandomRotation rot = (RandomRotation) entry("""
                {"class_name": "RandomRotation", "config": {"name": "rot", "factor": 0.1}}""");
        assertThat(rot.factor()).containsExactly(-0.1, 0.1);
        assertThat(List.of(rot.fillMode(), rot.interpolation(), rot.fillValue())).containsExactly("reflect",
                "bilinear", 0f);
        RandomFlip flip = (RandomFlip) entry("""
                {"class_name": "RandomFlip", "config": {"name": "flip", "seed": null}}""");
        assertThat(flip.mode()).isEqualTo("horizontal_and_vertical");
        RandomZoom zoom = (RandomZoom) entry("""
                {"class_name": "RandomZoom", "config": {"name": "zoom", "height_factor": 0.2, "width_factor": null}}""");
        assertThat(zoom.widthFactor()).isNull();
        RandomContrast c = (RandomContrast) entry("""
                {"class_name": "RandomContrast", "config": {"name": "c", "factor": 0.2}}""");
        assertThat(c.factor()).as("Keras's contrast bounds [0, 1]").containsExactly(0.0, 0.2);
        assertThat(c.valueRange()).containsExactly(0f, 255f);
        TimeDistributed td = (TimeDistributed) entry("""
                {"class_name": "TimeDistributed", "config": {"name": "td", "layer": {"class_name": "RandomTranslation",
                 "config": {"name": "shift", "height_factor": [-0.1, 0.2], "width_factor": 0.3, "seed": 4}}}}""");
        assertThat(((RandomTranslation) td.inner()).seed()).isEqualTo(4L);
    }

    @Test
    void whatRnn4jDoesNotComputeIsRefusedByName() {
        for (Map.Entry<String, String> bad : Map.of(
                "\"interpolation\": \"bicubic\"", "interpolation 'bicubic' is not supported",
                "\"antialias\": true", "unsupported option antialias=true",
                "\"fill_mode\": \"reflect\"", "unsupported option fill_mode='reflect'",
                "\"crop_to_aspect_ratio\": true, \"pad_to_aspect_ratio\": true", "Only one of").entrySet()) {
            assertThatThrownBy(() -> entry("{\"class_name\": \"Resizing\", \"config\": {\"name\": \"rs\", "
                    + "\"height\": 4, \"width\": 4, " + bad.getKey() + "}}")).as(bad.getKey())
                    .isInstanceOf(KerasFileException.class).hasMessageContaining("layer 'rs' (Resizing)")
                    .hasMessageContaining(bad.getValue());
        }
        assertThatThrownBy(() -> entry("{\"class_name\": \"RandomRotation\", \"config\": {\"name\": \"r\", "
                + "\"factor\": 2.0}}")).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("The `factor` argument should be a number");
        assertThatThrownBy(() -> entry("{\"class_name\": \"RandomZoom\", \"config\": {\"name\": \"z\", "
                + "\"height_factor\": \"big\"}}")).hasMessageContaining("option 'height_factor' must be a number or a "
                + "list of two numbers, found 'big'");
        for (String cls : new String[] {"RandomShear", "RandomHue", "MixUp", "RandomPerspective"}) {
            assertThatThrownBy(() -> entry("{\"class_name\": \"" + cls + "\", \"config\": {\"name\": \"aug\"}}"))
                    .isInstanceOf(KerasFileException.class).hasMessageContaining("unsupported layer aug (" + cls
                            + ") in layer 'aug': rnn4j does not load Keras's " + cls + " yet");
        }
    }
}
