package io.rnn4j.layers.keras;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.rnn4j.layers.CategoryEncoding;
import io.rnn4j.layers.Discretization;
import io.rnn4j.layers.IntegerLookup;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras 3 configs and saved state of the numeric preprocessing layers that sit inside a model —
 * IntegerLookup ({@code integer_lookup.py}, {@code index_lookup.py}), CategoryEncoding and
 * Discretization — read for {@link LayerReader} and written for {@link ConfigWriter}. An adapted
 * IntegerLookup's vocabulary lives, as Keras's save_assets writes it, in
 * {@code assets/<path>/vocabulary.txt} (one token per line, the special ones first), and a tf_idf
 * one's weights in {@code model.weights.h5} at {@code <path>/vars/idf_weights}, where path is the
 * layer's saving path ({@link WeightLayout}), a nested model's layers included.
 */
final class NumericPreprocessingLayers {
    private NumericPreprocessingLayers() {
    }

    // ---- reading ----

    static Layer integerLookup(Options o) {
        IntegerLookup l = new IntegerLookup().named(o.layer()); // named first, so that refusals name the entry
        try {
            return integerLookup(o, l);
        } catch (IllegalArgumentException | IllegalStateException e) { // Keras's own checks, in the layer
            throw refused(o, e);
        }
    }

    private static Layer integerLookup(Options o, IntegerLookup l) {
        o.ignore("has_input_vocabulary");
        if (o.has("max_tokens")) {
            l.maxTokens(o.integer("max_tokens"));
        } else {
            o.raw("max_tokens");
        }
        l.numOovIndices(o.integer("num_oov_indices", 1));
        l.oovToken(token(o, "oov_token", -1L));
        l.maskToken(token(o, "mask_token", null));
        String mode = o.string("output_mode", "int");
        l.outputMode(switch (mode) {
            case "int" -> IntegerLookup.OutputMode.INT;
            case "one_hot" -> IntegerLookup.OutputMode.ONE_HOT;
            case "multi_hot", "binary" -> IntegerLookup.OutputMode.MULTI_HOT;
            case "count" -> IntegerLookup.OutputMode.COUNT;
            case "tf_idf", "tf-idf" -> IntegerLookup.OutputMode.TF_IDF;
            default -> throw new KerasFileException("unsupported option output_mode=" + Options.show(mode) + " in "
                    + o.where() + ": supported are 'int', 'one_hot', 'multi_hot', 'count' and 'tf_idf'");
        });
        if (o.bool("pad_to_max_tokens", false)) {
            l.padToMaxTokens(true);
        }
        l.invert(o.bool("invert", false));
        if (o.bool("sparse", false)) {
            throw new KerasFileException("unsupported option sparse=true in " + o.where() + ": rnn4j has no "
                    + "SparseTensor output; supported is false");
        }
        String dtype = o.string("vocabulary_dtype", "int64");
        if (!dtype.equals("int64")) {
            throw o.error("vocabulary_dtype", "'int64' (the only one Keras supports)", dtype);
        }
        String method = o.string("oov_method", "floormod");
        l.oovMethod(switch (method) {
            case "floormod" -> IntegerLookup.OovMethod.FLOORMOD;
            case "farmhash" -> IntegerLookup.OovMethod.FARMHASH;
            default -> throw new KerasFileException(o.where() + ": The `oov_method` argument of IntegerLookup must be "
                    + "one of 'floormod', 'farmhash'. Received: " + Options.show(method));
        });
        long[] salt = HashingLayers.salt(o, "`IndexLookup` can only be a tuple of 2 integers");
        if (salt != null) {
            l.salt(salt[0], salt[1]);
        }
        Object vocabulary = o.raw("vocabulary");
        Object idf = o.raw("idf_weights");
        Object size = o.raw("vocabulary_size");
        if (vocabulary instanceof String path) {
            throw new KerasFileException(o.where() + ": option 'vocabulary' names a file (" + path + ") outside "
                    + "the archive; rnn4j reads a vocabulary only from the config or the archive's assets");
        }
        if (vocabulary != null) {
            l.vocabularyArgument(longs(o, vocabulary), idf == null ? null : TextVectorizationConfig.numbers(o, idf));
        } else if (idf != null) {
            throw o.error("idf_weights", "null without a vocabulary", idf);
        } else if (size != null) {
            Integer n = Options.wholeNumber(size);
            if (n == null || n < 0) {
                throw o.error("vocabulary_size", "a whole number or null", size);
            }
            l.frozenVocabularySize(n);
        }
        return l;
    }

