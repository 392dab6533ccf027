package io.rnn4j.cli.textgen;

import io.rnn4j.cli.AtomicFiles;
import io.rnn4j.cli.data.Npy;
import io.rnn4j.cli.data.NpyArray;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The text generator's checkpoint: the model's weights, its vocabulary, its settings and the
 * epochs done, in one {@code .npz} file — a zip of {@code .npy} arrays that NumPy's {@code np.load}
 * also reads. Weights are stored in Keras's get_weights() order as {@code weights/000.npy}, ...
 *
 * <p>Written atomically (a temporary file, then a rename), so stopping a run at any moment, Ctrl-C
 * included, leaves the previous checkpoint whole. Reading checks everything before returning.
 *
 * @param epochs    epochs trained so far
 * @param units     the LSTM's units
 * @param seqLength timesteps per training sequence
 * @param vocabulary the characters the model reads and writes
 * @param weights   the weight values in get_weights() order
 */
public record Checkpoint(int epochs, int units, int seqLength, CharVocabulary vocabulary, List<NpyArray> weights) {
    private static final String FORMAT = "rnn4j-textgen-1";

    public void save(Path file) throws IOException {
        AtomicFiles.write(file, raw -> {
            try (ZipOutputStream zip = new ZipOutputStream(raw)) {
                Properties p = new Properties();
                p.setProperty("format", FORMAT);
                p.setProperty("epochs", Integer.toString(epochs));
                p.setProperty("units", Integer.toString(units));
                p.setProperty("seqLength", Integer.toString(seqLength));
                p.setProperty("weights", Integer.toString(weights.size()));
                StringWriter text = new StringWriter();
                p.store(text, "rnn4j textgen checkpoint");
                zip.putNextEntry(new ZipEntry("checkpoint.properties"));
                zip.write(text.toString().getBytes(StandardCharsets.ISO_8859_1));
                zip.closeEntry();
                int[] cps = vocabulary.codePoints();
                float[] v = new float[cps.length];
                for (int i = 0; i < cps.length; i++) {
                    v[i] = cps[i]; // exact: code points are below 2^24
                }
                zip.putNextEntry(new ZipEntry("vocabulary.npy"));
                Npy.write(zip, new NpyArray(new int[] {v.length}, v));
                zip.closeEntry();
                for (int i = 0; i < weights.size(); i++) {
                    zip.putNextEntry(new ZipEntry(String.format("weights/%03d.npy", i)));
                    Npy.write(zip, weights.get(i));
                    zip.closeEntry();
                }
            }
        });
    }

    /** Reads a checkpoint written by {@link #save}, or refuses it whole naming what is wrong. */
    public static Checkpoint load(Path file) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null;) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not a readable checkpoint (" + e.getMessage() + ")", e);
        }
        byte[] props = entries.get("checkpoint.properties");
        if (props == null) {
            throw new IllegalArgumentException(file + ": not an rnn4j textgen checkpoint (no checkpoint.properties)");
        }
        Properties p = new Properties();
        p.load(new StringReader(new String(props, StandardCharsets.ISO_8859_1)));
        if (!FORMAT.equals(p.getProperty("format"))) {
            throw new IllegalArgumentException(file + ": checkpoint format '" + p.getProperty("format")
                    + "' is not " + FORMAT);
        }
        int count = intProperty(p, "weights", file);
        List<NpyArray> weights = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = String.format("weights/%03d.npy", i);
            byte[] b = entries.get(name);
            if (b == null) {
                throw new IllegalArgumentException(file + ": checkpoint lacks " + name + " (truncated?)");
            }
            weights.add(Npy.read(new ByteArrayInputStream(b), file + "!" + name));
        }
        byte[] vb = entries.get("vocabulary.npy");
        if (vb == null) {
            throw new IllegalArgumentException(file + ": checkpoint lacks vocabulary.npy");
        }
        float[] v = Npy.read(new ByteArrayInputStream(vb), file + "!vocabulary.npy").data();
        int[] cps = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            cps[i] = (int) v[i];
        }
        return new Checkpoint(intProperty(p, "epochs", file), intProperty(p, "units", file),
                intProperty(p, "seqLength", file), CharVocabulary.ofCodePoints(cps), List.copyOf(weights));
    }

    private static int intProperty(Properties p, String key, Path file) {
        String v = p.getProperty(key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": checkpoint property '" + key + "' is '" + v
                    + "', not a number");
        }
    }
}
