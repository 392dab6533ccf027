package io.rnn4j.cli;

import io.rnn4j.layers.AdaptiveAveragePooling1D;
import io.rnn4j.layers.AveragePooling2D;
import io.rnn4j.layers.Conv1D;
import io.rnn4j.layers.Conv2D;
import io.rnn4j.layers.Conv3D;
import io.rnn4j.layers.ConvLSTM2D;
import io.rnn4j.layers.Flatten;
import io.rnn4j.layers.GlobalAveragePooling3D;
import io.rnn4j.layers.GlobalMaxPooling2D;
import io.rnn4j.layers.Identity;
import io.rnn4j.layers.Lambda;
import io.rnn4j.layers.MaxPooling1D;
import io.rnn4j.layers.MaxPooling2D;
import io.rnn4j.layers.MaxPooling3D;
import io.rnn4j.layers.RMSNormalization;
import io.rnn4j.layers.UnitNormalization;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.engine.UnaryOp;
import java.util.stream.Stream;

/**
 * {@link LayersOnSimdTest}'s check — outputs, input gradient and weight gradients on the SIMD
 * backend against the scalar one, same bar — for the layers added after it was written: Conv2D,
 * Conv3D, the 2D/3D poolings, ConvLSTM2D, channels_first in the 1D layers and Flatten,
 * RMSNormalization, UnitNormalization, Identity and Lambda. Its parameterized test runs these cases.
 */
class NewerLayersOnSimdTest extends LayersOnSimdTest {
    static Stream<Case> cases() {
        return Stream.concat(cases(5, 3, 4), cases(9, 7, 6));
    }

    private static Stream<Case> cases(int s, int f, int u) {
        int[] seq = dims(B, s, f);
        int[] image = dims(B, s, s + 1, f);
        int[] volume = dims(B, 4, s, 3, f);
        int[] video = dims(B, 3, s, s, 2);
        String size = " [" + B + "x" + s + "x" + f + ", " + u + " filters]";
        return Stream.of(
                c("Conv2D valid", one(() -> new Conv2D(u, 3)), image),
                c("Conv2D same strides (2, 1) tanh", one(() -> new Conv2D(u, new int[] {3, 2}, "tanh").padding("same")
                        .strides(2, 1)), image),
                c("Conv2D dilation 2 without bias", one(() -> new Conv2D(u - 1, 2).dilationRate(2).useBias(false)),
                        image),
                c("Conv2D channels_first", one(() -> new Conv2D(u, 2).dataFormat("channels_first")), image),
                c("Conv3D same", one(() -> new Conv3D(u, 2).padding("same")), volume),
                with(c("MaxPooling2D with ties", one(MaxPooling2D::new), image), Feed.TIES),
                with(c("MaxPooling3D same with ties", one(() -> new MaxPooling3D(2).padding("same")), volume),
                        Feed.TIES),
                c("AveragePooling2D same stride 2", one(() -> new AveragePooling2D(new int[] {3, 2}, new int[] {2, 2})
                        .padding("same")), image),
                with(c("GlobalMaxPooling2D with ties", one(GlobalMaxPooling2D::new), image), Feed.TIES),
                c("GlobalAveragePooling3D keepdims", one(() -> new GlobalAveragePooling3D("channels_last", true)),
                        volume),
                c("ConvLSTM2D same return_sequences", one(() -> new ConvLSTM2D(u - 1, 3).padding("same")
                        .returnSequences(true)), video),
                c("ConvLSTM2D valid strides 2 go_backwards", one(() -> new ConvLSTM2D(u, 2).strides(2)
                        .goBackwards(true)), video),
                c("Conv1D channels_first stride 2", one(() -> new Conv1D(u, 3).strides(2)
                        .dataFormat("channels_first")), seq),
                with(c("MaxPooling1D channels_first same with ties", one(() -> new MaxPooling1D(2)
                        .padding("same").dataFormat("channels_first")), seq), Feed.TIES),
                c("AdaptiveAveragePooling1D channels_first", one(() -> new AdaptiveAveragePooling1D(2)
                        .dataFormat("channels_first")), seq),
                c("Flatten channels_first", one(() -> new Flatten().dataFormat("channels_first")), image),
                c("RMSNormalization", one(RMSNormalization::new), seq),
                c("RMSNormalization over axes 1 and 2", one(() -> new RMSNormalization().axis(1, 2)), seq),
                c("UnitNormalization", one(UnitNormalization::new), seq),
                c("Identity", one(Identity::new), seq),
                c("Lambda tanh(x)·x", one(() -> new Lambda(x -> Ops.mul(Ops.unary(UnaryOp.TANH, x), x))), seq))
                .map(c -> new Case(c.name() + size, c.layers(), c.inputs(), c.feed(), c.masks(), c.training()));
    }
}
