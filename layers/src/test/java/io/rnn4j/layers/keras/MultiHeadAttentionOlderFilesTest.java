package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.WritableGroup;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.MultiHeadAttention;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.model.Model;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MultiHeadAttention's weights as older Keras 3 releases wrote them (3.0.0-3.0.2: {@code _query_dense}...). Seed 71.
 */
class MultiHeadAttentionOlderFilesTest {
    @TempDir
    Path tmp;

    /**
     * Keras 3.0.0 to 3.0.2 had no public query_dense/key_dense/value_dense/output_dense properties
     * on MultiHeadAttention (they came in 3.0.3: `git show v3.0.2:keras/layers/attention/
     * multi_head_attention.py` has only self._query_dense...), so saving_lib's _walk_trackable
     * reached the EinsumDense sublayers by their private attribute names and a .keras file of those
     * versions holds the weights under layers/multi_head_attention/_query_dense/vars,
     * _key_dense, _value_dense and _output_dense. Such a file must load with its weights.
     */
    @Test
    void keras30FileWithPrivateSublayerPathsLoads() throws IOException {
        Seeds.set(71);
        Input q = Input.shape(4, 3).named("q");
        MultiHeadAttention mha = new MultiHeadAttention(2, 2).named("mha");
        Model m = Model.of(q, mha.apply(q, q));
        Path saved = tmp.resolve("now.keras");
        Models.save(m, saved);

        // The same archive with the weights moved to Keras 3.0.0's paths and metadata saying 3.0.1.
        Path oldH5 = tmp.resolve("old.weights.h5");
        Path nowH5 = tmp.resolve("now.weights.h5");
        try (ZipFile z = new ZipFile(saved.toFile())) {
            Files.write(nowH5, z.getInputStream(z.getEntry("model.weights.h5")).readAllBytes());
        }
        try (HdfFile in = new HdfFile(nowH5); WritableHdfFile out = HdfFile.write(oldH5)) {
            WritableGroup layer = out.putGroup("layers").putGroup("multi_head_attention");
            for (String sub : List.of("query_dense", "key_dense", "value_dense", "output_dense")) {
                WritableGroup vars = layer.putGroup("_" + sub).putGroup("vars");
                for (String i : List.of("0", "1")) {
                    Dataset d = in.getDatasetByPath("layers/multi_head_attention/" + sub + "/vars/" + i);
                    vars.putDataset(i, d.getData());
                }
            }
        }
        Path old = tmp.resolve("keras301.keras");
        try (ZipFile z = new ZipFile(saved.toFile()); OutputStream os = Files.newOutputStream(old);
                ZipOutputStream out = new ZipOutputStream(os)) {
            for (ZipEntry e : z.stream().toList()) {
                byte[] data = e.getName().equals("model.weights.h5") ? Files.readAllBytes(oldH5)
                        : z.getInputStream(e).readAllBytes();
                if (e.getName().equals("metadata.json")) {
                    data = new String(data).replaceAll("\"keras_version\": \"[^\"]*\"", "\"keras_version\": \"3.0.1\"")
                            .getBytes();
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(data);
                out.closeEntry();
            }
        }
        KerasModel back = Models.load(old);
        List<Tensor> want = mha.getWeights();
        List<Tensor> got = back.layer("mha").getWeights();
        assertThat(got).hasSize(8);
        for (int i = 0; i < 8; i++) {
            assertThat(got.get(i).toArray()).as("weight %d read from Keras 3.0's _query_dense... paths", i)
                    .isEqualTo(want.get(i).toArray());
        }
    }
}
