package io.rnn4j.engine;

import io.rnn4j.engine.spi.Storage;
import java.util.Arrays;

/**
 * A float32, row-major, contiguous tensor living on one {@link Device}.
 *
 * <p>A tensor is a view (offset + shape) of a {@link Storage}. Views along the first axis
 * ({@link #slice}, {@link #narrow}) and reshapes share the storage; everything else copies. Moving
 * between devices is explicit: {@link #to(Device)}. Closing the tensor that allocated a storage
 * frees it (device memory); closing a view does nothing.
 */
public final class Tensor implements AutoCloseable {
    private final Device device;
    private final Shape shape;
    private final Storage storage;
    private final long offset;
    private final boolean owner;

    Tensor(Device device, Shape shape, Storage storage, long offset, boolean owner) {
        if (!shape.isKnown()) {
            throw new IllegalArgumentException("tensor: shape " + shape + " has an unknown dimension (None); a "
                    + "tensor's dimensions are all known");
        }
        this.device = device;
        this.shape = shape;
        this.storage = storage;
        this.offset = offset;
        this.owner = owner;
    }

    /** A tensor on the default device holding a copy of {@code data}, shaped {@code dims}. */
    public static Tensor of(float[] data, int... dims) {
        return Devices.defaultDevice().tensor(data, dims);
    }

    /** A zero tensor on the default device. */
    public static Tensor zeros(int... dims) {
        return Devices.defaultDevice().zeros(dims);
    }

    public Device device() {
        return device;
    }

    public Shape shape() {
        return shape;
    }

    public int rank() {
        return shape.rank();
    }

    /** The dimension at {@code axis} (negative counts from the end). */
    public int dim(int axis) {
        return shape.dim(axis);
    }

    /** The number of elements. */
    public long size() {
        return shape.size();
    }

    /** The storage this tensor views; for backends. */
    public Storage storage() {
        return storage;
    }

    /** Where this tensor's first element is in its storage; for backends. */
    public long offset() {
        return offset;
    }

    /** The elements, copied to a new host array in row-major order. */
    public float[] toArray() {
        float[] out = new float[Math.toIntExact(size())];
        device.backend().read(storage, offset, out, 0, out.length);
        return out;
    }

