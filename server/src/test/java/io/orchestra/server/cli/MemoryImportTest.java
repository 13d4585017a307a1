package io.orchestra.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.config.ConfigLoader;
import io.orchestra.core.config.OrchestraConfig;
import io.orchestra.core.storage.Database;
import io.orchestra.memory.graph.Entity;
import io.orchestra.memory.graph.KnowledgeGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Migrating a reference memory.jsonl with 10k entities, and exporting it back. */
class MemoryImportTest {
    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        System.clearProperty("orchestra.data-dir");
    }

    record Row(String name, String type, List<String> observations) {}

    @Test
    void tenThousandEntitiesImportAndSearchLikeTheReference() throws Exception {
        Random random = new Random(42);
        String[] words = {"alpha", "beta", "gamma", "delta", "spanish", "piano", "chess", "python", "kotlin", "Zürich"};
        List<Row> rows = new ArrayList<>();
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            List<String> observations = new ArrayList<>();
            for (int o = 0; o < 3; o++) {
                observations.add("likes " + words[random.nextInt(words.length)] + " number " + random.nextInt(1000));
            }
            Row row = new Row("Entity_" + i, i % 2 == 0 ? "person" : "project", observations);
            rows.add(row);
            file.append("{\"type\":\"entity\",\"name\":\"")
                    .append(row.name())
                    .append("\",\"entityType\":\"")
                    .append(row.type())
                    .append("\",\"observations\":[\"")
                    .append(String.join("\",\"", observations))
                    .append("\"]}\n");
        }
        for (int i = 0; i < 10_000; i++) {
            file.append("{\"type\":\"relation\",\"from\":\"Entity_")
                    .append(i)
                    .append("\",\"to\":\"Entity_")
                    .append((i + 1) % 10_000)
                    .append("\",\"relationType\":\"knows\"}\n");
        }
        file.append("{\"type\":\"relation\",\"from\":\"Entity_1\",\"to\":\"Nobody\",\"relationType\":\"dangling\"}\n");
        file.append("not json at all\n");
        Path jsonl = Files.writeString(dir.resolve("memory.jsonl"), file.toString());
        System.setProperty("orchestra.data-dir", dir.resolve("data").toString());

        CliTest.Run imported = CliTest.run("import", jsonl.toString(), "--owner", "migrant");
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        long distinctObservations = rows.stream()
                .mapToLong(r -> new HashSet<>(r.observations()).size())
                .sum();
        assertThat(imported.out())
                .contains(
                        "10000 entities",
                        distinctObservations + " observations",
                        // The dangling relation is kept, as the reference keeps it.
                        "10001 relations",
                        "1 lines skipped");
        assertThat(imported.err()).contains("[########################################] 20002/20002 lines");

        OrchestraConfig config = new ConfigLoader(
                        dir,
                        Map.of(),
                        Map.of("orchestra.data-dir", dir.resolve("data").toString()))
                .load();
        try (Database db = Database.open(config.database(), "import-test")) {
            KnowledgeGraph graph = new KnowledgeGraph(db, Clock.systemUTC());
            // Indexed (3+ characters) and scanned (shorter) queries, Unicode case, and "_99", which a
            // LIKE pattern without escaping would also match in every "number 99" observation.
            for (String query : List.of("spanish", "NUMBER 99", "Entity_99", "project", "ZÜRICH", "ü", "_99", "y_")) {
                Set<String> expected = new HashSet<>();
                String q = query.toLowerCase(Locale.ROOT);
                for (Row row : rows) {
                    if (row.name().toLowerCase(Locale.ROOT).contains(q)
                            || row.type().contains(q)
                            || row.observations().stream()
                                    .anyMatch(o -> o.toLowerCase(Locale.ROOT).contains(q))) {
                        expected.add(row.name());
                    }
                }
                Set<String> found = new HashSet<>();
                graph.searchNodes("migrant", query, 100_000, 0).entities().stream()
                        .map(Entity::name)
                        .forEach(found::add);
                assertThat(found).as(query).isEqualTo(expected);
            }
            List<Entity> ranked =
                    graph.searchNodes("migrant", "Entity_99", 3, 0).entities();
            assertThat(ranked.get(0).name()).as("exact name first").isEqualTo("Entity_99");
        }

        Path out = dir.resolve("export.jsonl");
        CliTest.Run exported = CliTest.run("export", "--owner", "migrant", "--output", out.toString());
        assertThat(exported.exitCode()).isZero();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(20_001);
        assertThat(lines)
                .contains(
                        "{\"type\":\"relation\",\"from\":\"Entity_5\",\"to\":\"Entity_6\",\"relationType\":\"knows\"}");
        // Re-importing the export changes nothing.
        CliTest.Run again = CliTest.run("import", out.toString(), "--owner", "migrant");
        assertThat(again.out()).contains("0 entities", "0 observations", "0 relations");
    }
}
