package io.rnn4j.cli.textgen;

import static io.rnn4j.cli.OptionChecks.aboveZero;
import static io.rnn4j.cli.OptionChecks.atLeast;

import io.rnn4j.cli.CliException;
import io.rnn4j.cli.CommonOptions;
import io.rnn4j.cli.OutputPaths;
import io.rnn4j.cli.Terminal;
import io.rnn4j.cli.data.Datasets;
import io.rnn4j.cli.data.NpyArray;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.model.StepRunner;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rnn4j textgen}: a character-level language model on Moby-Dick.
 *
 * <p>The model reads characters as one-hot vectors and predicts, at every position, the next
 * character: LSTM(return_sequences) → Dense(vocabulary) giving logits, trained with sparse
 * categorical crossentropy. Its loss on text it never saw (the book's last tenth), divided by ln 2,
 * is the bits per character a compressor built on it would need. Each epoch trains on random runs
 * of the first nine tenths, then scores the held-out text and writes a checkpoint; sampling runs
 * the model one character at a time with {@link StepRunner}.
 */
@Command(name = "textgen", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a character-level LSTM on Moby-Dick, report held-out bits per character each epoch, "
                + "checkpoint, and write new text at a temperature.",
            "Run it again with --resume to continue from the last checkpoint (Ctrl-C leaves it intact)."})
