package io.rnn4j.layers.examples;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.assertWeightsAsKeras;
import static io.rnn4j.layers.keras.Keras3151.npy;
import static io.rnn4j.layers.keras.Keras3151.npyValues;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.BatchNormalization;
import io.rnn4j.layers.Conv3D;
import io.rnn4j.layers.ConvLSTM2D;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.callbacks.EarlyStopping;
import io.rnn4j.layers.callbacks.ReduceLROnPlateau;
import io.rnn4j.layers.keras.KerasModel;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keras-io's examples/vision/conv_lstm.py ("Next-frame video prediction with Convolutional LSTMs") at a smaller
 * size: Input(None, 8, 8, 1) → ConvLSTM2D(6, 5×5, same, return_sequences, relu) → BatchNormalization →
 * ConvLSTM2D(6, 3×3) → BatchNormalization → ConvLSTM2D(6, 1×1) → Conv3D(1, 3×3×3, sigmoid, same), compiled with
 * binary_crossentropy and Adam(); it learns frames[1:] from frames[:-1] and then predicts future frames one at a
 * time, feeding each prediction's last frame back in.
 *
 * <p>Keras's side is keras3151/make_next_frame.py (TensorFlow backend): 6 videos of 6 frames in which a 2×2 or
 * 3×3 square moves and bounces (instead of Moving MNIST), the untrained model's predictions on 5 and on 3 frames
 * (the time axis is None), one epoch of fit with batch size 4 (two batches, so BatchNormalization's moving
 * statistics move twice), the trained predictions and the example's autoregressive loop. Bar: {@code
 * Keras3151.assertClose}, 1e-5 + 1e-5·|y|.
 */
class NextFramePredictionTest {
    private static final int SIZE = 8;
    private static final int FRAMES = 6;

    @TempDir
    Path tmp;

    /**
     * The example's model with {@code filters} per ConvLSTM2D and BatchNormalization's {@code momentum} (Keras's
     * default 0.99), as a Java user writes it from the example.
     */
    static Model buildModel(int filters, double momentum) {
        Input inp = Input.shape(Input.NONE, SIZE, SIZE, 1);
        SymbolicTensor x = new ConvLSTM2D(filters, 5, 5).padding("same").returnSequences(true).activation("relu")
                .apply(inp);
        x = new BatchNormalization().momentum(momentum).apply(x);
        x = new ConvLSTM2D(filters, 3, 3).padding("same").returnSequences(true).activation("relu").apply(x);
        x = new BatchNormalization().momentum(momentum).apply(x);
        x = new ConvLSTM2D(filters, 1, 1).padding("same").returnSequences(true).activation("relu").apply(x);
        x = new Conv3D(1, new int[] {3, 3, 3}, "sigmoid").padding("same").apply(x);
        return Model.of(inp, x);
    }

    /** Frames {@code [from, from + count)} of the first {@code videos} videos: numpy's {@code v[:videos, from:from + count]}. */
    static Tensor frames(Tensor v, int videos, int from, int count) {
        int t = v.dim(1);
        int frame = (int) (v.size() / (v.dim(0) * (long) t));
        float[] all = v.toArray();
        float[] out = new float[videos * count * frame];
        for (int s = 0; s < videos; s++) {
            System.arraycopy(all, (s * t + from) * frame, out, s * count * frame, count * frame);
        }
        int[] dims = v.shape().dims().clone();
        dims[0] = videos;
        dims[1] = count;
        return Tensor.of(out, dims);
    }

    /** The example's create_shifted_frames: {x = frames[:-1], y = frames[1:]}. */
    static Tensor[] shifted(Tensor videos) {
        int n = videos.dim(0);
        int t = videos.dim(1);
        return new Tensor[] {frames(videos, n, 0, t - 1), frames(videos, n, 1, t - 1)};
    }

