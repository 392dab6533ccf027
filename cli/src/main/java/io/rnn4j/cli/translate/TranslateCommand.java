package io.rnn4j.cli.translate;

import static io.rnn4j.cli.OptionChecks.aboveZero;
import static io.rnn4j.cli.OptionChecks.atLeast;

import io.rnn4j.cli.CliException;
import io.rnn4j.cli.CommonOptions;
import io.rnn4j.cli.Terminal;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Attention;
import io.rnn4j.layers.Concatenate;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rnn4j translate}: an encoder-decoder GRU with attention that rewrites dates written in many
 * languages and formats ("jeudi 26 novembre 2026", "Nov 26, 2026", "26.11.26") as ISO dates.
 *
 * <p>The encoder reads the text's characters (Embedding with mask_zero, so padding is skipped) with
 * a GRU that returns its whole output sequence and its final state. The decoder is a GRU that
 * starts from that state and reads the ISO date so far (teacher forcing: in training, the true
 * previous characters); at each step Attention scores every encoder output against the decoder's
 * output, and the attention-weighted encoder outputs, next to the decoder's, predict the next ISO
 * character. At inference the decoder is run greedily: each predicted character is fed back.
 */
@Command(name = "translate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train an encoder-decoder GRU with attention to rewrite dates written in many languages and "
                + "formats (java.time's locale data) as ISO dates; report exact-match accuracy on held-out dates and show "
                + "where the model looked for one of them."},
        footer = {"", "Example: rnn4j translate \"jeudi 26 novembre 2026\" \"Nov 3, 1999\""})
