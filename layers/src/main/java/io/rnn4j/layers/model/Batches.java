package io.rnn4j.layers.model;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Weight;
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
     * Whether a model's output {@code y} is storage of its own, which predict may hand to its caller:
     * not that of an input (a model of Reshape or Dropout alone), another output, or a weight.
     */
    static boolean isOwnResult(Tensor y, List<Tensor> others, List<Weight> weights, List<Layer> layers) {
        if (ModelLayers.firstStateful(layers) != null) {
            return false;  // a stateful layer keeps its returned states as the next call's
        }
        for (Tensor t : others) {
            if (t.storage() == y.storage()) {
                return false;
            }
        }
        for (Weight w : weights) {
            if (w.value().storage() == y.storage()) {
                return false;
            }
        }
        return true;
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
