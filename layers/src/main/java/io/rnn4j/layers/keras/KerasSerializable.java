package io.rnn4j.layers.keras;

import io.rnn4j.layers.Layer;
import java.util.Map;

/**
 * A user's own {@link Layer} that {@link Models#save} writes as Keras writes a custom layer class,
 * so that Keras's {@code load_model(path, custom_objects=...)} (and rnn4j's
 * {@link Models#load(java.nio.file.Path, CustomLayers)}) rebuild it from its config:
 *
 * <pre>{@code
 * {"module": null, "class_name": <className()>, "registered_name": <kerasRegisteredName()>,
 *  "config": {"name": ..., "trainable": ..., "dtype": "float32", <kerasConfig()...>},
 *  "build_config": {"input_shape": ...}}
 * }</pre>
 *
 * Its weights go to {@code layers/<snake_case(className())>/vars/0..n} of the weights file, those
 * created trainable first, each kind in the order the layer added them — where Keras's
 * {@code save_own_variables} puts the variables of a Python layer that adds the same weights in the
 * same order. The layer's {@link Layer#className()} is the Python class's name (override it when
 * the Java class is named otherwise). A layer rnn4j does not know that does not implement this
 * interface is refused when saved.
 */
public interface KerasSerializable {

    /**
     * The options the Python class's {@code get_config()} adds to Keras's base keys (name,
     * trainable, dtype, which rnn4j writes), as {@code __init__} takes them: JSON values (numbers,
     * strings, booleans, null, lists and maps of them).
     */
    Map<String, Object> kerasConfig();

    /**
     * The {@code registered_name} Keras finds the class by: {@code "package>ClassName"} for a class
     * decorated with {@code @keras.saving.register_keras_serializable(package="package")}, the class
     * name for one given in {@code custom_objects}. By default the layer's {@link Layer#className()}.
     */
    default String kerasRegisteredName() {
        return this instanceof Layer l ? l.className() : getClass().getSimpleName();
    }

    /**
     * Whether Keras calls the Python class with several inputs as separate positional arguments
     * ({@code call(self, y_true, y_pred)}, applied as {@code layer(a, b)}) rather than as one list
     * ({@code call(self, inputs)}, applied as {@code layer([a, b])}, the default). Saving writes the
     * call's {@code args} so, as Keras's load_model must call the class; loading reads either form.
     */
    default boolean positionalInputs() {
        return false;
    }
}
