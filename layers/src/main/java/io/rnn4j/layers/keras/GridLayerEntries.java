package io.rnn4j.layers.keras;

import io.rnn4j.layers.Layer;
import java.util.Map;

/**
 * The Keras class names of the 2D and 3D grid layers (convolutions, poolings, padding, cropping,
 * upsampling, spatial dropout) and their readers, kept out of {@link LayerReader}'s switch, which
 * would otherwise outgrow one file.
 */
final class GridLayerEntries {
    /** Reads one layer's config; the flag says the file is Keras 2's. */
    private interface Reader {
        Layer read(Options o, boolean keras2);
    }

    private static final Map<String, Reader> READERS = Map.ofEntries(
            Map.entry("Conv2D", (o, k2) -> SpatialLayers.conv(o, k2, 2)),
            Map.entry("Conv3D", (o, k2) -> SpatialLayers.conv(o, k2, 3)),
            Map.entry("Conv2DTranspose", (o, k2) -> GridConvVariantLayers.convTranspose(o, k2, 2)),
            Map.entry("Conv3DTranspose", (o, k2) -> GridConvVariantLayers.convTranspose(o, k2, 3)),
            Map.entry("DepthwiseConv2D", (o, k2) -> GridConvVariantLayers.depthwiseConv2d(o, k2)),
            Map.entry("SeparableConv2D", (o, k2) -> GridConvVariantLayers.separableConv2d(o, k2)),
            Map.entry("AdaptiveAveragePooling2D", (o, k2) -> GridConvVariantLayers.adaptivePooling(o, 2, false)),
            Map.entry("AdaptiveAveragePooling3D", (o, k2) -> GridConvVariantLayers.adaptivePooling(o, 3, false)),
            Map.entry("AdaptiveMaxPooling2D", (o, k2) -> GridConvVariantLayers.adaptivePooling(o, 2, true)),
            Map.entry("AdaptiveMaxPooling3D", (o, k2) -> GridConvVariantLayers.adaptivePooling(o, 3, true)),
            Map.entry("MaxPooling2D", (o, k2) -> SpatialLayers.pooling(o, 2, true)),
            Map.entry("MaxPooling3D", (o, k2) -> SpatialLayers.pooling(o, 3, true)),
            Map.entry("AveragePooling2D", (o, k2) -> SpatialLayers.pooling(o, 2, false)),
            Map.entry("AveragePooling3D", (o, k2) -> SpatialLayers.pooling(o, 3, false)),
            Map.entry("GlobalMaxPooling2D", (o, k2) -> SpatialLayers.globalPooling(o, 2, true)),
            Map.entry("GlobalMaxPooling3D", (o, k2) -> SpatialLayers.globalPooling(o, 3, true)),
            Map.entry("GlobalAveragePooling2D", (o, k2) -> SpatialLayers.globalPooling(o, 2, false)),
            Map.entry("GlobalAveragePooling3D", (o, k2) -> SpatialLayers.globalPooling(o, 3, false)),
            Map.entry("ZeroPadding2D", (o, k2) -> GridShapingLayers.zeroPadding(o, 2)),
            Map.entry("ZeroPadding3D", (o, k2) -> GridShapingLayers.zeroPadding(o, 3)),
            Map.entry("Cropping2D", (o, k2) -> GridShapingLayers.cropping(o, 2)),
            Map.entry("Cropping3D", (o, k2) -> GridShapingLayers.cropping(o, 3)),
            Map.entry("UpSampling2D", (o, k2) -> GridShapingLayers.upSampling(o, 2)),
            Map.entry("UpSampling3D", (o, k2) -> GridShapingLayers.upSampling(o, 3)),
            Map.entry("SpatialDropout2D", (o, k2) -> GridShapingLayers.spatialDropout(o, 2)),
            Map.entry("SpatialDropout3D", (o, k2) -> GridShapingLayers.spatialDropout(o, 3)));

    private GridLayerEntries() {
    }

    /** Whether {@link #read} builds Keras's class {@code cls}. */
    static boolean reads(String cls) {
        return READERS.containsKey(cls);
    }

    /** The layer of a config entry of one of the grid classes ({@link #reads}). */
    static Layer read(String cls, Options o, boolean keras2) {
        return READERS.get(cls).read(o, keras2);
    }
}
