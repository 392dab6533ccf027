package io.rnn4j.kernels.simd.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The species and FMA choice: widths map to species, bad widths are refused, the choice is sane. */
class SimdConstantsTest {

    @Test
    void everyTestableWidthHasItsSpecies() {
        assertThat(SimdConstants.species(128).length()).isEqualTo(4);
        assertThat(SimdConstants.species(256).length()).isEqualTo(8);
        assertThat(SimdConstants.species(512).length()).isEqualTo(16);
        assertThatThrownBy(() -> SimdConstants.species(64)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("128, 256 or 512").hasMessageContaining("64");
    }

    @Test
    void chosenSpeciesIsTheForcedWidthInTestsElseThePreferredOne() {
        String forced = System.getProperty("rnn4j.simd.bits");
        int expected = forced == null || forced.isBlank() ? FloatVector.SPECIES_PREFERRED.vectorBitSize()
                : Integer.parseInt(forced.trim());
        assertThat(SimdConstants.SPECIES.vectorBitSize()).isEqualTo(expected);
        assertThat(SimdConstants.LANES).isEqualTo(expected / 32);
        assertThat(SimdConstants.describe()).startsWith(expected + "-bit, FMA ");
    }

    @Test
    void forcedWidthIsHonouredOnlyInTestModeAndOnlyWhenValid() {
        var preferred = FloatVector.SPECIES_512;
        assertThat(SimdConstants.chooseSpecies("256", true, preferred)).isEqualTo(FloatVector.SPECIES_256);
        assertThat(SimdConstants.chooseSpecies(" 128 ", true, preferred)).isEqualTo(FloatVector.SPECIES_128);
        assertThat(SimdConstants.chooseSpecies("256", false, preferred)).as("outside tests").isEqualTo(preferred);
        assertThat(SimdConstants.chooseSpecies("100", true, preferred)).as("bad width").isEqualTo(preferred);
        assertThat(SimdConstants.chooseSpecies("wide", true, preferred)).as("not a number").isEqualTo(preferred);
        assertThat(SimdConstants.chooseSpecies(null, true, preferred)).isEqualTo(preferred);
    }

    @Test
    void fmaHelpersAgreeWithEachOther() {
        float a = 1.0000001f;
        float b = 3.3333333f;
        float c = -3.3333337f;
        float scalar = SimdConstants.fma(a, b, c);
        float expected = SimdConstants.FAST_FMA ? Math.fma(a, b, c) : a * b + c;
        assertThat(scalar).isEqualTo(expected);
        FloatVector v = SimdConstants.fma(FloatVector.broadcast(SimdConstants.SPECIES, a),
                FloatVector.broadcast(SimdConstants.SPECIES, b), FloatVector.broadcast(SimdConstants.SPECIES, c));
        assertThat(v.lane(0)).as("vector fma lane = scalar fma").isEqualTo(scalar);
    }
}
