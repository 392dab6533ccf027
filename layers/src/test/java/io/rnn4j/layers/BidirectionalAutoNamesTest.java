package io.rnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Keras 3.15.1 makes Bidirectional's two directions from the wrapped layer's config with names
 * given ("forward_…", "backward_…"), so wrapping draws no automatic names. Run in Keras 3.15.1:
 * after {@code Bidirectional(ConvLSTM2D(4, 3))}, {@code Bidirectional(RNN(LSTMCell(4)))} and
 * {@code Bidirectional(ConvLSTM1D(4, 3))}, new layers are named conv_lstm2d_1, rnn_1, lstm_cell_1, lstm_cell_2
 * and conv_lstm1d_1, and both copies' cells keep the name "lstm_cell". The bar: rnn4j's names equal
 * those (before the fix, the copies drew conv_lstm2d_1, conv_lstm2d_2, rnn_1, lstm_cell_1, ...).
 */
class BidirectionalAutoNamesTest {

    @Test
    void wrappingAConvLstmOrAnRnnOverACellDrawsNoAutomaticNamesAsKeras3() {
        Session.clear();
        Bidirectional convLstm = new Bidirectional(new ConvLSTM2D(4, 3).padding("same"));
        Bidirectional gru = new Bidirectional(new GRU(4));
        Bidirectional rnn = new Bidirectional(new RNN(new LSTMCell(4)));
        Bidirectional convLstm1 = new Bidirectional(new ConvLSTM1D(4, 3));

        assertThat(new ConvLSTM2D(3, 3).name()).as("Keras 3.15.1").isEqualTo("conv_lstm2d_1");
        assertThat(new GRU(3).name()).as("Keras 3.15.1").isEqualTo("gru_1");
        assertThat(new RNN(new LSTMCell(3)).name()).as("Keras 3.15.1").isEqualTo("rnn_1");
        assertThat(new LSTMCell(2).name()).as("Keras 3.15.1 (the first cell took lstm_cell)").isEqualTo("lstm_cell_2");
        assertThat(new ConvLSTM1D(2, 2).name()).as("Keras 3.15.1").isEqualTo("conv_lstm1d_1");

        assertThat(convLstm.forwardLayer().name()).isEqualTo("forward_conv_lstm2d");
        assertThat(convLstm.backwardLayer().name()).isEqualTo("backward_conv_lstm2d");
        assertThat(gru.backwardLayer().name()).isEqualTo("backward_gru");
        assertThat(rnn.backwardLayer().name()).isEqualTo("backward_rnn");
        assertThat(((RNN) rnn.backwardLayer()).cell().name()).as("Keras 3.15.1: the copy's cell").isEqualTo("lstm_cell");
        assertThat(((RNN) rnn.forwardLayer()).cell().name()).as("Keras 3.15.1: the copy's cell").isEqualTo("lstm_cell");
        assertThat(convLstm1.forwardLayer().name()).isEqualTo("forward_conv_lstm1d");
    }
}
