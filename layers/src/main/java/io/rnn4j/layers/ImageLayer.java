package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import java.util.random.RandomGenerator;

/**
 * What Keras 3's image preprocessing layers ({@code BaseImagePreprocessingLayer}) share here:
 * batches of images {@code (batch, height, width, channels)}, or {@code (batch, channels, height,
 * width)} with data_format "channels_first" (computed channels_last between two moves), any
 * height and width, no weights, and the mask dropped (their supports_masking is False). The
 * random ones draw one transformation per image in training (fit) and are the identity at
 * inference; a layer given a {@code seed} draws from its own stream started from it (as Keras's
 * SeedGenerator), else from the training call's stream. The draws are rnn4j's, not Keras's bits.
 */
public abstract sealed class ImageLayer extends Layer permits Resizing, CenterCrop, RandomCrop, RandomFlip,
        AffineImageLayer, RandomContrast, RandomBrightness {
    private final ChannelsFirst moves;
    private final Long seed;
    private final RandomGenerator own;
    private final DroppedMaskWarning droppedMask = new DroppedMaskWarning();

    /**
     * @param dataFormat Keras's data_format: "channels_last", "channels_first", or null (channels_last)
     * @param seed       the layer's own seed, or null to draw from the training call's stream
     * @throws IllegalArgumentException for another data_format, naming the layer
     */
    ImageLayer(String kerasPrefix, String dataFormat, Long seed) {
        super(kerasPrefix);
        this.moves = ChannelsFirst.of(where(), name(), dataFormat, 2);
        this.seed = seed;
        this.own = seed == null ? null : Seeds.of(seed);
    }

    /** Keras's data_format: "channels_last" or "channels_first". */
    public final String dataFormat() {
        return ChannelsFirst.format(moves);
    }

    /** Keras's {@code seed}: the layer's own stream's seed, or null (the training call's stream). */
    public final Long seed() {
        return seed;
    }

    @Override
    protected final Shape build(Shape in, RandomGenerator random) {
        String axes = moves == null ? "(batch, height, width, channels)" : "(batch, channels, height, width)";
        if (in.rank() == 4) {
            // Keras refuses a video too; its frames go through TimeDistributed, one draw per frame
            throw new IllegalArgumentException(where() + ": expected an input " + axes + ", got " + batchless(in)
                    + ": for the frames of a video, wrap it in TimeDistributed (each frame gets its own draw)");
        }
        requireRank(in, 3, axes);
        return outputShapeFor(in);
    }

    /** Any sizes of images (of rank 4 with the batch). */
    @Override
    protected final Shape acceptedShape() {
        return keepingOnly(inputShape());
    }

    /** The output sample shape for a channels_last sample {@code (height, width, channels)}; the input's by default. */
    Shape outputLast(Shape in) {
        return in;
    }

    @Override
    protected final Shape outputShapeFor(Shape in) {
        return moves == null ? outputLast(in) : ChannelsFirst.toFirst(outputLast(ChannelsFirst.toLast(in)));
    }

    @Override
    protected final Variable forward(Variable x, Tensor mask, CallContext ctx) {
        droppedMask.check(this, mask); // Keras's warning: supports_masking is False
        return inFormat(x, last -> transform(last, ctx));
    }

    /** The layer's computation on channels_last images {@code (batch, height, width, channels)}. */
    abstract Variable transform(Variable images, CallContext ctx);

    /** {@code f} applied to {@code x} moved to channels_last, its result moved back to the layer's format. */
    final Variable inFormat(Variable x, java.util.function.UnaryOperator<Variable> f) {
        return moves == null ? f.apply(x) : moves.toFirst(f.apply(moves.toLast(x)));
    }

    /**
     * A given transformation applied to a batch of images in the layer's data_format, as Keras's
     * {@code transform_images(images, transformation, training=True)}: a constant result.
     *
     * @throws IllegalArgumentException unless the images have rank 4 and one value per image
     */
    final Tensor given(Tensor images, int values, java.util.function.UnaryOperator<Variable> f) {
        if (images.shape().rank() != 4) {
            throw new IllegalArgumentException(where() + ": expected images (batch, height, width, channels) or "
                    + "(batch, channels, height, width), got shape " + images.shape());
        }
        if (values >= 0 && values != images.shape().dim(0)) {
            throw new IllegalArgumentException(where() + ": expected one transformation per image ("
                    + images.shape().dim(0) + "), got " + values);
        }
        return inFormat(Variable.constant(images), f).value();
    }

    /** The stream a training call draws from: the layer's own (seeded) one, else the call's. */
    final RandomGenerator random(CallContext ctx) {
        if (own != null) {
            return own;
        }
        if (ctx.random() == null) {
            throw new IllegalStateException(where() + ": training needs a random stream in the CallContext");
        }
        return ctx.random();
    }

    /** A uniform float32 in {@code [lo, hi)}, as Keras's random.uniform draws one. */
    static float uniform(RandomGenerator r, double lo, double hi) {
        synchronized (r) {
            return (float) (lo + (hi - lo) * r.nextDouble());
        }
    }

    /** A positive image size, checked. */
    final int size(String option, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(where() + ": " + option + " must be a positive number of pixels, got "
                    + value);
        }
        return value;
    }

    /** Keras's interpolation of the affine layers and resize: "bilinear" or "nearest". */
    final boolean bilinear(String interpolation, String others) {
        if ("bilinear".equals(interpolation)) {
            return true;
        }
        if ("nearest".equals(interpolation)) {
            return false;
        }
        throw new IllegalArgumentException(where() + ": interpolation '" + interpolation + "' is not supported; "
                + "rnn4j computes 'bilinear' and 'nearest'" + others);
    }
}
