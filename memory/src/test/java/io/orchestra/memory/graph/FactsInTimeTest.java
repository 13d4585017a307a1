package io.orchestra.memory.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestra.core.config.MemorySettings;
import io.orchestra.core.error.ProblemException;
import io.orchestra.core.storage.Database;
import io.orchestra.memory.TestDatabases;
import io.orchestra.memory.embeddings.LocalEmbedder;
import io.orchestra.memory.index.VectorSearch;
import io.orchestra.memory.memories.MemoryStore;
import io.orchestra.memory.memories.Recalled;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Validity in time on both databases: deletes end facts, supersede ends them, as_of reads the past. */
class FactsInTimeTest {
    static final LocalEmbedder EMBEDDER = new LocalEmbedder(Path.of("target"));

    @TempDir
    Path dir;

    /** A clock the test moves. */
    static final class Steps extends Clock {
        long now = 1_700_000_000_000L;

        Instant at(long plus) {
            return Instant.ofEpochMilli(1_700_000_000_000L + plus);
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void graphFactsEndInsteadOfVanishingAndTheirPastStaysReadable(String kind) {
        Steps clock = new Steps();
        try (TestDatabases.Place place = TestDatabases.create(kind, dir);
                Database db = place.open()) {
            KnowledgeGraph graph = new KnowledgeGraph(db, clock);
            graph.createEntities("alice", List.of(new Entity("Ada", "person", List.of("Role: engineer", "Likes tea"))));
            graph.createEntities("alice", List.of(new Entity("Acme", "company", List.of())));
            graph.createRelations("alice", List.of(new Relation("Ada", "Acme", "works_at")));
            graph.createEntities("bob", List.of(new Entity("Ada", "person", List.of("Bob's Ada"))));

            clock.now += 1000; // t+1s: a contradiction detected by key, and a deleted observation
            List<ObservationBatch> added = graph.addObservations(
                    "alice", List.of(new ObservationBatch("Ada", List.of("role: CTO"), List.of(), true)));
            assertThat(added.get(0).contents()).containsExactly("role: CTO");
            assertThat(added.get(0).supersedes()).containsExactly("Role: engineer");
            graph.deleteObservations("alice", List.of(new ObservationBatch("Ada", List.of("Likes tea"))));

            clock.now += 1000; // t+2s: she moves, and the tea comes back
            graph.createEntities("alice", List.of(new Entity("Initech", "company", List.of())));
            graph.createRelations(
                    "alice",
                    List.of(new Relation("Ada", "Initech", "works_at")),
                    Set.of(new Relation("Ada", "Initech", "works_at")));
            graph.addObservations("alice", List.of(new ObservationBatch("Ada", List.of("Likes tea"))));

            // Now: only the facts valid now, as a reference client expects.
            Graph now = graph.openNodes("alice", List.of("Ada"));
            assertThat(now.entities().get(0).observations()).containsExactly("role: CTO", "Likes tea");
            assertThat(now.relations()).containsExactly(new Relation("Ada", "Initech", "works_at"));
            assertThat(graph.searchNodes("alice", "engineer").entities()).isEmpty();

            // The past: at t+0.5s she was an engineer at Acme who liked tea; Initech did not exist yet.
            AsOf before = AsOf.of(clock.at(500));
            Graph then = graph.readGraph("alice", before);
            assertThat(then.entities()).extracting(Entity::name).containsExactly("Ada", "Acme");
            assertThat(then.entities().get(0).observations()).containsExactly("Role: engineer", "Likes tea");
            assertThat(then.relations()).containsExactly(new Relation("Ada", "Acme", "works_at"));
            assertThat(graph.searchNodes("alice", "engineer", before).entities())
                    .extracting(Entity::name)
                    .containsExactly("Ada");
            assertThat(graph.searchPage("alice", "ENGINEER", 10, 0, before)
                            .graph()
                            .entities())
                    .hasSize(1);
            // Between the deletion and the return of the tea.
            assertThat(graph.openNodes("alice", List.of("Ada"), AsOf.of(clock.at(1500)))
                            .entities()
                            .get(0)
                            .observations())
                    .containsExactly("role: CTO");

            // The history, oldest first, with what ended each fact.
            GraphHistory.EntityHistory history = graph.history().history("alice", "Ada");
            assertThat(history.observations())
                    .extracting(
                            GraphHistory.ObservationFact::content,
                            f -> f.validTo() == null ? null : f.validTo().toEpochMilli() - 1_700_000_000_000L,
                            GraphHistory.ObservationFact::supersededBy)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("Role: engineer", 1000L, "role: CTO"),
                            org.assertj.core.groups.Tuple.tuple("Likes tea", 1000L, null),
                            org.assertj.core.groups.Tuple.tuple("role: CTO", null, null),
                            org.assertj.core.groups.Tuple.tuple("Likes tea", null, null));
            assertThat(history.relations())
                    .extracting(GraphHistory.RelationFact::to, GraphHistory.RelationFact::supersededBy)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("Acme", new Relation("Ada", "Initech", "works_at")),
                            org.assertj.core.groups.Tuple.tuple("Initech", null));
            // Another owner's Ada has its own history.
            assertThat(graph.history().history("bob", "Ada").observations())
                    .extracting(GraphHistory.ObservationFact::content)
                    .containsExactly("Bob's Ada");

            // A relation deleted and made again is a second interval, not a conflict.
            clock.now += 1000;
            graph.deleteRelations("alice", List.of(new Relation("Ada", "Initech", "works_at")));
            clock.now += 1000;
            assertThat(graph.createRelations("alice", List.of(new Relation("Ada", "Initech", "works_at"))))
                    .hasSize(1);
            assertThat(graph.history().history("alice", "Initech").relations()).hasSize(2);
            assertThat(graph.readGraph("alice").relations())
                    .containsExactly(new Relation("Ada", "Initech", "works_at"));

            // supersede in one step; an observation that does not hold now cannot be superseded.
            ObservationBatch replaced = graph.supersede("alice", "Ada", "Likes tea", "Likes coffee");
            assertThat(replaced.supersedes()).containsExactly("Likes tea");
            assertThatThrownBy(() -> graph.supersede("alice", "Ada", "Role: engineer", "x"))
                    .isInstanceOf(GraphException.class);
            assertThat(graph.openNodes("alice", List.of("Ada"))
                            .entities()
                            .get(0)
                            .observations())
                    .containsExactly("role: CTO", "Likes coffee");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void forgottenMemoriesEndAndPurgedOnesVanish(String kind) {
        Steps clock = new Steps();
        try (TestDatabases.Place place = TestDatabases.create(kind, dir);
                Database db = place.open();
                VectorSearch vectors =
                        VectorSearch.open(db, MemorySettings.VectorEngine.AUTO, EMBEDDER.dimensions(), clock)) {
            MemoryStore store = new MemoryStore(db, EMBEDDER, vectors.memories(), clock);
            String office = store.remember("alice", null, null, "The office is in Berlin", List.of(), 0.5, null)
                    .memory()
                    .id();
            store.remember("bob", null, null, "The office is in Berlin", List.of(), 0.5, null);
            clock.now += 1000;
            String moved = store.supersede("alice", office, "The office moved to Munich", List.of(), 0.5, null)
                    .memory()
                    .id();

            assertThat(texts(store.recall("alice", "where is the office", 5, List.of(), List.of(), null, null)))
                    .containsExactly("The office moved to Munich");
            assertThat(texts(store.recall(
                            "alice",
                            "where is the office",
                            5,
                            List.of(),
                            List.of(),
                            null,
                            null,
                            AsOf.of(clock.at(500)))))
                    .containsExactly("The office is in Berlin");
            // Bob's memory is his own: untouched by Alice's supersede.
            assertThat(texts(store.recall("bob", "where is the office", 5, List.of(), List.of(), null, null)))
                    .containsExactly("The office is in Berlin");

            clock.now += 1000;
            store.forget("alice", moved);
            assertThat(store.recall("alice", "office", 5, List.of(), List.of(), null, null))
                    .isEmpty();
            assertThat(texts(store.recall(
                            "alice", "office", 5, List.of(), List.of(), null, null, AsOf.of(clock.at(1500)))))
                    .containsExactly("The office moved to Munich");
            assertThatThrownBy(() -> store.forget("alice", moved)).isInstanceOf(ProblemException.class);

            store.purge("alice", moved);
            assertThat(store.recall("alice", "office", 5, List.of(), List.of(), null, null, AsOf.of(clock.at(1500))))
                    .isEmpty();
        }
    }

    private static List<String> texts(List<Recalled> recalled) {
        return recalled.stream().map(r -> r.memory().text()).toList();
    }
}
