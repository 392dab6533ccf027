package io.rnn4j.layers.model;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Layer;
import java.util.List;

/** Cutting mini-batches out of a dataset tensor (first axis = samples). */
final class Batches {
    private Batches() {
    }

    /**
     * Checks, before anything runs, that {@code samples} cut into batches of {@code batchSize} give
     * only batches a model of fixed batch size can take: every batch of {@code fixed} samples, or,
     * with {@code fixed} 0 but a stateful layer ({@code reason} not null), every batch of one size
     * (Keras's rule for a fixed batch_shape, checked per batch there; here up front, so that a
     * short last batch cannot fail a fit that already updated the weights).
     *
     * @param reason why the size is fixed, for the message (see {@code ModelLayers.fixedBatchReason}),
     *               or null when the model takes any size
     * @throws IllegalArgumentException naming the size needed, the batches the data make, and the way out
     */
    static void checkSizes(String where, int fixed, String reason, int samples, int batchSize) {
        if (reason == null || samples == 0) {
            return;
        }
        int first = Math.min(samples, batchSize);
        int need = fixed > 0 ? fixed : first;
        int rest = samples > batchSize ? samples % batchSize : 0;
        if (first != need) {
            throw new IllegalArgumentException(where + ": the model takes batches of exactly " + need
                    + " samples (" + reason + "), but " + samples + " samples in batches of " + batchSize
                    + " make batches of " + first + "; pass batch size " + need + " and a multiple of " + need
                    + " samples");
        }
        if (rest != 0) {
            throw new IllegalArgumentException(where + ": the model takes batches of exactly " + need
                    + " samples (" + reason + "), but " + samples + " samples in batches of " + batchSize
                    + " leave a last batch of " + rest + "; pass a multiple of " + need + " samples");
        }
    }

    /**
     * One tensor per Input, each {@code (batch,) + its sample shape} (None taking any size) on
     * {@code device}, all of one number of samples.
     *
     * @throws IllegalArgumentException naming the input, what it needs and what came
     */
    static void checkInputs(Layer model, String op, List<Input> inputs, Device device, List<Tensor> xs) {
        if (xs.size() != inputs.size()) {
            throw new IllegalArgumentException(model.name() + "." + op + ": expected " + inputs.size() + " input"
                    + (inputs.size() == 1 ? "" : "s") + " " + inputs.stream().map(i -> i.name() + " "
                    + Layer.batchless(i.sampleShape())).toList() + ", got " + xs.size());
        }
        for (int i = 0; i < xs.size(); i++) {
            Tensor x = xs.get(i);
            Input in = inputs.get(i);
            Shape want = in.sampleShape();
            if (x == null || !Layer.fits(want, x.shape())) {
                throw new IllegalArgumentException(model.name() + "." + op + ": input " + i + " ('" + in.name() + "') is "
                        + "incompatible: expected shape=" + Layer.batchless(want) + ", found shape="
                        + (x == null ? "null" : x.shape()));
            }
            if (x.device() != device) {
                throw new IllegalArgumentException(model.name() + "." + op + ": input '" + in.name() + "' lives on "
                        + x.device().name() + " but the model on " + device.name() + "; move it with x.to(model.device())");
            }
            if (x.dim(0) != xs.get(0).dim(0)) {
                throw new IllegalArgumentException(model.name() + "." + op + ": every input needs the same number of samples; "
                        + "'" + inputs.get(0).name() + "' has " + xs.get(0).dim(0) + ", '" + in.name() + "' has "
                        + x.dim(0));
            }
        }
    }

    /** One batch of {@code batch} samples must have each Input's fixed batch size (Keras's batch_shape). */
    static void checkFixedInputs(String where, List<Input> inputs, int batch) {
        for (Input in : inputs) {
            if (in.fixedBatchSize() > 0 && batch != in.fixedBatchSize()) {
                throw new IllegalArgumentException(where + ": Input '" + in.name() + "' has batch_shape with batch "
                        + "size " + in.fixedBatchSize() + ", got a batch of " + batch);
            }
        }
    }

    /** The first Input of a fixed batch size, as {@link #checkSizes}'s reason, or null when none is. */
    static String fixedInput(List<Input> inputs) {
        return inputs.stream().filter(in -> in.fixedBatchSize() > 0).findFirst()
                .map(in -> "Input '" + in.name() + "' has batch_shape").orElse(null);
    }

    /**
     * The tensor that collects {@code n} samples of one output, each of shape {@code sample}; null
     * when {@code sample} has a size known only from data (None), to be made from the first batch's
     * output (with no samples there is none: those sizes are 0 then).
     */
    static Tensor outputs(Device device, int n, Shape sample) {
        if (!sample.isKnown() && n > 0) {
            return null;
        }
        int[] dims = new int[sample.rank() + 1];
        dims[0] = n;
        for (int i = 0; i < sample.rank(); i++) {
            dims[i + 1] = Math.max(0, sample.dim(i));
        }
        return device.zeros(Shape.of(dims));
    }

    /**
     * Samples {@code from .. from+count-1} of {@code order} (or of the data itself when order is
     * null, as a view): a device gather of whole rows otherwise.
     */
    static Tensor rows(Tensor data, int[] order, int from, int count) {
        if (order == null) {
            return data.narrow(from, count);
        }
        Device d = data.device();
        int n = data.dim(0);
        int rowSize = Math.toIntExact(data.size() / Math.max(1, n));
        float[] ids = new float[count];
        for (int i = 0; i < count; i++) {
            ids[i] = order[from + i];
        }
        Tensor out = d.zeros(count, rowSize);
        d.gather(data.reshape(n, rowSize), d.tensor(ids, count), out);
        int[] dims = data.shape().dims();
        dims[0] = count;
        return out.reshape(dims);
    }
}
