package io.rnn4j.layers.keras;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.rnn4j.engine.Shape;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.StringLookup;
import io.rnn4j.layers.TextVectorization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A model whose string input goes straight into a TextVectorization, a StringLookup or a Hashing (a
 * {@link TextFront}), as Keras 3 saves it in a {@code .keras} archive: read, the string input and
 * that layer are taken out of the config (the input becomes a numeric one of the layer's output
 * shape, and the layers it fed take that input), and the layer is built from its config, its
 * vocabulary (the config's {@code vocabulary=} argument, or else
 * {@code assets/<path>/vocabulary.txt}) and, for tf_idf, its {@code idf_weights} from
 * {@code model.weights.h5}; written, the opposite.
 *
 * <p>Keras's saving_lib addresses the layer as {@code layers/text_vectorization} or
 * {@code layers/string_lookup} (numbered per class over model.layers, see {@link WeightLayout}), and
 * reaches the StringLookup inside a TextVectorization a second time as
 * {@code layers/text_vectorization/_lookup_layer}: Keras writes the assets and variables under both,
 * and so does rnn4j.
 */
final class TextInputs {
    private TextInputs() {
    }

    /**
     * The text front of a loaded model: the string input's name and batch shape as the file gave
     * them, its preprocessor, and whether that was trainable in the file (written back as such).
     */
    record TextInput(String inputName, List<Object> batchShape, TextFront front, boolean trainable) {
        /** The TextVectorization, or null. */
        TextVectorization vectorizer() {
            return front.vectorizer();
        }
    }

    /** The config with the text front taken out, and that front; {@code text} is null when there is none. */
    record Extracted(Map<String, Object> config, TextInput text) {
    }

    // ---- a front put on a model built in Java ----

    /**
     * The text front of a model built in Java, as Keras's {@code Input(shape=(1,), dtype="string")}
     * into a TextVectorization (one text per row), or {@code Input(shape=(n,), dtype="string")} into a
     * StringLookup ({@code n} the model's input length in int mode, or its first axis for one_hot of
     * rank 2; 1 otherwise: one token per row). The string input takes the model's input's name, as
     * Keras gives the InputLayer its name and the front takes its place in the layer list.
     *
     * @throws IllegalArgumentException when the front's output per row is not the model's input shape
     *                                  (an axis the model fixes must come out of the front with that
     *                                  size), or when a model layer has the front's name
     */
    static TextInput attach(TextFront front, String model, Input input, List<Layer> layers) {
        String where = model + ": " + front.className() + " '" + front.name() + "'";
        Shape in = input.sampleShape();
        if (front.name().equals(input.name()) || layers.stream().anyMatch(l -> l.name().equals(front.name()))) {
            throw new IllegalArgumentException(where + " has the name of a layer of the model; Keras's model needs "
                    + "unique layer names: rename it (named)");
        }
        int n = 1;
        if (front.lookup() != null && (front.intMode() && in.rank() == 1
                || front.lookup().outputMode() == StringLookup.OutputMode.ONE_HOT && in.rank() == 2)) {
            n = in.dim(0);
            if (n == Shape.UNKNOWN) {
                throw new IllegalArgumentException(where + " takes rows of n string tokens, n fixed (Keras's "
                        + "Input(shape=(n,), dtype=\"string\")), but the model's input " + Layer.batchless(in)
                        + " leaves that axis None: give the model an Input of a fixed length");
            }
        }
        Shape out = Shape.withUnknown(front.outputShape(n));
        boolean fits = out.rank() == in.rank();
        for (int k = 0; fits && k < in.rank(); k++) {
            fits = in.dim(k) == Shape.UNKNOWN || in.dim(k) == out.dim(k);
        }
        if (!fits) {
            throw new IllegalArgumentException(where + " gives " + Layer.batchless(out) + (front.vectorizer() != null
                    ? " for a batch of texts" : " for rows of " + n + " tokens") + " but the model's input is "
                    + Layer.batchless(in) + ": the front's output goes straight into the model, which must take it ("
                    + (out.rank() == 1 && out.dim(0) == Shape.UNKNOWN ? "the front pads each batch to its longest "
                    + "text: set output_sequence_length, or give the model an Input of shape (None,)" : "an axis the "
                    + "model fixes must have that size") + ")");
        }
        List<Object> batchShape = new ArrayList<>();
        batchShape.add(null);
        batchShape.add(n);
        return new TextInput(input.name(), Collections.unmodifiableList(batchShape), front, true);
    }

