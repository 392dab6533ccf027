package io.rnn4j.engine.testing;

import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The awkward sizes every kernel is tried on: 1, around the vector widths (8 and 16 floats for 256-
 * and 512-bit vectors; 4 for 128-bit is covered by 7..9), around 32 and 64, primes, and one large
 * size. Used as {@code @MethodSource("io.rnn4j.engine.testing.Sizes#awkward")}.
 */
public final class Sizes {
    /** The sizes around vector widths and a few primes. */
    public static final int[] AWKWARD = {1, 7, 8, 9, 15, 16, 17, 31, 33, 64, 127};
    /** Primes beyond the above, and large sizes (at least 1000). */
    public static final int[] LARGE = {257, 1031, 4099};

    private Sizes() {
    }

    /** The awkward sizes. */
    public static IntStream awkward() {
        return IntStream.of(AWKWARD);
    }

    /** The awkward sizes followed by the large ones. */
    public static IntStream awkwardAndLarge() {
        return IntStream.concat(IntStream.of(AWKWARD), IntStream.of(LARGE));
    }

    /**
     * GEMM shapes (m, n, k): every awkward size appears in every role, plus batch-1 GEMV and shapes
     * with one dimension large.
     */
    public static Stream<Arguments> gemmShapes() {
        return Stream.of(
                Arguments.of(1, 1, 1), Arguments.of(1, 7, 8), Arguments.of(7, 8, 9), Arguments.of(8, 9, 7),
                Arguments.of(9, 15, 16), Arguments.of(16, 17, 15), Arguments.of(15, 16, 17),
                Arguments.of(17, 31, 33), Arguments.of(31, 33, 17), Arguments.of(33, 17, 31),
                Arguments.of(64, 33, 127), Arguments.of(127, 64, 33), Arguments.of(33, 127, 64),
                Arguments.of(13, 61, 1), Arguments.of(1, 257, 129), Arguments.of(3, 5, 1031),
                Arguments.of(1031, 3, 7), Arguments.of(2, 1031, 9));
    }
}
