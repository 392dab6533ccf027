package io.rnn4j.layers;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Autograd;
import io.rnn4j.layers.autograd.Function;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.Arrays;
import java.util.Locale;

/**
 * Keras's {@code ops.image.affine_transform} on the TensorFlow backend, which is TensorFlow's
 * ImageProjectiveTransformV3 kernel, for a batch of channels_last images {@code (batch, height,
 * width, channels)} and one transform per image. A transform is 8 numbers {@code a0 a1 a2 b0 b1
 * b2 c0 c1} mapping each output pixel {@code (x, y)} to the input point
 * {@code ((a0·x + a1·y + a2) / k, (b0·x + b1·y + b2) / k)}, {@code k = c0·x + c1·y + 1}; a point
 * outside the image is moved in by the fill mode (reflect, wrap, nearest) or reads the fill value
 * (constant); "nearest" reads the pixel at the rounded point, "bilinear" blends the four around it.
 *
 * <p>The coordinates, fill-mode arithmetic and weights are computed on the host in float32 as the
 * kernel computes them; the device does one gather per neighbour (from the images' pixels plus one
 * row of the fill value) and the weighted sum in the kernel's order, so no backend op is needed.
 *
 * <p>The gradient is TensorFlow's, as Keras's fit on TensorFlow applies it: its registered gradient
 * of ImageProjectiveTransformV3 ({@code _image_projective_transform_v3_grad} in
 * tensorflow/python/ops/image_ops.py) transforms the incoming gradient by the inverse transform,
 * with the same interpolation and fill mode and fill value 0. That is not the sampling's exact
 * derivative (the two agree for whole-pixel shifts without reflection), and it is what a trainable
 * layer before these layers receives in Keras.
 */
final class ImageSampling {
    /** Keras's {@code fill_mode}. */
    enum Fill {
        REFLECT, WRAP, CONSTANT, NEAREST;

        /** Keras's name ("reflect", ...). */
        String kerasName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * @param layer "Layer 'name' (Class)", for the message
         * @throws IllegalArgumentException for a name Keras's affine_transform does not take
         */
        static Fill of(String layer, String name) {
            for (Fill f : values()) {
                if (f.kerasName().equals(name)) {
                    return f;
                }
            }
            throw new IllegalArgumentException(layer + ": fill_mode '" + name + "' is not supported; Keras's are "
                    + "'reflect', 'wrap', 'constant' and 'nearest'");
        }
    }

    private ImageSampling() {
    }

    /**
     * The transformed images, with TensorFlow's gradient (the class comment says which).
     *
     * @param layer      "Layer 'name' (Class)", for the message
     * @param x          channels_last images {@code (batch, height, width, channels)}
     * @param transforms one row of 8 numbers per image
     * @param bilinear   "bilinear" interpolation, else "nearest"
     * @throws IllegalArgumentException if the batch holds more pixels than a gather addresses
     */
    static Variable project(String layer, Variable x, float[][] transforms, boolean bilinear, Fill fill,
            float fillValue) {
        return Autograd.apply(new Projective(layer, transforms, bilinear, fill, fillValue), x);
    }

    /** ImageProjectiveTransformV3 and the gradient TensorFlow registers for it. */
    private static final class Projective extends Function {
        private final String layer;
        private final float[][] transforms;
        private final boolean bilinear;
        private final Fill fill;
        private final float fillValue;

        Projective(String layer, float[][] transforms, boolean bilinear, Fill fill, float fillValue) {
            this.layer = layer;
            this.transforms = transforms;
            this.bilinear = bilinear;
            this.fill = fill;
            this.fillValue = fillValue;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            return sample(layer, Variable.constant(in[0]), transforms, bilinear, fill, fillValue).value();
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            float[][] inverse = new float[transforms.length][];
            for (int i = 0; i < inverse.length; i++) {
                inverse[i] = inverse(transforms[i]);
            }
            return new Tensor[] {sample(layer, Variable.constant(g), inverse, bilinear, fill, 0f).value()};
        }
    }

    /**
     * The inverse of a transform as TensorFlow's gradient computes it: the 3×3 matrix
     * {@code [[a0 a1 a2] [b0 b1 b2] [c0 c1 1]]} inverted, divided by its last entry, its first 8
     * entries (here in float64 from the float32 entries, rounded once; TensorFlow inverts in float32).
     */
    private static float[] inverse(float[] t) {
        double a = t[0], b = t[1], c = t[2], d = t[3], e = t[4], f = t[5], g = t[6], h = t[7];
        // The adjugate's entries; the determinant cancels when dividing by the last one.
        double[] adj = {e - f * h, c * h - b, b * f - c * e, f * g - d, a - c * g, c * d - a * f, d * h - e * g,
            b * g - a * h, a * e - b * d};
        float[] inv = new float[8];
        for (int i = 0; i < 8; i++) {
            inv[i] = (float) (adj[i] / adj[8]);
        }
        return inv;
    }

