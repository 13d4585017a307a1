package io.orchestra.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.config.ConfigLoader;
import io.orchestra.core.config.OrchestraConfig;
import io.orchestra.core.storage.Database;
import io.orchestra.memory.graph.GraphFiles;
import io.orchestra.memory.graph.KnowledgeGraph;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** The memory.jsonl import into a real SQLite file: every bad line is skipped with a problem, nothing throws. */
class MemoryImportFuzzTest {
    private static final List<String> SEEDS = Fuzz.corpus("memory-jsonl");
    private static Database db;
    private static GraphFiles files;
    private static int owners;

    @BeforeContainer
    static void open() throws IOException {
        Path dir = Files.createTempDirectory("orchestra-import-fuzz");
        OrchestraConfig config = new ConfigLoader(dir, Map.of(), Map.of("orchestra.data-dir", dir.toString())).load();
        db = Database.open(config.database(), "import-fuzz");
        db.migrate();
        files = new GraphFiles(new KnowledgeGraph(db, Clock.systemUTC()));
    }

    @AfterContainer
    static void close() {
        db.close();
    }

    @Provide
    Arbitrary<String> imports() {
        return Arbitraries.longs().map(seed -> {
            Random r = new Random(seed);
            StringBuilder out = new StringBuilder();
            for (String line : SEEDS.get(r.nextInt(SEEDS.size())).split("\n")) {
                int roll = r.nextInt(6);
                if (roll == 0) {
                    continue;
                }
                out.append(roll < 3 ? Fuzz.json(r, List.of(line)).replace('\n', ' ') : line)
                        .append('\n');
                if (roll == 5) {
                    out.append(line).append('\n');
                }
            }
            return out.toString();
        });
    }

    @Property(seed = Fuzz.SEED)
    void anImportSkipsWhatItCannotRead(@ForAll("imports") String jsonl) {
        load(jsonl);
    }

    @Example
    void corpusReplays() {
        SEEDS.forEach(MemoryImportFuzzTest::load);
    }

    private static void load(String jsonl) {
        // A fresh owner each time, so one input's entities never decide what the next one finds.
        String owner = "fuzz-" + owners++;
        Fuzz.expectOnly("memory-jsonl", jsonl, () -> {
            try {
                GraphFiles.ImportResult result =
                        files.importJsonl(owner, new BufferedReader(new StringReader(jsonl)), lines -> {});
                Fuzz.assertMessages(result.problems());
                assertThat(result.skipped()).isGreaterThanOrEqualTo(0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