    // ---- reading ----

    /**
     * Takes the string input and its TextVectorization, StringLookup or Hashing out of a Keras 3 model config.
     *
     * @throws KerasFileException for a string input used otherwise than straight into one of them,
     *                            more than one string input, or one of them elsewhere
     */
    @SuppressWarnings("unchecked")
    static Extracted extract(String file, Map<String, Object> model, ArchiveEntries zip, byte[] weights)
            throws IOException {
        if (!(model.get("config") instanceof Map<?, ?> cfgMap) || !(cfgMap.get("layers") instanceof List<?> raw)) {
            return new Extracted(model, null);
        }
        List<Map<String, Object>> entries = new ArrayList<>();
        for (Object o : raw) {
            if (!(o instanceof Map<?, ?>)) {
                return new Extracted(model, null); // ModelReader says what is wrong
            }
            entries.add((Map<String, Object>) o);
        }
        List<Integer> strings = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (isStringInput(entries.get(i))) {
                strings.add(i);
            }
        }
        if (strings.isEmpty()) {
            return new Extracted(model, null); // one elsewhere is refused by LayerReader
        }
        String cls = String.valueOf(model.get("class_name"));
        if (strings.size() > 1) {
            throw new KerasFileException(file + ": the model has " + strings.size() + " string inputs; rnn4j loads "
                    + "one string input, going straight into a TextVectorization, a StringLookup or a Hashing");
        }
        Map<String, Object> copy = (Map<String, Object>) Json.parse(Json.write(model)); // edited below
        List<Map<String, Object>> layers = (List<Map<String, Object>>) ((Map<String, Object>) copy.get("config"))
                .get("layers");
        int at = strings.get(0);
        Map<String, Object> input = layers.get(at);
        String inputName = LayerReader.name(input);
        Map<String, Object> inputConfig = LayerReader.config(input);
        List<Object> batchShape = inputConfig.get("batch_shape") instanceof List<?> l ? (List<Object>) l : null;
        int frontAt;
        String frontName;
        if (cls.equals("Sequential")) {
            frontAt = at + 1;
            if (frontAt >= layers.size() || !isFront(layers.get(frontAt))) {
                throw notIntoFront(file, inputName, frontAt < layers.size() ? layers.get(frontAt) : null);
            }
            frontName = LayerReader.name(layers.get(frontAt));
        } else {
            List<Integer> users = new ArrayList<>();
            for (int i = 0; i < layers.size(); i++) {
                if (i != at && refersTo(layers.get(i).get("inbound_nodes"), inputName)) {
                    users.add(i);
                }
            }
            if (users.size() != 1 || !isFront(layers.get(users.get(0)))
                    || !(layers.get(users.get(0)).get("inbound_nodes") instanceof List<?> nodes) || nodes.size() != 1) {
                throw notIntoFront(file, inputName, users.size() == 1 ? layers.get(users.get(0)) : null);
            }
            frontAt = users.get(0);
            frontName = LayerReader.name(layers.get(frontAt));
            Map<String, Object> cfg = (Map<String, Object>) copy.get("config");
            if (refersTo(cfg.get("output_layers"), frontName)) {
                throw new KerasFileException(file + ": the output of " + LayerReader.className(layers.get(frontAt))
                        + " '" + frontName + "' is a model output; rnn4j loads it only as the front of the numeric model");
            }
        }
        Map<String, Object> frontEntry = layers.get(frontAt);
        boolean trainable = !Boolean.FALSE.equals(LayerReader.config(frontEntry).get("trainable"));
        TextFront front = front(file, frontName, LayerReader.className(frontEntry), LayerReader.config(frontEntry),
                zip, weights);
        checkShape(file, inputName, batchShape, front);
        for (int i = 0; i < layers.size(); i++) {
            // A Hashing on an integer input elsewhere is an ordinary layer of the numeric model.
            if (i != frontAt && isFront(layers.get(i)) && !"Hashing".equals(layers.get(i).get("class_name"))) {
                throw new KerasFileException(file + ": " + LayerReader.className(layers.get(i)) + " '"
                        + LayerReader.name(layers.get(i)) + "' does not take the model's string input; rnn4j loads "
                        + "one TextVectorization or StringLookup, on the string input");
            }
        }
        layers.remove(frontAt);
        List<Object> numeric = new ArrayList<>();
        numeric.add(null);
        int n = batchShape.size() == 2 ? ((Double) batchShape.get(1)).intValue() : 1;
        for (int d : front.outputShape(n)) {
            numeric.add(d < 0 ? null : (Object) (double) d); // as Json reads numbers
        }
        inputConfig.put("batch_shape", numeric);
        inputConfig.put("dtype", front.intMode() ? "int64" : "float32");
        if (cls.equals("Sequential")) {
            Map<String, Object> cfg = (Map<String, Object>) copy.get("config");
            if (cfg.containsKey("build_input_shape")) {
                cfg.put("build_input_shape", numeric);
            }
        } else {
            retarget(copy.get("config"), frontName, inputName);
        }
        List<Object> stringShape = new ArrayList<>(); // written back as Keras writes it: None, then 1 or nothing
        for (Object d : batchShape) {
            stringShape.add(d == null ? null : ((Double) d).intValue());
        }
        return new Extracted(copy, new TextInput(inputName, Collections.unmodifiableList(stringShape), front,
                trainable));
    }

    /** A TextVectorization takes one text per row: (1,) or (); a StringLookup rows of n tokens: (n,). */
    private static void checkShape(String file, String input, List<Object> batchShape, TextFront front) {
        boolean ok = batchShape != null && (front.vectorizer() != null
                ? batchShape.size() == 1 || batchShape.size() == 2 && Double.valueOf(1).equals(batchShape.get(1))
                : batchShape.size() == 2 && batchShape.get(1) instanceof Double d && d >= 1 && d == Math.rint(d));
        if (!ok) {
            String shown = batchShape == null ? "none" : batchShape.stream().map(d -> d instanceof Double x
                    && x == Math.rint(x) ? String.valueOf(x.longValue()) : d == null ? "None" : String.valueOf(d))
                    .collect(Collectors.joining(", ", "(", ")"));
            throw new KerasFileException(file + ": string input '" + input + "' has batch shape " + shown + "; "
                    + (front.vectorizer() != null ? "rnn4j takes a TextVectorization's string input of shape (1,) or "
                    + "(), one text per row" : "rnn4j takes a " + front.className() + "'s string input of shape "
                    + "(n,), rows of n tokens"));
        }
    }

    private static KerasFileException notIntoFront(String file, String input, Map<String, Object> user) {
        return new KerasFileException(file + ": string input '" + input + "' goes "
                + (user == null ? "nowhere or to several layers" : "into " + LayerReader.className(user) + " '"
                + LayerReader.name(user) + "'") + "; rnn4j computes in float32 and loads a string input only when "
                + "it goes straight into one TextVectorization, StringLookup or Hashing");
    }

    static boolean isStringInput(Map<String, Object> entry) {
        return "InputLayer".equals(entry.get("class_name")) && entry.get("config") instanceof Map<?, ?> c
                && "string".equals(c.get("dtype"));
    }

    private static boolean isFront(Map<String, Object> entry) {
        return TextFront.isFront(String.valueOf(entry.get("class_name")));
    }

    /** Whether a keras_history (or a Keras 3 [name, node, tensor] list) anywhere in {@code v} names {@code layer}. */
    private static boolean refersTo(Object v, String layer) {
        if (v instanceof Map<?, ?> m) {
            if (m.get("keras_history") instanceof List<?> h && !h.isEmpty() && layer.equals(h.get(0))) {
                return true;
            }
            return m.values().stream().anyMatch(x -> refersTo(x, layer));
        }
        if (v instanceof List<?> l) {
            if (l.size() == 3 && layer.equals(l.get(0)) && l.get(1) instanceof Number) {
                return true;
            }
            return l.stream().anyMatch(x -> refersTo(x, layer));
        }
        return false;
    }

    /** Points every keras_history that names {@code from} at {@code to}. */
    @SuppressWarnings("unchecked")
    private static void retarget(Object v, String from, String to) {
        if (v instanceof Map<?, ?> m) {
            if (m.get("keras_history") instanceof List<?> h && !h.isEmpty() && from.equals(h.get(0))) {
                List<Object> moved = new ArrayList<>(h);
                moved.set(0, to);
                ((Map<String, Object>) m).put("keras_history", moved);
            }
            m.values().forEach(x -> retarget(x, from, to));
        } else if (v instanceof List<?> l) {
            l.forEach(x -> retarget(x, from, to));
        }
    }

    private static TextFront front(String file, String name, String className, Map<String, Object> config,
            ArchiveEntries zip, byte[] weights) throws IOException {
        TextFront tv = TextFront.read(className, name, config);
        if (!tv.hasVocabulary()) {
            return tv;
        }
        String where = className + " '" + name + "'";
        if (tv.vocabularyArgument() == null) {
            byte[] asset = null;
            for (String path : tv.statePaths().reversed()) { // the layer's own path first; Keras writes both alike
                asset = asset != null ? asset : zip.get("assets/" + path + "/vocabulary.txt");
            }
            if (asset == null) {
                throw new KerasFileException(file + ": " + where + " has no vocabulary: neither its config nor the "
                        + "archive's assets/" + tv.path() + "/vocabulary.txt holds one");
            }
            List<String> lines = vocabularyLines(new String(asset, StandardCharsets.UTF_8));
            double[] idf = null;
            if (tv.tfIdf()) {
                idf = idfWeights(file, where, tv, weights);
                // Keras saves the weights padded to max_tokens; the vocabulary file is not.
                if (idf.length > lines.size()) {
                    idf = Arrays.copyOf(idf, lines.size());
                }
            }
            try {
                tv.setVocabulary(lines, idf);
            } catch (IllegalArgumentException e) {
                throw new KerasFileException(file + ": " + where + ": the vocabulary in the assets: " + e.getMessage(),
                        e);
            }
        }
        Object size = config.get("vocabulary_size");
        if (size instanceof Double d && !tv.intMode() && !tv.padded() && d.intValue() != tv.vocabularySize()) {
            throw new KerasFileException(file + ": " + where + " says vocabulary_size " + d.intValue() + " but its "
                    + "vocabulary has " + tv.vocabularySize() + " entries");
        }
        return tv;
    }

    private static double[] idfWeights(String file, String where, TextFront tv, byte[] weights) {
        String h5name = file + "!model.weights.h5";
        try (HdfFile h5 = H5.open(weights, h5name)) {
            Node n = null;
            for (String path : tv.statePaths().reversed()) {
                n = n != null ? n : WeightReader.find(h5, path + "/vars/idf_weights");
            }
            if (!(n instanceof Dataset d)) {
                throw new KerasFileException(h5name + ": " + where + " is tf_idf but the file has no "
                        + tv.path() + "/vars/idf_weights");
            }
            float[] f = H5.tensor(h5name, d).toArray();
            double[] out = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                out[i] = f[i];
            }
            return out;
        }
    }

    /**
     * The lines of a vocabulary file as Keras's load_assets reads them: Python's text mode turns
     * \r\n and \r into \n, then str.splitlines also breaks at \v, \f, \x1c-\x1e, U+0085, U+2028 and
     * U+2029; trailing empty lines are dropped (a leading one is the mask token "").
     */
    static List<String> vocabularyLines(String file) {
        List<String> lines = new ArrayList<>();
        String s = file.replace("\r\n", "\n").replace('\r', '\n');
        int start = 0;
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '\n' || c == 0x0B || c == '\f' || (c >= 0x1C && c <= 0x1E) || c == 0x85 || c == 0x2028
                    || c == 0x2029) {
                lines.add(s.substring(start, k));
                start = k + 1;
            }
        }
        if (start < s.length()) {
            lines.add(s.substring(start));
        }
        while (!lines.isEmpty() && lines.getLast().isEmpty()) {
            lines.removeLast();
        }
        return lines;
    }

    // ---- writing ----

    /** Puts the text front back into a model config rnn4j wrote for the numeric model. */
    @SuppressWarnings("unchecked")
    static void insert(Map<String, Object> model, TextInput text) {
        Map<String, Object> cfg = (Map<String, Object>) model.get("config");
        List<Object> layers = (List<Object>) cfg.get("layers");
        boolean sequential = "Sequential".equals(model.get("class_name"));
        int at = -1;
        for (int i = 0; i < layers.size(); i++) {
            Map<String, Object> e = (Map<String, Object>) layers.get(i);
            if ("InputLayer".equals(e.get("class_name")) && (sequential || text.inputName().equals(e.get("name")))) {
                at = i;
                break;
            }
        }
        if (at < 0) {
            throw new IllegalStateException("the model has no input '" + text.inputName() + "' to put "
                    + text.front().className() + " '" + text.front().name() + "' on");
        }
        Map<String, Object> input = (Map<String, Object>) layers.get(at);
        Map<String, Object> inCfg = (Map<String, Object>) input.get("config");
        String inputName = String.valueOf(inCfg.get("name"));
        inCfg.put("batch_shape", text.batchShape());
        inCfg.put("dtype", "string");
        String frontName = text.front().name();
        Map<String, Object> tv = new LinkedHashMap<>();
        tv.put("module", "keras.layers");
        tv.put("class_name", text.front().className());
        tv.put("config", text.front().config(text.trainable()));
        tv.put("registered_name", null);
        tv.put("build_config", Map.of("input_shape", text.batchShape()));
        if (sequential) {
            Object build = model.get("build_config");
            if (build instanceof Map<?, ?>) {
                model.put("build_config", Map.of("input_shape", text.batchShape()));
            }
        } else {
            for (Object e : layers) {
                retarget(((Map<String, Object>) e).get("inbound_nodes"), inputName, frontName);
            }
            retarget(cfg.get("output_layers"), inputName, frontName);
            tv.put("name", frontName);
            Map<String, Object> tensor = new LinkedHashMap<>();
            tensor.put("shape", text.batchShape());
            tensor.put("dtype", "string");
            tensor.put("keras_history", new ArrayList<>(List.of(inputName, 0, 0)));
            Map<String, Object> arg = new LinkedHashMap<>();
            arg.put("class_name", "__keras_tensor__");
            arg.put("config", tensor);
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("args", List.of(arg));
            node.put("kwargs", Map.of());
            tv.put("inbound_nodes", List.of(node));
        }
        layers.add(at + 1, tv);
    }

    /** A vocabulary file as Keras's save_assets writes it: the tokens joined by newlines, none at the end. */
    static String vocabularyAsset(List<String> vocabulary) {
        return String.join("\n", vocabulary);
    }

    /** The archive entries Keras writes for the layer: its vocabulary, unless the config holds it. */
    static Map<String, byte[]> assets(TextInput text) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        if (text.front().hasVocabulary() && text.front().vocabularyArgument() == null) {
            byte[] vocabulary = vocabularyAsset(text.front().vocabulary()).getBytes(StandardCharsets.UTF_8);
            for (String path : text.front().statePaths()) {
                out.put("assets/" + path + "/vocabulary.txt", vocabulary);
            }
        }
        return out;
    }

    /** The datasets Keras writes for the layer in model.weights.h5: tf_idf's weights, twice. */
    static Map<String, float[]> variables(TextInput text) {
        Map<String, float[]> out = new LinkedHashMap<>();
        float[] idf = text.front().idfWeights();
        if (text.front().tfIdf() && idf != null) {
            for (String path : text.front().statePaths()) {
                out.put(path + "/vars/idf_weights", idf);
            }
        }
        return out;
    }
}