public final class TranslateCommand implements Callable<Integer> {
    /** Output characters: digits 0-9 are ids 0-9, '-' is 10; the decoder's start token is 11. */
    static final String TARGET = "0123456789-";
    static final int START = TARGET.length();
    static final int TARGET_LENGTH = 10;

    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "DATE", arity = "0..*",
            description = "Dates to translate after training (default: \"jeudi 26 novembre 2026\" and a few held-out ones).")
    List<String> dates = new ArrayList<>();
    @Option(names = "--train", defaultValue = "10000", paramLabel = "N", description = "Training examples (default: ${DEFAULT-VALUE}).")
    int trainCount;
    @Option(names = "--test", defaultValue = "1000", paramLabel = "N", description = "Held-out examples (default: ${DEFAULT-VALUE}).")
    int testCount;
    @Option(names = "--epochs", defaultValue = "4", paramLabel = "N", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--units", defaultValue = "64", paramLabel = "N", description = "GRU units (default: ${DEFAULT-VALUE}).")
    int units;
    @Option(names = "--embedding", defaultValue = "32", paramLabel = "N", description = "Character vector size (default: ${DEFAULT-VALUE}).")
    int embeddingSize;
    @Option(names = "--batch-size", defaultValue = "64", paramLabel = "N", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;
    @Option(names = "--learning-rate", defaultValue = "0.01", paramLabel = "LR",
            description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;
    @Option(names = "--seed", defaultValue = "42", description = "Seed for the data, weights and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        checkOptions();
        Device device = common.modelDevice(); // chosen before any layer touches the engine
        PrintWriter out = common.out();
        Seeds.set(seed);

        // 1. Examples: random dates in random formats; the held-out ones are dates never trained on.
        Random random = new Random(seed);
        List<DateFormats.Example> train = new ArrayList<>();
        List<DateFormats.Example> test = new ArrayList<>();
        java.util.Set<String> trainDates = new java.util.HashSet<>();
        while (train.size() < trainCount) {
            DateFormats.Example e = DateFormats.random(random);
            train.add(e);
            trainDates.add(e.iso());
        }
        while (test.size() < testCount) {
            DateFormats.Example e = DateFormats.random(random);
            if (!trainDates.contains(e.iso())) {
                test.add(e);
            }
        }
        SourceChars chars = SourceChars.of(texts(train));
        int sourceLength = train.stream().mapToInt(e -> e.text().codePointCount(0, e.text().length())).max()
                .orElseThrow();
        out.printf("%,d training and %,d held-out dates in %d formats (%d languages); inputs up to %d characters "
                + "of %d kinds; device %s%n", train.size(), test.size(), DateFormats.formats().size(),
                DateFormats.languages(), sourceLength, chars.size() - 2, device.name());
        for (int i = 0; i < Math.min(3, train.size()); i++) {
            out.printf("  e.g. %-40s -> %s%n", quote(train.get(i).text()), train.get(i).iso());
        }

        // 2. The model, built with the functional API.
        Input source = Input.shape(sourceLength).named("source");
        Input previous = Input.shape(TARGET_LENGTH).named("iso_so_far");
        SymbolicTensor embedded = new Embedding(chars.size(), embeddingSize).maskZero(true).apply(source);
        List<SymbolicTensor> encoder = new GRU(units).returnSequences(true).returnState(true).applyAll(embedded);
        SymbolicTensor decoded = new GRU(units).returnSequences(true)
                .apply(new Embedding(START + 1, embeddingSize).apply(previous), List.of(encoder.get(1)));
        List<SymbolicTensor> attention = new Attention().returnAttentionScores(true).applyAll(decoded, encoder.get(0));
        SymbolicTensor logits = new Dense(TARGET.length()).apply(new Concatenate().apply(attention.get(0), decoded));
        Model model = Model.of(List.of(source, previous), List.of(logits));
        Model inspect = Model.of(List.of(source, previous), List.of(logits, attention.get(1)));
        model.compile(Optimizers.adam(learningRate), Losses.sparseCategoricalCrossentropy(true));
        out.println(model.summary());
        out.flush();

        // 3. Train with teacher forcing: the decoder reads the true ISO date shifted by one.
        model.fit(List.of(sources(device, texts(train), chars, sourceLength), shifted(device, train)),
                List.of(targets(device, train)),
                Fit.defaults().batchSize(batchSize).epochs(epochs).seed(seed).output(Terminal.stream(out)));

        // 4. Held-out dates, decoded greedily; exact match of all ten characters.
        List<String> guesses = decode(inspect, device, texts(test), chars, sourceLength, null);
        int right = 0;
        List<Integer> wrong = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            if (guesses.get(i).equals(test.get(i).iso())) {
                right++;
            } else if (wrong.size() < 3) {
                wrong.add(i);
            }
        }
        out.printf(Locale.ROOT, "%nexact-match accuracy on %,d held-out dates: %.1f%%%n", test.size(),
                100.0 * right / test.size());
        for (int i : wrong) {
            out.printf("  missed: %-40s -> %s (true: %s, %s)%n", quote(test.get(i).text()), guesses.get(i),
                    test.get(i).iso(), test.get(i).format());
        }

        // 5. The dates asked about, and where the model looked for the first one.
        List<String> asked = new ArrayList<>(dates.isEmpty() ? List.of("jeudi 26 novembre 2026") : dates);
        if (dates.isEmpty()) {
            for (int i = 0; i < Math.min(4, test.size()); i++) {
                asked.add(test.get(i).text());
            }
        }
        float[][] scores = new float[1][];
        List<String> answers = decode(inspect, device, asked, chars, sourceLength, scores);
        out.println();
        for (int i = 0; i < asked.size(); i++) {
            out.printf("  %-40s -> %s%n", quote(asked.get(i)), answers.get(i));
        }
        out.printf("%nattention while writing %s for %s (darker: looked there more):%n", answers.get(0),
                quote(asked.get(0)));
        AttentionMap.print(out, scores[0], sourceLength, asked.get(0), answers.get(0));
        out.flush();
        return 0;
    }

    /**
     * Greedy decoding: run the model, take the most likely character at step t, feed it back as
     * the decoder's input at t + 1, ten times. With {@code scores}, scores[0] receives the first
     * text's attention weights (10, sourceLength).
     */
    private static List<String> decode(Model inspect, Device device, List<String> texts, SourceChars chars,
            int sourceLength, float[][] scores) {
        int n = texts.size();
        Tensor x = sources(device, texts, chars, sourceLength);
        float[] prev = new float[n * TARGET_LENGTH];
        int[][] out = new int[n][TARGET_LENGTH];
        List<Tensor> y = null;
        for (int t = 0; t < TARGET_LENGTH; t++) {
            for (int i = 0; i < n; i++) {
                prev[i * TARGET_LENGTH + t] = t == 0 ? START : out[i][t - 1];
            }
            y = inspect.predict(List.of(x, device.tensor(prev, n, TARGET_LENGTH)));
            float[] logits = y.get(0).toArray();
            for (int i = 0; i < n; i++) {
                int best = 0;
                int base = (i * TARGET_LENGTH + t) * TARGET.length();
                for (int k = 1; k < TARGET.length(); k++) {
                    if (logits[base + k] > logits[base + best]) {
                        best = k;
                    }
                }
                out[i][t] = best;
            }
        }
        if (scores != null) {
            scores[0] = java.util.Arrays.copyOf(y.get(1).toArray(), TARGET_LENGTH * sourceLength);
        }
        List<String> texts2 = new ArrayList<>();
        for (int[] ids : out) {
            StringBuilder sb = new StringBuilder();
            for (int id : ids) {
                sb.append(TARGET.charAt(id));
            }
            texts2.add(sb.toString());
        }
        return texts2;
    }

    private static List<String> texts(List<DateFormats.Example> examples) {
        return examples.stream().map(DateFormats.Example::text).toList();
    }

    /** Texts as character ids, one row of {@code length} each (padded with 0), as the encoder's Embedding reads. */
    private static Tensor sources(Device device, List<String> texts, SourceChars chars, int length) {
        float[] x = new float[texts.size() * length];
        for (int i = 0; i < texts.size(); i++) {
            int[] ids = chars.encode(texts.get(i), length);
            for (int t = 0; t < length; t++) {
                x[i * length + t] = ids[t];
            }
        }
        return device.tensor(x, texts.size(), length);
    }

    /** The decoder's inputs in training: the start token, then the true ISO date without its last character. */
    private static Tensor shifted(Device device, List<DateFormats.Example> examples) {
        float[] x = new float[examples.size() * TARGET_LENGTH];
        for (int i = 0; i < examples.size(); i++) {
            String iso = examples.get(i).iso();
            x[i * TARGET_LENGTH] = START;
            for (int t = 1; t < TARGET_LENGTH; t++) {
                x[i * TARGET_LENGTH + t] = TARGET.indexOf(iso.charAt(t - 1));
            }
        }
        return device.tensor(x, examples.size(), TARGET_LENGTH);
    }

    private static Tensor targets(Device device, List<DateFormats.Example> examples) {
        float[] y = new float[examples.size() * TARGET_LENGTH];
        for (int i = 0; i < examples.size(); i++) {
            String iso = examples.get(i).iso();
            for (int t = 0; t < TARGET_LENGTH; t++) {
                y[i * TARGET_LENGTH + t] = TARGET.indexOf(iso.charAt(t));
            }
        }
        return device.tensor(y, examples.size(), TARGET_LENGTH);
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    private void checkOptions() {
        atLeast("--train", trainCount, 1);
        atLeast("--test", testCount, 1);
        atLeast("--epochs", epochs, 1);
        atLeast("--units", units, 1);
        atLeast("--embedding", embeddingSize, 1);
        atLeast("--batch-size", batchSize, 1);
        aboveZero("--learning-rate", learningRate);
        for (String d : dates) {
            if (d.isBlank()) {
                throw new CliException("a date to translate is empty");
            }
        }
    }
}
