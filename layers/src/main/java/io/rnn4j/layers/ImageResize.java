package io.rnn4j.layers;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.Arrays;

/**
 * Keras's {@code ops.image.resize} on the TensorFlow backend for channels_last images
 * {@code (batch, height, width, channels)}: {@code tf.image.resize} with "bilinear" (TensorFlow's
 * ResizeBilinear with half-pixel centers, columns then rows in float32; {@link UpSampling2D}'s
 * "bilinear" is this for whole factors and uses {@link #linear}) or "nearest" (ResizeNearestNeighbor with half-pixel centers), and
 * Keras's crop_to_aspect_ratio (the largest centred window of the target's aspect) and
 * pad_to_aspect_ratio (the fill value on both sides of the short axis). Gathers and pointwise ops:
 * the gradient reaches every pixel read, by scatter-add.
 */
final class ImageResize {
    private ImageResize() {
    }

    /**
     * {@code x} resized to {@code (height, width)}.
     *
     * @param layer "Layer 'name' (Class)", for the message
     */
    static Variable resize(String layer, Variable x, int height, int width, boolean bilinear) {
        if (bilinear) {
            // TensorFlow blends along the columns, then between the rows of the result.
            return linear(layer, linear(layer, x, 2, width), 1, height);
        }
        return nearest(layer, nearest(layer, x, 1, height), 2, width);
    }

    /**
     * Keras's crop_to_aspect_ratio: the centred window of the target's aspect, sizes in float32 as
     * the TensorFlow backend computes them ({@code int(float(width·targetHeight) / targetWidth)},
     * at least 1, at most the image).
     */
    static Variable cropToAspect(Variable x, int height, int width) {
        int h = x.dim(1);
        int w = x.dim(2);
        int cropH = Math.max(Math.min(h, (int) ((float) ((long) w * height) / width)), 1);
        int cropW = Math.max(Math.min(w, (int) ((float) ((long) h * width) / height)), 1);
        int top = (int) ((float) (h - cropH) / 2);
        int left = (int) ((float) (w - cropW) / 2);
        return Ops.slice(Ops.slice(x, 1, top, cropH), 2, left, cropW);
    }

    /**
     * Keras's pad_to_aspect_ratio: {@code int((padded - size) / 2)} rows (or columns) of the fill
     * value on each side of the short axis, as the TensorFlow backend pads (an odd difference loses
     * one row, as there).
     */
    static Variable padToAspect(Variable x, int height, int width, float fillValue) {
        int h = x.dim(1);
        int w = x.dim(2);
        int padH = Math.max(h, (int) ((float) ((long) w * height) / width));
        int padW = Math.max(w, (int) ((float) ((long) h * width) / height));
        int top = (int) ((float) (padH - h) / 2);
        int left = (int) ((float) (padW - w) / 2);
        Variable y = x;
        if (top > 0) {
            Variable band = fill(x, 1, top, fillValue);
            y = Ops.concat(1, band, y, band);
        }
        if (left > 0) {
            Variable band = fill(y, 2, left, fillValue);
            y = Ops.concat(2, band, y, band);
        }
        return y;
    }

    private static Variable fill(Variable like, int axis, int size, float value) {
        int[] dims = like.shape().dims();
        dims[axis] = size;
        float[] v = new float[Math.toIntExact(like.shape().with(axis, size).size())];
        Arrays.fill(v, value);
        return Variable.constant(like.device().tensor(v, dims));
    }

    /**
     * {@code m} samples along {@code axis} read from its {@code n} by TensorFlow's nearest-neighbour
     * rule with half-pixel centers: {@code min(floor((i + 0.5)·scale), n - 1)}, {@code scale = n/m}
     * in float32.
     */
    static Variable nearest(String layer, Variable x, int axis, int m) {
        int n = x.dim(axis);
        if (n == m) {
            return x;
        }
        float scale = (float) n / (float) m;
        float[] from = new float[m];
        for (int i = 0; i < m; i++) {
            from[i] = Math.max(0, Math.min((int) Math.floor(((float) i + 0.5f) * scale), n - 1));
        }
        return Ops.reshape(gatherAlong(layer, x, axis, from), withAxis(x, axis, m));
    }

    /**
     * {@code m} samples along {@code axis} (of any rank and position) interpolated linearly between
     * its {@code n}, as TensorFlow's ResizeBilinear computes one axis: input {@code in = (i + 0.5)·scale - 0.5},
     * {@code scale = n/m}, between {@code max(floor(in), 0)} and {@code min(ceil(in), n - 1)} with
     * weight {@code in - floor(in)}, as {@code a + (b - a)·lerp}, all in float32.
     */
    static Variable linear(String layer, Variable x, int axis, int m) {
        int n = x.dim(axis);
        if (n == m) {
            return x; // in = i exactly: lerp 0, each value read unchanged
        }
        float scale = (float) n / (float) m;
        float[] lower = new float[m];
        float[] upper = new float[m];
        float[] lerp = new float[m];
        for (int i = 0; i < m; i++) {
            float in = ((float) i + 0.5f) * scale - 0.5f;
            float floor = (float) Math.floor(in);
            lower[i] = Math.max((int) floor, 0);
            upper[i] = Math.min((int) Math.ceil(in), n - 1);
            lerp[i] = in - floor;
        }
        int[] out = withAxis(x, axis, m);
        Variable a = Ops.reshape(gatherAlong(layer, x, axis, lower), out);
        Variable b = Ops.reshape(gatherAlong(layer, x, axis, upper), out);
        int[] weightDims = new int[x.rank()];
        Arrays.fill(weightDims, 1);
        weightDims[axis] = m;
        Tensor w = x.device().tensor(lerp, weightDims);
        return Ops.add(a, Ops.mul(Ops.sub(b, a), Variable.constant(w)));
    }

    private static int[] withAxis(Variable x, int axis, int m) {
        int[] d = x.shape().dims();
        d[axis] = m;
        return d;
    }

    /** For each outer index, the rows {@code from[i]} of {@code axis}: a gather on {@code (outer·n, inner)}. */
    private static Variable gatherAlong(String layer, Variable x, int axis, float[] from) {
        int[] dims = x.shape().dims();
        long before = 1;
        int after = 1;
        for (int a = 0; a < dims.length; a++) {
            if (a < axis) {
                before *= dims[a];
            } else if (a > axis) {
                after *= dims[a];
            }
        }
        int n = dims[axis];
        if (before * n > Ops.MAX_GATHER_ROWS) {
            throw new IllegalArgumentException(layer + ": an input of " + x.shape() + " is too large to resize ("
                    + before * n + " rows to gather, at most " + Ops.MAX_GATHER_ROWS + ")");
        }
        int m = from.length;
        float[] rows = new float[Math.toIntExact(before * m)];
        for (int p = 0; p < before; p++) {
            for (int i = 0; i < m; i++) {
                rows[p * m + i] = (float) p * n + from[i];
            }
        }
        Variable table = Ops.reshape(x, Math.toIntExact(before * n), after);
        return Ops.gather(table, x.device().tensor(rows, rows.length));
    }
}
