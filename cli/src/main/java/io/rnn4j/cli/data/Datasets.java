package io.rnn4j.cli.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The data sets that ship in the jar (see {@code NOTICE.md} beside them for sources and licenses).
 * Nothing is downloaded: the demos run the same on a machine without a network.
 */
public final class Datasets {
    private static final String DIR = "/io/rnn4j/cli/data/";

    private Datasets() {
    }

    /** The Mauna Loa monthly CO2 record, 1958-03 to 2020-04, in ppm; missing months interpolated. */
    public static TimeSeries co2() {
        String name = "co2-concentration.csv";
        CsvTable t = Csv.parse(text(name), name, true);
        return TimeSeries.monthly("CO2 (ppm)", t.strings(t.column("Date")), t.numbers(t.column("CO2")), name);
    }

    /** The whole text of Moby-Dick (about 1.2 million characters). */
    public static String mobyDick() {
        try (InputStream in = new GZIPInputStream(resource("moby-dick.txt.gz"))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("moby-dick.txt.gz: cannot read the bundled text", e);
        }
    }

    /** A sentence of the UCI Sentiment Labelled Sentences set. */
    public record LabelledSentence(int label, String source, String text) {
    }

    /** The 3,000 labelled sentences (1 positive, 0 negative), in file order: amazon, imdb, yelp. */
    public static List<LabelledSentence> sentiment() {
        String name = "sentiment-labelled-sentences.tsv";
        String[] lines = text(name).split("\n");
        List<LabelledSentence> out = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split("\t", 3);
            if (f.length != 3 || !(f[0].equals("0") || f[0].equals("1"))) {
                throw new IllegalStateException(name + ": line " + (i + 1) + " is not 'label<TAB>source<TAB>sentence'");
            }
            out.add(new LabelledSentence(Integer.parseInt(f[0]), f[1], f[2]));
        }
        return out;
    }

    static String text(String name) {
        try (InputStream in = resource(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": cannot read the bundled file", e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = Datasets.class.getResourceAsStream(DIR + name);
        if (in == null) {
            throw new IllegalStateException("the bundled data file " + DIR + name
                    + " is missing from the class path; rebuild the jar");
        }
        return in;
    }
}
