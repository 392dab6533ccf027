package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EinsumDense equation resolved for one input rank: the kernel and bias shapes Keras's
 * {@code _analyze_einsum_string} gives, and the einsum itself as one (batched) matrix product with
 * the axis moves around it. Letters under an ellipsis get names of their own (chars from U+0100),
 * so that every form is handled as a fully named equation.
 */
final class EinsumPlan {
    private static final Pattern PLAIN = Pattern.compile("([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)");
    private static final Pattern LEFT = Pattern.compile("0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)");
    private static final Pattern RIGHT = Pattern.compile("([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0");
    private static final char ELIDED = '\u0100';

    /** The three letter strings of an equation and where its ellipsis is (0 none, 1 left, 2 right). */
    record Spec(String input, String kernel, String output, int ellipsis) {
        static Spec parse(String equation, String where) {
            String s = equation.replace("...", "0");
            Matcher m;
            int form;
            if ((m = PLAIN.matcher(s)).matches()) {
                form = 0;
            } else if ((m = LEFT.matcher(s)).matches()) {
                form = 1;
            } else if ((m = RIGHT.matcher(s)).matches()) {
                form = 2;
            } else {
                throw new IllegalArgumentException(where + ": invalid einsum equation '" + equation + "'. Equations "
                        + "must be in the form [X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]....");
            }
            Spec spec = new Spec(m.group(1), m.group(2), m.group(3), form);
            for (String part : List.of(spec.input, spec.kernel, spec.output)) {
                if (part.chars().distinct().count() != part.length()) {
                    throw new IllegalArgumentException(where + ": equation '" + equation + "' repeats a letter in '"
                            + part + "'; rnn4j's EinsumDense takes each letter once per operand (no diagonals)");
                }
            }
            for (char c : spec.output.toCharArray()) {
                if (spec.input.indexOf(c) < 0 && spec.kernel.indexOf(c) < 0) {
                    throw new IllegalArgumentException(where + ": dimension '" + c + "' was specified in the output '"
                            + spec.output + "' but has no corresponding dim in the input spec '" + spec.input
                            + "' or weight spec '" + spec.kernel + "'");
                }
            }
            for (char c : spec.kernel.toCharArray()) {
                if (spec.input.indexOf(c) < 0 && spec.output.indexOf(c) < 0) {
                    throw new IllegalArgumentException(where + ": weight dimension '" + c + "' did not have a match "
                            + "in either the input spec '" + spec.input + "' or the output spec '" + spec.output
                            + "'. For this layer, the weight must be fully specified.");
                }
            }
            return spec;
        }
    }

    private final String in;     // the input's letters, batch axis first, ellipsis named
    private final String kernel;
    private final String out;
    private final int elided;    // how many axes the ellipsis stands for
    private final int[] partial; // the output's sizes at its non-ellipsis axes after the first (UNKNOWN: None)
    private final Shape kernelShape;
    private final Shape biasShape;
    private final int fanIn;
    private final int[] bound;   // sample axes whose size the kernel (or output_shape) fixes
    // One per axis move, each keeping its gather indices for the next call on the same shapes.
    private final Transposes inputMove = new Transposes();
    private final Transposes kernelMove = new Transposes();
    private final Transposes outputMove = new Transposes();

    private EinsumPlan(String in, String kernel, String out, int elided, int[] partial, Shape kernelShape,
            Shape biasShape, int fanIn, int[] bound) {
        this.in = in;
        this.kernel = kernel;
        this.out = out;
        this.elided = elided;
        this.partial = partial;
        this.kernelShape = kernelShape;
        this.biasShape = biasShape;
        this.fanIn = fanIn;
        this.bound = bound;
    }

