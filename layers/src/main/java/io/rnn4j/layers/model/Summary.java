package io.rnn4j.layers.model;

import io.rnn4j.layers.Layer;
import java.util.List;
import java.util.Locale;

/**
 * Keras 3's model summary: the table of layers (name and class, output shape, parameter count)
 * drawn with the same box characters, then total, trainable and non-trainable parameters with
 * their float32 sizes.
 */
final class Summary {
    /** Keras's 88 columns split at 45% and 80%, less borders and padding. */
    private static final int[] WIDTHS = {35, 27, 16};

    private Summary() {
    }

    static String of(String modelName, List<Layer> layers) {
        StringBuilder b = new StringBuilder();
        b.append("Model: \"").append(modelName).append("\"\n");
        b.append(rule('┏', '━', '┳', '┓'));
        b.append(row('┃', "Layer (type)", "Output Shape", "Param #"));
        b.append(rule('┡', '━', '╇', '┩'));
        long total = 0;
        long trainable = 0;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            String shape = l.isBuilt() ? Layer.batchless(l.outputShape()) : "?";
            String params = l.isBuilt() ? String.format(Locale.ROOT, "%,d", l.countParams()) : "0 (unbuilt)";
            b.append(row('│', l.name() + " (" + l.className() + ")", shape, params));
            if (i < layers.size() - 1) {
                b.append(rule('├', '─', '┼', '┤'));
            }
            if (l.isBuilt()) {
                total += l.countParams();
                trainable += l.countTrainableParams();
            }
        }
        b.append(rule('└', '─', '┴', '┘'));
        b.append(" Total params: ").append(count(total)).append('\n');
        b.append(" Trainable params: ").append(count(trainable)).append('\n');
        b.append(" Non-trainable params: ").append(count(total - trainable)).append('\n');
        return b.toString();
    }

    private static String rule(char left, char fill, char mid, char right) {
        StringBuilder b = new StringBuilder().append(left);
        for (int i = 0; i < WIDTHS.length; i++) {
            b.append(String.valueOf(fill).repeat(WIDTHS[i] + 2)).append(i < WIDTHS.length - 1 ? mid : right);
        }
        return b.append('\n').toString();
    }

    private static String row(char bar, String name, String shape, String params) {
        return bar + " " + pad(name, WIDTHS[0], false) + " " + bar + " " + pad(shape, WIDTHS[1], false) + " " + bar
                + " " + pad(params, WIDTHS[2], true) + " " + bar + "\n";
    }

    private static String pad(String s, int width, boolean right) {
        if (s.length() > width) {
            s = s.substring(0, width - 1) + "…";
        }
        String space = " ".repeat(width - s.length());
        return right ? space + s : s + space;
    }

    /** "4,289 (16.75 KB)": float32 weights, Keras's readable_memory_size. */
    static String count(long params) {
        return String.format(Locale.ROOT, "%,d", params) + " (" + memory(params * 4.0) + ")";
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
