package io.orchestra.core.util;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;

/**
 * Files inside jars, unpacked once into a directory and reused by every later start. The directory is named by the
 * jar entries' CRCs, so a new library version unpacks beside the old one instead of being mistaken for it; each file
 * is written under a temporary name and moved into place, so a start that stops halfway leaves nothing half-written.
 */
public final class UnpackedResources {
    private UnpackedResources() {}

    /**
     * The directory under {@code parent} holding every resource under its own name (the last part of its path), or
     * empty when one is missing, is not in a jar, or cannot be written.
     */
    public static Optional<Path> unpack(Class<?> anchor, List<String> resources, Path parent) {
        try {
            List<JarURLConnection> entries = new ArrayList<>();
            StringBuilder version = new StringBuilder();
            for (String resource : resources) {
                URL url = anchor.getResource(resource);
                if (url == null || !(url.openConnection() instanceof JarURLConnection jar)) {
                    return Optional.empty();
                }
                entries.add(jar);
                version.append(version.isEmpty() ? "" : "-")
                        .append(Long.toHexString(jar.getJarEntry().getCrc()));
            }
            Path dir = parent.resolve(version.toString());
            Files.createDirectories(dir);
            for (JarURLConnection jar : entries) {
                ZipEntry entry = jar.getJarEntry();
                String name = entry.getName().substring(entry.getName().lastIndexOf('/') + 1);
                Path target = dir.resolve(name);
                if (Files.isRegularFile(target) && Files.size(target) == entry.getSize()) {
                    continue;
                }
                Path partial = Files.createTempFile(dir, name, ".partial");
                try (InputStream in = jar.getInputStream()) {
                    Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(partial);
                }
            }
            return Optional.of(dir);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
