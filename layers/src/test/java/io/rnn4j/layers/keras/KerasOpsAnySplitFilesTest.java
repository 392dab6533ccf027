package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Session;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.ops.KerasOps;
import io.rnn4j.layers.ops.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keras.ops.any, all and split used directly in a functional model (make_ops_any_split.py): the
 * Keras 3.15.1 file loads and predicts Keras's five outputs (any and all as 0/1, a bool beside a
 * float, equal sections, an index list, a split of a bool), and again from rnn4j's own file, whose
 * entries and calls are Keras's. Set {@code -Drnn4j.opsanysplit.out=DIR} to keep rnn4j's file there,
 * to load it in Keras by hand.
 */
class KerasOpsAnySplitFilesTest {
    @TempDir
    Path tmp;

    @Test
    void aKerasFileWithAnyAllAndSplitPredictsAsKerasAndAfterSaving() throws IOException {
        Tensor x = Npy.read(resource("opsanysplit.x0.npy")).tensor();
        KerasModel m = Models.load(resource("opsanysplit.keras"));
        List<Tensor> ys = m.predict(List.of(x));
        assertThat(ys).hasSize(5);
        for (int i = 0; i < ys.size(); i++) {
            double[] want = Npy.read(resource("opsanysplit.y" + i + ".npy")).values();
            Keras3151.report("opsanysplit.y" + i, ys.get(i).toArray(), want);
            assertClose("opsanysplit output " + i, ys.get(i).toArray(), want);
        }
        String keep = System.getProperty("rnn4j.opsanysplit.out");
        Path dir = keep != null ? Files.createDirectories(Path.of(keep)) : tmp;
        Path saved = dir.resolve("opsanysplit.rnn4j.keras");
        Models.save(m, saved);
        String config = SaveTest.entry(saved, "config.json");
        assertThat(config).contains("\"class_name\": \"Any\", \"config\": {\"name\": \"any\", \"axis\": -1, "
                + "\"keepdims\": true}")
                .contains("\"class_name\": \"All\", \"config\": {\"name\": \"all\", \"axis\": 1, \"keepdims\": false}")
                .contains("\"class_name\": \"Split\", \"config\": {\"name\": \"split\", \"indices_or_sections\": 3, "
                        + "\"axis\": 1}")
                .contains("\"indices_or_sections\": [1, 3], \"axis\": -1}")
                .contains("\"shape\": [null, 6, 1], \"dtype\": \"bool\", \"keras_history\": [\"any\", 0, 0]")
                .contains("\"shape\": [null, 4, 1], \"dtype\": \"bool\", \"keras_history\": [\"split_2\", 0, 1]");
        Keras3151.assertSameOutputs("", Models.load(saved).predict(List.of(x)), ys);
    }

    @Test
    void splitAndAnyBuiltInJavaGiveTheirShapesAndRefuseWhatKerasOrRnn4jCannotTake() {
        Session.clear();
        Input x = Input.shape(6, 4);
        List<SymbolicTensor> parts = KerasOps.split(x, new int[] {1, 3}, -1);
        assertThat(parts).extracting(t -> t.shape().toString()).hasSize(3);
        assertThat(parts.get(1).shape().dims()).containsExactly(6, 2);
        assertThat(KerasOps.any(x, 1, false).shape().dims()).containsExactly(4);
        assertThat(KerasOps.all(x, -1, true).shape().dims()).containsExactly(6, 1);
        assertThatThrownBy(() -> KerasOps.split(x, 4, 1)).hasMessageContaining("must be divisible")
                .hasMessageContaining("6 and 4");
        assertThatThrownBy(() -> KerasOps.split(x, 2, 0)).hasMessageContaining("batch axis");
        assertThatThrownBy(() -> KerasOps.split(x, new int[] {2, 7}, 1)).hasMessageContaining("past the axis's size 6");
        assertThatThrownBy(() -> new Split(new int[] {3, 1}, 1)).hasMessageContaining("increasing order");
        assertThatThrownBy(() -> KerasOps.any(x, 0, false)).hasMessageContaining("batch axis");
        Model m = Model.of(x, KerasOps.split(x, 3, 1));
        assertThat(m.outputs()).hasSize(3);
    }
}
