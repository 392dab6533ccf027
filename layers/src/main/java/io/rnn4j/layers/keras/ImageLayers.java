package io.rnn4j.layers.keras;

import io.rnn4j.layers.AffineImageLayer;
import io.rnn4j.layers.CenterCrop;
import io.rnn4j.layers.ImageLayer;
import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.RandomBrightness;
import io.rnn4j.layers.RandomContrast;
import io.rnn4j.layers.RandomCrop;
import io.rnn4j.layers.RandomFlip;
import io.rnn4j.layers.RandomRotation;
import io.rnn4j.layers.RandomTranslation;
import io.rnn4j.layers.RandomZoom;
import io.rnn4j.layers.Resizing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keras 3 configs of the image preprocessing layers ({@code layers/preprocessing/image_preprocessing/}:
 * Resizing, CenterCrop, RandomCrop, RandomFlip, RandomRotation, RandomZoom, RandomTranslation,
 * RandomContrast, RandomBrightness), read for {@link LayerReader} and written for
 * {@link ConfigWriter} with the keys of Keras's get_config, {@code seed} included. They have no
 * weights (Keras saves none for them either: their seed generators' states are not saved).
 */
final class ImageLayers {
    private static final Set<String> CLASSES = Set.of("Resizing", "CenterCrop", "RandomCrop", "RandomFlip",
            "RandomRotation", "RandomZoom", "RandomTranslation", "RandomContrast", "RandomBrightness");

    /** Keras 3.15.1's other image preprocessing layers: known, refused by name. */
    private static final Set<String> NOT_LOADED = Set.of("AugMix", "AutoContrast",
            "ContrastLimitedAdaptiveHistogramEqualization", "CutMix", "Equalization", "MaxNumBoundingBoxes", "MixUp",
            "RandAugment", "RandomColorDegeneration", "RandomColorJitter", "RandomElasticTransform", "RandomErasing",
            "RandomGaussianBlur", "RandomGrayscale", "RandomHue", "RandomInvert", "RandomPerspective",
            "RandomPosterization", "RandomSaturation", "RandomSharpness", "RandomShear", "Solarization");

    private ImageLayers() {
    }

    /** Whether {@link #read} reads (or refuses by name) Keras's class {@code cls}. */
    static boolean reads(String cls) {
        return CLASSES.contains(cls) || NOT_LOADED.contains(cls);
    }

    /**
     * The layer of a config entry of one of the image classes ({@link #reads}).
     *
     * @throws KerasFileException for an image layer rnn4j does not build, or an option it refuses
     */
    static Layer read(String cls, Options o) {
        if (NOT_LOADED.contains(cls)) {
            throw new KerasFileException("unsupported layer " + o.layer() + " (" + cls + ") in layer '" + o.layer()
                    + "': rnn4j does not load Keras's " + cls + " yet; its image layers are Resizing, CenterCrop, "
                    + "RandomCrop, RandomFlip, RandomRotation, RandomZoom, RandomTranslation, RandomContrast and "
                    + "RandomBrightness");
        }
        try {
            String format = o.string("data_format", null);
            Layer l = switch (cls) {
                case "Resizing" -> resizing(o, format);
                case "CenterCrop" -> new CenterCrop(o.integer("height"), o.integer("width"), format);
                case "RandomCrop" -> new RandomCrop(o.integer("height"), o.integer("width"), seed(o), format);
                case "RandomFlip" -> new RandomFlip(o.string("mode", RandomFlip.HORIZONTAL_AND_VERTICAL), seed(o),
                        format);
                case "RandomRotation" -> affine(o, new RandomRotation(factor(o, "factor"), seed(o), format));
                case "RandomZoom" -> affine(o, new RandomZoom(factor(o, "height_factor"),
                        o.has("width_factor") ? factor(o, "width_factor") : none(o, "width_factor"), seed(o), format));
                case "RandomTranslation" -> affine(o, new RandomTranslation(factor(o, "height_factor"),
                        factor(o, "width_factor"), seed(o), format));
                case "RandomContrast" -> new RandomContrast(factor(o, "factor"), range(o), seed(o), format);
                case "RandomBrightness" -> new RandomBrightness(factor(o, "factor"), range(o), seed(o), format);
                default -> throw new IllegalStateException(cls);
            };
            return l.named(o.layer());
        } catch (IllegalArgumentException e) {
            // The layer's own check, as the file's fault under the entry's name.
            String message = String.valueOf(e.getMessage()).replaceFirst("^Layer '[^']*' \\([A-Za-z0-9]+\\): ", "");
            throw new KerasFileException(o.where() + ": " + message, e);
        }
    }

    private static Layer resizing(Options o, String format) {
        Resizing r = new Resizing(o.integer("height"), o.integer("width"), format);
        r.interpolation(o.string("interpolation", "bilinear"));
        r.cropToAspectRatio(o.bool("crop_to_aspect_ratio", false));
        r.padToAspectRatio(o.bool("pad_to_aspect_ratio", false));
        String fill = o.string("fill_mode", "constant");
        if (!fill.equals("constant")) {
            throw new KerasFileException("unsupported option fill_mode=" + Options.show(fill) + " in " + o.where()
                    + ": Keras's resize takes only 'constant'");
        }
        r.fillValue(o.number("fill_value", 0.0));
        if (o.bool("antialias", false)) {
            throw new KerasFileException("unsupported option antialias=true in " + o.where() + ": rnn4j resizes "
                    + "without antialiasing (TensorFlow's scale_and_translate kernel is not reproduced); supported "
                    + "is false");
        }
        return r;
    }

    private static <L extends AffineImageLayer<L>> Layer affine(Options o, L l) {
        l.fillMode(o.string("fill_mode", "reflect"));
        l.interpolation(o.string("interpolation", "bilinear"));
        l.fillValue(o.number("fill_value", 0.0));
        return l;
    }

    private static double[] none(Options o, String key) {
        o.raw(key);
        return null;
    }

    /** Keras's seed: an integer or None. */
    private static Long seed(Options o) {
        Object v = o.raw("seed");
        if (v == null) {
            return null;
        }
        if (!(v instanceof Double d) || d != Math.rint(d) || Math.abs(d) > 9.007199254740992E15) {
            throw o.error("seed", "an integer or null", v);
        }
        return d.longValue();
    }

    /** A number or a list of two numbers (Keras's factors). */
    private static double[] factor(Options o, String key) {
        Object v = o.raw(key);
        if (v instanceof Double d) {
            return new double[] {d};
        }
        if (v instanceof List<?> l && l.size() == 2 && l.stream().allMatch(e -> e instanceof Double)) {
            return new double[] {(Double) l.get(0), (Double) l.get(1)};
        }
        throw o.error(key, "a number or a list of two numbers", v);
    }

    /** Keras's value_range: two numbers, [0, 255] when absent. */
    private static double[] range(Options o) {
        if (!o.has("value_range")) {
            o.raw("value_range");
            return new double[] {0, 255};
        }
        Object v = o.raw("value_range");
        if (v instanceof List<?> l && l.size() == 2 && l.stream().allMatch(e -> e instanceof Double)) {
            return new double[] {(Double) l.get(0), (Double) l.get(1)};
        }
        throw o.error("value_range", "a list of two numbers", v);
    }

    /** Whether {@link #write} writes {@code l}'s config. */
    static boolean writes(Layer l) {
        return l instanceof ImageLayer;
    }

    /** Keras 3's get_config of the layer, after {@code c}'s name, trainable and dtype, in Keras's key order. */
    static void write(Layer layer, Map<String, Object> c) {
        ImageLayer image = (ImageLayer) layer;
        c.put("data_format", image.dataFormat());
        switch (layer) {
            case Resizing r -> {
                c.put("height", r.height());
                c.put("width", r.width());
                c.put("interpolation", r.interpolation());
                c.put("crop_to_aspect_ratio", r.cropToAspectRatio());
                c.put("pad_to_aspect_ratio", r.padToAspectRatio());
                c.put("fill_mode", "constant");
                c.put("fill_value", KerasConfig.decimal(r.fillValue()));
                c.put("antialias", false);
            }
            case CenterCrop k -> {
                c.put("height", k.height());
                c.put("width", k.width());
            }
            case RandomCrop k -> {
                c.put("height", k.height());
                c.put("width", k.width());
                c.put("seed", k.seed());
            }
            case RandomFlip f -> {
                c.put("seed", f.seed());
                c.put("mode", f.mode());
            }
            case RandomRotation r -> {
                c.put("factor", numbers(r.factor()));
                c.put("fill_mode", r.fillMode());
                c.put("fill_value", KerasConfig.decimal(r.fillValue()));
                c.put("interpolation", r.interpolation());
                c.put("seed", r.seed());
            }
            case RandomZoom z -> {
                c.put("height_factor", given(z.heightFactor()));
                c.put("width_factor", z.widthFactor() == null ? null : given(z.widthFactor()));
                affine(z, c);
            }
            case RandomTranslation t -> {
                c.put("height_factor", given(t.heightFactor()));
                c.put("width_factor", given(t.widthFactor()));
                affine(t, c);
            }
            case RandomContrast k -> {
                c.put("factor", numbers(k.factor()));
                c.put("value_range", floats(k.valueRange()));
                c.put("seed", k.seed());
            }
            case RandomBrightness b -> {
                c.put("factor", numbers(b.factor()));
                c.put("value_range", floats(b.valueRange()));
                c.put("seed", b.seed());
            }
            default -> throw new IllegalStateException(layer.className());
        }
    }

    private static void affine(AffineImageLayer<?> l, Map<String, Object> c) {
        c.put("fill_mode", l.fillMode());
        c.put("interpolation", l.interpolation());
        c.put("seed", l.seed());
        c.put("fill_value", KerasConfig.decimal(l.fillValue()));
    }

    /** A factor as given: one number, or a list of two. */
    private static Object given(double[] v) {
        return v.length == 1 ? v[0] : numbers(v);
    }

    private static List<Object> numbers(double[] v) {
        List<Object> out = new ArrayList<>();
        for (double x : v) {
            out.add(x);
        }
        return out;
    }

    private static List<Object> floats(float[] v) {
        List<Object> out = new ArrayList<>();
        for (float x : v) {
            out.add(KerasConfig.decimal(x));
        }
        return out;
    }
}
