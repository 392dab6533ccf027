package io.rnn4j.kernels.simd;

import io.rnn4j.engine.spi.Backend;
import io.rnn4j.engine.spi.BackendProvider;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Optional;

/**
 * Registers the Vector API backend ("simd", priority 200: above scalar, below cuda).
 *
 * <p>This class must load and run on any JVM, so it references no {@code jdk.incubator.vector}
 * type (Lucene's rule for its Panama provider): {@link #probe()} looks for the module by name,
 * checks the JDK release, that the JIT is on and that the machine has vectors of at least 128 bits,
 * and only {@link #create} loads {@code SimdBackend}, whose kernels use the Vector API.
 */
public final class SimdProvider implements BackendProvider {
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    /** The release these kernels are compiled and tested for; older ones lack its Vector API. */
    static final int MIN_FEATURE_VERSION = 25;

    /** ServiceLoader's constructor. */
    public SimdProvider() {
    }

    @Override
    public String kind() {
        return "simd";
    }

    @Override
    public int priority() {
        return 200;
    }

    @Override
    public Availability probe() {
        int feature = Runtime.version().feature();
        if (feature < MIN_FEATURE_VERSION) {
            return Availability.no("needs JDK " + MIN_FEATURE_VERSION + " or later for its Vector API, running on JDK "
                    + feature);
        }
        Optional<Module> vector = Optional.ofNullable(SimdProvider.class.getModule().getLayer())
                .orElse(ModuleLayer.boot())
                .findModule(VECTOR_MODULE);
        if (vector.isEmpty() || !SimdProvider.class.getModule().canRead(vector.get())) {
            return Availability.no("the Java Vector API module is not readable; pass --add-modules "
                    + VECTOR_MODULE + " to the java command to use the SIMD kernels");
        }
        if (System.getProperty("java.vm.info", "").contains("interpreted mode")) {
            return Availability.no("the JIT compiler is off (-Xint), so vector code would run about 100x slower "
                    + "than scalar; drop -Xint to use the SIMD kernels");
        }
        int bits = preferredVectorBits();
        if (bits < 0) {
            return Availability.no("could not read the preferred vector shape from " + VECTOR_MODULE
                    + "; pass --add-modules " + VECTOR_MODULE + " on a JDK " + MIN_FEATURE_VERSION + "+ HotSpot VM");
        }
        if (bits < 128) {
            return Availability.no("this machine's preferred vector size is " + bits
                    + " bits; the SIMD kernels need at least 128 (SSE, AVX, NEON)");
        }
        return Availability.yes();
    }

    @Override
    public Backend create(int index) {
        if (index != 0) {
            throw new IllegalArgumentException("simd: there is one SIMD device, simd:0; got index " + index);
        }
        try {
            // Loaded by name so that this class links without the Vector API module.
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            Class<?> type = lookup.findClass(SimdProvider.class.getPackageName() + ".SimdBackend");
            return (Backend) lookup.findConstructor(type, MethodType.methodType(void.class)).invoke();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("simd: could not create the backend: " + t, t);
        }
    }

    /**
     * {@code VectorShape.preferredShape().vectorBitSize()}, called by reflection so that no
     * Vector API type is linked here; -1 when it cannot be read.
     */
    private static int preferredVectorBits() {
        try {
            Class<?> shape = Class.forName(VECTOR_MODULE + ".VectorShape", false, SimdProvider.class.getClassLoader());
            Object preferred = shape.getMethod("preferredShape").invoke(null);
            return (Integer) shape.getMethod("vectorBitSize").invoke(preferred);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return -1;
        }
    }
}
