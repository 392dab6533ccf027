package io.rnn4j.cli.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.cli.data.Npy;
import io.rnn4j.cli.data.NpyArray;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** predict's input and output: CSV reshaped by --shape, .npy as is, and the errors of each. */
class SamplesTest {

    @Test
    void csvLinesBecomeSamplesOfTheGivenShape(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("in.csv");
        Files.writeString(f, "a,b,c,d\n1,2,3,4\n5,6,7,8\n");
        NpyArray a = Samples.read(f, new int[] {2, 2});
        assertThat(a).isEqualTo(new NpyArray(new int[] {2, 2, 2}, new float[] {1, 2, 3, 4, 5, 6, 7, 8}));
        Path g = dir.resolve("noheader.csv");
        Files.writeString(g, "1,2\n3,4\n");
        assertThat(Samples.read(g, new int[] {2, 1}).shape()).containsExactly(2, 2, 1);
    }

    @Test
    void csvErrorsSayWhatToDo(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("in.csv");
        Files.writeString(f, "1,2,3\n4,5,x\n");
        assertThatThrownBy(() -> Samples.read(f, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a CSV input needs --shape");
        assertThatThrownBy(() -> Samples.read(f, new int[] {2, 2}))
                .hasMessageContaining("one sample of shape [2, 2] = 4 values, but the lines have 3");
        assertThatThrownBy(() -> Samples.read(f, new int[] {3})).hasMessageContaining("line 2, column '3': 'x' is not");
        assertThatThrownBy(() -> Samples.read(dir.resolve("missing.csv"), new int[] {3}))
                .hasMessageContaining("no such input file");
    }

    @Test
    void npyIsTakenAsItIsAndCheckedAgainstShape(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("x.npy");
        NpyArray a = new NpyArray(new int[] {3, 4, 1}, new float[12]);
        Npy.write(f, a);
        assertThat(Samples.read(f, null)).isEqualTo(a);
        assertThat(Samples.read(f, new int[] {4, 1})).isEqualTo(a);
        assertThatThrownBy(() -> Samples.read(f, new int[] {2, 2})).hasMessageContaining(
                "holds an array of shape [3, 4, 1], but --shape asks for samples of [2, 2]");
    }

    @Test
    void printsOneSamplePerLine() {
        StringWriter w = new StringWriter();
        Samples.printCsv(new NpyArray(new int[] {2, 1, 2}, new float[] {0.5f, 1, -2, 1e-7f}), new PrintWriter(w));
        assertThat(w.toString()).isEqualTo("0.5,1.0\n-2.0,1.0E-7\n".replace("\n", System.lineSeparator()));
    }
}
