package io.rnn4j.layers.keras;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every dataset of an HDF5 file as {@code path -> "dtype shape"} ("float32 [2, 12]", "int64 []"),
 * sorted by path: what two weights files are compared by.
 */
final class H5Listing {
    private H5Listing() {
    }

    static Map<String, String> of(Path file) {
        try (HdfFile h5 = new HdfFile(file)) {
            return of(h5);
        }
    }

    static Map<String, String> of(byte[] bytes) {
        try (HdfFile h5 = HdfFile.fromBytes(bytes)) {
            return of(h5);
        }
    }

    private static Map<String, String> of(Group root) {
        Map<String, String> out = new TreeMap<>();
        walk(root, "", out);
        return out;
    }

    private static void walk(Group g, String prefix, Map<String, String> out) {
        for (Map.Entry<String, Node> e : g.getChildren().entrySet()) {
            String path = prefix.isEmpty() ? e.getKey() : prefix + "/" + e.getKey();
            if (e.getValue() instanceof Group child) {
                walk(child, path, out);
            } else if (e.getValue() instanceof Dataset d) {
                out.put(path, dtype(d) + " " + Arrays.toString(d.getDimensions()));
            }
        }
    }

    /** numpy's name for the dataset's element type: float32, int64, ... */
    private static String dtype(Dataset d) {
        Class<?> t = d.getJavaType(); // boxed for a scalar dataset
        int bits = d.getDataType().getSize() * 8;
        if (t == float.class || t == double.class || t == Float.class || t == Double.class) {
            return "float" + bits;
        }
        if (t == int.class || t == long.class || t == Integer.class || t == Long.class) {
            return "int" + bits;
        }
        return t.getSimpleName();
    }
}
