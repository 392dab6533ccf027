package io.rnn4j.layers.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Python's repr(float) and str.format as CPython 3 prints them (expected strings taken from CPython's rules). */
class PyFormatTest {

    @Test
    void reprIsShortestRoundTripWithPythonsExponentRule() {
        assertThat(PyFormat.repr(0.1)).isEqualTo("0.1");
        assertThat(PyFormat.repr(0.1f)).isEqualTo("0.10000000149011612");
        assertThat(PyFormat.repr(1.0)).isEqualTo("1.0");
        assertThat(PyFormat.repr(100.0)).isEqualTo("100.0");
        assertThat(PyFormat.repr(1234.5)).isEqualTo("1234.5");
        assertThat(PyFormat.repr(0.0001)).isEqualTo("0.0001");
        assertThat(PyFormat.repr(0.00001)).isEqualTo("1e-05");
        assertThat(PyFormat.repr(1.5e-5)).isEqualTo("1.5e-05");
        assertThat(PyFormat.repr(1e15)).isEqualTo("1000000000000000.0");
        assertThat(PyFormat.repr(1e16)).isEqualTo("1e+16");
        assertThat(PyFormat.repr(1.2345678901234568e17)).isEqualTo("1.2345678901234568e+17");
        assertThat(PyFormat.repr(-2.5e-7)).isEqualTo("-2.5e-07");
        assertThat(PyFormat.repr(-0.0)).isEqualTo("-0.0");
        assertThat(PyFormat.repr(Double.NaN)).isEqualTo("nan");
        assertThat(PyFormat.repr(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
    }

    @Test
    void formatFillsFieldsWithSpecs() {
        Map<String, Object> v = Map.of("epoch", 3, "val_loss", 0.123456, "loss", 1e-5);
        assertThat(PyFormat.format("w.{epoch:02d}-{val_loss:.2f}.h5", v)).isEqualTo("w.03-0.12.h5");
        assertThat(PyFormat.format("{epoch}_{loss}_{loss:.1e}_{epoch:3}", v)).isEqualTo("3_1e-05_1.0e-05_  3");
        assertThat(PyFormat.format("plain", v)).isEqualTo("plain");
        assertThatThrownBy(() -> PyFormat.format("{val_loss:d}", v)).hasMessageContaining("needs an integer");
        assertThatThrownBy(() -> PyFormat.format("{nope}", v)).hasMessageContaining("no 'nope' among");
        assertThat(PyFormat.format("w{{epoch}}-{epoch}}}.bin", v)).as("doubled braces are literal, as Python's")
                .isEqualTo("w{epoch}-3}.bin");
    }

    @Test
    void aModelCheckpointPathThatCannotFormatIsRefusedWhenMadeNotAfterAnEpoch() {
        assertThatThrownBy(() -> new ModelCheckpoint("w{val_loss:.4}.bin")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("give a type (f or e) with a precision, got '.4'");
        assertThatThrownBy(() -> new ModelCheckpoint("w{val_loss:>8}.bin")).hasMessageContaining("unsupported format spec");
        assertThatThrownBy(() -> new ModelCheckpoint("w{val_loss:03d}.bin")).hasMessageContaining("needs an integer, but "
                + "'val_loss' is a float");
        assertThatThrownBy(() -> new ModelCheckpoint("w{epoch.bin")).hasMessageContaining("has no closing '}'");
        assertThatThrownBy(() -> new ModelCheckpoint("w}.bin")).hasMessageContaining("a single '}'");
        new ModelCheckpoint("ckpt/{epoch:02d}-{val_loss:.2f}-{{kept}}.weights.h5");  // fine
    }
}