public final class TextgenCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--epochs", defaultValue = "3", paramLabel = "N",
            description = "Train until this many epochs are done (counting resumed ones; default: ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--units", defaultValue = "128", paramLabel = "N", description = "LSTM units (default: ${DEFAULT-VALUE}).")
    int units;
    @Option(names = "--seq-length", defaultValue = "64", paramLabel = "N",
            description = "Characters per training sequence (default: ${DEFAULT-VALUE}).")
    int seqLength;
    @Option(names = "--chars-per-epoch", defaultValue = "100000", paramLabel = "N",
            description = "Characters of training text per epoch, in random runs (default: ${DEFAULT-VALUE}).")
    int charsPerEpoch;
    @Option(names = "--held-out-chars", defaultValue = "20000", paramLabel = "N",
            description = "Held-out characters scored each epoch (default: ${DEFAULT-VALUE}).")
    int heldOutChars;
    @Option(names = "--batch-size", defaultValue = "32", paramLabel = "N", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;
    @Option(names = "--learning-rate", defaultValue = "0.005", paramLabel = "LR",
            description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;
    @Option(names = "--temperature", defaultValue = "0.5,1.0", split = ",", paramLabel = "T",
            description = "Sampling temperatures: lower is safer, higher more surprising (default: ${DEFAULT-VALUE}).")
    List<Double> temperatures;
    @Option(names = "--sample-length", defaultValue = "300", paramLabel = "N",
            description = "Characters to write per sample (default: ${DEFAULT-VALUE}).")
    int sampleLength;
    @Option(names = "--prime", defaultValue = "Call me Ishmael. ", paramLabel = "TEXT",
            description = "Text the samples start from (default: \"${DEFAULT-VALUE}\").")
    String prime;
    @Option(names = "--checkpoint", defaultValue = "rnn4j-out/textgen.npz", paramLabel = "FILE",
            description = "Written after every epoch; one that exists is only continued, with --resume "
                    + "(default: ${DEFAULT-VALUE}).")
    Path checkpoint;
    @Option(names = "--resume", description = "Continue from --checkpoint instead of starting afresh.")
    boolean resume;
    @Option(names = "--seed", defaultValue = "42", description = "Seed for weights, data order and sampling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws IOException {
        checkOptions();
        Device device = common.modelDevice(); // chosen before any layer touches the engine
        PrintWriter out = common.out();
        Seeds.set(seed);

        // 1. The text as character ids; the last tenth is held out.
        String text = Datasets.mobyDick();
        CharVocabulary vocab = CharVocabulary.of(text);
        int[] ids = vocab.encode(text);
        int split = ids.length * 9 / 10;
        int[] train = java.util.Arrays.copyOfRange(ids, 0, split);
        int[] heldOut = java.util.Arrays.copyOfRange(ids, split, Math.min(ids.length, split + heldOutChars + 1));
        int[] primeIds = encodePrime(vocab);
        double unigram = vocab.unigramBits(train, heldOut);
        out.printf(Locale.ROOT, "Moby-Dick: %,d characters, %d distinct; training on the first %,d, scoring %,d held-out "
                + "(a unigram model needs %.2f bits per character); device %s%n", ids.length, vocab.size(), split,
                heldOut.length - 1, unigram, device.name());

        // 2. The model: one-hot characters -> LSTM over the sequence -> logits for the next character.
        Sequential model = Sequential.of(
                Input.shape(seqLength, vocab.size()),
                new LSTM(units).returnSequences(true),
                new Dense(vocab.size()));
        model.compile(Optimizers.adam(learningRate), Losses.sparseCategoricalCrossentropy(true));
        int done = resume ? restore(model, vocab, out) : 0;
        if (done == 0) {
            out.println(model.summary());
        }

        // 3. Held-out text cut into whole sequences, scored after every epoch.
        int[] heldOffsets = new int[(heldOut.length - 1) / seqLength];
        for (int i = 0; i < heldOffsets.length; i++) {
            heldOffsets[i] = i * seqLength;
        }
        Tensor heldX = OneHot.inputs(device, heldOut, heldOffsets, seqLength, vocab.size());
        Tensor heldY = OneHot.labels(device, heldOut, heldOffsets, seqLength);

        // 4. Train epoch by epoch: random runs of the training text, score, checkpoint.
        for (int epoch = done; epoch < epochs; epoch++) {
            Random runs = new Random(seed * 1_000_003L + epoch);
            int[] starts = new int[Math.max(1, charsPerEpoch / seqLength)];
            for (int i = 0; i < starts.length; i++) {
                starts[i] = runs.nextInt(train.length - seqLength - 1);
            }
            // fit runs one epoch at a time here (it prints "Epoch 1/1"), so that every epoch ends
            // with a score and a checkpoint.
            out.printf(Locale.ROOT, "epoch %d of %d: %,d random runs of %d characters%n", epoch + 1, epochs,
                    starts.length, seqLength);
            out.flush();
            model.fit(OneHot.inputs(device, train, starts, seqLength, vocab.size()),
                    OneHot.labels(device, train, starts, seqLength),
                    Fit.defaults().batchSize(batchSize).epochs(1).seed(seed + epoch).output(Terminal.stream(out)));
            double bits = model.evaluate(heldX, heldY, batchSize).loss() / Math.log(2);
            new Checkpoint(epoch + 1, units, seqLength, vocab, weights(model)).save(checkpoint);
            out.printf(Locale.ROOT, "held-out: %.3f bits per character (unigram: %.2f); checkpoint %s%n", bits, unigram,
                    checkpoint);
            out.flush();
        }

        // 5. New text, one character at a time, at each temperature.
        Random sampling = new Random(seed);
        for (double t : temperatures) {
            out.printf(Locale.ROOT, "%n--- temperature %.2f ---%n%s%n", t, sample(model, vocab, primeIds, t, sampling));
        }
        out.flush();
        return 0;
    }

    /** Feeds the prime text, then draws each next character from the model's tempered distribution. */
    private String sample(Sequential model, CharVocabulary vocab, int[] primeIds, double temperature, Random random) {
        StepRunner runner = model.stepRunner();
        StringBuilder sb = new StringBuilder(prime);
        float[] logits = null;
        for (int id : primeIds) {
            logits = runner.step(OneHot.of(id, vocab.size()));
        }
        for (int i = 0; i < sampleLength; i++) {
            int next = CharVocabulary.sample(logits, temperature, random);
            sb.append(vocab.decode(next));
            logits = runner.step(OneHot.of(next, vocab.size()));
        }
        return sb.toString();
    }

    private int restore(Sequential model, CharVocabulary vocab, PrintWriter out) throws IOException {
        if (!Files.isRegularFile(checkpoint)) {
            throw new CliException("--resume: no checkpoint at " + checkpoint + "; run without --resume first");
        }
        Checkpoint c = Checkpoint.load(checkpoint);
        if (c.units() != units || c.seqLength() != seqLength
                || !java.util.Arrays.equals(c.vocabulary().codePoints(), vocab.codePoints())) {
            throw new CliException(checkpoint + " was trained with --units " + c.units() + " --seq-length "
                    + c.seqLength() + " on " + c.vocabulary().size() + " characters; resume with the same settings");
        }
        List<Tensor> values = new ArrayList<>();
        for (NpyArray w : c.weights()) {
            values.add(w.toTensor(model.device()));
        }
        model.setWeights(values);
        out.printf("resumed from %s after %d epoch(s)%n", checkpoint, c.epochs());
        return c.epochs();
    }

    private static List<NpyArray> weights(Sequential model) {
        List<NpyArray> out = new ArrayList<>();
        for (Tensor t : model.getWeights()) {
            out.add(NpyArray.of(t));
        }
        return out;
    }

    private int[] encodePrime(CharVocabulary vocab) {
        if (prime.isEmpty()) {
            throw new CliException("--prime must not be empty: the samples start from it");
        }
        try {
            return vocab.encode(prime);
        } catch (IllegalArgumentException e) {
            throw new CliException("--prime: " + e.getMessage() + "; use characters that occur in Moby-Dick");
        }
    }

    private void checkOptions() {
        atLeast("--epochs", epochs, 0);
        atLeast("--units", units, 1);
        atLeast("--seq-length", seqLength, 2);
        atLeast("--chars-per-epoch", charsPerEpoch, 1);
        atLeast("--batch-size", batchSize, 1);
        atLeast("--sample-length", sampleLength, 0);
        if (heldOutChars < seqLength) {
            throw new CliException("--held-out-chars must be at least --seq-length (" + seqLength + "), got "
                    + heldOutChars);
        }
        aboveZero("--learning-rate", learningRate);
        for (double t : temperatures) {
            aboveZero("--temperature", t);
        }
        // Read too with --resume: that is the point of it, so it is not listed as an input.
        new OutputPaths().writes("--checkpoint", checkpoint).check();
        if (!resume && epochs > 0 && Files.exists(checkpoint)) {
            throw new CliException("--checkpoint " + checkpoint + " exists (an earlier run's): pass --resume to "
                    + "continue training it, or delete it or choose another --checkpoint to start afresh");
        }
    }
}