    /** The element at {@code index} (one index per axis). Reads from the device: not for hot loops. */
    public float get(int... index) {
        if (index == null || index.length != rank()) {
            throw new IllegalArgumentException("get: expected " + rank() + " indices for shape " + shape + ", got "
                    + Arrays.toString(index));
        }
        long flat = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape.dim(i)) {
                throw new IndexOutOfBoundsException("get: index " + Arrays.toString(index) + " is outside shape "
                        + shape);
            }
            flat = flat * shape.dim(i) + index[i];
        }
        float[] one = new float[1];
        device.backend().read(storage, offset + flat, one, 0, 1);
        return one[0];
    }

    /** The only element of a tensor of size 1. */
    public float item() {
        if (size() != 1) {
            throw new IllegalStateException("item: expected a tensor of size 1, got shape " + shape);
        }
        return toArray()[0];
    }

    /** A copy on {@code target} (this tensor itself when it already lives there). */
    public Tensor to(Device target) {
        if (target == null) {
            throw new IllegalArgumentException("to: target must be a device, got null");
        }
        if (target == device) {
            return this;
        }
        return target.tensor(toArray(), shape.dims());
    }

    /** A copy on the same device. */
    public Tensor copy() {
        Tensor out = device.zeros(shape);
        device.copy(this, out);
        return out;
    }

    /**
     * A view with the same elements in another shape (row-major order is kept); one dimension may be
     * -1, inferred from the others.
     */
    public Tensor reshape(int... dims) {
        if (dims == null) {
            throw new IllegalArgumentException("reshape: dims must not be null");
        }
        int[] d = dims.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < d.length; i++) {
            if (d[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape: at most one dimension may be -1, got "
                            + Arrays.toString(dims));
                }
                infer = i;
            } else if (d[i] < 0) {
                throw new IllegalArgumentException("reshape: dimensions must be >= 0 (or one -1), got "
                        + Arrays.toString(dims));
            } else {
                try {
                    known = Math.multiplyExact(known, d[i]);
                } catch (ArithmeticException e) {
                    known = -1; // more elements than a long counts: reported below
                    break;
                }
            }
        }
        if (infer >= 0) {
            // With a zero among the known dimensions the -1 could be anything: refuse rather than guess.
            if (known <= 0 || size() % known != 0) {
                throw new IllegalArgumentException("reshape: cannot view shape " + shape + " (" + size()
                        + " elements) as " + Arrays.toString(dims));
            }
            d[infer] = Math.toIntExact(size() / known);
            known = size();
        }
        if (known != size()) {
            throw new IllegalArgumentException("reshape: cannot view shape " + shape + " (" + size()
                    + " elements) as " + Arrays.toString(dims));
        }
        return new Tensor(device, Shape.of(d), storage, offset, false);
    }

    /** A view of rows {@code start .. start+length-1} along the first axis. */
    public Tensor narrow(int start, int length) {
        if (rank() == 0) {
            throw new IllegalArgumentException("narrow: expected a tensor of rank >= 1, got shape " + shape);
        }
        if (start < 0 || length < 0 || (long) start + length > shape.dim(0)) {
            throw new IllegalArgumentException("narrow: rows [" + start + ", " + ((long) start + length)
                    + ") must lie within [0, " + shape.dim(0) + ") of the first axis of shape " + shape);
        }
        return new Tensor(device, shape.with(0, length), storage, offset + start * shape.inner(0), false);
    }

    /** A view of row {@code index} of the first axis, one rank lower. */
    public Tensor slice(int index) {
        if (rank() == 0 || index < 0 || index >= shape.dim(0)) {
            throw new IllegalArgumentException("slice: index must be in [0, " + (rank() == 0 ? 0 : shape.dim(0))
                    + ") of the first axis of shape " + shape + ", got " + index);
        }
        return new Tensor(device, shape.tail(), storage, offset + index * shape.inner(0), false);
    }

    /**
     * Time step {@code t} of a (batch, timesteps, features) tensor, as (batch, features). When batch
     * is 1 this is a view (writes reach this tensor); otherwise the step's rows are strided, so it is
     * a new tensor holding a copy.
     */
    public Tensor timeStep(int t) {
        if (rank() != 3) {
            throw new IllegalArgumentException("timeStep: expected a (batch, timesteps, features) tensor, got shape "
                    + shape);
        }
        int b = shape.dim(0);
        int steps = shape.dim(1);
        int f = shape.dim(2);
        if (t < 0 || t >= steps) {
            throw new IllegalArgumentException("timeStep: step must be in [0, " + steps + ") for shape " + shape
                    + ", got " + t);
        }
        if (b == 1) {
            return new Tensor(device, Shape.of(1, f), storage, offset + (long) t * f, false);
        }
        Tensor out = device.zeros(Shape.of(b, f));
        // One row-sized copy per batch row: row i of the step starts at (i · steps + t) · f.
        for (int i = 0; i < b; i++) {
            device.copy(new Tensor(device, Shape.of(1, f), storage, offset + ((long) i * steps + t) * f, false),
                    out.narrow(i, 1));
        }
        return out;
    }

    /** Frees the storage if this tensor allocated it. */
    @Override
    public void close() {
        if (owner) {
            storage.close();
        }
    }

    /** The shape, the device, and the first elements. */
    @Override
    public String toString() {
        float[] head = new float[(int) Math.min(size(), 8)];
        device.backend().read(storage, offset, head, 0, head.length);
        String values = Arrays.toString(head);
        if (size() > head.length) {
            values = values.substring(0, values.length() - 1) + ", ...]";
        }
        return "Tensor" + shape + " on " + device.name() + " " + values;
    }
}
