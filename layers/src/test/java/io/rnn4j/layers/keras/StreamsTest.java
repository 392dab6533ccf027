package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models loaded from and saved to streams (Keras 3's saving_lib.load_model and save_model take file objects): the
 * same model as from the file, bit for bit, for a Keras-written {@code .keras} read as a class-path
 * resource and a tf.keras {@code .h5}; a stream-saved archive loads back as the model; bad streams
 * are refused naming what came.
 */
class StreamsTest {
    private static final String RESOURCE = "keras3151/bidi_concat";
    private static final String RNN_H5 = "dl4j-simple-rnn/simple_rnn_tf_keras_2_model.h5";

    @TempDir
    Path tmp;

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(StreamsTest.class.getResource(name).toURI());
    }

    @Test
    void aKerasArchiveFromAResourceStreamPredictsAsFromItsFileBitForBit() throws Exception {
        Tensor x = Npy.read(resource(RESOURCE + ".x0.npy")).tensor();
        KerasModel fromStream;
        try (InputStream in = StreamsTest.class.getResourceAsStream(RESOURCE + ".keras")) {
            fromStream = Models.load(in, "bidi_concat.keras");
        }
        float[] want = Models.load(resource(RESOURCE + ".keras")).predict(x).toArray();
        assertThat(fromStream.predict(x).toArray()).as("stream against file, bit for bit").isEqualTo(want);
        double[] keras = Npy.read(resource(RESOURCE + ".y.npy")).values();
        for (int i = 0; i < want.length; i++) {
            assertThat(Math.abs(want[i] - keras[i])).as("output %d against Keras 3.15.1 (bar 1e-5 + 1e-5·|y|)", i)
                    .isLessThanOrEqualTo(1e-5 + 1e-5 * Math.abs(keras[i]));
        }
    }

    @Test
    void anH5FromAStreamPredictsAsFromItsFileBitForBit() throws Exception {
        Path file = Fixtures.file(RNN_H5);
        KerasModel fromFile = Models.load(file);
        KerasModel fromStream;
        try (InputStream in = Files.newInputStream(file)) {
            fromStream = Models.load(in, file.getFileName().toString());
        }
        int[] dims = fromFile.inputShape(0).dims();
        int[] batch = new int[dims.length + 1];
        batch[0] = 3;
        System.arraycopy(dims, 0, batch, 1, dims.length);
        Tensor x = TestTensors.gaussian(7, batch);
        assertThat(fromStream.predict(x).toArray()).as("stream against file, bit for bit")
                .isEqualTo(fromFile.predict(x).toArray());
        assertThat(fromStream.countParams()).isEqualTo(fromFile.countParams());
    }

    @Test
    void compileTrueCompilesFromTheStreamsTrainingConfigAndLeavesTheStreamOpen() throws Exception {
        byte[] bytes = Files.readAllBytes(resource("keras3151/compiled.keras"));
        boolean[] closed = {false};
        InputStream in = new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public void close() throws IOException {
                closed[0] = true;
                super.close();
            }
        };
        KerasModel m = Models.load(in, "compiled.keras", true);
        assertThat(closed[0]).as("the caller's stream is left open").isFalse();
        assertThat(m.hasOptimizerState()).as("Adam's state, as the file holds it").isTrue();
        KerasModel fromFile = Models.load(resource("keras3151/compiled.keras"), true);
        Tensor fx = Npy.read(resource("keras3151/compiled.fit_x.npy")).tensor();
        Tensor fy = Npy.read(resource("keras3151/compiled.fit_y.npy")).tensor();
        assertThat(m.evaluate(fx, fy).asMap()).as("the loss and metrics of the compile_config, as from the file")
                .isEqualTo(fromFile.evaluate(fx, fy).asMap());
    }

    @Test
    void aModelSavedToAStreamLoadsBackAsTheSameModel() throws Exception {
        KerasModel m = Models.load(resource(RESOURCE + ".keras"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Models.save(m, out);
        Path file = tmp.resolve("copy.keras");
        Files.write(file, out.toByteArray());
        Tensor x = Npy.read(resource(RESOURCE + ".x0.npy")).tensor();
        float[] want = m.predict(x).toArray();
        assertThat(Models.load(file).predict(x).toArray()).as("stream-saved bytes read as a file").isEqualTo(want);
        assertThat(Models.load(new ByteArrayInputStream(out.toByteArray()), "copy").predict(x).toArray())
                .as("stream-saved bytes read as a stream").isEqualTo(want);
    }

    @Test
    void aMissingResourceIsNamed() {
        InputStream missing = StreamsTest.class.getResourceAsStream("no-such-model.keras");
        assertThatThrownBy(() -> Models.load(missing, "no-such-model.keras"))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("no-such-model.keras: no stream")
                .hasMessageContaining("getResourceAsStream");
    }

    @Test
    void anEmptyOrForeignStreamIsRefusedSayingWhatItStartsWith() {
        assertThatThrownBy(() -> Models.load(new ByteArrayInputStream(new byte[0]), "empty"))
                .isInstanceOf(KerasFileException.class)
                .hasMessage("empty: neither a .keras archive (zip) nor an HDF5 file: it starts with nothing (empty "
                        + "file)");
        assertThatThrownBy(() -> Models.load(new ByteArrayInputStream("{\"a\":1}".getBytes()), "json"))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("json: neither a .keras archive")
                .hasMessageContaining("7b 22 61");
    }

    @Test
    void aTruncatedOrDamagedArchiveStreamIsRefused() throws Exception {
        byte[] bytes = Files.readAllBytes(resource(RESOURCE + ".keras"));
        byte[] cut = Arrays.copyOf(bytes, bytes.length / 2);
        assertThatThrownBy(() -> Models.load(new ByteArrayInputStream(cut), "cut.keras"))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("cut.keras: ")
                .hasMessageContaining("truncated or corrupt");
        // One flipped bit inside the stored weights: ZipInputStream's CRC-32 check catches it.
        byte[] damaged = bytes.clone();
        damaged[bytes.length - bytes.length / 4] ^= 0x40;
        assertThatThrownBy(() -> Models.load(new ByteArrayInputStream(damaged), "damaged.keras"))
                .isInstanceOf(KerasFileException.class)
                .hasMessageContaining("damaged.keras: not a readable .keras archive")
                .hasMessageContaining("in model.weights.h5").hasMessageContaining("CRC");
    }
}