    private static Long token(Options o, String key, Long fallback) {
        Object v = o.raw(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Double d) || d != Math.rint(d) || Math.abs(d) > 1e15) {
            throw o.error(key, "an integer token", v);
        }
        return d.longValue();
    }

    private static List<Long> longs(Options o, Object v) {
        if (v instanceof List<?> l && l.stream().allMatch(e -> e instanceof Double d && d == Math.rint(d)
                && Math.abs(d) <= 1e15)) {
            return l.stream().map(e -> ((Double) e).longValue()).toList();
        }
        throw o.error("vocabulary", "a list of integers", v);
    }

    /**
     * A check the layer made, as the file's fault under the entry's name: once, without the layer's
     * own "Layer 'name' (Class): " (a layer checks its constructor's arguments before it has the
     * entry's name, so that names its default one); a refusal of the reader's own is kept as it is.
     */
    private static KerasFileException refused(Options o, RuntimeException e) {
        if (e instanceof KerasFileException k) {
            return k;
        }
        String message = String.valueOf(e.getMessage()).replaceFirst("^Layer '[^']*' \\([A-Za-z0-9]+\\): ", "");
        return new KerasFileException(o.where() + ": " + message, e);
    }

    static Layer categoryEncoding(Options o) {
        Object n = o.raw("num_tokens");
        if (n == null) {
            throw new KerasFileException(o.where() + ": num_tokens must be set to use this layer. If the number of "
                    + "tokens is not known beforehand, use the IntegerLookup layer instead.");
        }
        String mode = o.string("output_mode", "multi_hot");
        CategoryEncoding.OutputMode m = switch (mode) {
            case "one_hot" -> CategoryEncoding.OutputMode.ONE_HOT;
            case "multi_hot", "binary" -> CategoryEncoding.OutputMode.MULTI_HOT;
            case "count" -> CategoryEncoding.OutputMode.COUNT;
            default -> throw new KerasFileException("unsupported option output_mode=" + Options.show(mode) + " in "
                    + o.where() + ": Keras's are 'one_hot', 'multi_hot' and 'count'");
        };
        if (o.bool("sparse", false)) {
            throw new KerasFileException("unsupported option sparse=true in " + o.where() + ": rnn4j has no "
                    + "SparseTensor output; supported is false");
        }
        try {
            return new CategoryEncoding(o.integer("num_tokens"), m).named(o.layer());
        } catch (IllegalArgumentException e) {
            throw refused(o, e);
        }
    }

    /** Keras's from_config: num_bins with bin_boundaries is an adapted layer, restored with its boundaries. */
    static Layer discretization(Options o) {
        String mode = o.string("output_mode", "int");
        Discretization.OutputMode m = switch (mode) {
            case "int" -> Discretization.OutputMode.INT;
            case "one_hot" -> Discretization.OutputMode.ONE_HOT;
            case "multi_hot" -> Discretization.OutputMode.MULTI_HOT;
            case "count" -> Discretization.OutputMode.COUNT;
            default -> throw new KerasFileException("unsupported option output_mode=" + Options.show(mode) + " in "
                    + o.where() + ": Keras's are 'int', 'one_hot', 'multi_hot' and 'count'");
        };
        if (o.bool("sparse", false)) {
            throw new KerasFileException("unsupported option sparse=true in " + o.where() + ": rnn4j has no "
                    + "SparseTensor output; supported is false");
        }
        Object b = o.raw("bin_boundaries");
        double[] boundaries = b == null ? null : TextVectorizationConfig.numbers(o, b);
        Object bins = o.raw("num_bins");
        try {
            Discretization d;
            if (bins != null) {
                d = Discretization.withBins(o.integer("num_bins"), boundaries);
            } else if (boundaries != null) {
                d = Discretization.withBoundaries(boundaries);
            } else {
                throw new KerasFileException(o.where() + ": You need to set either `num_bins` or `bin_boundaries`.");
            }
            return d.named(o.layer()).epsilon(o.number("epsilon", 0.01)).outputMode(m);
        } catch (IllegalArgumentException e) {
            throw refused(o, e);
        }
    }

    /**
     * Gives each of the model's IntegerLookups without a vocabulary argument its vocabulary from the
     * archive's assets and, for tf_idf, its idf weights from {@code model.weights.h5}, as Keras's
     * load_own_variables then load_assets do. One with a vocabulary argument has both from its
     * config already (the saved variable holds the same weights, padded as set_vocabulary pads them).
     *
     * @throws KerasFileException when the archive lacks them or they do not fit the layer
     */
    static void loadState(String file, ArchiveEntries zip, Group h5, List<Layer> layers) throws java.io.IOException {
        for (Map.Entry<String, IntegerLookup> entry : lookups(layers, "").entrySet()) {
            IntegerLookup l = entry.getValue();
            String path = entry.getKey();
            String where = "IntegerLookup '" + l.name() + "'";
            if (l.vocabularyArgument() != null) {
                continue; // set from the config, idf_weights too (padded as Keras pads the variable it saves)
            }
            double[] idf = null;
            if (l.outputMode() == IntegerLookup.OutputMode.TF_IDF) {
                Node n = WeightReader.find(h5, path + "/vars/idf_weights");
                if (!(n instanceof Dataset d)) {
                    throw new KerasFileException(file + ": " + where + " is tf_idf but model.weights.h5 has no "
                            + path + "/vars/idf_weights");
                }
                float[] f = H5.tensor(file, d).toArray();
                idf = new double[f.length];
                for (int k = 0; k < f.length; k++) {
                    idf[k] = f[k];
                }
            }
            byte[] asset = zip.get("assets/" + path + "/vocabulary.txt");
            if (asset == null) {
                throw new KerasFileException(file + ": " + where + " has no vocabulary: neither its config nor the "
                        + "archive's assets/" + path + "/vocabulary.txt holds one");
            }
            List<Long> vocabulary = new ArrayList<>();
            for (String line : TextInputs.vocabularyLines(new String(asset, StandardCharsets.UTF_8))) {
                try {
                    vocabulary.add(Long.parseLong(line.strip()));
                } catch (NumberFormatException e) {
                    throw new KerasFileException(file + ": " + where + ": assets/" + path + "/vocabulary.txt "
                            + "holds '" + line + "', expected one integer per line", e);
                }
            }
            if (idf != null && idf.length > vocabulary.size()) {
                idf = Arrays.copyOf(idf, vocabulary.size()); // saved padded to max_tokens; the vocabulary is not
            }
            try {
                l.setVocabulary(vocabulary, idf);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new KerasFileException(file + ": " + where + ": its saved vocabulary: " + e.getMessage(), e);
            }
        }
    }

    // ---- writing ----

    /** Whether {@link #write} writes the layer's config. */
    static boolean writes(Layer l) {
        return l instanceof IntegerLookup || l instanceof CategoryEncoding || l instanceof Discretization;
    }

    /** Keras 3's get_config of the layer, after {@code c}'s name, trainable and dtype, in Keras's key order. */
    static void write(Layer layer, Map<String, Object> c) {
        switch (layer) {
            case IntegerLookup l -> {
                c.put("dtype", TextVectorizationConfig.policy());
                c.put("invert", l.invert());
                c.put("max_tokens", l.maxTokens());
                c.put("num_oov_indices", l.numOovIndices());
                c.put("oov_token", l.oovToken());
                c.put("mask_token", l.maskToken());
                c.put("output_mode", l.outputMode().kerasName());
                c.put("sparse", false);
                c.put("pad_to_max_tokens", l.padToMaxTokens());
                c.put("vocabulary_dtype", "int64");
                double[] idf = l.idfWeightsArgument();
                c.put("idf_weights", idf == null ? null : Arrays.stream(idf).boxed().toList());
                c.put("vocabulary", l.vocabularyArgument());
                c.put("vocabulary_size", l.vocabularySize());
                c.put("oov_method", l.oovMethod().kerasName());
                c.put("salt", HashingLayers.salt(l.salt()));
            }
            case CategoryEncoding e -> {
                c.put("dtype", TextVectorizationConfig.policy());
                c.put("num_tokens", e.numTokens());
                c.put("output_mode", e.outputMode().kerasName()); // Keras 3.15.1 writes no sparse here
            }
            case Discretization d -> {
                // Keras's own key order, and no trainable: Discretization's constructor takes no such argument.
                Object name = c.get("name");
                c.clear();
                double[] b = d.binBoundaries();
                c.put("bin_boundaries", b == null ? null : Arrays.stream(b).boxed().toList());
                c.put("num_bins", d.numBins());
                c.put("epsilon", d.epsilon());
                c.put("output_mode", d.outputMode().kerasName());
                c.put("sparse", false);
                c.put("name", name);
                c.put("dtype", "float32");
            }
            default -> throw new IllegalArgumentException("not a numeric preprocessing layer: " + layer);
        }
    }

    /** The archive entries Keras's save_assets writes: each adapted IntegerLookup's vocabulary.txt. */
    static Map<String, byte[]> assets(List<Layer> layers) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, IntegerLookup> e : lookups(layers, "").entrySet()) {
            if (e.getValue().vocabularyArgument() == null) {
                List<String> lines = e.getValue().vocabulary().stream().map(String::valueOf).toList();
                out.put("assets/" + e.getKey() + "/vocabulary.txt",
                        String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** The datasets Keras's save_own_variables writes: each tf_idf IntegerLookup's idf_weights. */
    static Map<String, float[]> variables(List<Layer> layers) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, IntegerLookup> e : lookups(layers, "").entrySet()) {
            IntegerLookup l = e.getValue();
            if (l.outputMode() == IntegerLookup.OutputMode.TF_IDF && l.idfWeights() != null) {
                out.put(e.getKey() + "/vars/idf_weights", l.idfWeights());
            }
        }
        return out;
    }

    /**
     * The IntegerLookups among {@code layers} and in the models nested in them, by saving path
     * (a nested model's layers under {@code <its path>/layers/}, as {@link WeightLayout} numbers them).
     */
    private static Map<String, IntegerLookup> lookups(List<Layer> layers, String prefix) {
        Map<String, IntegerLookup> out = new LinkedHashMap<>();
        List<String> paths = WeightLayout.layerPaths(layers);
        for (int i = 0; i < layers.size(); i++) {
            String path = prefix + paths.get(i);
            switch (layers.get(i)) {
                case IntegerLookup l -> out.put(path, l);
                case Model m -> out.putAll(lookups(m.layers(), path + "/"));
                case Sequential s -> out.putAll(lookups(s.layers(), path + "/"));
                default -> { }
            }
        }
        return out;
    }
}
