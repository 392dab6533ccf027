package io.rnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Keras writes {@code SeparableConv2D(8, 3, activation="relu")}, {@code DepthwiseConv2D(3,
 * activation="relu")} and {@code Conv2DTranspose(8, 3, activation="relu")}: one int kernel_size with
 * an activation. Conv2D and Conv3D took that form ({@code new Conv2D(8, 3, "relu")}); these four did
 * not, so a Keras user's {@code new SeparableConv2D(8, 3, "relu")} did not compile. The bar: each
 * takes one int kernel size with an activation (a name or the enum), the same layer as the
 * {@code int[]} form: kernel {@code (k, k)} (or {@code (k, k, k)}) and the activation given.
 */
class GridConvIntKernelConstructorsTest {

    @Test
    void separableDepthwiseAndTransposedConvolutionsTakeOneIntKernelSizeWithAnActivation() {
        assertThat(new SeparableConv2D(8, 3, "relu").kernelSize()).containsExactly(3, 3);
        assertThat(new SeparableConv2D(8, 3, "relu").activation()).isEqualTo(Activation.RELU);
        assertThat(new SeparableConv2D(8, 3, Activation.TANH).activation()).isEqualTo(Activation.TANH);
        assertThat(new DepthwiseConv2D(3, "relu").kernelSize()).containsExactly(3, 3);
        assertThat(new DepthwiseConv2D(5, Activation.SIGMOID).activation()).isEqualTo(Activation.SIGMOID);
        assertThat(new Conv2DTranspose(8, 3, "relu").kernelSize()).containsExactly(3, 3);
        assertThat(new Conv2DTranspose(8, 3, Activation.RELU).activation()).isEqualTo(Activation.RELU);
        assertThat(new Conv3DTranspose(8, 2, "relu").kernelSize()).containsExactly(2, 2, 2);
        assertThat(new Conv3DTranspose(8, 2, Activation.ELU).activation()).isEqualTo(Activation.ELU);
    }

    @Test
    void anUnknownActivationNameIsRefusedNamingTheClassAsTheArrayFormDoes() {
        assertThatThrownBy(() -> new SeparableConv2D(8, 3, "relux"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SeparableConv2D");
        assertThatThrownBy(() -> new DepthwiseConv2D(3, "relux"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DepthwiseConv2D");
    }
}
