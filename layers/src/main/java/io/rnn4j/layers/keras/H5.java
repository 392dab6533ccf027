package io.rnn4j.layers.keras;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.rnn4j.engine.Tensor;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Reading HDF5 through jhdf (pure Java): every jhdf failure — a truncated or corrupt file — comes
 * out as a {@link KerasFileException} naming the file and what was being read; datasets come out as
 * float32 tensors with their shapes.
 */
final class H5 {
    private H5() {
    }

    /** Runs a jhdf read, turning its failures into a message naming the file and the item. */
    static <T> T read(String file, String what, Supplier<T> read) {
        try {
            return read.get();
        } catch (KerasFileException e) {
            throw e;
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            throw new KerasFileException(file + ": cannot read " + what + " (truncated or corrupt HDF5 file?): "
                    + e, e);
        }
    }

    static HdfFile open(Path path) {
        return checked(path.toString(), read(path.toString(), "the HDF5 file", () -> new HdfFile(path)));
    }

    static HdfFile open(byte[] bytes, String name) {
        return checked(name, read(name, "the HDF5 file", () -> HdfFile.fromBytes(bytes)));
    }

    /**
     * Refuses a file shorter than its superblock says (as libhdf5 does): jhdf reads lazily, so a cut
     * that only lost, say, the optimizer state would otherwise go unnoticed.
     */
    private static HdfFile checked(String file, HdfFile f) {
        try {
            long[] sizes = read(file, "the HDF5 superblock", () -> {
                var storage = f.getHdfBackingStorage();
                var sb = storage.getSuperblock();
                return new long[] {sb.getBaseAddressByte() + sb.getEndOfFileAddress(), storage.size()};
            });
            if (sizes[1] < sizes[0]) {
                throw new KerasFileException(file + ": truncated or corrupt HDF5 file: its superblock says it ends at "
                        + "byte " + sizes[0] + " but it has " + sizes[1] + " bytes");
            }
            read(file, "the root group", f::getChildren);
            return f;
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    /** The child of {@code g} named {@code name}, or null. */
    static Node child(String file, Group g, String name) {
        return read(file, "the children of '" + g.getPath() + "'", () -> g.getChildren().get(name));
    }

    /**
     * The node at {@code path} below g, or null: a Keras 2 layer named "enc/bidi" was saved by
     * h5py as group enc holding group bidi, and Keras finds it by path.
     */
    static Node atPath(String file, Group g, String path) {
        Node direct = child(file, g, path);
        if (direct != null || !path.contains("/")) {
            return direct;
        }
        Node n = g;
        for (String part : path.split("/")) {
            if (!(n instanceof Group step)) {
                return null;
            }
            n = child(file, step, part);
        }
        return n;
    }

    /** A string attribute (or null when absent). */
    static String stringAttribute(String file, Node n, String name) {
        return read(file, "attribute '" + name + "' of '" + n.getPath() + "'", () -> {
            Attribute a = n.getAttribute(name);
            if (a == null) {
                return null;
            }
            Object v = a.getData();
            if (v instanceof String s) {
                return s;
            }
            throw new KerasFileException(file + ": attribute '" + name + "' of '" + n.getPath()
                    + "' must be a string, found " + (v == null ? "nothing" : v.getClass().getSimpleName()));
        });
    }

    /** A list-of-strings attribute such as layer_names or weight_names; empty when absent or empty. */
    static List<String> stringsAttribute(String file, Node n, String name) {
        return read(file, "attribute '" + name + "' of '" + n.getPath() + "'", () -> {
            Attribute a = n.getAttribute(name);
            List<String> out = new ArrayList<>();
            if (a == null || a.isEmpty()) {
                return out;
            }
            Object v = a.getData();
            if (v instanceof String s) {
                out.add(s);
            } else if (v instanceof String[] arr) {
                out.addAll(List.of(arr));
            } else {
                throw new KerasFileException(file + ": attribute '" + name + "' of '" + n.getPath()
                        + "' must hold strings, found " + (v == null ? "nothing" : v.getClass().getSimpleName()));
            }
            return out;
        });
    }

    /**
     * A float32 (or float64 or integer, rounded as Keras's set_weights does) dataset as a tensor of
     * its shape; other dtypes are refused.
     */
    static Tensor tensor(String file, Dataset d) {
        return read(file, "dataset '" + d.getPath() + "'", () -> {
            Class<?> type = d.getJavaType();
            int[] dims = d.getDimensions();
            float[] values;
            // jhdf reports a scalar's type boxed.
            if (type == float.class || type == Float.class) {
                values = d.isScalar() ? new float[] {(Float) d.getData()} : (float[]) d.getDataFlat();
            } else if (type == double.class || type == Double.class) {
                double[] v = d.isScalar() ? new double[] {(Double) d.getData()} : (double[]) d.getDataFlat();
                values = new float[v.length];
                for (int i = 0; i < v.length; i++) {
                    values[i] = (float) v[i];
                }
            } else if (type == long.class || type == Long.class || type == int.class || type == Integer.class) {
                // Integer variables (Normalization's count) become floats; past 2^24 they round, and they
                // enter no computation.
                Object data = d.isScalar() ? new Object[] {d.getData()} : d.getDataFlat();
                values = new float[Array.getLength(data)];
                for (int i = 0; i < values.length; i++) {
                    values[i] = ((Number) Array.get(data, i)).floatValue();
                }
            } else {
                throw new KerasFileException(file + ": unsupported dtype " + type.getSimpleName() + " of dataset '"
                        + d.getPath() + "': weights must be float32 (or float64, or integers)");
            }
            return Tensor.of(values, dims);
        });
    }
}
