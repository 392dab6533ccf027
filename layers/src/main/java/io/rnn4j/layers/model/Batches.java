package io.rnn4j.layers.model;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;

/** Cutting mini-batches out of a dataset tensor (first axis = samples). */
final class Batches {
    private Batches() {
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
