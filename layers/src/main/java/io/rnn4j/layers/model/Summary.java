package io.rnn4j.layers.model;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.optimizers.Optimizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Keras 3's model summary: the table of layers (name and class, output shape, parameter count and,
 * for a functional model that is not a plain chain, what each layer is connected to) drawn with the
 * same box characters, then total, trainable and non-trainable parameters with their float32
 * sizes. A cell too long for its column wraps at spaces (a word longer than the column is cut with
 * an ellipsis), as the rich tables Keras prints do.
 */
final class Summary {
    /** Keras's 88 columns split at 45% and 80%, less borders and padding. */
    private static final int[] WIDTHS = {35, 27, 16};
    /** Keras's 108 columns split at 30%, 56% and 74%, as rich shares out what borders and padding leave. */
    private static final int[] CONNECTED_WIDTHS = {29, 25, 15, 26};

    private Summary() {
    }

    /**
     * A Sequential's table: each layer with its output shape in the model; with {@code front} (a
     * name and class) not null, first a row for a weightless layer whose output is the model's input.
     */
    static String of(Sequential model, String front) {
        List<Shape> outputs = new ArrayList<>();
        Shape shape = model.isBuilt() ? model.inputShape() : null;
        String[] first = front == null ? null
                : new String[] {front, shape != null ? Layer.batchless(shape) : "?", "0"};
        for (Layer l : model.layers()) {
            // each layer's output in this model (a layer built elsewhere may have other sizes there)
            shape = shape == null ? null : l.computeOutputShapes(List.of(shape)).get(0);
            outputs.add(shape);
        }
        Optimizer optimizer = model.optimizer();
        return of(model.name(), first, model.layers(), outputs,
                optimizer != null && optimizer.isBuilt() ? optimizer : null);
    }

