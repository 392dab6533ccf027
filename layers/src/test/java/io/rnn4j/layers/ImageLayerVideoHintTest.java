package io.rnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.layers.model.Sequential;
import org.junit.jupiter.api.Test;

/**
 * An image layer put straight on video {@code (batch, time, height, width, channels)} is refused, as
 * Keras 3.15.1's RandomFlip refuses a 5-D input (checked: it raises at call); a newcomer's video
 * model hit that refusal, which named the expected axes but not the way out. The bar: the message
 * names the layer, the expected axes and the input, and says to wrap the layer in TimeDistributed;
 * wrapped so, the same layer builds on the video and keeps its shape.
 */
class ImageLayerVideoHintTest {

    @Test
    void anImageLayerOnVideoIsRefusedPointingToTimeDistributed() {
        assertThatThrownBy(() -> Sequential.of(Input.shape(4, 12, 12, 1), new RandomFlip("horizontal").named("flip")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("flip")
                .hasMessageContaining("expected an input (batch, height, width, channels), got (None, 4, 12, 12, 1)")
                .hasMessageContaining("wrap it in TimeDistributed");
        assertThatThrownBy(() -> Sequential.of(Input.shape(4, 12, 12, 1), new RandomRotation(0.1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wrap it in TimeDistributed");

        Sequential video = Sequential.of(Input.shape(4, 12, 12, 1), new TimeDistributed(new RandomFlip("horizontal")),
                new TimeDistributed(new RandomRotation(0.1)));
        assertThat(video.outputShape().dims()).as("one sample, the batch left out").containsExactly(4, 12, 12, 1);
    }

    @Test
    void anInputOfAnotherWrongRankKeepsThePlainMessage() {
        assertThatThrownBy(() -> Sequential.of(Input.shape(12, 12), new RandomFlip()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected an input (batch, height, width, channels), got (None, 12, 12)")
                .hasMessageNotContaining("TimeDistributed");
    }
}
