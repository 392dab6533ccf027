package io.rnn4j.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShapeTest {
    @Test
    void sizeOuterInnerAndNegativeAxes() {
        Shape s = Shape.of(2, 3, 4);
        assertThat(s.size()).isEqualTo(24);
        assertThat(s.dim(-1)).isEqualTo(4);
        assertThat(s.outer(1)).isEqualTo(2);
        assertThat(s.inner(1)).isEqualTo(4);
        assertThat(s.without(1)).isEqualTo(Shape.of(2, 4));
        assertThat(s.with(-1, 1)).isEqualTo(Shape.of(2, 3, 1));
        assertThat(s).hasToString("(2, 3, 4)");
        assertThat(Shape.of(5)).hasToString("(5,)");
    }

    @Test
    void rankZeroAndEmptyShapes() {
        Shape scalar = Shape.of();
        assertThat(scalar.rank()).isZero();
        assertThat(scalar.size()).isEqualTo(1);
        assertThat(scalar).hasToString("()");
        assertThat(Shape.of(3, 0, 5).size()).isZero();
        assertThat(Shape.of(3).tail()).isEqualTo(scalar);
        assertThat(Shape.of(2, 3, 4).outer(0)).isEqualTo(1);
        assertThat(Shape.of(2, 3, 4).inner(-1)).isEqualTo(1);
    }

    @Test
    void dimsAreCopiedBothWays() {
        int[] d = {2, 3};
        Shape s = Shape.of(d);
        d[0] = 7;
        s.dims()[1] = 9;
        assertThat(s).isEqualTo(Shape.of(2, 3)).hasSameHashCodeAs(Shape.of(2, 3));
    }

    @Test
    void tooManyElementsIsRefused() {
        assertThatThrownBy(() -> Shape.of(1 << 30, 1 << 30, 1 << 30)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more elements than a long can count");
        assertThatThrownBy(() -> Shape.of((int[]) null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badAxisAndNegativeDimensionAreNamed() {
        assertThatThrownBy(() -> Shape.of(2, 3).dim(2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("axis 2").hasMessageContaining("(2, 3)");
        assertThatThrownBy(() -> Shape.of(2, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[2, -1]");
    }

    @Test
    void anUnknownDimensionPrintsAsNoneMatchesAnySizeAndHasNoSize() {
        Shape s = Shape.withUnknown(Shape.UNKNOWN, 8);
        assertThat(s).hasToString("(None, 8)");
        assertThat(s.isKnown()).isFalse();
        assertThat(Shape.of(5, 8).isKnown()).isTrue();
        assertThat(s.isCompatible(Shape.of(5, 8))).isTrue();
        assertThat(Shape.of(5, 8).isCompatible(s)).isTrue();
        assertThat(s.isCompatible(Shape.of(5, 7))).isFalse();
        assertThat(s.isCompatible(Shape.of(8))).isFalse();
        assertThat(s.with(0, 3)).isEqualTo(Shape.of(3, 8));
        assertThat(s.tail()).isEqualTo(Shape.of(8));
        assertThatThrownBy(s::size).isInstanceOf(IllegalStateException.class).hasMessageContaining("(None, 8)");
        assertThatThrownBy(() -> s.outer(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Shape.withUnknown(2, -2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[2, -2]");
        assertThatThrownBy(() -> Shape.of(2, 3).with(0, -5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-5");
    }

    @Test
    void noTensorHasAnUnknownDimension() {
        Device d = Devices.get("scalar");
        assertThatThrownBy(() -> d.zeros(Shape.withUnknown(Shape.UNKNOWN, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(None, 3)");
        assertThatThrownBy(() -> d.zeros(-1, 3)).isInstanceOf(IllegalArgumentException.class);
    }
}
