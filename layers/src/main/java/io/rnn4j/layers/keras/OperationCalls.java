package io.rnn4j.layers.keras;

import io.rnn4j.layers.Operation;
import io.rnn4j.layers.ops.Arithmetic;
import io.rnn4j.layers.ops.Axis;
import io.rnn4j.layers.ops.Cast;
import io.rnn4j.layers.ops.Clip;
import io.rnn4j.layers.ops.Comparison;
import io.rnn4j.layers.ops.Concatenation;
import io.rnn4j.layers.ops.Matmul;
import io.rnn4j.layers.ops.NumberOperands;
import io.rnn4j.layers.ops.Reduction;
import io.rnn4j.layers.ops.Rounding;
import io.rnn4j.layers.ops.Shaping;
import io.rnn4j.layers.ops.Stack;
import io.rnn4j.layers.ops.Unary;
import io.rnn4j.layers.ops.Where;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Keras 3's operations ({@code io.rnn4j.layers.ops}) in a functional config, read and written as
 * Keras 3.15 writes them. functional.get_config writes each operation of the graph in its "layers"
 * list with serialization_lib.serialize_keras_object: the class is not exported, so the entry is
 * {@code {"module": "keras.src.ops.numpy" (or ".nn"), "class_name": "Mean", "config": ...,
 * "registered_name": "Mean"}} (no build_config: an operation has none), then "name" and
 * "inbound_nodes". The config is Operation.get_config's: the name, then the arguments its
 * {@code __init__} took as the caller gave them (Operation.__new__ records them: {@code axis} 1
 * stays an int, a tuple becomes a list), in the order of the signature; an operation whose
 * {@code __init__} takes none ({@code Add}, {@code Relu}, {@code Matmul}, ...) writes its name alone.
 * Keras before 3.11 wrote no name for the operations whose {@code __init__} then took none
 * ({@code Mean}, ...): read either way.
 *
 * <p>A call ({@code functional.serialize_node}) writes the arguments the operation was called
 * with: {@code {"args": [x1, x2], "kwargs": {}}}, each a {@code __keras_tensor__} history or, for
 * the arithmetic operations, a Python number ({@code x * 0.5} records {@code [x, 0.5]},
 * {@code 1 - x} records {@code [1, x]}); Concatenate's and Stack's are {@code [[x, y, ...]]}. rnn4j keeps the
 * numbers (and Concatenate's count) as options of the operation, so every call must give the same.
 * Numbers are read as doubles (the JSON reader does not keep 2 apart from 2.0) and written back as
 * such: Keras computes the same float32 value from either.
 */
final class OperationCalls {
    private OperationCalls() {
    }

    /** Whether an entry is one of Keras's operations other than GetItem (which {@link GetItemCalls} reads). */
    static boolean isOperation(Map<String, Object> entry) {
        return entry.get("module") instanceof String m && m.startsWith("keras.src.ops.")
                && !"GetItem".equals(entry.get("class_name"));
    }

    /** The operation an entry describes, its numbers (and Concatenate's count) read from its first call. */
    static Operation layer(Map<String, Object> entry, String name) {
        String cls = LayerReader.className(entry);
        Object module = entry.get("module");
        Object registered = entry.get("registered_name");
        if (registered != null && !registered.equals(cls)) {
            throw new KerasFileException("unsupported operation '" + name + "' (" + registered + ") of module "
                    + module + ": a custom operation class");
        }
        Options o = new Options(name, cls, LayerReader.config(entry));
        o.ignore("name");
        List<Object> args = args(nodes(entry, name, cls).get(0), name, cls);
        Operation op;
        try {
            op = operation(o, module, args);
        } catch (KerasFileException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new KerasFileException(o.where() + ": " + e.getMessage(), e);
        }
        if (op instanceof Arithmetic a && (a.kind() == Arithmetic.Kind.ADD || a.kind() == Arithmetic.Kind.SUBTRACT)
                && args.stream().allMatch(OperationCalls::isBool)) {
            // rnn4j's bools are 1/0 floats, which would sum to 2; Keras keeps bool + bool a bool (JAX: logical or)
            throw new KerasFileException(o.where() + ": " + cls + " of two bool tensors, which Keras computes as bool "
                    + "(no float promotion); rnn4j takes a bool in arithmetic beside a float only (cast it to "
                    + "float32 first, or use logical_or)");
        }
        o.requireAllRead();
        op.named(name);
        return op;
    }

    private static Operation operation(Options o, Object module, List<Object> args) {
        String cls = o.className();
        boolean nn = "keras.src.ops.nn".equals(module);
        boolean numpy = "keras.src.ops.numpy".equals(module);
        Arithmetic.Kind arithmetic = Arithmetic.Kind.of(cls);
        Unary.Kind unary = Unary.Kind.of(cls);
        Reduction.Kind reduction = Reduction.Kind.of(cls);
        Shaping.Kind shaping = Shaping.Kind.of(cls);
        if (numpy && arithmetic != null) {
            operands(o, args, 2, 2);
            return new Arithmetic(arithmetic, number(args.get(0)), number(args.get(1)));
        }
        if (unary != null && (unary.nn() ? nn : numpy)) {
            operands(o, args, 1, 1);
            if (unary.unaryOp() == null) {
                Object axis = o.present("axis") ? o.raw("axis") : Double.valueOf(-1); // Softmax(axis=-1)
                if (!(Options.wholeNumber(axis) instanceof Integer a)) {
                    throw o.error("axis", "an int (rnn4j takes one axis; None would take the batch axis too)", axis);
                }
                return unary == Unary.Kind.SOFTMAX ? Unary.softmax(a) : Unary.logSoftmax(a);
            }
            if (unary == Unary.Kind.GELU) {
                // Keras's Gelu op defaults to approximate=True
                return new Unary(o.bool("approximate", true) ? Unary.Kind.GELU_APPROXIMATE : Unary.Kind.GELU);
            }
            if (unary.parameter() != null && o.present(unary.parameter())
                    && o.number(unary.parameter(), unary.parameterValue()) != unary.parameterValue()) {
                throw o.error(unary.parameter(), Options.show(unary.parameterValue()) + ", the default of Keras's "
                        + cls + " (rnn4j computes " + cls + " with it only)", o.raw(unary.parameter()));
            }
            return new Unary(unary);
        }
        if (numpy && reduction != null) {
            operands(o, args, 1, 1);
            Axis axis = axis(o, "axis", Axis.NONE);
            boolean keepdims = o.bool("keepdims", false);
            if (reduction != Reduction.Kind.MAX && reduction != Reduction.Kind.MIN) {
                return new Reduction(reduction, axis, keepdims);
            }
            Object initial = o.raw("initial");
            if (initial != null && !(initial instanceof Double)) {
                throw o.error("initial", "a number or null", initial);
            }
            return new Reduction(reduction, axis, keepdims, (Double) initial);
        }
        if (numpy && shaping != null) {
            operands(o, args, 1, 1);
            Axis none = shaping == Shaping.Kind.SQUEEZE || shaping == Shaping.Kind.TRANSPOSE ? Axis.NONE : null;
            Axis a = axis(o, shaping.argument(), none);
            if (shaping == Shaping.Kind.RESHAPE && !a.isList()) {
                a = Axis.list(a.values()); // Keras's reshape makes an int newshape a tuple of one
            }
            return new Shaping(shaping, a);
        }
        if (numpy && cls.equals("Concatenate")) {
            if (args.size() != 1 || !(args.get(0) instanceof List<?> xs)) {
                throw new KerasFileException(o.where() + ": expected one list of tensors in its call's args, found "
                        + GetItemCalls.show(args));
            }
            Object axis = o.present("axis") ? o.raw("axis") : Double.valueOf(0); // Concatenate(axis=0)
            Integer a = Options.wholeNumber(axis);
            if (a == null) {
                throw o.error("axis", "an int (Keras: axis cannot be None for concatenate)", axis);
            }
            return new Concatenation(xs.size(), a);
        }
        if (numpy && cls.equals("Stack")) {
            if (args.size() != 1 || !(args.get(0) instanceof List<?> xs)) {
                throw new KerasFileException(o.where() + ": expected one list of tensors in its call's args, found "
                        + GetItemCalls.show(args));
            }
            Object axis = o.present("axis") ? o.raw("axis") : Double.valueOf(0); // Stack(axis=0)
            if (!(Options.wholeNumber(axis) instanceof Integer a)) {
                throw o.error("axis", "an int", axis);
            }
            return new Stack(xs.size(), a);
        }
        if (numpy && cls.equals("Split")) {
            operands(o, args, 1, 1);
            Object axis = o.present("axis") ? o.raw("axis") : Double.valueOf(0); // Split(axis=0)
            if (!(Options.wholeNumber(axis) instanceof Integer a)) {
                throw o.error("axis", "an int", axis);
            }
            Axis at = axis(o, "indices_or_sections", null);
            return at.isList() ? new io.rnn4j.layers.ops.Split(at.values(), a)
                    : new io.rnn4j.layers.ops.Split(at.values()[0], a);
        }
        if (numpy && cls.equals("Matmul")) {
            operands(o, args, 2, 2);
            if (number(args.get(0)) != null || number(args.get(1)) != null) {
                throw new KerasFileException(o.where() + ": matmul takes two tensors of the model, found "
                        + GetItemCalls.show(args));
            }
            return new Matmul();
        }
        Rounding.Kind rounding = Rounding.Kind.of(cls);
        if (numpy && rounding != null) {
            operands(o, args, 1, 1);
            if (rounding != Rounding.Kind.ROUND) {
                return new Rounding(rounding);
            }
            Object decimals = o.present("decimals") ? o.raw("decimals") : Double.valueOf(0); // Round(decimals=0)
            if (!(Options.wholeNumber(decimals) instanceof Integer n)) {
                throw o.error("decimals", "an int", decimals);
            }
            return new Rounding(rounding, n);
        }
        if (numpy && cls.equals("Clip")) {
            operands(o, args, 1, 1);
            return new Clip(bound(o, "x_min"), bound(o, "x_max"));
        }
        Comparison.Kind comparison = Comparison.Kind.of(cls);
        if (numpy && comparison != null) {
            int n = comparison == Comparison.Kind.LOGICAL_NOT ? 1 : 2;
            operands(o, args, n, n);
            return new Comparison(comparison, number(args.get(0)), n == 1 ? null : number(args.get(1)));
        }
        if (numpy && cls.equals("Where")) {
            if (args.size() != 3 || !isTensor(args.get(0))) {
                throw new KerasFileException(o.where() + ": expected the args [condition, x1, x2] with the condition a "
                        + "tensor of the model (rnn4j does not take where(condition) alone), found "
                        + GetItemCalls.show(args));
            }
            if (!(args.get(1) instanceof Double) || !(args.get(2) instanceof Double)) {
                operands(o, args.subList(1, 3), 2, 2); // where(c, 1.0, 0.0) has its tensor in the condition
            }
            return new Where(number(args.get(1)), number(args.get(2)));
        }
        if ("keras.src.ops.core".equals(module) && cls.equals("Cast")) {
            operands(o, args, 1, 1);
            Object dtype = o.raw("dtype");
            if (!Cast.FLOAT32.equals(dtype)) {
                throw o.error("dtype", "\"float32\" (rnn4j computes in float32 only)", dtype);
            }
            return new Cast(Cast.FLOAT32);
        }
        throw new KerasFileException("unsupported operation '" + o.layer() + "' (" + cls + " of module " + module
                + "): rnn4j computes Keras's operations Add, Subtract, Multiply, Divide, TrueDivide, Maximum, "
                + "Minimum, Power, Mean, Sum, Max, Min, Any, All, Split, ExpandDims, Squeeze, Reshape, Transpose, Concatenate, "
                + "Matmul, GetItem, Clip, Sign, Floor, Ceil, Round, Stack, Greater, GreaterEqual, Less, LessEqual, "
                + "Equal, NotEqual, LogicalAnd, LogicalOr, LogicalNot, Where, "
                + unaryNames(false) + " (keras.src.ops.numpy), " + unaryNames(true) + " (keras.src.ops.nn) and "
                + "Cast to float32 (keras.src.ops.core)");
    }

    private static String unaryNames(boolean nn) {
        return Arrays.stream(Unary.Kind.values()).filter(k -> k.nn() == nn && k != Unary.Kind.GELU_APPROXIMATE)
                .map(Unary.Kind::kerasClass).collect(Collectors.joining(", "));
    }

    /** Clip's bound: a number (Keras's clip also takes None and tensors, which tf.clip_by_value does not). */
    private static double bound(Options o, String key) {
        Object v = o.raw(key);
        if (!(v instanceof Double d)) {
            throw o.error(key, "a number", v);
        }
        return d;
    }

    /** An int, a list of ints, or null (None; {@code none} when the option may be None, else refused). */
    private static Axis axis(Options o, String key, Axis none) {
        Object v = o.raw(key);
        if (v == null && none != null) {
            return none;
        }
        if (Options.wholeNumber(v) instanceof Integer a) {
            return Axis.of(a);
        }
        if (v instanceof List<?> l) {
            int[] a = new int[l.size()];
            for (int i = 0; i < a.length; i++) {
                Integer x = Options.wholeNumber(l.get(i));
                if (x == null) {
                    throw o.error(key, "an int or a list of ints", v);
                }
                a[i] = x;
            }
            return Axis.list(a);
        }
        throw o.error(key, none != null ? "an int, a list of ints or null" : "an int or a list of ints", v);
    }

    /** The call's number of operands, each a tensor of the model or a number. */
    private static void operands(Options o, List<Object> args, int min, int max) {
        if (args.size() < min || args.size() > max) {
            throw new KerasFileException(o.where() + ": expected " + (min == max ? "" + min : min + " to " + max)
                    + " operands in its call's args, found " + GetItemCalls.show(args));
        }
        int tensors = 0;
        for (Object a : args) {
            if (isTensor(a)) {
                tensors++;
            } else if (!(a instanceof Double) || max == 1) {
                throw new KerasFileException(o.where() + ": unsupported operand " + GetItemCalls.show(a)
                        + "; rnn4j takes tensors of the model" + (max == 1 ? "" : " and numbers"));
            }
        }
        if (tensors == 0) {
            throw new KerasFileException(o.where() + ": no tensor of the model among its operands "
                    + GetItemCalls.show(args));
        }
    }

    private static boolean isTensor(Object a) {
        return a instanceof Map<?, ?> m && "__keras_tensor__".equals(m.get("class_name"));
    }

    /** Whether a call's operand is a tensor Keras wrote as of dtype bool (a comparison's output). */
    private static boolean isBool(Object a) {
        return isTensor(a) && a instanceof Map<?, ?> m && m.get("config") instanceof Map<?, ?> c
                && "bool".equals(c.get("dtype"));
    }

    private static Double number(Object a) {
        return a instanceof Double d ? d : null;
    }

    private static List<?> nodes(Map<String, Object> entry, String name, String cls) {
        if (!(entry.get("inbound_nodes") instanceof List<?> nodes) || nodes.isEmpty()) {
            throw new KerasFileException("layer '" + name + "' (" + cls + "): Keras's operations are read in "
                    + "functional models only, with their calls; this entry has no inbound_nodes");
        }
        return nodes;
    }

    /** The args of one call: {"args": [...], "kwargs": {}}. */
    @SuppressWarnings("unchecked")
    private static List<Object> args(Object node, String name, String cls) {
        if (!(node instanceof Map<?, ?> m) || !(m.get("args") instanceof List<?> args)) {
            throw new KerasFileException("layer '" + name + "' (" + cls + ") has a malformed inbound node "
                    + GetItemCalls.show(node) + ": expected {\"args\": [...], \"kwargs\": {}}");
        }
        if (m.get("kwargs") instanceof Map<?, ?> kw && !kw.isEmpty()) {
            throw new KerasFileException("unsupported call arguments " + GetItemCalls.show(kw) + " in the call of "
                    + "layer '" + name + "' (" + cls + ")");
        }
        return (List<Object>) args;
    }

    /**
     * The tensors of each call, in order; every call must give the operation's numbers (and
     * Concatenate's count) at the same places.
     */
    static List<List<FunctionalReader.Ref>> calls(String file, Map<String, Object> entry, Operation op) {
        List<List<FunctionalReader.Ref>> out = new ArrayList<>();
        List<Object> expected = args(op, null);
        for (Object node : nodes(entry, op.name(), op.className())) {
            List<Object> args = args(node, op.name(), op.className());
            List<FunctionalReader.Ref> refs = new ArrayList<>();
            if (!match(file, args, expected, refs, op)) {
                throw new KerasFileException(file + ": layer '" + op.name() + "' (" + op.className() + ") is called "
                        + "with " + GetItemCalls.show(args) + " where its first call gives " + describe(expected)
                        + "; rnn4j takes the numbers as options of the operation");
            }
            out.add(refs);
        }
        return out;
    }

    /** Whether args are the expected ones (a null there: any tensor, added to refs). */
    private static boolean match(String file, List<?> args, List<?> expected, List<FunctionalReader.Ref> refs,
            Operation op) {
        if (args.size() != expected.size()) {
            return false;
        }
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            Object e = expected.get(i);
            if (e instanceof List<?> xs) {
                if (!(a instanceof List<?> l) || !match(file, l, xs, refs, op)) {
                    return false;
                }
            } else if (e == null) {
                if (!isTensor(a)) {
                    return false;
                }
                refs.add(tensor(file, a, op));
            } else if (!e.equals(a)) {
                return false;
            }
        }
        return true;
    }

    /** Expected args as Python would show them, a tensor's place as "tensor": {@code [tensor, 0.5]}. */
    private static String describe(Object v) {
        if (v instanceof List<?> l) {
            return "[" + String.join(", ", l.stream().map(OperationCalls::describe).toList()) + "]";
        }
        return v == null ? "tensor" : GetItemCalls.show(v);
    }

    private static FunctionalReader.Ref tensor(String file, Object a, Operation op) {
        FunctionalReader.Ref r = FunctionalReader.Ref.of(a);
        if (r != null) {
            return r;
        }
        throw new KerasFileException(file + ": layer '" + op.name() + "' (" + op.className() + ") is called on "
                + GetItemCalls.show(a) + ", not a tensor of the model");
    }

    // ---- writing ----

    /** The entry Keras 3's get_config writes for the operation; the caller adds name and inbound_nodes. */
    static Map<String, Object> entry(Operation op) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", op.name());
        switch (op) {
            case Unary u when u.kind().unaryOp() == null -> c.put("axis", u.axis());
            case Unary u when u.kind() == Unary.Kind.GELU || u.kind() == Unary.Kind.GELU_APPROXIMATE ->
                    c.put("approximate", u.kind() == Unary.Kind.GELU_APPROXIMATE);
            // Keras writes Squareplus's b as the int 4
            case Unary u when u.kind().parameter() != null -> c.put(u.kind().parameter(),
                    u.kind() == Unary.Kind.SQUAREPLUS ? (Object) 4 : (Object) u.kind().parameterValue());
            case Reduction r -> {
                c.put("axis", axis(r.axis()));
                c.put("keepdims", r.keepdims());
                if (r.kind() == Reduction.Kind.MAX || r.kind() == Reduction.Kind.MIN) {
                    c.put("initial", r.initial());
                }
            }
            case Shaping s -> c.put(s.kind().argument(), axis(s.argument()));
            case Concatenation k -> c.put("axis", k.axis());
            case io.rnn4j.layers.ops.Split k -> {
                c.put("indices_or_sections", k.indices() == null ? (Object) k.sections()
                        : Arrays.stream(k.indices()).boxed().toList());
                c.put("axis", k.axis());
            }
            case Stack k -> c.put("axis", k.axis());
            case Clip k -> {
                c.put("x_min", k.xMin());
                c.put("x_max", k.xMax());
            }
            case Cast k -> c.put("dtype", k.dtype());
            case Rounding r when r.kind() == Rounding.Kind.ROUND -> c.put("decimals", r.decimals());
            default -> {
            }
        }
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("module", op.kerasModule());
        e.put("class_name", op.className());
        e.put("config", c);
        e.put("registered_name", op.className());
        return e;
    }

    private static Object axis(Axis a) {
        if (a.isNone()) {
            return null;
        }
        List<Object> v = new ArrayList<>();
        for (int x : a.values()) {
            v.add(x);
        }
        return a.isList() ? v : v.get(0);
    }

    /**
     * The call's args as serialize_node writes them, its tensors taken in order from {@code tensors}
     * (null: a null in each tensor's place).
     */
    static List<Object> args(Operation op, List<Object> tensors) {
        int[] next = {0};
        Supplier<Object> t = () -> tensors == null ? null : tensors.get(next[0]++);
        List<Object> args = new ArrayList<>();
        switch (op) {
            case Comparison k when k.kind() == Comparison.Kind.LOGICAL_NOT -> args.add(t.get());
            case NumberOperands n -> {
                args.add(n.x1() == null ? t.get() : n.x1());
                args.add(n.x2() == null ? t.get() : n.x2());
            }
            case Where w -> {
                args.add(t.get());
                args.add(w.x1() == null ? t.get() : w.x1());
                args.add(w.x2() == null ? t.get() : w.x2());
            }
            case Matmul m -> {
                args.add(t.get());
                args.add(t.get());
            }
            case Concatenation k -> {
                List<Object> xs = new ArrayList<>();
                for (int i = 0; i < k.count(); i++) {
                    xs.add(t.get());
                }
                args.add(xs);
            }
            case Stack k -> {
                List<Object> xs = new ArrayList<>();
                for (int i = 0; i < k.count(); i++) {
                    xs.add(t.get());
                }
                args.add(xs);
            }
            default -> args.add(t.get());
        }
        return args;
    }
}
