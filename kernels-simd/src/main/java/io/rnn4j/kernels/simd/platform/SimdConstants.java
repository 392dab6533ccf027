package io.rnn4j.kernels.simd.platform;

import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD facts every kernel builds on, decided once when this class initialises: the float
 * species (from the machine's preferred vector shape) and whether vector FMA is fast.
 *
 * <p>The width can be forced with {@code -Drnn4j.simd.bits=128|256|512}, but only in tests
 * ({@code -Drnn4j.tests=true}); anywhere else the property is ignored with one warning, so a stray
 * flag cannot slow a service down. Kernels read {@link #SPECIES} into their own {@code static
 * final} field: C2 compiles vector code to registers only when the species is such a constant, so
 * one JVM runs one width and the tests run once per width.
 *
 * <p>Only kernel code touches this class: it references {@code jdk.incubator.vector}, so loading it
 * without that module fails. The provider must probe before it gets here.
 */
public final class SimdConstants {
    private static final System.Logger LOG = System.getLogger("io.rnn4j.kernels.simd");

    /** The species every production kernel uses. */
    public static final VectorSpecies<Float> SPECIES = chooseSpecies();

    /** Floats per vector of {@link #SPECIES}. */
    public static final int LANES = SPECIES.length();

    /**
     * Whether {@code FloatVector.fma} compiles to one fused instruction (HotSpot's {@code UseFMA});
     * without it the JDK emulates each lane with {@code Math.fma} in software, many times slower
     * than a multiply and an add.
     */
    public static final boolean FAST_FMA = readUseFma();

    private SimdConstants() {
    }

    /**
     * {@code a · b + c}, fused where the hardware fuses it (one rounding), else multiply then add
     * (two roundings); tests' tolerances cover both. Tiny so C2 always inlines it: a method that
     * takes vectors and is not inlined boxes them.
     */
    public static FloatVector fma(FloatVector a, FloatVector b, FloatVector c) {
        return FAST_FMA ? a.fma(b, c) : a.mul(b).add(c);
    }

    /** The scalar twin of {@link #fma(FloatVector, FloatVector, FloatVector)}, for loop tails. */
    public static float fma(float a, float b, float c) {
        return FAST_FMA ? Math.fma(a, b, c) : a * b + c;
    }

    /**
     * The float species of {@code bits} bits (128, 256 or 512).
     *
     * @throws IllegalArgumentException for any other width
     */
    public static VectorSpecies<Float> species(int bits) {
        return switch (bits) {
            case 128 -> FloatVector.SPECIES_128;
            case 256 -> FloatVector.SPECIES_256;
            case 512 -> FloatVector.SPECIES_512;
            default -> throw new IllegalArgumentException(
                    "simd width: expected 128, 256 or 512 bits, got " + bits);
        };
    }

    /** One line for the backend's log: {@code "512-bit, FMA on"}. */
    public static String describe() {
        return SPECIES.vectorBitSize() + "-bit, FMA " + (FAST_FMA ? "on" : "off");
    }

    private static VectorSpecies<Float> chooseSpecies() {
        return chooseSpecies(System.getProperty("rnn4j.simd.bits"), Boolean.getBoolean("rnn4j.tests"),
                FloatVector.SPECIES_PREFERRED); // from VectorShape.preferredShape()
    }

    /**
     * The species for a {@code -Drnn4j.simd.bits} value: the forced width in test mode, else (or when
     * the value is not 128, 256 or 512) {@code preferred}, with one warning.
     */
    static VectorSpecies<Float> chooseSpecies(String forced, boolean testMode, VectorSpecies<Float> preferred) {
        if (forced == null || forced.isBlank()) {
            return preferred;
        }
        if (!testMode) {
            LOG.log(Level.WARNING, "-Drnn4j.simd.bits=" + forced + " is for tests only (needs -Drnn4j.tests=true);"
                    + " ignored, using " + preferred.vectorBitSize() + "-bit vectors");
            return preferred;
        }
        try {
            return species(Integer.parseInt(forced.trim()));
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "-Drnn4j.simd.bits=" + forced + ": expected 128, 256 or 512; ignored, using "
                    + preferred.vectorBitSize() + "-bit vectors");
            return preferred;
        }
    }

    private static boolean readUseFma() {
        try {
            var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return bean != null && Boolean.parseBoolean(bean.getVMOption("UseFMA").getValue());
        } catch (RuntimeException | LinkageError e) {
            // Not HotSpot, or jdk.management not readable: multiply-then-add is never the slow
            // path, while an emulated FMA would be.
            return false;
        }
    }
}
