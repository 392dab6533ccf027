package io.rnn4j.layers.autograd;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;

/**
 * Rows of a 2-D table picked by integral indices (an embedding lookup): out is indices' shape plus
 * the table's columns; the table's gradient is a scatter-add of the upstream rows. Indices get no
 * gradient.
 */
final class Gather extends Function {

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor table = in[0];
        Tensor indices = in[1];
        int[] idx = indices.shape().dims();
        int[] dims = new int[idx.length + 1];
        System.arraycopy(idx, 0, dims, 0, idx.length);
        dims[idx.length] = table.dim(1);
        Tensor out = table.device().zeros(Shape.of(dims));
        table.device().gather(table, indices, out);
        save(indices);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Device d = g.device();
        Tensor dTable = d.zeros(inputs[0].shape());
        d.scatterAdd(g, saved(0), dTable);
        return new Tensor[] {dTable, null};
    }
}
