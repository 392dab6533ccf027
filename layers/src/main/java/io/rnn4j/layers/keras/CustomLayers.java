package io.rnn4j.layers.keras;

import io.rnn4j.layers.Layer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The Java counterparts of a Keras file's custom layer classes: what Keras's
 * {@code load_model(path, custom_objects={"MyAttention": MyAttention})} is given, for
 * {@link Models#load(java.nio.file.Path, CustomLayers)}.
 *
 * <pre>{@code
 * CustomLayers custom = CustomLayers.of()
 *         .with("my_package>MyAttention", config -> new MyAttention())            // registered class
 *         .with("ScaledBlend", config -> new ScaledBlend(config.number("scale", 1.0)));
 * KerasModel model = Models.load(Path.of("model.keras"), custom);
 * }</pre>
 *
 * <p>A key matches a layer entry as Keras's deserialize_keras_object matches custom_objects
 * (keras/src/saving/serialization_lib.py {@code _retrieve_class_or_fn}, object_registration.py):
 * <ul>
 *   <li>a {@code .keras} archive (and any config that has a {@code registered_name} key): the
 *       entry's {@code registered_name} — {@code "package>ClassName"} for a class decorated with
 *       {@code @keras.saving.register_keras_serializable(package="package")}, the class's name
 *       ({@code "ScaledBlend"}) for a class that was not. Keras's own layers are written with
 *       {@code registered_name: null} and never match;</li>
 *   <li>a legacy {@code .h5} (Keras 3's {@code model.save("x.h5")}, tf.keras) or Keras 2 JSON,
 *       which have no {@code registered_name}: the entry's {@code class_name}, which holds that same
 *       registered name. As in Keras's legacy loader, a key equal to a Keras class name there
 *       replaces Keras's layer.</li>
 * </ul>
 * Keys match exactly: a class registered as {@code "pkg>Name"} is not found under {@code "Name"}
 * (Keras raises "Could not locate class" then too); the refusal names the key to use.
 *
 * <p>The factory gets the entry's config ({@link CustomLayerConfig}) and returns a new, unbuilt
 * {@link Layer} whose {@link Layer#className()} is the Python class's name ({@code "MyAttention"}:
 * the Java class's simple name unless overridden), as the file keeps the layer's variables under
 * that name in snake_case; rnn4j then names it from the file, freezes it when the file says
 * {@code trainable: false}, builds it where the model applies it, and fills its weights from the
 * file ({@link Models#load(java.nio.file.Path, CustomLayers)} says how). Instances are immutable:
 * {@link #with} returns a new registry.
 */
public final class CustomLayers {
    private static final CustomLayers NONE = new CustomLayers(Map.of(), Map.of());

    /** Makes the Java layer for one custom layer entry of a Keras file. */
    @FunctionalInterface
    public interface Factory {
        /**
         * A new, unbuilt layer for the entry whose config is given. Every key of the config the
         * factory neither reads nor {@linkplain CustomLayerConfig#ignore ignores} is refused after
         * it returns (Keras passes every key to the class's {@code __init__}).
         */
        Layer create(CustomLayerConfig config);
    }

    private final Map<String, Factory> factories;
    /** Factories for Lambda layers, by layer name. */
    private final Map<String, Factory> lambdas;

    private CustomLayers(Map<String, Factory> factories, Map<String, Factory> lambdas) {
        this.factories = factories;
        this.lambdas = lambdas;
    }

    /** An empty registry (the files then load as with {@link Models#load(java.nio.file.Path)}). */
    public static CustomLayers of() {
        return NONE;
    }

    /**
     * This registry plus {@code factory} for the layers saved under {@code key} (a Keras
     * {@code registered_name}: {@code "package>ClassName"} or {@code "ClassName"}).
     *
     * @throws IllegalArgumentException if the key is blank or already has a factory
     */
    public CustomLayers with(String key, Factory factory) {
        Objects.requireNonNull(factory, "factory");
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("CustomLayers.with: the key must be a Keras registered name such as "
                    + "\"my_package>MyAttention\" or a class name, got " + (key == null ? "null" : "'" + key + "'"));
        }
        if (factories.containsKey(key)) {
            throw new IllegalArgumentException("CustomLayers.with: '" + key + "' already has a factory");
        }
        Map<String, Factory> m = new LinkedHashMap<>(factories);
        m.put(key, factory);
        return new CustomLayers(Collections.unmodifiableMap(m), lambdas);
    }

    /**
     * This registry plus the Java counterpart of the file's Lambda layer named {@code layerName}
     * (Keras's {@code Lambda(lambda x: ...)}, whose Python function rnn4j cannot run): usually
     * {@code config -> new Lambda(x -> ...)}, though any layer computing the same goes. The entry's
     * function, output_shape and mask keys are the Python code's and need not be read; a non-empty
     * {@code arguments} must be (it is what Keras passes the function). A Lambda returned keeps the
     * file's function config, so that saving writes it back ({@link io.rnn4j.layers.Lambda}).
     *
     * @throws IllegalArgumentException if the name is blank or already has a factory
     */
    public CustomLayers withLambda(String layerName, Factory factory) {
        Objects.requireNonNull(factory, "factory");
        if (layerName == null || layerName.isBlank() || lambdas.containsKey(layerName)) {
            throw new IllegalArgumentException("CustomLayers.withLambda: the Lambda layer's name must be given once, "
                    + "got " + (layerName == null ? "null" : "'" + layerName + "'"));
        }
        Map<String, Factory> m = new LinkedHashMap<>(lambdas);
        m.put(layerName, factory);
        return new CustomLayers(factories, Collections.unmodifiableMap(m));
    }

    /** The names of the Lambda layers that have a factory, in the order they were added. */
    public Set<String> lambdaNames() {
        return lambdas.keySet();
    }

    Factory lambda(String layerName) {
        return lambdas.get(layerName);
    }

    /** The keys that have a factory, in the order they were added. */
    public Set<String> keys() {
        return factories.keySet();
    }

    Factory factory(String key) {
        return key == null ? null : factories.get(key);
    }

    @Override
    public String toString() {
        return "CustomLayers" + factories.keySet() + (lambdas.isEmpty() ? "" : " lambdas " + lambdas.keySet());
    }
}