    /** The sampling itself, on constants (its own derivative is not the one TensorFlow registers). */
    private static Variable sample(String layer, Variable x, float[][] transforms, boolean bilinear, Fill fill,
            float fillValue) {
        int batch = x.dim(0);
        int height = x.dim(1);
        int width = x.dim(2);
        int channels = x.dim(3);
        long pixels = (long) batch * height * width;
        if (pixels + 1 > Ops.MAX_GATHER_ROWS) {
            throw new IllegalArgumentException(layer + ": a batch of " + x.shape() + " has too many pixels to "
                    + "transform (" + pixels + ", at most " + (Ops.MAX_GATHER_ROWS - 1) + ")");
        }
        int n = (int) pixels;
        float[] fillRow = new float[channels];
        Arrays.fill(fillRow, fillValue);
        // The fill value is one more row of the table, so an outside read is a gather like any other.
        Variable table = Ops.concat(0, Ops.reshape(x, n, channels),
                Variable.constant(x.device().tensor(fillRow, 1, channels)));
        int corners = bilinear ? 4 : 1;
        float[][] index = new float[corners][n];
        float[][] weight = bilinear ? new float[4][n] : null; // wx0 = xc - x, wx1 = x - xf, wy0, wy1
        for (int b = 0; b < batch; b++) {
            float[] t = transforms[b];
            for (int oy = 0; oy < height; oy++) {
                for (int ox = 0; ox < width; ox++) {
                    int p = (b * height + oy) * width + ox;
                    float fx = ox;
                    float fy = oy;
                    float k = t[6] * fx + t[7] * fy + 1f;
                    if (k == 0f) { // the kernel's own fill for a point at infinity
                        for (int c = 0; c < corners; c++) {
                            index[c][p] = n;
                        }
                        if (bilinear) {
                            weight[0][p] = 1f;
                            weight[2][p] = 1f;
                        }
                        continue;
                    }
                    float ix = map((t[0] * fx + t[1] * fy + t[2]) / k, width, fill);
                    float iy = map((t[3] * fx + t[4] * fy + t[5]) / k, height, fill);
                    int base = b * height * width;
                    if (!bilinear) {
                        index[0][p] = read(base, roundHalfAway(iy), roundHalfAway(ix), height, width, n);
                        continue;
                    }
                    float xf = (float) Math.floor(ix);
                    float yf = (float) Math.floor(iy);
                    float xc = xf + 1f;
                    float yc = yf + 1f;
                    index[0][p] = read(base, (long) yf, (long) xf, height, width, n);
                    index[1][p] = read(base, (long) yf, (long) xc, height, width, n);
                    index[2][p] = read(base, (long) yc, (long) xf, height, width, n);
                    index[3][p] = read(base, (long) yc, (long) xc, height, width, n);
                    weight[0][p] = xc - ix;
                    weight[1][p] = ix - xf;
                    weight[2][p] = yc - iy;
                    weight[3][p] = iy - yf;
                }
            }
        }
        int[] out = {batch, height, width, channels};
        if (!bilinear) {
            return Ops.reshape(Ops.gather(table, x.device().tensor(index[0], n)), out);
        }
        Variable[] g = new Variable[4];
        Variable[] w = new Variable[4];
        for (int c = 0; c < 4; c++) {
            g[c] = Ops.gather(table, x.device().tensor(index[c], n));
            w[c] = Variable.constant(x.device().tensor(weight[c], n, 1));
        }
        // The kernel's order: each row's blend along x, then the two rows' blend along y.
        Variable top = Ops.add(Ops.mul(g[0], w[0]), Ops.mul(g[1], w[1]));
        Variable bottom = Ops.add(Ops.mul(g[2], w[0]), Ops.mul(g[3], w[1]));
        return Ops.reshape(Ops.add(Ops.mul(top, w[2]), Ops.mul(bottom, w[3])), out);
    }

    /** The row of pixel (y, x) of image {@code base}, or the fill row {@code n} outside the image. */
    private static float read(int base, long y, long x, int height, int width, int n) {
        return 0 <= y && y < height && 0 <= x && x < width ? base + (int) y * width + (int) x : n;
    }

    /** C's {@code round}: halves away from zero (Java's Math.round takes them up). */
    private static long roundHalfAway(float v) {
        double d = v;
        return (long) (d >= 0 ? Math.floor(d + 0.5) : -Math.floor(-d + 0.5));
    }

    /**
     * TensorFlow's MapCoordinate for one axis of {@code len} pixels: reflect mirrors {@code [abcd]}
     * to {@code [dcba|abcd|dcba]}, wrap repeats it, nearest clamps, constant leaves the point
     * (to read the fill value); in float32, with its integer casts where it has them.
     */
    static float map(float c, long len, Fill fill) {
        float in = c;
        switch (fill) {
            case CONSTANT -> {
                return in;
            }
            case NEAREST -> {
                return clamp(in, len);
            }
            case REFLECT -> {
                if (in < 0) {
                    if (len <= 1) {
                        in = 0;
                    } else {
                        long sz2 = 2 * len;
                        if (in < sz2) {
                            in = (float) (sz2 * (long) (-in / (float) sz2)) + in;
                        }
                        in = in < -len ? in + (float) sz2 : -in - 1;
                    }
                } else if (in > len - 1) {
                    if (len <= 1) {
                        in = 0;
                    } else {
                        long sz2 = 2 * len;
                        in -= (float) (sz2 * (long) (in / (float) sz2));
                        if (in >= len) {
                            in = (float) sz2 - in - 1;
                        }
                    }
                }
                return clamp(in, len);
            }
            case WRAP -> {
                if (in < 0) {
                    if (len <= 1) {
                        in = 0;
                    } else {
                        long sz = len - 1;
                        in += (float) (len * ((long) (-in / (float) sz) + 1));
                    }
                } else if (in > len - 1) {
                    if (len <= 1) {
                        in = 0;
                    } else {
                        long sz = len - 1;
                        in -= (float) (len * (long) (in / (float) sz));
                    }
                }
                return clamp(in, len);
            }
            default -> throw new AssertionError(fill);
        }
    }

    private static float clamp(float v, long len) {
        return Math.min(Math.max(v, 0f), (float) (len - 1));
    }

    /** A float32 tensor of one value per image, {@code (batch, 1, 1, 1)}, to scale or shift each image. */
    static Tensor perImage(Variable x, float[] values) {
        return x.device().tensor(values.clone(), values.length, 1, 1, 1);
    }
}
