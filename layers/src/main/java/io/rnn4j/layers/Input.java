package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Keras's {@code Input}: declares the shape of a model's input (without the batch dimension), and
 * optionally a fixed batch size (Keras's {@code batch_shape}, which stateful layers need). In a
 * Sequential it is not a layer of the model (as in Keras 3, {@code model.layers} leaves it out); in
 * the functional API it is the symbolic tensor layers are applied to (and, as in Keras 3, one of
 * the model's layers).
 */
public final class Input extends Layer implements Symbolic {
    private final Shape shape;
    private final int batchSize;
    private String dtype = "float32";
    private Node node;

    /**
     * A dimension of any size, given when data comes: Keras's {@code None}, as in
     * {@code Input.shape(Input.NONE, 8)} for sequences of any length with 8 features.
     */
    public static final int NONE = Shape.UNKNOWN;

    private Input(int[] dims, int batchSize) {
        super("input_layer");
        if (dims == null) {
            throw new IllegalArgumentException("Input: dims must not be null");
        }
        for (int d : dims) {
            if (d < 1 && d != NONE) {
                throw new IllegalArgumentException("Input: dimensions must be >= 1 or Input.NONE, got "
                        + Arrays.stream(dims).mapToObj(x -> x == NONE ? "NONE" : String.valueOf(x)).toList());
            }
        }
        this.shape = Shape.withUnknown(dims);
        this.batchSize = batchSize;
    }

    /**
     * An input of {@code dims} per sample, any batch size: {@code Input.shape(10, 1)};
     * {@link #NONE} for a dimension of any size ({@code Input.shape(Input.NONE, 1)}).
     */
    public static Input shape(int... dims) {
        return new Input(dims, 0);
    }

    /** An input with a fixed batch size: {@code Input.batchShape(4, 10, 1)}. */
    public static Input batchShape(int batchSize, int... dims) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("Input: batch size must be >= 1, got " + batchSize);
        }
        return new Input(dims, batchSize);
    }

    @Override
    public Input named(String newName) {
        super.named(newName);
        return this;
    }

    /**
     * Keras's {@code dtype}: "float32" (the default), "bool", as in the video-classification
     * example's {@code Input((20,), dtype="bool")} for the mask it passes with
     * {@link Layer#applyWithMask}, or "int32"/"int64", as Keras's guides declare token ids
     * ({@code keras.Input(shape=(None,), dtype="int32")} before an Embedding). Every input is held as
     * float32 and converted as Keras converts the data to the dtype when the model runs: for bool
     * every value other than 0 becomes 1, for int32/int64 a value is cut toward zero (2.7 to 2, as
     * {@code ops.cast}); ids are exact up to 2^24. Saved and loaded as Keras's dtype.
     *
     * @throws IllegalArgumentException for another dtype (rnn4j computes in float32)
     */
    public Input dtype(String dtype) {
        if (!List.of("float32", "bool", "int32", "int64").contains(dtype)) {
            throw new IllegalArgumentException("Input '" + name() + "': dtype must be \"float32\", \"bool\", "
                    + "\"int32\" or \"int64\", got " + (dtype == null ? "null" : "\"" + dtype + "\""));
        }
        this.dtype = dtype;
        return this;
    }

    /** Keras's dtype of this input: "float32", "bool", "int32" or "int64". */
    public String dtype() {
        return dtype;
    }

    /** Whether this input is declared int32 or int64 (its values cut toward zero when a model runs). */
    public boolean isInteger() {
        return dtype.startsWith("int");
    }

    /** The symbolic tensor layers are applied to in the functional API. */
    @Override
    public SymbolicTensor symbolic() {
        if (node == null) {
            node = addInputNode(shape);
        }
        return node.outputs().get(0);
    }

    /** Its symbolic tensor, as Keras's {@code input_layer.output}. */
    @Override
    public List<SymbolicTensor> outputs() {
        return List.of(symbolic());
    }

    /** The shape of one sample. */
    public Shape sampleShape() {
        return shape;
    }

    /** The fixed batch size, or 0 for any. */
    @Override
    public int fixedBatchSize() {
        return batchSize;
    }

    @Override
    public String className() {
        return "InputLayer";
    }

    @Override
    protected Shape build(Shape inputShape, RandomGenerator random) {
        return inputShape;
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        return x;
    }

    @Override
    public Tensor computeMask(Variable x, Tensor mask) {
        return mask;
    }
}
