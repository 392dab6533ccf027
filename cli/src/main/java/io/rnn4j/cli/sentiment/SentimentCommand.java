package io.rnn4j.cli.sentiment;

import static io.rnn4j.cli.OptionChecks.aboveZero;
import static io.rnn4j.cli.OptionChecks.atLeast;

import io.rnn4j.cli.CliException;
import io.rnn4j.cli.CommonOptions;
import io.rnn4j.cli.OutputPaths;
import io.rnn4j.cli.Terminal;
import io.rnn4j.cli.data.Datasets;
import io.rnn4j.cli.data.Datasets.LabelledSentence;
import io.rnn4j.cli.data.Split;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Activation;
import io.rnn4j.layers.Bidirectional;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.TextVectorization;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.keras.KerasModel;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.metrics.Metrics;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rnn4j sentiment}: is a review sentence positive or negative?
 *
 * <p>Sentences become word ids by Keras's TextVectorization ({@link TextVectorization}: lower-case,
 * punctuation stripped, a vocabulary adapted on the training sentences, 0 for padding, 1 for words
 * it has not seen); Embedding(mask_zero) turns
 * ids into vectors and tells the layers after it to skip the padding; a Bidirectional LSTM reads
 * the sentence both ways; a sigmoid unit gives the probability that it is positive. With
 * {@code --save} the trained model is saved with its TextVectorization in front, as Keras saves
 * {@code Sequential([Input(shape=(1,), dtype="string"), vectorizer, ...])}: {@code rnn4j predict --text}
 * and Keras's {@code load_model} run it on raw sentences.
 */
@Command(name = "sentiment", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train Embedding(mask_zero) -> Bidirectional(LSTM) -> Dense on 3,000 labelled review sentences "
                + "(UCI Sentiment Labelled Sentences: Amazon, IMDb, Yelp), report held-out accuracy, and classify "
                + "the sentences given."},
        footer = {"", "Example: rnn4j sentiment \"The food was cold and the waiter rude.\" \"A wonderful little film.\"",
            "         rnn4j sentiment --save sentiment.keras && rnn4j predict --model sentiment.keras --text reviews.txt"})
