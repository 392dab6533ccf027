package io.rnn4j.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Where a command's progress goes. Keras's progress bar (in layers' {@code fit}) redraws itself only
 * when it writes to {@code System.out} on a terminal; so when the command's output is the process's
 * standard output, training output goes straight there, and otherwise (tests) into the command's
 * writer.
 */
public final class Terminal {
    /** The writer {@link Main#main} gives picocli for standard output. */
    static final PrintWriter STDOUT = new PrintWriter(System.out, true, StandardCharsets.UTF_8);

    private Terminal() {
    }

    /** A stream that prints where {@code out} prints. */
    public static PrintStream stream(PrintWriter out) {
        if (out == STDOUT) {
            out.flush();
            return System.out;
        }
        return new PrintStream(new OutputStream() {
            private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

            @Override
            public void write(int b) {
                line.write(b);
                if (b == '\n') {
                    flush();
                }
            }

            @Override
            public void flush() {
                out.print(line.toString(StandardCharsets.UTF_8));
                out.flush();
                line.reset();
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        }, true, StandardCharsets.UTF_8);
    }
}
