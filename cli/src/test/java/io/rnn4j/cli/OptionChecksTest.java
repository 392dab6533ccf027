package io.rnn4j.cli;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The option checks: the bound itself passes, one below it and NaN are refused with the option's name. */
class OptionChecksTest {

    @Test
    void atLeastAcceptsTheBoundAndRefusesOneBelow() {
        assertThatCode(() -> OptionChecks.atLeast("--epochs", 0, 0)).doesNotThrowAnyException();
        assertThatThrownBy(() -> OptionChecks.atLeast("--seq-length", 1, 2)).isInstanceOf(CliException.class)
                .hasMessage("--seq-length must be at least 2, got 1");
    }

    @Test
    void aboveZeroRefusesZeroAndNaN() {
        assertThatCode(() -> OptionChecks.aboveZero("--learning-rate", Double.MIN_VALUE)).doesNotThrowAnyException();
        assertThatThrownBy(() -> OptionChecks.aboveZero("--learning-rate", 0)).isInstanceOf(CliException.class)
                .hasMessage("--learning-rate must be > 0, got 0.0");
        assertThatThrownBy(() -> OptionChecks.aboveZero("--temperature", Double.NaN)).isInstanceOf(CliException.class)
                .hasMessage("--temperature must be > 0, got NaN");
    }
}
