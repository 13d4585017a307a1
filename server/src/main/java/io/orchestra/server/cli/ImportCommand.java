package io.orchestra.server.cli;

import io.orchestra.memory.graph.GraphFiles;
import io.orchestra.memory.graph.KnowledgeGraph;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description =
                "Import a memory JSONL file (the reference MCP memory server's memory.jsonl format) into an owner's graph.")
final class ImportCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "The JSONL file.")
    Path file;

    @Option(names = "--owner", defaultValue = "admin", description = "Whose memory receives the data (default: admin).")
    String owner;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(file)) {
            System.err.println("no such file: " + file);
            return 2;
        }
        long total;
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            total = lines.count();
        }
        GraphFiles.ImportResult result = CliDatabase.with(db -> {
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                return new GraphFiles(new KnowledgeGraph(db, Clock.systemUTC()))
                        .importJsonl(owner, reader, done -> progress(done, total));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        System.err.println();
        System.out.printf(
                "imported into '%s': %d entities, %d observations, %d relations; %d lines skipped%n",
                owner,
                result.entitiesCreated(),
                result.observationsAdded(),
                result.relationsCreated(),
                result.skipped());
        result.problems().forEach(p -> System.out.println("  skipped " + p));
        return 0;
    }

    /** A progress bar on stderr, redrawn in place. */
    static void progress(long done, long total) {
        int width = 40;
        int filled = total == 0 ? width : (int) Math.min(width, done * width / total);
        System.err.printf("\r[%s%s] %d/%d lines", "#".repeat(filled), " ".repeat(width - filled), done, total);
        System.err.flush();
    }
}
