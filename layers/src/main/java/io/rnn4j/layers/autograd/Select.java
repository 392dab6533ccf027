package io.rnn4j.layers.autograd;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import java.util.Arrays;

/**
 * Keras's {@code where(keep, a, b)} for a mask: each element from {@code a} where keep is non-zero,
 * else from {@code b}, whatever the other side holds (NaN and ±∞ included, which {@code a·keep +
 * b·(1 − keep)} would turn into NaN), with the gradient going only to the side taken. Written with
 * the device's row gather over {@code a} and {@code b} stacked (its backward is a scatter-add), so
 * every backend runs it without a kernel of its own; the rows are the trailing axes keep is
 * broadcast over, so a (batch, steps, 1) mask over (batch, steps, features) selects whole steps.
 * a and b broadcast to one shape first (NumPy rules), and keep to it.
 */
final class Select {
    private Select() {
    }

    static Variable where(Tensor keep, Variable a, Variable b) {
        Shape s = Device.broadcastShape("where", a.shape(), b.shape());
        a = a.shape().equals(s) ? a : Ops.broadcastTo(a, s);
        b = b.shape().equals(s) ? b : Ops.broadcastTo(b, s);
        int rank = s.rank();
        if (keep.rank() > rank) {
            throw new IllegalArgumentException("where: the mask " + keep.shape() + " has more axes than " + s);
        }
        int[] k = new int[rank];  // keep's dims, padded in front with 1s (NumPy)
        Arrays.fill(k, 1);
        System.arraycopy(keep.shape().dims(), 0, k, rank - keep.rank(), keep.rank());
        int lead = rank;  // the axes before `lead` index rows; keep is 1 over every axis from it on
        while (lead > 0 && k[lead - 1] == 1) {
            lead--;
        }
        int[] rowDims = new int[lead];
        for (int i = 0; i < lead; i++) {
            if (k[i] != 1 && k[i] != s.dim(i)) {
                throw new IllegalArgumentException("where: the mask " + keep.shape() + " does not broadcast to " + s);
            }
            rowDims[i] = s.dim(i);
        }
        long rowCount = Shape.of(rowDims).size();
        if (rowCount == 0 || s.size() == 0) {
            return Ops.add(Ops.scale(a, 0f), Ops.scale(b, 0f));  // empty: a tensor of the right shape
        }
        int rows = Math.toIntExact(rowCount);
        int width = Math.toIntExact(s.size() / rows);
        Device d = keep.device();
        Tensor keepRows = d.zeros(Shape.of(rowDims));
        d.broadcast(keep.reshape(Arrays.copyOf(k, lead)), keepRows);
        float[] kv = keepRows.toArray();
        if (2L * rows > Ops.MAX_GATHER_ROWS) {
            // Too many rows for exact float32 indices: the arithmetic form, exact for finite values.
            Tensor drop = d.zeros(keep.shape());
            d.affine(keep, -1f, 1f, drop);
            return Ops.add(Ops.mul(a, Variable.constant(keep)), Ops.mul(b, Variable.constant(drop)));
        }
        float[] idx = new float[rows];
        for (int r = 0; r < rows; r++) {
            idx[r] = kv[r] != 0f ? r : rows + r;
        }
        Variable table = Ops.concat(0, Ops.reshape(a, rows, width), Ops.reshape(b, rows, width));
        return Ops.reshape(Ops.gather(table, d.tensor(idx, rows)), s.dims());
    }
}
