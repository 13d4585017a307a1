package io.orchestra.server.cli;

import io.orchestra.memory.graph.GraphFiles;
import io.orchestra.memory.graph.KnowledgeGraph;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = "Export an owner's memory graph as JSONL (the reference MCP memory server's format).")
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--owner", defaultValue = "admin", description = "Whose memory to export (default: admin).")
    String owner;

    @Option(
            names = {"-o", "--output"},
            description = "Write to this file instead of stdout.")
    Path output;

    @Option(
            names = "--with-validity",
            description = "Every fact, current or ended, with validFrom/validTo (not the reference's format).")
    boolean withValidity;

    @Override
    public Integer call() {
        long lines = CliDatabase.with(db -> {
            try (Writer out = output == null
                    ? new OutputStreamWriter(System.out, StandardCharsets.UTF_8)
                    : Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
                GraphFiles files = new GraphFiles(new KnowledgeGraph(db, Clock.systemUTC()));
                return withValidity ? files.exportHistoryJsonl(owner, out) : files.exportJsonl(owner, out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        System.err.println("exported " + lines + " lines for '" + owner + "'");
        return 0;
    }
}
