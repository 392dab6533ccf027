package io.rnn4j.layers.keras;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * The entries of a {@code .keras} archive (a zip), read from a file or from bytes in memory, each
 * checked against the CRC-32 the archive records for it.
 */
final class ArchiveEntries implements AutoCloseable {
    /** What messages call the archive. */
    private final String file;
    /** The archive on disk, or null when it was read into {@link #inMemory}. */
    private final ZipFile zip;
    private final Map<String, byte[]> inMemory;

    private ArchiveEntries(String file, ZipFile zip, Map<String, byte[]> inMemory) {
        this.file = file;
        this.zip = zip;
        this.inMemory = inMemory;
    }

    /** The archive in a file, its entries read when asked for. */
    static ArchiveEntries open(Path path) throws IOException {
        try {
            return new ArchiveEntries(path.toString(), new ZipFile(path.toFile()), null);
        } catch (ZipException e) {
            throw new KerasFileException(path + ": not a readable .keras archive (truncated or corrupt zip): "
                    + e.getMessage(), e);
        }
    }

    /** Every entry of an archive in memory; ZipInputStream checks each entry's CRC-32 as it reads it. */
    static ArchiveEntries read(String name, byte[] archive) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        String reading = null;
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(archive))) {
            for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
                reading = e.getName();
                entries.put(reading, z.readAllBytes());
                reading = null;
            }
        } catch (IOException e) { // a ZipException (a CRC-32 that does not match, say), or an EOFException
            throw new KerasFileException(name + ": not a readable .keras archive (truncated or corrupt zip"
                    + (reading == null ? "" : ", in " + reading) + "): " + e.getMessage(), e);
        }
        return new ArchiveEntries(name, null, entries);
    }

    /** The entry's bytes; null when the archive has none of that name. */
    byte[] get(String name) throws IOException {
        if (zip == null) {
            return inMemory.get(name);
        }
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            return null;
        }
        byte[] bytes;
        try (InputStream in = zip.getInputStream(e)) {
            bytes = in.readAllBytes();
        } catch (ZipException ex) {
            throw new KerasFileException(file + ": cannot read " + name + " from the archive (corrupt?): "
                    + ex.getMessage(), ex);
        }
        // ZipFile checks no checksum (Keras stores its entries uncompressed, so not even inflation
        // would notice): without this a damaged weights file loads and predicts wrong numbers.
        CRC32 crc = new CRC32();
        crc.update(bytes);
        if (e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
            throw new KerasFileException(String.format(Locale.ROOT, "%s: %s in the archive is damaged: its CRC-32 is "
                    + "%08x, the archive records %08x", file, name, crc.getValue(), e.getCrc()));
        }
        return bytes;
    }

    /** The entry's bytes, or an error listing the entries there are. */
    byte[] required(String name) throws IOException {
        byte[] bytes = get(name);
        if (bytes == null) {
            throw new KerasFileException(file + ": the .keras archive has no " + name + " (entries: " + names() + ")");
        }
        return bytes;
    }

    List<String> names() {
        return zip == null ? List.copyOf(inMemory.keySet()) : zip.stream().map(ZipEntry::getName).toList();
    }

    @Override
    public void close() throws IOException {
        if (zip != null) {
            zip.close();
        }
    }
}