    /** The example's loop: predict, append the prediction's last frame, {@code steps} times; (given + steps) frames. */
    static Tensor rollout(Model model, Tensor given, int steps) {
        Tensor frames = given;
        for (int i = 0; i < steps; i++) {
            int t = frames.dim(1);
            Tensor prediction = model.predict(frames);
            float[] grown = new float[(int) (frames.size() + frames.size() / t)];
            float[] old = frames.toArray();
            System.arraycopy(old, 0, grown, 0, old.length);
            float[] last = frames(prediction, 1, t - 1, 1).toArray();
            System.arraycopy(last, 0, grown, old.length, last.length);
            frames = Tensor.of(grown, 1, t + 1, SIZE, SIZE, 1);
        }
        return frames;
    }

    /** The Keras file, compiled from its compile_config (binary_crossentropy, Adam()). */
    private static Model loadExample() throws IOException {
        KerasModel loaded = Models.load(resource("next_frame.keras"), true);
        assertThat(loaded.kerasVersion()).contains("3.15.1");
        return loaded.functional();
    }

    /** The loaded model with the weights Keras's one epoch ended at. */
    private static Model kerasTrained() throws IOException {
        Model model = loadExample();
        for (int i = 0; i < model.weights().size(); i++) {
            model.weights().get(i).set(npy("next_frame.after" + i + ".npy"));
        }
        return model;
    }

    @Test
    void theKerasFilePredictsKerassFramesOnFiveAndOnThreeFrames() throws IOException {
        Model model = loadExample();
        Tensor videos = npy("next_frame.videos.npy");
        assertThat(model.inputs().get(0).sampleShape().dim(0)).as("the time axis is None").isEqualTo(Input.NONE);
        assertClose("predict(frames[:-1]), T = 5", model.predict(shifted(videos)[0]).toArray(),
                npyValues("next_frame.y5.npy"));
        assertClose("predict(videos[:2, :3]), T = 3", model.predict(frames(videos, 2, 0, 3)).toArray(),
                npyValues("next_frame.y3.npy"));
    }

    @Test
    void oneEpochOfAdamEndsAtKerassWeightsMovingStatisticsAndLoss() throws IOException {
        Model model = loadExample();
        Tensor[] xy = shifted(npy("next_frame.videos.npy"));
        // batch 4 of 6 samples: two steps, BatchNormalization's moving mean and variance move on each
        History h = model.fit(xy[0], xy[1], Fit.defaults().batchSize(4).epochs(1).shuffle(false).verbose(0));
        assertClose("the epoch's logged loss", new float[] {h.get("loss").get(0).floatValue()},
                npyValues("next_frame.fit_loss.npy"));
        assertThat(model.weights()).hasSize(19);
        assertWeightsAsKeras("next_frame", "after one epoch", model.weights());
        assertClose("predict(frames[:-1]) after the epoch", model.predict(xy[0]).toArray(),
                npyValues("next_frame.trained_y.npy"));
    }

    @Test
    void theAutoregressiveLoopGivesKerassFrames() throws IOException {
        Model model = kerasTrained();
        Tensor given = frames(npy("next_frame.videos.npy"), 1, 0, 3);
        Tensor frames = rollout(model, given, 3);
        assertThat(frames.shape().dims()).containsExactly(1, 6, SIZE, SIZE, 1);
        assertClose("3 given frames and 3 predicted one at a time", frames.toArray(), npyValues("next_frame.rollout.npy"));
    }

    @Test
    void savedByRnn4jTheTrainedModelLoadsToTheSamePredictions() throws IOException {
        Model model = kerasTrained();
        Path file = tmp.resolve("next_frame_rnn4j.keras");
        Models.save(model, file);
        KerasModel back = Models.load(file, true);
        Model reloaded = back.functional();
        assertThat(reloaded.optimizer()).as("compiled from rnn4j's file").isNotNull();
        Tensor x = shifted(npy("next_frame.videos.npy"))[0];
        assertThat(reloaded.predict(x).toArray()).as("predictions after rnn4j's save and load, bit for bit")
                .isEqualTo(model.predict(x).toArray());
        assertClose("and they are Keras's trained predictions", reloaded.predict(x).toArray(),
                npyValues("next_frame.trained_y.npy"));
        for (int i = 0; i < model.weights().size(); i++) {
            assertThat(reloaded.weights().get(i).value().toArray()).as("weight %d after save and load", i)
                    .isEqualTo(model.weights().get(i).value().toArray());
        }
    }

