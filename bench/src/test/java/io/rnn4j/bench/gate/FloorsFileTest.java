package io.rnn4j.bench.gate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/** The committed floors file parses, and every metric it reads names a real benchmark and parameter. */
class FloorsFileTest {

    @Test
    void everyCheckReadsAnExistingBenchmarkAndParameter() throws IOException, ReflectiveOperationException {
        List<Check> checks = Check.parse(Files.readAllLines(Path.of("floors.properties")));
        assertThat(checks).isNotEmpty();
        for (Check c : checks) {
            assertThat(c.source()).as(c.name() + "'s comment").containsPattern("20\\d\\d-\\d\\d-\\d\\d");
            for (MetricRef m : c.metrics()) {
                Class<?> type = Class.forName("io.rnn4j.bench." + m.className());
                Method method = findMethod(type, m.method());
                assertThat(method).as(m + ": no such method").isNotNull();
                assertThat(method.isAnnotationPresent(Benchmark.class)).as(m + " is not a @Benchmark").isTrue();
                for (Map.Entry<String, String> p : m.params().entrySet()) {
                    Field f = findField(type, p.getKey());
                    assertThat(f).as(m + ": no parameter " + p.getKey()).isNotNull();
                    assertThat(f.isAnnotationPresent(Param.class)).as(m + ": " + p.getKey() + " is not a @Param")
                            .isTrue();
                    assertThat(f.getAnnotation(Param.class).value()).as(m + ": value of " + p.getKey())
                            .contains(p.getValue());
                }
            }
        }
    }

    private static Method findMethod(Class<?> type, String name) {
        for (Class<?> t = type; t != null; t = t.getSuperclass()) {
            for (Method m : t.getDeclaredMethods()) {
                if (m.getName().equals(name)) {
                    return m;
                }
            }
        }
        return null;
    }

    private static Field findField(Class<?> type, String name) {
        for (Class<?> t = type; t != null; t = t.getSuperclass()) {
            for (Field f : t.getDeclaredFields()) {
                if (f.getName().equals(name)) {
                    return f;
                }
            }
        }
        return null;
    }
}
