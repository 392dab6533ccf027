package io.rnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.layers.model.Sequential;
import org.junit.jupiter.api.Test;

/** {@code Session.clear()} is Keras's clear_session: automatic names start again from the bare prefix. */
class SessionTest {

    @Test
    void clearingTheSessionStartsTheAutomaticNamesAgain() {
        new LSTM(2);
        Session.clear();
        assertThat(new LSTM(2).name()).as("the first LSTM after clear_session").isEqualTo("lstm");
        assertThat(new LSTM(2).name()).isEqualTo("lstm_1");
        assertThat(new Dense(1).name()).isEqualTo("dense");
    }

    @Test
    void layersMadeBeforeKeepTheirNamesAndTwoOfOneNameAreRefusedInOneModel() {
        Session.clear();
        Dense before = new Dense(1);
        Session.clear();
        Dense after = new Dense(1);
        assertThat(before.name()).isEqualTo(after.name()).isEqualTo("dense");
        assertThatThrownBy(() -> Sequential.of(Input.shape(3), before, after))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unique names");
    }
}