    /** The table of {@code layers} with their output shapes (null: not built), under {@code firstRow} when not null. */
    private static String of(String modelName, String[] firstRow, List<Layer> layers, List<Shape> outputs,
            Optimizer optimizer) {
        List<String[]> rows = new ArrayList<>();
        if (firstRow != null) {
            rows.add(firstRow);
        }
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            rows.add(new String[] {nameAndClass(l), outputs.get(i) != null ? Layer.batchless(outputs.get(i)) : "?",
                    params(l)});
        }
        return table(modelName, rows, layers, WIDTHS, new String[] {"Layer (type)", "Output Shape", "Param #"},
                optimizer);
    }

    /**
     * A weightless string layer ({@code name}, of Keras class {@code className}) between a
     * functional model's {@code input} and the layers it fed, as KerasModel's text front: the
     * input's row shows {@code inputShape}, the front's row the model's input shape.
     */
    record Front(Input input, String name, String className, String inputShape) {
        /** The front of {@code model}'s one input ({@link Model#summaryWithFront}); refused for several inputs. */
        static Front of(Model model, String name, String className, String inputShape) {
            if (model.inputs().size() != 1) {
                throw new IllegalArgumentException(model.name() + ".summaryWithFront: a front feeds a model of one "
                        + "input; this one has " + model.inputs().size());
            }
            return new Front(model.inputs().get(0), Objects.requireNonNull(name, "frontName"),
                    Objects.requireNonNull(className, "frontClass"), Objects.requireNonNull(inputShape,
                    "stringInputShape"));
        }
    }

    /**
     * A functional model's table ({@link Model#summary()}): the layers of its {@code graph} with the
     * shapes of their outputs and, unless the graph is a plain chain, what each is connected to;
     * {@code front} not null adds its row after the input's.
     */
    static String of(Model model, Graph graph, Front front) {
        List<Layer> layers = graph.layers();
        List<String> shapes = new ArrayList<>();
        List<String> connections = new ArrayList<>();
        for (Layer l : layers) {
            shapes.add(Graph.shapes(l));
            connections.add(graph.connections(l));
        }
        Optimizer optimizer = model.optimizer();
        return functional(model.name(), layers, shapes, connections, !graph.chainLike(),
                optimizer != null && optimizer.isBuilt() ? optimizer : null, front);
    }

    /**
     * A functional model's table: each row is {name (class), output shape(s), params, connections};
     * the last column is left out when {@code connected} is false. {@code front} not null adds its row
     * after the input's.
     */
    private static String functional(String modelName, List<Layer> layers, List<String> shapes, List<String> connections,
            boolean connected, Optimizer optimizer, Front front) {
        String inputPath = front == null ? null : front.input().symbolic().path();
        String frontPath = front == null ? null : front.name() + "[0][0]";
        String frontRow = front == null ? null : front.name() + " (" + front.className() + ")";
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            boolean input = front != null && l == front.input();
            String shape = input ? front.inputShape() : shapes.get(i);
            // what took the input now takes the front's output
            String from = front == null ? connections.get(i) : String.join(", ", Arrays.stream(
                    connections.get(i).split(", ")).map(c -> c.equals(inputPath) ? frontPath : c).toList());
            rows.add(connected ? new String[] {nameAndClass(l), shape, params(l), from}
                    : new String[] {nameAndClass(l), shape, params(l)});
            if (input) {
                rows.add(connected ? new String[] {frontRow, shapes.get(i), "0", inputPath}
                        : new String[] {frontRow, shapes.get(i), "0"});
            }
        }
        return connected
                ? table(modelName, rows, layers, CONNECTED_WIDTHS,
                        new String[] {"Layer (type)", "Output Shape", "Param #", "Connected to"}, optimizer)
                : table(modelName, rows, layers, WIDTHS, new String[] {"Layer (type)", "Output Shape", "Param #"},
                        optimizer);
    }

    private static String nameAndClass(Layer l) {
        return l.name() + " (" + l.className() + ")";
    }

    private static String params(Layer l) {
        return l.isBuilt() ? String.format(Locale.ROOT, "%,d", l.countParams()) : "0 (unbuilt)";
    }

    /** The table, then the parameter counts; {@code optimizer} is a built optimizer, or null. */
    private static String table(String modelName, List<String[]> rows, List<Layer> layers, int[] widths,
            String[] header, Optimizer optimizer) {
        StringBuilder b = new StringBuilder();
        b.append("Model: \"").append(modelName).append("\"\n");
        b.append(rule(widths, '┏', '━', '┳', '┓'));
        b.append(row(widths, '┃', header));
        b.append(rule(widths, '┡', '━', '╇', '┩'));
        for (int i = 0; i < rows.size(); i++) {
            b.append(row(widths, '│', rows.get(i)));
            if (i < rows.size() - 1) {
                b.append(rule(widths, '├', '─', '┼', '┤'));
            }
        }
        b.append(rule(widths, '└', '─', '┴', '┘'));
        // Over the model's weights, each once (a layer shared with a nested model is counted once), as
        // Keras counts model.trainable_weights and non_trainable_weights.
        long total = 0;
        long trainable = 0;
        double totalBytes = 0;
        double trainableBytes = 0;
        for (Weight w : ModelLayers.weights(layers.stream().filter(Layer::isBuilt).toList())) {
            long n = w.shape().size();
            double bytes = n * (w.dtype().equals("int64") ? 8.0 : 4.0);  // Keras sizes each variable by its dtype
            total += n;
            totalBytes += bytes;
            trainable += w.trainable() ? n : 0;
            trainableBytes += w.trainable() ? bytes : 0;
        }
        // Keras 3 counts a built optimizer's variables in the total too: iterations (an int64), the
        // learning rate unless a schedule gives it (a float32), then the slots.
        long optimizerCount = optimizer == null ? 0 : optimizer.kerasVariableCount();
        double optimizerBytes = optimizer == null ? 0 : 8 + 4.0 * (optimizerCount - 1);
        b.append(" Total params: ").append(count(total + optimizerCount, totalBytes + optimizerBytes)).append('\n');
        b.append(" Trainable params: ").append(count(trainable, trainableBytes)).append('\n');
        b.append(" Non-trainable params: ").append(count(total - trainable, totalBytes - trainableBytes)).append('\n');
        if (optimizer != null) {
            b.append(" Optimizer params: ").append(count(optimizerCount, optimizerBytes)).append('\n');
        }
        return b.toString();
    }

    private static String rule(int[] widths, char left, char fill, char mid, char right) {
        StringBuilder b = new StringBuilder().append(left);
        for (int i = 0; i < widths.length; i++) {
            b.append(String.valueOf(fill).repeat(widths[i] + 2)).append(i < widths.length - 1 ? mid : right);
        }
        return b.append('\n').toString();
    }

    /** One row, wrapped over as many lines as its tallest cell; the parameter column is right-aligned. */
    private static String row(int[] widths, char bar, String[] cells) {
        List<List<String>> wrapped = new ArrayList<>();
        int lines = 1;
        for (int i = 0; i < cells.length; i++) {
            List<String> w = wrap(cells[i], widths[i]);
            wrapped.add(w);
            lines = Math.max(lines, w.size());
        }
        StringBuilder b = new StringBuilder();
        for (int line = 0; line < lines; line++) {
            b.append(bar);
            for (int i = 0; i < cells.length; i++) {
                String s = line < wrapped.get(i).size() ? wrapped.get(i).get(line) : "";
                b.append(' ').append(pad(s, widths[i], i == 2)).append(' ').append(bar);
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** Greedy word wrap at spaces; a word wider than the column is cut to it with an ellipsis, as rich does. */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (word.isEmpty()) {
                continue;
            }
            if (word.length() > width) {
                word = word.substring(0, width - 1) + "…";
            }
            if (!line.isEmpty() && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (!line.isEmpty()) {
                line.append(' ');
            }
            line.append(word);
        }
        if (!line.isEmpty() || lines.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }

    private static String pad(String s, int width, boolean right) {
        String space = " ".repeat(Math.max(0, width - s.length()));
        return right ? space + s : s + space;
    }

    /** "4,289 (16.75 KB)": float32 weights, Keras's readable_memory_size. */
    static String count(long params) {
        return count(params, params * 4.0);
    }

    private static String count(long params, double bytes) {
        return String.format(Locale.ROOT, "%,d", params) + " (" + memory(bytes) + ")";
    }

    private static String memory(double bytes) {
        String[] units = {"B", "KB", "MB", "GB", "TB", "PB"};
        for (String unit : units) {
            if (bytes / 1024 < 1) {
                return String.format(Locale.ROOT, "%.2f %s", bytes, unit);
            }
            bytes /= 1024;
        }
        return String.format(Locale.ROOT, "%.2f %s", bytes, units[units.length - 1]);
    }
}