    /**
     * Resolves {@code spec} for inputs of {@code sample} (no batch axis), as Keras's
     * {@code _analyze_split_string}.
     *
     * @throws IllegalArgumentException naming {@code where} for a rank or size that does not fit
     */
    static EinsumPlan of(Spec spec, Shape sample, int[] partial, String biasAxes, String where) {
        int rank = sample.rank() + 1;
        int elided = rank - spec.input.length();
        if (spec.ellipsis == 0 ? elided != 0 : elided < 0) {
            throw new IllegalArgumentException(where + ": equation input '" + spec.input + "'" + (spec.ellipsis == 0
                    ? " names " + spec.input.length() + " axes (the batch axis first), got an input of rank "
                    : (" needs an input of rank " + spec.input.length() + " or more, got one of rank "))
                    + rank + " " + Layer.batchless(sample));
        }
        StringBuilder e = new StringBuilder();
        for (int i = 0; i < elided; i++) {
            e.append((char) (ELIDED + i));
        }
        String in = spec.ellipsis == 2 ? spec.input + e : e + spec.input;
        String out = spec.ellipsis == 2 ? spec.output + e : e + spec.output;
        int named = 0; // output axes after the first that output_shape gives
        for (int p = 1; p < out.length(); p++) {
            named += out.charAt(p) < ELIDED ? 1 : 0;
        }
        if (partial.length != named) {
            throw new IllegalArgumentException(where + ": output_shape " + show(partial) + " must give " + named
                    + " size" + (named == 1 ? "" : "s") + " (the output '" + spec.output + "' after the batch axis"
                    + (spec.ellipsis == 0 ? "" : ", outside the ellipsis") + "), for input " + Layer.batchless(sample));
        }
        int[] inDims = inDims(sample);
        int[] outDims = outDims(in, out, inDims, partial);
        List<Integer> bound = new ArrayList<>();
        for (int a = 1; a < in.length(); a++) {
            char c = in.charAt(a);
            int o = out.indexOf(c);
            if (o >= 0 && outDims[o] != Shape.UNKNOWN && out.charAt(o) < ELIDED && o > 0 && outDims[o] != inDims[a]) {
                throw new IllegalArgumentException(where + ": input shape and output shape do not match at shared "
                        + "dimension '" + c + "'. Input shape is " + show(inDims[a]) + ", and output shape is "
                        + outDims[o] + " (input " + Layer.batchless(sample) + ", output_shape " + show(partial) + ")");
            }
            if (spec.kernel.indexOf(c) >= 0 || o > 0 && outDims[o] != Shape.UNKNOWN && c < ELIDED) {
                bound.add(a - 1);
            }
        }
        int[] k = new int[spec.kernel.length()];
        int fan = 1;
        for (int i = 0; i < k.length; i++) {
            char c = spec.kernel.charAt(i);
            int o = out.indexOf(c);
            k[i] = o >= 0 ? outDims[o] : inDims[in.indexOf(c)];
            if (k[i] == Shape.UNKNOWN) {
                throw new IllegalArgumentException(where + ": the kernel's axis '" + c + "' (equation '"
                        + spec.kernel + "') needs a known size, from " + (o >= 0 ? "output_shape " + show(partial)
                        : "the input") + ", for input " + Layer.batchless(sample) + "; None was given");
            }
            fan *= o >= 0 ? 1 : k[i];
        }
        Shape bias = null;
        if (biasAxes != null) {
            int first = spec.output.length();
            for (char c : biasAxes.toCharArray()) {
                first = Math.min(first, spec.output.indexOf(c));
            }
            int[] b = new int[spec.output.length() - first + (spec.ellipsis == 2 ? elided : 0)];
            Arrays.fill(b, 1);
            for (int i = first; i < spec.output.length(); i++) {
                char c = spec.output.charAt(i);
                if (biasAxes.indexOf(c) >= 0) {
                    b[i - first] = outDims[out.indexOf(c)];
                    if (b[i - first] == Shape.UNKNOWN) {
                        throw new IllegalArgumentException(where + ": the bias's axis '" + c + "' needs a known "
                                + "size from output_shape " + show(partial) + "; None was given");
                    }
                }
            }
            bias = Shape.of(b);
        }
        return new EinsumPlan(in, spec.kernel, out, elided, partial.clone(), Shape.of(k), bias, fan,
                bound.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The input's dims, the batch axis (UNKNOWN) first. */
    private static int[] inDims(Shape sample) {
        int[] d = new int[sample.rank() + 1];
        d[0] = Shape.UNKNOWN;
        System.arraycopy(sample.dims(), 0, d, 1, sample.rank());
        return d;
    }

    /** Keras's full output shape: the batch axis, then output_shape's sizes and the ellipsis' input sizes. */
    private static int[] outDims(String in, String out, int[] inDims, int[] partial) {
        int[] d = new int[out.length()];
        d[0] = Shape.UNKNOWN;
        int next = 0;
        for (int p = 1; p < out.length(); p++) {
            char c = out.charAt(p);
            d[p] = c >= ELIDED ? inDims[in.indexOf(c)] : partial[next++];
        }
        return d;
    }

    Shape kernelShape() {
        return kernelShape;
    }

    /** The bias's shape, or null without bias_axes. */
    Shape biasShape() {
        return biasShape;
    }

    /** The product of the kernel's input axes (those not in the output): Keras's fan_in. */
    int fanIn() {
        return fanIn;
    }

    /** The sample axes (no batch axis) whose size is fixed. */
    int[] boundAxes() {
        return bound.clone();
    }

    /** The output shape (no batch axis) Keras gives for inputs of {@code sample}. */
    Shape outputShape(Shape sample) {
        int[] d = outDims(in, out, inDims(sample), partial);
        return Shape.withUnknown(Arrays.copyOfRange(d, 1, d.length));
    }

    /** einsum(equation, x, kernel) for a batch x of the rank this plan was made for. */
    Variable apply(Variable x, Variable w) {
        // Letters of the input alone are summed first.
        String xs = in;
        for (int a = in.length() - 1; a >= 0; a--) {
            char c = in.charAt(a);
            if (kernel.indexOf(c) < 0 && out.indexOf(c) < 0) {
                x = Ops.sum(x, a, false);
                xs = xs.substring(0, a) + xs.substring(a + 1);
            }
        }
        StringBuilder g = new StringBuilder(); // batch of the product: in all three
        StringBuilder m = new StringBuilder(); // rows: input and output
        StringBuilder n = new StringBuilder(); // columns: kernel and output
        for (char c : out.toCharArray()) {
            boolean inX = xs.indexOf(c) >= 0;
            boolean inW = kernel.indexOf(c) >= 0;
            (inX && inW ? g : inX ? m : n).append(c);
        }
        StringBuilder k = new StringBuilder(); // contracted: input and kernel, not output
        for (char c : xs.toCharArray()) {
            if (kernel.indexOf(c) >= 0 && out.indexOf(c) < 0) {
                k.append(c);
            }
        }
        Sizes dim = new Sizes(xs, x, kernel, w);
        int gs = dim.of(g);
        int ms = dim.of(m);
        int ks = dim.of(k);
        int ns = dim.of(n);
        Variable a = Ops.reshape(inputMove.permute(x, order(xs, "" + g + m + k)), gs, ms, ks);
        Variable b = Ops.reshape(kernelMove.permute(w, order(kernel, "" + g + k + n)), gs, ks, ns);
        Variable y = g.isEmpty() ? Ops.matmul(Ops.reshape(a, ms, ks), Ops.reshape(b, ks, ns))
                : Ops.batchMatmul(a, b, false, false);
        String ys = "" + g + m + n;
        int[] yd = new int[ys.length()];
        for (int i = 0; i < yd.length; i++) {
            yd[i] = dim.of(ys.charAt(i));
        }
        return outputMove.permute(Ops.reshape(y, yd), order(ys, out));
    }

    /**
     * The size of each letter, looked up in the operands' few letters (a table indexed by char
     * would be 256 KB zeroed per call, most of a batch-1 call's time).
     */
    private record Sizes(String xs, Variable x, String ws, Variable w) {
        int of(char c) {
            int a = xs.indexOf(c);
            return a >= 0 ? x.dim(a) : w.dim(ws.indexOf(c));
        }

        int of(CharSequence letters) {
            long s = 1;
            for (int i = 0; i < letters.length(); i++) {
                s *= of(letters.charAt(i));
            }
            return Math.toIntExact(s);
        }
    }

    /** The permutation taking axes named {@code from} to the order {@code to}: axis i of the result is from's perm[i]. */
    private static int[] order(String from, String to) {
        int[] perm = new int[to.length()];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = from.indexOf(to.charAt(i));
        }
        return perm;
    }

    private static String show(int d) {
        return d == Shape.UNKNOWN ? "None" : String.valueOf(d);
    }

    private static String show(int[] dims) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            b.append(i > 0 ? ", " : "").append(show(dims[i]));
        }
        return b.append(dims.length == 1 ? ",)" : ")").toString();
    }
}
