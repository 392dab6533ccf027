package io.rnn4j.layers.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.layers.callbacks.EarlyStopping;
import org.junit.jupiter.api.Test;

/**
 * Fit's options chain from {@code Fit.defaults()} in any order: batchSize is an option like the
 * others, so setting it last keeps what came before (a static batchSize once started a new chain
 * there and silently dropped the epochs and callbacks).
 */
class FitOptionsChainTest {
    @Test
    void batchSizeSetLastKeepsTheOptionsBeforeIt() {
        Fit f = Fit.defaults().epochs(10).callbacks(new EarlyStopping()).batchSize(64);
        assertThat(f.batchSize()).isEqualTo(64);
        assertThat(f.epochs()).isEqualTo(10);
        assertThat(f.callbacks()).hasSize(1);
        assertThat(Fit.defaults().batchSize()).as("Keras's default batch_size").isEqualTo(32);
    }
}