public final class SentimentCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "SENTENCE", arity = "0..*",
            description = "Sentences to classify after training (default: a few held-out ones).")
    List<String> sentences = new ArrayList<>();
    @Option(names = "--epochs", defaultValue = "3", paramLabel = "N", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--units", defaultValue = "32", paramLabel = "N",
            description = "LSTM units in each direction (default: ${DEFAULT-VALUE}).")
    int units;
    @Option(names = "--embedding", defaultValue = "32", paramLabel = "N",
            description = "Word vector size (default: ${DEFAULT-VALUE}).")
    int embeddingSize;
    @Option(names = "--max-tokens", defaultValue = "4000", paramLabel = "N",
            description = "Vocabulary size, padding and [UNK] included (default: ${DEFAULT-VALUE}).")
    int maxTokens;
    @Option(names = "--max-length", defaultValue = "32", paramLabel = "N",
            description = "Words read per sentence; longer ones are cut (default: ${DEFAULT-VALUE}).")
    int maxLength;
    @Option(names = "--test-fraction", defaultValue = "0.2", paramLabel = "F",
            description = "Share of sentences held out, per label (default: ${DEFAULT-VALUE}).")
    double testFraction;
    @Option(names = "--batch-size", defaultValue = "32", paramLabel = "N", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;
    @Option(names = "--learning-rate", defaultValue = "0.002", paramLabel = "LR",
            description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;
    @Option(names = "--seed", defaultValue = "42", description = "Seed for the split, weights and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--save", paramLabel = "FILE", description = "Save the trained model with its TextVectorization "
            + "as a Keras 3 .keras file, which takes raw sentences (rnn4j predict --text, Keras's load_model).")
    Path save;

    @Override
    public Integer call() throws IOException {
        checkOptions();
        Device device = common.modelDevice(); // chosen before any layer touches the engine
        PrintWriter out = common.out();
        Seeds.set(seed);

        // 1. The sentences, split so each label keeps its share in both parts.
        List<LabelledSentence> all = Datasets.sentiment();
        int[] labels = all.stream().mapToInt(LabelledSentence::label).toArray();
        Split split = Split.stratified(labels, testFraction, seed);
        if (split.test().length == 0 || split.train().length == 0) {
            throw new CliException(String.format(Locale.ROOT, "--test-fraction %s holds out %,d of the %,d sentences "
                    + "and leaves %,d to train on; both need at least one: %s --test-fraction",
                    java.math.BigDecimal.valueOf(testFraction).stripTrailingZeros().toPlainString(),
                    split.test().length, all.size(), split.train().length, split.test().length == 0 ? "raise" : "lower"));
        }
        List<String> trainText = texts(all, split.train());

        // 2. Words to ids, with a vocabulary adapted on the training sentences only.
        // named as Keras names the first one (checkOptions' tokenizer took the automatic name)
        TextVectorization vocab = new TextVectorization().named("text_vectorization").maxTokens(maxTokens)
                .outputSequenceLength(maxLength);
        vocab.adapt(trainText);
        out.printf("%,d sentences (%,d training, %,d held out); vocabulary of %,d words; device %s%n", all.size(),
                split.train().length, split.test().length, vocab.vocabularySize(), device.name());
        Tensor xTrain = vocab.apply(trainText).to(device);
        Tensor yTrain = labels(device, all, split.train());
        Tensor xTest = vocab.apply(texts(all, split.test())).to(device);
        Tensor yTest = labels(device, all, split.test());

        // 3. The model.
        Sequential model = Sequential.of(
                Input.shape(maxLength),
                new Embedding(vocab.vocabularySize(), embeddingSize).maskZero(true),
                new Bidirectional(new LSTM(units)),
                new Dense(1, Activation.SIGMOID));
        model.compile(Optimizers.adam(learningRate), Losses.binaryCrossentropy(), Metrics.binaryAccuracy());
        out.println(model.summary());
        out.flush();
        model.fit(xTrain, yTrain, Fit.defaults().batchSize(batchSize).epochs(epochs).seed(seed).validationData(xTest, yTest)
                .output(Terminal.stream(out)));

        // 4. Held-out accuracy, then the sentences asked about.
        double accuracy = model.evaluate(xTest, yTest, batchSize).metric("binary_accuracy");
        out.printf(Locale.ROOT, "%nheld-out accuracy: %.1f%% of %d sentences (chance: 50%%)%n%n", 100 * accuracy,
                split.test().length);
        List<String> asked = new ArrayList<>(sentences);
        List<String> truth = new ArrayList<>();
        if (asked.isEmpty()) {
            for (int k = 0; k < Math.min(5, split.test().length); k++) {
                LabelledSentence s = all.get(split.test()[k]);
                asked.add(s.text());
                truth.add(s.label() == 1 ? "positive" : "negative");
            }
        }
        if (save != null) {
            // Keras's Input(shape=(1,), dtype="string") -> TextVectorization -> the model, in one file
            Models.save(KerasModel.withTextFront(vocab, model), save);
            out.printf("saved the model with its TextVectorization to %s: it takes raw sentences (rnn4j predict "
                    + "--model %s --text FILE, one sentence a line)%n%n", save, save);
        }
        float[] p = model.predict(vocab.apply(asked).to(device)).toArray();
        out.println("P(positive)  verdict   sentence" + (truth.isEmpty() ? "" : "  [held out: its label]"));
        for (int i = 0; i < asked.size(); i++) {
            out.printf(Locale.ROOT, "   %.3f      %s  %s%n", p[i], p[i] >= 0.5 ? "positive" : "negative",
                    quote(asked.get(i)) + (truth.isEmpty() ? "" : "  [" + truth.get(i) + "]"));
        }
        out.flush();
        return 0;
    }

    private static List<String> texts(List<LabelledSentence> all, int[] rows) {
        List<String> texts = new ArrayList<>();
        for (int r : rows) {
            texts.add(all.get(r).text());
        }
        return texts;
    }

    private static Tensor labels(Device device, List<LabelledSentence> all, int[] rows) {
        float[] y = new float[rows.length];
        for (int r = 0; r < rows.length; r++) {
            y[r] = all.get(rows[r]).label();
        }
        return device.tensor(y, rows.length, 1);
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    private void checkOptions() {
        atLeast("--epochs", epochs, 1);
        atLeast("--units", units, 1);
        atLeast("--embedding", embeddingSize, 1);
        atLeast("--max-length", maxLength, 1);
        atLeast("--batch-size", batchSize, 1);
        if (maxTokens < 3) {
            throw new CliException("--max-tokens must be at least 3 (padding, [UNK] and one word), got " + maxTokens);
        }
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new CliException("--test-fraction must be between 0 and 1, got " + testFraction);
        }
        aboveZero("--learning-rate", learningRate);
        if (save != null) {
            // Case and all, as Models.save checks it: refused here, not after training.
            Path name = save.getFileName();
            if (name == null || !name.toString().endsWith(".keras")) {
                throw new CliException("--save " + save + ": the model is saved as a Keras 3 .keras file (rnn4j "
                        + "writes no other model format); name it *.keras");
            }
            new OutputPaths().writes("--save", save).check();
        }
        TextVectorization words = new TextVectorization();
        for (String s : sentences) {
            if (words.tokens(s).isEmpty()) {
                throw new CliException("the sentence \"" + s + "\" has no words to classify");
            }
        }
    }
}