    /**
     * {@code n} videos of {@link #FRAMES} frames of 8×8 as make_next_frame.py draws them (with Java's generator): a
     * 2×2 or 3×3 square of ones moving by a constant step (each of dx, dy in -1..1, not both 0) that bounces off the
     * borders, plus noise in [0, 0.05), clipped at 1.
     */
    static Tensor movingSquares(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n * FRAMES * SIZE * SIZE];
        for (int s = 0; s < n; s++) {
            int size = 2 + r.nextInt(2);
            int row = r.nextInt(SIZE - size + 1);
            int col = r.nextInt(SIZE - size + 1);
            int dr = r.nextInt(3) - 1;
            int dc = r.nextInt(3) - 1;
            if (dr == 0 && dc == 0) {
                dc = 1;
            }
            for (int t = 0; t < FRAMES; t++) {
                int base = (s * FRAMES + t) * SIZE * SIZE;
                for (int i = 0; i < size; i++) {
                    for (int j = 0; j < size; j++) {
                        v[base + (row + i) * SIZE + col + j] = 1f;
                    }
                }
                dr = row + dr < 0 || row + dr > SIZE - size ? -dr : dr;
                dc = col + dc < 0 || col + dc > SIZE - size ? -dc : dc;
                row += dr;
                col += dc;
            }
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.min(1f, v[i] + 0.05f * (float) r.nextDouble());
        }
        return Tensor.of(v, n, FRAMES, SIZE, SIZE, 1);
    }

    /** Binary cross-entropy of the best constant prediction (each target pixel's mean): what ignoring the frames costs. */
    private static double constantPredictionLoss(Tensor y) {
        float[] v = y.toArray();
        double mean = 0;
        for (float f : v) {
            mean += f / v.length;
        }
        double loss = 0;
        for (float f : v) {
            loss -= (f * Math.log(mean) + (1 - f) * Math.log(1 - mean)) / v.length;
        }
        return loss;
    }

    @Test
    void theJavaBuiltModelLearnsToPredictTheMovingSquare() {
        long seed = 2021;
        System.out.println("NextFramePredictionTest seed " + seed);
        Seeds.set(seed);
        // BatchNormalization's moving statistics, which validation uses, at momentum 0.9 rather than 0.99: 48 steps
        // would leave them two thirds at their initial (0, 1); Adam at 0.01 rather than 0.001 so that six epochs on
        // 32 videos show it
        Model model = buildModel(6, 0.9);
        model.compile(Optimizers.adam(0.01), Losses.binaryCrossentropy());
        Tensor[] train = shifted(movingSquares(seed, 32));
        Tensor[] val = shifted(movingSquares(seed + 1, 16));
        double before = model.evaluate(val[0], val[1]).loss();
        double constant = constantPredictionLoss(val[1]);
        // the example's callbacks (six epochs are too few for them to act)
        History h = model.fit(train[0], train[1], Fit.defaults().batchSize(4).epochs(6).seed(seed).verbose(0)
                .validationData(val[0], val[1]).callbacks(new EarlyStopping().monitor("val_loss").patience(10),
                        new ReduceLROnPlateau().monitor("val_loss").patience(5)));
        System.out.println("NextFramePredictionTest history " + h.history() + ", val loss before " + before
                + ", best constant prediction " + constant);
        List<Double> valLoss = h.get("val_loss");
        double last = valLoss.get(valLoss.size() - 1);
        assertThat(last).as("validation loss after training (%s) below half the untrained model's %s and below the "
                + "best constant prediction's %s", valLoss, before, constant).isLessThan(Math.min(0.5 * before,
                constant));
    }
}
