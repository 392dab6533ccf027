package io.rnn4j.engine.scalar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.testing.ReferenceActivations;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The error function behind gelu, against published 19-digit values of erfc. */
class ScalarMathTest {

    @ParameterizedTest(name = "erfc({0}) = {1}")
    @CsvSource({"0, 1", "0.5, 0.4795001221869534623", "1, 0.1572992070502851307", "-1, 1.842700792949714869",
        "2, 0.004677734981047265838", "3, 2.209049699858544137e-5",
        "4, 1.541725790028001885e-8", "5, 1.537459794428034850e-12", "10, 2.088487583762544757e-45",
        "-6, 2"})
    void erfcIsWithin1e12RelativeOfThePublishedValue(double z, double erfc) {
        assertThat(ScalarMath.erfc(z)).as("erfc(%s), bar 1e-12 relative", z).isCloseTo(erfc, within(1e-12 * erfc));
        // the tests' own Φ (series and Simpson's rule) must agree, far inside float's 2^-24, or the
        // contract would judge gelu against a wrong oracle
        assertThat(2 * ReferenceActivations.normalCdf(-z * Math.sqrt(2))).as("reference erfc(%s), bar 1e-8 relative", z)
                .isCloseTo(erfc, within(1e-8 * erfc));
    }
}
