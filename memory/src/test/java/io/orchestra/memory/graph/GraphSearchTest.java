package io.orchestra.memory.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.config.MemorySettings;
import io.orchestra.core.storage.Database;
import io.orchestra.memory.TestDatabases;
import io.orchestra.memory.embeddings.LocalEmbedder;
import io.orchestra.memory.index.VectorSearch;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** search_nodes: every substring match (ranked as before), then semantic neighbours, one paged ranking. */
class GraphSearchTest {
    static final LocalEmbedder EMBEDDER = new LocalEmbedder(Path.of("target"));

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres", "pgvector"})
    void substringMatchesFirstThenSemanticNeighboursPagedAndScoped(String kind) {
        try (TestDatabases.Place place = TestDatabases.create(kind, dir);
                Database db = place.open();
                VectorSearch vectors = VectorSearch.open(
                        db, MemorySettings.VectorEngine.AUTO, EMBEDDER.dimensions(), Clock.systemUTC())) {
            KnowledgeGraph graph = new KnowledgeGraph(db, Clock.systemUTC());
            EntityEmbeddings embeddings = new EntityEmbeddings(db, EMBEDDER, vectors.entities(), Clock.systemUTC(), 64);
            GraphSearch search = new GraphSearch(graph, db, EMBEDDER, vectors.entities(), 0.3);
            graph.createEntities(
                    "alice",
                    List.of(
                            new Entity(
                                    "Ada_Lovelace",
                                    "person",
                                    List.of("Wrote the first computer program", "Worked with Charles Babbage")),
                            new Entity(
                                    "Grace_Hopper",
                                    "person",
                                    List.of("Created the first compiler", "Rear admiral in the US Navy")),
                            new Entity(
                                    "Sourdough",
                                    "recipe",
                                    List.of("Flour, water, salt and a starter; bake at 250 degrees")),
                            new Entity("Programming_Club", "organization", List.of("Meets on Fridays"))));
            graph.createRelations("alice", List.of(new Relation("Ada_Lovelace", "Grace_Hopper", "inspired")));
            graph.createEntities(
                    "bob",
                    List.of(new Entity(
                            "Linus_Torvalds", "person", List.of("Wrote the Linux kernel, a famous computer program"))));

            // Before the embeddings exist, search is the substring search exactly.
            assertThat(names(search.search("alice", "programming", 10, 0, true)))
                    .containsExactly("Programming_Club");
            assertThat(embeddings.refresh()).isEqualTo(5);

            Graph found = search.search("alice", "programming", 10, 0, true);
            assertThat(names(found).getFirst()).isEqualTo("Programming_Club");
            assertThat(names(found))
                    .contains("Ada_Lovelace", "Grace_Hopper")
                    .doesNotContain("Sourdough", "Linus_Torvalds");
            assertThat(found.relations()).containsExactly(new Relation("Ada_Lovelace", "Grace_Hopper", "inspired"));

            // Paging walks the same ranking: page by page equals the whole list.
            List<String> whole = names(search.search("alice", "programming", 10, 0, true));
            List<String> paged = new ArrayList<>();
            for (int offset = 0; offset < whole.size(); offset++) {
                paged.addAll(names(search.search("alice", "programming", 1, offset, true)));
            }
            assertThat(paged).isEqualTo(whole);
            assertThat(search.search("alice", "programming", 10, whole.size(), true)
                            .entities())
                    .isEmpty();

            // Observations change the embedding (off the write path), deletions remove it.
            graph.addObservations(
                    "alice",
                    List.of(new ObservationBatch(
                            "Sourdough", List.of("Written as a Python program that schedules the baking"))));
            graph.deleteEntities("alice", List.of("Grace_Hopper"));
            assertThat(embeddings.refresh()).isEqualTo(2);
            assertThat(names(search.search("alice", "software program", 10, 0, true)))
                    .doesNotContain("Grace_Hopper");
            int stored = db.jdbi()
                    .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM memory_entity_vectors")
                            .mapTo(Integer.class)
                            .one());
            assertThat(stored).isEqualTo(4);
            assertThat(embeddings.refresh()).isZero();
        }
    }

    static List<String> names(Graph graph) {
        return graph.entities().stream().map(Entity::name).toList();
    }
}
