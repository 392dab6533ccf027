package io.rnn4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Devices;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Activation;
import io.rnn4j.layers.ActivationLayer;
import io.rnn4j.layers.Add;
import io.rnn4j.layers.AdditiveAttention;
import io.rnn4j.layers.AlphaDropout;
import io.rnn4j.layers.Attention;
import io.rnn4j.layers.Average;
import io.rnn4j.layers.AveragePooling1D;
import io.rnn4j.layers.BatchNormalization;
import io.rnn4j.layers.Bidirectional;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Concatenate;
import io.rnn4j.layers.Conv1D;
import io.rnn4j.layers.Conv1DTranspose;
import io.rnn4j.layers.ConvLSTM1D;
import io.rnn4j.layers.Cropping1D;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.DepthwiseConv1D;
import io.rnn4j.layers.Dot;
import io.rnn4j.layers.Dropout;
import io.rnn4j.layers.ELU;
import io.rnn4j.layers.LeakyReLU;
import io.rnn4j.layers.PReLU;
import io.rnn4j.layers.ReLU;
import io.rnn4j.layers.Softmax;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.Flatten;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.GRUCell;
import io.rnn4j.layers.GaussianDropout;
import io.rnn4j.layers.GaussianNoise;
import io.rnn4j.layers.Normalization;
import io.rnn4j.layers.Rescaling;
import io.rnn4j.layers.GetItem;
import io.rnn4j.layers.GlobalAveragePooling1D;
import io.rnn4j.layers.GlobalMaxPooling1D;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.LSTMCell;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.LayerNormalization;
import io.rnn4j.layers.Masking;
import io.rnn4j.layers.MaxPooling1D;
import io.rnn4j.layers.Maximum;
import io.rnn4j.layers.MergeMode;
import io.rnn4j.layers.Minimum;
import io.rnn4j.layers.MultiHeadAttention;
import io.rnn4j.layers.Multiply;
import io.rnn4j.layers.Permute;
import io.rnn4j.layers.RNN;
import io.rnn4j.layers.RepeatVector;
import io.rnn4j.layers.Reshape;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SeparableConv1D;
import io.rnn4j.layers.SimpleRNN;
import io.rnn4j.layers.SimpleRNNCell;
import io.rnn4j.layers.SpatialDropout1D;
import io.rnn4j.layers.Subtract;
import io.rnn4j.layers.TimeDistributed;
import io.rnn4j.layers.UpSampling1D;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.ZeroPadding1D;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.ops.Arithmetic;
import io.rnn4j.layers.ops.Axis;
import io.rnn4j.layers.ops.Concatenation;
import io.rnn4j.layers.ops.Matmul;
import io.rnn4j.layers.ops.Reduction;
import io.rnn4j.layers.ops.Shaping;
import io.rnn4j.layers.ops.Unary;
import io.rnn4j.layers.autograd.Variable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every layer a user can build computes the same outputs, input gradient and weight gradients on
 * the SIMD backend as on the scalar reference backend.
 *
 * <p>It lives in {@code cli} because this is the first module whose tests see both backends: the
 * {@code layers} module's tests run on the scalar backend only (no backend module on their class
 * path), yet several layers' backwards are composed from generic device ops (reductions, gather /
 * scatterAdd, window maxima, masks) whose SIMD kernels nothing else exercises through a layer; and
 * cli's surefire adds {@code jdk.incubator.vector}, so SIMD must be available here.
 *
 * <p>Each case builds the same layers twice, once per device, with the same weights (drawn at
 * random on the scalar side, zero initialisers included, then copied with setWeights), runs both on
 * the same input (batch 3 at two sizes, see {@link #cases()}; quantised values where maxima need
 * ties; noise and dropout layers in training with the same random stream on both sides), takes the
 * loss {@code Σ w·y} with fixed random w and runs backward. Outputs, the input gradient, every weight
 * gradient and every weight after the call (BatchNormalization's moving statistics) must agree
 * within {@code |simd − scalar| <= ATOL + RTOL·max|scalar|}, the max taken over the tensor compared
 * (for a weight gradient, over all of its layer's gradients), as must the losses layers add (summed in):
 * the two backends sum in different orders (vector lanes, FMA), and a float32 sum's rounding scales
 * with its terms, not with its result, which cancellation can make small (a weight gradient summed
 * over 57 steps, an input gradient carried back through 19). Measured at this seed: at most 2.1e-6
 * of the tensor's largest value; a wrong index or a dropped tail is off by the values themselves. The seed is
 * {@link #SEED}, printed.
 */
class LayersOnSimdTest {
    static final long SEED = 20_250_611L;
    static final double RTOL = 1e-5;
    static final double ATOL = 1e-6;
    static final int B = 3;

    /** A (batch 3, t) Keras mask: row 0 keeps every step, row 1 loses its first and middle, row 2 its last two. */
    static float[] stepMask(int t) {
        float[] m = new float[B * t];
        Arrays.fill(m, 1);
        m[t] = 0;
        m[t + t / 2] = 0;
        m[3 * t - 2] = 0;
        m[3 * t - 1] = 0;
        return m;
    }

    private static Device scalar;
    private static Device simd;

    @BeforeAll
    static void devices() {
        scalar = Devices.get("scalar");
        try {
            simd = Devices.get("simd");
        } catch (IllegalStateException | IllegalArgumentException e) {
            fail("the SIMD backend must be available in cli's tests (surefire adds --add-modules "
                    + "jdk.incubator.vector, see cli/pom.xml), but: " + e.getMessage(), e);
        }
        assertThat(simd).as("the simd device is not the scalar one").isNotSameAs(scalar);
        System.out.printf("LayersOnSimdTest: seed %d, scalar vs %s, bar |simd - scalar| <= %.0e + %.0e*max|scalar|%n",
                SEED, simd.name(), ATOL, RTOL);
    }

    /** What feeds the first layer. */
    enum Feed { UNIFORM, TIES, ZERO_STEPS, IDS }

    /** One case: fresh layers run in a chain (the first may take several inputs), named for the report. */
    record Case(String name, Supplier<List<Layer>> layers, List<int[]> inputs, Feed feed, List<float[]> masks,
            boolean training) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case c(String name, Supplier<List<Layer>> layers, int[] input) {
        return new Case(name, layers, List.of(input), Feed.UNIFORM, null, false);
    }

    static Case with(Case c, Feed feed) {
        return new Case(c.name, c.layers, c.inputs, feed, c.masks, c.training);
    }

    static Case masked(Case c, float[]... masks) {
        return new Case(c.name, c.layers, c.inputs, c.feed, Arrays.asList(masks), c.training);
    }

    static Case training(Case c) {
        return new Case(c.name, c.layers, c.inputs, c.feed, c.masks, true);
    }

    static Case multi(String name, Supplier<List<Layer>> layers, Feed feed, int[]... inputs) {
        return new Case(name, layers, List.of(inputs), feed, null, false);
    }

    static Supplier<List<Layer>> one(Supplier<Layer> layer) {
        return () -> List.of(layer.get());
    }

    static Supplier<List<Layer>> chain(Supplier<Layer> first, Supplier<Layer> second) {
        return () -> List.of(first.get(), second.get());
    }

    /** Masking(0) upstream of {@code layer}, on input whose zeroed steps it masks. */
    static Case afterMasking(String name, Supplier<Layer> layer, int[] seq) {
        return with(c(name, chain(Masking::new, layer), seq), Feed.ZERO_STEPS);
    }

    /** {@code n} values {@code start, start + step, ...}. */
    static float[] ramp(int n, float start, float step) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = start + i * step;
        }
        return v;
    }

    static int[] dims(int... d) {
        return d;
    }

    /**
     * Every case at two sizes: 7 steps of 5 features into 4 units, below one vector of 128 bits
     * (the kernels' scalar tails), and 19 steps of 37 features into 21 units, more than two vectors
     * of 512 bits plus a tail (their vector bodies).
     */
    static Stream<Case> cases() {
        return Stream.concat(cases(7, 5, 4), cases(19, 37, 21));
    }

    private static Stream<Case> cases(int t, int f, int u) {
        int[] seq = dims(B, t, f);
        int[] ids = dims(B, t);
        float[] mask = stepMask(t);
        float[] queryMask = {1, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 0};
        String size = " [" + B + "x" + t + "x" + f + ", " + u + " units]";
        return Stream.of(
                c("Dense tanh on (batch, features)", one(() -> new Dense(u, Activation.TANH)), dims(B, f)),
                c("Dense linear on (batch, steps, features)", one(() -> new Dense(u - 1)), seq),
                c("Dense softmax without bias", one(() -> new Dense(u, Activation.SOFTMAX).useBias(false)), seq),
                c("SimpleRNN last", one(() -> new SimpleRNN(u)), seq),
                c("SimpleRNN return_sequences go_backwards", one(() -> new SimpleRNN(u).returnSequences(true)
                        .goBackwards(true)), seq),
                masked(c("SimpleRNN relu masked", one(() -> new SimpleRNN(u - 1).activation(Activation.RELU)
                        .returnSequences(true)), seq), mask),
                c("LSTM last", one(() -> new LSTM(u)), seq),
                c("LSTM return_sequences", one(() -> new LSTM(u).returnSequences(true)), seq),
                masked(c("LSTM masked go_backwards return_sequences", one(() -> new LSTM(u - 1)
                        .returnSequences(true).goBackwards(true)), seq), mask),
                afterMasking("Masking -> LSTM return_state", () -> new LSTM(u - 1).returnState(true), seq),
                multi("LSTM with initial_state", one(() -> new LSTM(u).returnSequences(true)), Feed.UNIFORM,
                        seq, dims(B, u), dims(B, u)),
                training(masked(c("LSTM dropout and recurrent_dropout in training, masked", one(() -> new LSTM(u)
                        .dropout(0.3f).recurrentDropout(0.2f).returnSequences(true)), seq), mask)),
                c("GRU last", one(() -> new GRU(u)), seq),
                training(c("GRU dropout and recurrent_dropout in training", one(() -> new GRU(u - 1).dropout(0.25f)
                        .recurrentDropout(0.4f)), seq)),
                c("GRU reset_after=false return_sequences", one(() -> new GRU(u - 1).resetAfter(false)
                        .returnSequences(true)), seq),
                masked(c("GRU masked go_backwards", one(() -> new GRU(u - 1).goBackwards(true)), seq), mask),
                masked(c("Bidirectional(LSTM) concat masked", one(() -> new Bidirectional(new LSTM(u - 1)
                        .returnSequences(true))), seq), mask),
                afterMasking("Masking -> Bidirectional(GRU) sum", () -> new Bidirectional(new GRU(u - 1)
                        .returnSequences(true), MergeMode.SUM), seq),
                c("Bidirectional(SimpleRNN) mul", one(() -> new Bidirectional(new SimpleRNN(u - 1), MergeMode.MUL)),
                        seq),
                c("Bidirectional(GRU) ave", one(() -> new Bidirectional(new GRU(u / 2), MergeMode.AVE)), seq),
                c("RNN(SimpleRNNCell) return_sequences", one(() -> new RNN(new SimpleRNNCell(u))
                        .returnSequences(true)), seq),
                masked(c("RNN(LSTMCell) masked go_backwards", one(() -> new RNN(new LSTMCell(u - 1))
                        .goBackwards(true)), seq), mask),
                c("RNN(GRUCell, SimpleRNNCell) stacked", one(() -> new RNN(new GRUCell(u - 1),
                        new SimpleRNNCell(u / 2)).returnSequences(true)), seq),
                with(c("Embedding", one(() -> new Embedding(11, f)), ids), Feed.IDS),
                with(c("Embedding mask_zero -> LSTM", chain(() -> new Embedding(11, f).maskZero(true),
                        () -> new LSTM(u - 1).returnSequences(true)), ids), Feed.IDS),
                c("TimeDistributed(Dense relu)", one(() -> new TimeDistributed(new Dense(u - 1, Activation.RELU))),
                        seq),
                training(c("BatchNormalization training", one(BatchNormalization::new), seq)),
                c("BatchNormalization inference", one(BatchNormalization::new), seq),
                training(c("BatchNormalization training on (batch, features)", one(BatchNormalization::new),
                        dims(B, f))),
                c("LayerNormalization", one(LayerNormalization::new), seq),
                c("LayerNormalization without center", one(() -> new LayerNormalization().center(false)),
                        dims(B, f)),
                multi("Attention dot", one(Attention::new), Feed.UNIFORM, dims(B, 4, f), seq),
                masked(multi("Attention scaled with key, masked, scores", one(() -> new Attention().useScale(true)
                        .returnAttentionScores(true)), Feed.UNIFORM, dims(B, 4, f), seq, seq),
                        queryMask, mask, null),
                multi("Attention concat causal", one(() -> new Attention().scoreMode(Attention.ScoreMode.CONCAT)
                        .useCausalMask(true)), Feed.UNIFORM, seq, seq),
                masked(multi("AdditiveAttention masked", one(AdditiveAttention::new), Feed.UNIFORM,
                        dims(B, 4, f), seq, seq), null, mask, null),
                multi("AdditiveAttention without scale", one(() -> new AdditiveAttention().useScale(false)),
                        Feed.UNIFORM, dims(B, 4, f), seq),
                multi("MultiHeadAttention self, 2 heads", one(() -> new MultiHeadAttention(2, 3)), Feed.UNIFORM,
                        seq, seq),
                masked(multi("MultiHeadAttention causal, value and key, masked, scores", one(() ->
                        new MultiHeadAttention(3, 2).valueDim(4).useCausalMask(true).returnAttentionScores(true)),
                        Feed.UNIFORM, seq, seq, seq), mask, mask, null),
                training(multi("MultiHeadAttention dropout in training", one(() -> new MultiHeadAttention(2, 4)
                        .dropout(0.2f)), Feed.UNIFORM, dims(B, 4, f), seq)),
                multi("Add of three", one(Add::new), Feed.UNIFORM, seq, seq, seq),
                multi("Subtract", one(Subtract::new), Feed.UNIFORM, seq, seq),
                multi("Multiply", one(Multiply::new), Feed.UNIFORM, seq, seq),
                multi("Average", one(Average::new), Feed.UNIFORM, seq, seq, seq),
                multi("Maximum with ties", one(Maximum::new), Feed.TIES, seq, seq, seq),
                multi("Minimum with ties", one(Minimum::new), Feed.TIES, seq, seq),
                masked(multi("Maximum masked", one(Maximum::new), Feed.UNIFORM, seq, seq), mask, null),
                multi("Dot (2, 2) scores", one(() -> new Dot(2, 2)), Feed.UNIFORM, dims(B, 4, f), seq),
                multi("Dot (2, 1) context, normalized", one(() -> new Dot(2, 1).normalize(true)), Feed.UNIFORM,
                        dims(B, 4, t), seq),
                multi("Dot 1 on (batch, features)", one(() -> new Dot(1)), Feed.UNIFORM, dims(B, f), dims(B, f)),
                multi("Concatenate last axis", one(Concatenate::new), Feed.UNIFORM, seq, dims(B, t, 2)),
                multi("Concatenate axis 1", one(() -> new Concatenate(1)), Feed.UNIFORM, seq, dims(B, 2, f)),
                c("Conv1D valid", one(() -> new Conv1D(u, 3)), seq),
                c("Conv1D same tanh", one(() -> new Conv1D(u, 4, Activation.TANH).padding("same")), seq),
                c("Conv1D causal", one(() -> new Conv1D(u - 1, 3).padding("causal")), seq),
                c("Conv1D stride 2 same", one(() -> new Conv1D(u, 3).strides(2).padding("same")), seq),
                c("Conv1D dilation 2 causal", one(() -> new Conv1D(u - 1, 2).dilationRate(2).padding("causal")), seq),
                c("Conv1D groups 2 without bias", one(() -> new Conv1D(u + u % 2, 3).groups(2).useBias(false)),
                        dims(B, t, f + f % 2)),
                c("Conv1DTranspose same stride 2", one(() -> new Conv1DTranspose(u, 3).strides(2).padding("same")), seq),
                c("Conv1DTranspose valid stride 3 output_padding 1 relu", one(() -> new Conv1DTranspose(u - 1, 2,
                        Activation.RELU).strides(3).outputPadding(1)), seq),
                c("Conv1DTranspose same dilation 2 without bias", one(() -> new Conv1DTranspose(u, 3).dilationRate(2)
                        .padding("same").useBias(false)), seq),
                c("DepthwiseConv1D same multiplier 2", one(() -> new DepthwiseConv1D(3).depthMultiplier(2)
                        .padding("same")), seq),
                c("DepthwiseConv1D valid stride 2 dilation 2", one(() -> new DepthwiseConv1D(2).strides(2)
                        .dilationRate(2)), seq),
                c("SeparableConv1D same stride 2 multiplier 2 tanh", one(() -> new SeparableConv1D(u, 3,
                        Activation.TANH).strides(2).padding("same").depthMultiplier(2)), seq),
                c("SeparableConv1D valid without bias", one(() -> new SeparableConv1D(u - 1, 2).useBias(false)), seq),
                c("ConvLSTM1D valid return_sequences", one(() -> new ConvLSTM1D(u - 1, 3).returnSequences(true)),
                        dims(B, 5, t, f)),
                masked(c("ConvLSTM1D same strides 2 go_backwards masked", one(() -> new ConvLSTM1D(u, 2).strides(2)
                        .padding("same").goBackwards(true).returnSequences(true)), dims(B, 5, t, f)), stepMask(5)),
                training(c("ConvLSTM1D dilation 2, dropout and recurrent_dropout in training, return_state", one(() ->
                        new ConvLSTM1D(u - 1, 2).dilationRate(2).dropout(0.3f).recurrentDropout(0.2f)
                                .returnState(true)), dims(B, 5, t, f))),
                multi("ConvLSTM1D with initial_state", one(() -> new ConvLSTM1D(u, 3).padding("same")),
                        Feed.UNIFORM, dims(B, 5, t, f), dims(B, t, u), dims(B, t, u)),
                with(c("MaxPooling1D valid with ties", one(MaxPooling1D::new), seq), Feed.TIES),
                with(c("MaxPooling1D same pool 3 stride 2 with ties", one(() -> new MaxPooling1D(3, 2)
                        .padding("same")), seq), Feed.TIES),
                c("AveragePooling1D valid", one(() -> new AveragePooling1D(2)), seq),
                c("AveragePooling1D same pool 3 stride 2", one(() -> new AveragePooling1D(3, 2).padding("same")), seq),
                c("GlobalAveragePooling1D", one(GlobalAveragePooling1D::new), seq),
                masked(c("GlobalAveragePooling1D masked", one(GlobalAveragePooling1D::new), seq), mask),
                afterMasking("Masking -> GlobalAveragePooling1D keepdims", () -> new GlobalAveragePooling1D(
                        "channels_last", true), seq),
                with(c("GlobalMaxPooling1D with ties", one(GlobalMaxPooling1D::new), seq), Feed.TIES),
                with(c("GlobalMaxPooling1D channels_first keepdims with ties", one(() -> new GlobalMaxPooling1D(
                        "channels_first", true)), seq), Feed.TIES),
                c("Permute (2, 1)", one(() -> new Permute(2, 1)), seq),
                c("Permute (2, 3, 1)", one(() -> new Permute(2, 3, 1)), dims(B, t, f, 2)),
                c("GetItem [:, -1, :]", one(() -> new GetItem(":, -1, :")), seq),
                c("GetItem [:, 2::4, ::-2] (zero-padded stride)", one(() -> new GetItem(":, 2::4, ::-2")), seq),
                masked(c("GetItem [..., ::-1, None, 1:] masked (mask dropped)", one(() -> new GetItem(
                        "..., ::-1, None, 1:")), dims(B, t, f, 2)), mask),
                multi("ops Subtract x - y, y broadcast", one(() -> new Arithmetic(Arithmetic.Kind.SUBTRACT)),
                        Feed.UNIFORM, seq, dims(B, 1, f)),
                c("ops Divide x / 3", one(() -> new Arithmetic(Arithmetic.Kind.DIVIDE, null, 3.0)), seq),
                masked(c("ops Sigmoid masked (mask dropped)", one(() -> new Unary(Unary.Kind.SIGMOID)), seq), mask),
                c("ops Softmax axis 1", one(() -> Unary.softmax(1)), seq),
                c("ops Mean axis [1, 2] keepdims", one(() -> new Reduction(Reduction.Kind.MEAN, Axis.list(1, 2), true)),
                        seq),
                with(c("ops Max axis [1, 2] with ties", one(() -> new Reduction(Reduction.Kind.MAX, Axis.list(1, 2),
                        false)), seq), Feed.TIES),
                with(c("ops Min axis [1, 3] with ties (not adjacent)", one(() -> new Reduction(Reduction.Kind.MIN,
                        Axis.list(1, 3), true)), dims(B, t, f, 2)), Feed.TIES),
                c("ops Transpose (0, 2, 1)", one(() -> new Shaping(Shaping.Kind.TRANSPOSE, Axis.list(0, 2, 1))), seq),
                multi("ops Concatenate axis -1", one(() -> new Concatenation(2, -1)), Feed.UNIFORM, seq, dims(B, t, 3)),
                multi("ops Matmul (B, t, f) @ (B, f, 4)", one(Matmul::new), Feed.UNIFORM, seq, dims(B, f, 4)),
                c("ZeroPadding1D (1, 2)", one(() -> new ZeroPadding1D(1, 2)), seq),
                c("Cropping1D (2, 1)", one(() -> new Cropping1D(2, 1)), seq),
                c("UpSampling1D 3", one(() -> new UpSampling1D(3)), seq),
                c("Flatten", one(Flatten::new), seq),
                c("Reshape (features, steps)", one(() -> new Reshape(f, t)), seq),
                c("RepeatVector", one(() -> new RepeatVector(4)), dims(B, f)),
                c("Activation softmax", one(() -> new ActivationLayer(Activation.SOFTMAX)), seq),
                c("Activation selu", one(() -> new ActivationLayer(Activation.SELU)), seq),
                c("ReLU", one(ReLU::new), seq),
                c("ReLU max_value 6, negative_slope 0.2", one(() -> new ReLU(6.0, 0.2f, 0f)), seq),
                c("ReLU max_value 0.5, negative_slope 0.1, threshold 0.25", one(() -> new ReLU(0.5, 0.1f, 0.25f)),
                        seq),
                c("LeakyReLU", one(LeakyReLU::new), seq),
                c("ELU alpha 0.7", one(() -> new ELU(0.7f)), seq),
                c("PReLU shared_axes 1", one(() -> new PReLU().sharedAxes(1)), seq),
                c("PReLU", one(PReLU::new), seq),
                c("Softmax axis 1", one(() -> new Softmax(1)), seq),
                masked(c("Softmax masked on (batch, steps)", one(Softmax::new), ids), mask),
                afterMasking("Masking -> SimpleRNN", () -> new SimpleRNN(u - 1), seq),
                c("Normalization mean and variance per feature", one(() -> new Normalization().axis(1, 2)
                        .meanAndVariance(Tensor.of(ramp(f, -1f, 0.5f), f), Tensor.of(ramp(f, 0f, 0.75f), f))), seq),
                c("Normalization invert, axis None", one(() -> new Normalization().axisNone().invert(true)
                        .meanAndVariance(0.5, 3)), seq),
                c("Rescaling per feature", one(() -> new Rescaling(ramp(f, 0.1f, 0.3f), ramp(f, -2f, 0.25f))), seq),
                c("Dropout inference", one(() -> new Dropout(0.3f)), seq),
                c("SpatialDropout1D inference", one(() -> new SpatialDropout1D(0.3f)), seq),
                c("GaussianNoise inference", one(() -> new GaussianNoise(0.5f)), seq),
                c("GaussianDropout inference", one(() -> new GaussianDropout(0.3f)), seq),
                c("AlphaDropout inference", one(() -> new AlphaDropout(0.3f)), seq),
                training(c("Dropout training", one(() -> new Dropout(0.3f)), seq)),
                training(c("SpatialDropout1D training", one(() -> new SpatialDropout1D(0.3f)), seq)),
                training(c("GaussianNoise training", one(() -> new GaussianNoise(0.5f)), seq)),
                training(c("GaussianDropout training", one(() -> new GaussianDropout(0.3f)), seq)),
                training(c("AlphaDropout training", one(() -> new AlphaDropout(0.3f)), seq)))
                .map(c -> new Case(c.name + size, c.layers, c.inputs, c.feed, c.masks, c.training));
    }

    /** One device's run of a case: the inputs, the layers and what flows between them. */
    private static final class Side {
        final Device device;
        final List<Layer> layers;
        final List<Variable> inputs = new ArrayList<>();
        final CallContext ctx;
        List<Variable> values;
        List<Tensor> masks;

        Side(Device device, Case c, List<float[]> data, long seed) {
            this.device = device;
            this.layers = c.layers.get();
            for (int i = 0; i < data.size(); i++) {
                Tensor t = device.tensor(data.get(i), c.inputs.get(i));
                inputs.add(c.feed == Feed.IDS ? Variable.constant(t) : Variable.parameter(t));
            }
            values = inputs;
            masks = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                float[] m = c.masks == null ? null : c.masks.get(i);
                masks.add(m == null ? null : device.tensor(m, B, m.length / B));
            }
            // The same random stream on both sides: the noise layers draw their tensors on the host.
            ctx = c.training ? CallContext.training(Seeds.of(seed)) : CallContext.inference();
        }

        void call(Layer layer) {
            List<Variable> out = layer.callAll(values, masks, ctx);
            masks = layer.computeMasks(values, masks);
            values = out;
        }

        void backward(List<float[]> w) {
            Variable loss = null;
            for (int i = 0; i < values.size(); i++) {
                Variable y = values.get(i);
                Variable term = Ops.sumAll(Ops.mul(y, Variable.constant(device.tensor(w.get(i), y.shape().dims()))));
                loss = loss == null ? term : Ops.add(loss, term);
            }
            loss = ctx.addedLosses().stream().map(Ops::sumAll).reduce(loss, Ops::add); // activity losses, as fit adds
            loss.backward();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void simdAgreesWithScalar(Case c) {
        long seed = SEED ^ c.name.hashCode();
        Random r = new Random(seed);
        List<float[]> data = new ArrayList<>();
        for (int[] d : c.inputs) {
            data.add(input(c.feed, d, r));
        }
        Side s = new Side(scalar, c, data, seed);
        Side v = new Side(simd, c, data, seed);
        String what = c.name + " (seed " + seed + ", bar " + ATOL + " + " + RTOL + "*max|scalar|)";
        for (int i = 0; i < s.layers.size(); i++) {
            Layer a = s.layers.get(i);
            Layer b = v.layers.get(i);
            List<Shape> shapes = s.values.stream().map(x -> batchless(x.shape())).toList();
            a.build(shapes, scalar, Seeds.of(seed + i));
            b.build(shapes, simd, Seeds.of(seed + i));
            randomize(a, r);
            b.setWeights(a.getWeights());
            s.call(a);
            v.call(b);
        }
        assertThat(v.values).as("%s: number of outputs", what).hasSameSizeAs(s.values);
        List<float[]> w = new ArrayList<>();
        for (Variable y : s.values) {
            w.add(uniform(r, Math.toIntExact(y.value().size()), -1, 1));
        }
        for (int i = 0; i < s.values.size(); i++) {
            close(what + ": output " + i, s.values.get(i).value(), v.values.get(i).value());
            Tensor ms = s.masks.get(i);
            Tensor mv = v.masks.get(i);
            assertThat(mv == null).as("%s: output %d has a mask on simd as on scalar", what, i).isEqualTo(ms == null);
            if (ms != null) {
                close(what + ": mask of output " + i, ms, mv);
            }
        }
        assertThat(v.ctx.addedLosses()).as("%s: added losses", what).hasSameSizeAs(s.ctx.addedLosses());
        for (int i = 0; i < s.ctx.addedLosses().size(); i++) {
            close(what + ": added loss " + i, s.ctx.addedLosses().get(i).value(), v.ctx.addedLosses().get(i).value());
        }
        s.backward(w);
        v.backward(w);
        for (int i = 0; i < s.inputs.size(); i++) {
            if (s.inputs.get(i).isParameter()) {
                close(what + ": gradient of input " + i, s.inputs.get(i).grad(), v.inputs.get(i).grad());
            }
        }
        for (int l = 0; l < s.layers.size(); l++) {
            List<Weight> ws = s.layers.get(l).weights();
            List<Weight> wv = v.layers.get(l).weights();
            // A gradient that cancels to about 0 (MultiHeadAttention's key bias: softmax ignores a
            // constant added to a row) is rounding of terms as large as the layer's other gradients.
            double layerScale = 0;
            for (Weight x : ws) {
                layerScale = x.trainable() ? Math.max(layerScale, largest(x.variable().grad())) : layerScale;
            }
            for (int k = 0; k < ws.size(); k++) {
                String name = what + ": layer " + l + " weight " + ws.get(k).name();
                close(name + " after the call", ws.get(k).value(), wv.get(k).value());
                Tensor gs = ws.get(k).variable().grad();
                Tensor gv = wv.get(k).variable().grad();
                if (ws.get(k).trainable()) {
                    assertThat(gs).as("%s: scalar gradient", name).isNotNull();
                    assertThat(gv).as("%s: simd gradient", name).isNotNull();
                    close(name + " gradient", gs, gv, layerScale);
                } else {
                    assertThat(gv == null).as("%s: simd has a gradient as scalar has", name).isEqualTo(gs == null);
                }
            }
        }
    }

    /** Random weights (zero initialisers too, so biases and offsets count); moving statistics kept. */
    private static void randomize(Layer layer, Random r) {
        for (Weight w : layer.weights()) {
            if (w.trainable()) {
                w.set(scalar.tensor(uniform(r, Math.toIntExact(w.shape().size()), -0.6f, 0.6f), w.shape().dims()));
            }
        }
    }

    private static float[] input(Feed feed, int[] dims, Random r) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        float[] x = uniform(r, n, -1, 1);
        switch (feed) {
            case UNIFORM -> { }
            // Quarters in [-1, 1]: nine values, so windows, rows and merged inputs hold equal maxima.
            case TIES -> {
                for (int i = 0; i < n; i++) {
                    x[i] = Math.round(x[i] * 4) / 4f;
                }
            }
            // Steps whose features are all 0, which Masking() masks, where STEP_MASK has 0.
            case ZERO_STEPS -> {
                int steps = dims[1];
                float[] mask = stepMask(steps);
                int features = n / (dims[0] * steps);
                for (int i = 0; i < n; i++) {
                    if (mask[i / features] == 0) {
                        x[i] = 0;
                    }
                }
            }
            // Token ids in [0, 11), 0 (masked with mask_zero) where STEP_MASK has 0.
            case IDS -> {
                float[] mask = stepMask(dims[1]);
                for (int i = 0; i < n; i++) {
                    x[i] = mask[i] == 0 ? 0 : 1 + r.nextInt(10);
                }
            }
        }
        return x;
    }

    private static float[] uniform(Random r, int n, float lo, float hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * r.nextFloat();
        }
        return v;
    }

    private static Shape batchless(Shape s) {
        return Shape.of(Arrays.copyOfRange(s.dims(), 1, s.rank()));
    }

    private static double largest(Tensor t) {
        double m = 0;
        for (float x : t.toArray()) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    private static void close(String what, Tensor expected, Tensor actual) {
        close(what, expected, actual, 0);
    }

    /** As {@link #close(String, Tensor, Tensor)}, the scale at least {@code minScale}. */
    private static void close(String what, Tensor expected, Tensor actual, double minScale) {
        assertThat(actual.shape()).as("%s: shape", what).isEqualTo(expected.shape());
        assertThat(actual.device()).as("%s: device", what).isSameAs(simd);
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        double scale = Math.max(minScale, largest(expected));
        double bar = ATOL + RTOL * scale;
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs((double) a[i] - e[i]) <= bar)) {
                fail("%s %s element %d: simd %s vs scalar %s, |difference| %.3g over the bar %.3g (%s + %s * %.3g, "
                        + "the largest |scalar| of the tensor, or of its layer's gradients)", what, expected.shape(), i, a[i], e[i],
                        Math.abs((double) a[i] - e[i]), bar, ATOL, RTOL, scale);
            }
        }
    }
}
