package io.orchestra.agents.persona;

import io.orchestra.core.error.Validation;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Loads {@code personas/*.yaml} at start and again whenever a file changes. An invalid file is
 * reported with every problem and leaves the persona's last good version in place.
 */
public final class PersonaFiles implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PersonaFiles.class);
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private final Path directory;
    private final PersonaStore store;
    private final Map<String, List<String>> problems = new LinkedHashMap<>();
    private WatchService watcher;
    private Thread watchThread;

    public PersonaFiles(Path directory, PersonaStore store) {
        this.directory = directory;
        this.store = store;
    }

    /** Reads every file once; returns the ids loaded. */
    public synchronized List<String> load() {
        problems.clear();
        List<String> loaded = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return loaded;
        }
        Set<String> seen = new HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.{yaml,yml}")) {
            for (Path file : files) {
                String expectedId = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
                seen.add(expectedId);
                Validation v = new Validation();
                try {
                    JsonNode node = YAML.readTree(file.toFile());
                    Persona persona = PersonaParser.parse(node, expectedId, v);
                    if (persona != null) {
                        store.syncFromFile(persona);
                        loaded.add(persona.id());
                    }
                } catch (JacksonException e) {
                    v.add("not valid YAML: " + e.getOriginalMessage());
                }
                if (!v.ok()) {
                    problems.put(file.getFileName().toString(), v.errors());
                    LOG.warn("persona file {} is invalid: {}", file.getFileName(), String.join("; ", v.errors()));
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot read persona directory {}: {}", directory, e.getMessage());
        }
        // A file-defined persona whose file is gone is soft-deleted (its history stays).
        for (String id : store.fileDefined()) {
            if (!seen.contains(id)) {
                store.deleteFromFile(id);
            }
        }
        return loaded;
    }

    /** Problems found in the files at the last load, by file name. */
    public synchronized Map<String, List<String>> problems() {
        return Map.copyOf(problems);
    }

    /** Reloads on any change in the directory, on a virtual thread, until closed. */
    public void watch() {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try {
            watcher = directory.getFileSystem().newWatchService();
            directory.register(
                    watcher,
                    StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException e) {
            LOG.warn("cannot watch {}: {}", directory, e.getMessage());
            return;
        }
        watchThread = Thread.ofVirtual().name("persona-files").start(() -> {
            try {
                while (true) {
                    WatchKey key = watcher.take();
                    // Editors write in several steps; settle before reading.
                    Thread.sleep(100);
                    while (watcher.poll(50, TimeUnit.MILLISECONDS) != null) {
                        // drain the burst
                    }
                    key.pollEvents();
                    key.reset();
                    load();
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                // closing
            }
        });
    }

    @Override
    public void close() {
        try {
            if (watcher != null) {
                watcher.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        if (watchThread != null) {
            watchThread.interrupt();
        }
    }
}
