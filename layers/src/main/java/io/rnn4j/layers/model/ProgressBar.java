package io.rnn4j.layers.model;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Keras 3's training progress display. On a terminal (verbose 1), one line redrawn in place:
 * {@code 32/32 ━━━━━━━━━━━━━━━━━━━━ 1s 3ms/step - loss: 0.0123 - mae: 0.0456}; elsewhere (or with
 * verbose 2), one plain line per epoch: {@code 32/32 - 1s - 3ms/step - loss: 0.0123 - mae: 0.0456}.
 * Numbers are formatted as Keras does ({@code %.4f}, or {@code %.4e} for magnitudes at most 1e-3).
 */
final class ProgressBar {
    private static final int WIDTH = 20;
    private static final double INTERVAL_S = 0.05;

    private final PrintStream out;
    private final int target;
    private final boolean dynamic;
    private final long start = System.nanoTime();
    private long afterFirstStep;
    private double lastDraw = -1;
    private int previousWidth;

    ProgressBar(PrintStream out, int target, boolean dynamic) {
        this.out = out;
        this.target = target;
        this.dynamic = dynamic;
    }

    /** Whether {@code out} is this JVM's standard output attached to an interactive terminal. */
    static boolean isTerminal(PrintStream out) {
        java.io.Console c = System.console();
        return out == System.out && c != null && c.isTerminal();
    }

    void update(int current, Map<String, Double> values, boolean finalize) {
        long now = System.nanoTime();
        if (current == 1) {
            afterFirstStep = now;
        }
        double elapsed = (now - start) / 1e9;
        double perStep = current > 1 && afterFirstStep != 0
                ? (now - afterFirstStep) / 1e9 / (current - 1) : current > 0 ? elapsed / current : 0;
        if (!dynamic) {
            if (finalize) {
                String count = String.format(Locale.ROOT, "%" + digits(target) + "d/%d", current, target);
                out.println(count + " - " + Math.round(elapsed) + "s -" + formatTime(perStep) + metrics(values));
                out.flush();
            }
            return;
        }
        if (!finalize && lastDraw >= 0 && elapsed - lastDraw < INTERVAL_S) {
            return;
        }
        lastDraw = elapsed;
        int filled = target > 0 ? (int) (WIDTH * (double) current / target) : 0;
        String count = String.format(Locale.ROOT, "%" + digits(target) + "d/%d", current, target);
        String bar = "\u001b[1m" + count + "\u001b[0m " + (filled > 0 ? "\u001b[32m" + "━".repeat(filled) + "\u001b[0m" : "")
                + "\u001b[37m" + "━".repeat(WIDTH - filled) + "\u001b[0m";
        String info = finalize ? " \u001b[1m" + Math.round(elapsed) + "s\u001b[0m"
                : " \u001b[1m" + eta(perStep * (target - current)) + "\u001b[0m";
        info += formatTime(perStep) + metrics(values);
        int visible = count.length() + 1 + WIDTH + visibleLength(info);
        StringBuilder line = new StringBuilder("\r").append(bar).append(info);
        if (previousWidth > visible) {
            line.append(" ".repeat(previousWidth - visible));
        }
        previousWidth = visible;
        out.print(line);
        if (finalize) {
            out.println();
        }
        out.flush();
    }

    private static int visibleLength(String s) {
        return s.replaceAll("\u001b\\[[0-9;]*m", "").length();
    }

    private static int digits(int n) {
        return n <= 0 ? 1 : (int) Math.log10(n) + 1;
    }

    private static String eta(double seconds) {
        long s = (long) seconds;
        if (seconds > 3600) {
            return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
        }
        if (seconds > 60) {
            return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
        }
        return s + "s";
    }

    /** Keras's _format_time: " 3ms/step". */
    static String formatTime(double perStep) {
        if (perStep >= 1 || perStep == 0) {
            return String.format(Locale.ROOT, " %.0fs/step", perStep);
        }
        if (perStep >= 1e-3) {
            return String.format(Locale.ROOT, " %.0fms/step", perStep * 1e3);
        }
        return String.format(Locale.ROOT, " %.0fus/step", perStep * 1e6);
    }

    /** " - loss: 0.0123 - mae: 0.0456". */
    static String metrics(Map<String, Double> values) {
        StringBuilder b = new StringBuilder();
        values.forEach((k, v) -> b.append(" - ").append(k).append(": ").append(format(v)));
        return b.toString();
    }

    static String format(double v) {
        return Math.abs(v) > 1e-3 ? String.format(Locale.ROOT, "%.4f", v) : String.format(Locale.ROOT, "%.4e", v);
    }
}
