package io.orchestra.memory.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestra.core.config.OrchestraConfig.DatabaseSettings;
import io.orchestra.core.storage.Database;
import io.orchestra.testkit.TestPostgres;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KnowledgeGraphTest {
    @TempDir
    Path dir;

    interface Body {
        void run(KnowledgeGraph graph) throws Exception;
    }

    void withGraph(String kind, Body body) throws Exception {
        TestPostgres.Fresh fresh = kind.equals("postgres") ? TestPostgres.freshDatabase() : null;
        DatabaseSettings settings = fresh != null
                ? new DatabaseSettings(fresh.jdbcUrl(), Optional.empty(), Optional.empty(), 20)
                : new DatabaseSettings("jdbc:sqlite:" + dir.resolve("graph.db"), Optional.empty(), Optional.empty(), 8);
        try (Database db = Database.open(settings, "graph-test")) {
            db.migrate();
            body.run(new KnowledgeGraph(db, Clock.systemUTC()));
        } finally {
            if (fresh != null) {
                fresh.close();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void behavesLikeTheReferenceServer(String kind) throws Exception {
        withGraph(kind, graph -> {
            List<Entity> created = graph.createEntities(
                    "alice",
                    List.of(
                            new Entity("John_Smith", "person", List.of("Speaks fluent Spanish", "Graduated in 2019")),
                            new Entity("Anthropic", "organization", List.of()),
                            new Entity("John_Smith", "person", List.of("duplicate in the same call"))));
            assertThat(created).extracting(Entity::name).containsExactly("John_Smith", "Anthropic");
            assertThat(graph.createEntities("alice", List.of(new Entity("Anthropic", "organization", List.of()))))
                    .isEmpty();

            assertThat(graph.createRelations(
                            "alice",
                            List.of(
                                    new Relation("John_Smith", "Anthropic", "works_at"),
                                    new Relation("John_Smith", "Anthropic", "works_at"))))
                    .hasSize(1);
            // As the reference: a relation may name an entity not made yet, and comes back in read_graph.
            assertThat(graph.createRelations("alice", List.of(new Relation("John_Smith", "Nobody", "knows"))))
                    .containsExactly(new Relation("John_Smith", "Nobody", "knows"));
            graph.deleteRelations("alice", List.of(new Relation("John_Smith", "Nobody", "knows")));

            List<ObservationBatch> added = graph.addObservations(
                    "alice",
                    List.of(new ObservationBatch(
                            "John_Smith", List.of("Speaks fluent Spanish", "Prefers morning meetings"))));
            assertThat(added.get(0).contents()).containsExactly("Prefers morning meetings");
            assertThatThrownBy(() ->
                            graph.addObservations("alice", List.of(new ObservationBatch("Ghost", List.of("boo")))))
                    .isInstanceOf(GraphException.class)
                    .hasMessage("Entity with name Ghost not found");

            Graph found = graph.searchNodes("alice", "spanish", 10, 0);
            assertThat(found.entities()).extracting(Entity::name).containsExactly("John_Smith");
            // Like the reference (2026.8.31), a relation comes along when either end matched.
            assertThat(found.relations()).containsExactly(new Relation("John_Smith", "Anthropic", "works_at"));
            assertThat(graph.openNodes("alice", List.of("Anthropic")).relations())
                    .containsExactly(new Relation("John_Smith", "Anthropic", "works_at"));
            assertThat(graph.searchNodes("alice", "ANTHROP", 10, 0).entities())
                    .extracting(Entity::name)
                    .containsExactly("Anthropic");
            Graph both = graph.openNodes("alice", List.of("John_Smith", "Anthropic", "Missing"));
            assertThat(both.entities()).hasSize(2);
            assertThat(both.relations()).containsExactly(new Relation("John_Smith", "Anthropic", "works_at"));

            graph.deleteObservations(
                    "alice", List.of(new ObservationBatch("John_Smith", List.of("Graduated in 2019"))));
            assertThat(graph.openNodes("alice", List.of("John_Smith"))
                            .entities()
                            .get(0)
                            .observations())
                    .containsExactly("Speaks fluent Spanish", "Prefers morning meetings");

            graph.deleteEntities("alice", List.of("Anthropic"));
            Graph all = graph.readGraph("alice", 1000, 0);
            assertThat(all.entities()).extracting(Entity::name).containsExactly("John_Smith");
            assertThat(all.relations()).isEmpty();

            assertThat(graph.createEntities("alice", List.of())).isEmpty();
            assertThat(graph.createRelations("alice", List.of())).isEmpty();
            assertThat(graph.addObservations("alice", List.of())).isEmpty();
            assertThat(graph.addObservations("alice", List.of(new ObservationBatch("John_Smith", List.of()))))
                    .containsExactly(new ObservationBatch("John_Smith", List.of()));

            assertThat(graph.readGraph("bob", 1000, 0).entities()).isEmpty();
            assertThat(graph.searchNodes("bob", "spanish", 10, 0).entities()).isEmpty();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void fiftyConcurrentWritersLoseNothing(String kind) throws Exception {
        withGraph(kind, graph -> {
            graph.createEntities("alice", List.of(new Entity("Shared", "thing", List.of())));
            List<Future<?>> futures = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(50)) {
                for (int i = 0; i < 50; i++) {
                    int n = i;
                    futures.add(pool.submit(() -> {
                        graph.addObservations("alice", List.of(new ObservationBatch("Shared", List.of("fact " + n))));
                        graph.createEntities(
                                "alice",
                                List.of(
                                        new Entity("Thing " + n, "thing", List.of("made by writer " + n)),
                                        new Entity("Common", "thing", List.of())));
                        return null;
                    }));
                }
                for (Future<?> future : futures) {
                    future.get();
                }
            }
            assertThat(graph.openNodes("alice", List.of("Shared"))
                            .entities()
                            .get(0)
                            .observations())
                    .hasSize(50);
            assertThat(graph.countEntities("alice")).isEqualTo(52);
        });
    }
}
