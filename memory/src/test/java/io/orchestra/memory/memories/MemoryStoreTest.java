package io.orchestra.memory.memories;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.config.MemorySettings;
import io.orchestra.core.storage.Database;
import io.orchestra.memory.TestDatabases;
import io.orchestra.memory.embeddings.LocalEmbedder;
import io.orchestra.memory.index.VectorSearch;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Remember and recall through the vector index, with the real in-process embeddings model. */
class MemoryStoreTest {
    static final LocalEmbedder EMBEDDER = new LocalEmbedder(Path.of("target"));

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres", "pgvector"})
    void recallsThroughTheIndexWithFiltersScopesAndDuplicatesMerged(String kind) {
        try (TestDatabases.Place place = TestDatabases.create(kind, dir);
                Database db = place.open();
                VectorSearch vectors = VectorSearch.open(
                        db, MemorySettings.VectorEngine.AUTO, EMBEDDER.dimensions(), Clock.systemUTC())) {
            MemoryStore store = new MemoryStore(db, EMBEDDER, vectors.memories(), Clock.systemUTC());
            store.remember(
                    "alice", null, null, "Alice's favourite programming language is Rust", List.of("prefs"), 0.5, null);
            store.remember("alice", null, null, "The team meets every Tuesday at 10am", List.of("work"), 0.5, null);
            store.remember("alice", "coder", null, "The build uses Maven with the wrapper", List.of("work"), 0.5, null);
            store.remember("alice", null, null, "A short lived note about a programming language", List.of(), 0.5, 1L);
            store.remember(
                    "bob", null, null, "Bob's favourite programming language is Rust", List.of("prefs"), 0.5, null);

            MemoryStore.Remembered again = store.remember(
                    "alice", null, null, "Alice's favourite programming language is Rust!", List.of("lang"), 0.9, null);
            assertThat(again.merged()).isTrue();
            assertThat(again.memory().tags()).containsExactly("prefs", "lang");
            assertThat(again.memory().importance()).isEqualTo(0.9);
            // The same fact in another scope (a persona's own memory) is not merged into the shared one.
            assertThat(store.remember(
                                    "alice",
                                    "coder",
                                    null,
                                    "Alice's favourite programming language is Rust",
                                    List.of(),
                                    0.5,
                                    null)
                            .merged())
                    .isFalse();

            List<Recalled> recalled = store.recall(
                    "alice", "which programming language does she like?", 5, List.of(), List.of(), null, null);
            assertThat(recalled.getFirst().memory().text())
                    .isEqualTo("Alice's favourite programming language is Rust!");
            assertThat(recalled).extracting(r -> r.memory().agent()).containsOnlyNulls();
            assertThat(store.recall("alice", "build tool", 5, List.of("coder"), List.of("work"), null, null))
                    .extracting(r -> r.memory().text())
                    .containsExactlyInAnyOrder(
                            "The build uses Maven with the wrapper", "The team meets every Tuesday at 10am");
            assertThat(store.recall("alice", "programming", 5, List.of(), List.of("work"), null, null))
                    .extracting(r -> r.memory().text())
                    .containsExactly("The team meets every Tuesday at 10am");
            assertThat(store.recall(
                            "alice",
                            "programming",
                            5,
                            List.of(),
                            List.of(),
                            Instant.now().plusSeconds(60),
                            null))
                    .isEmpty();
            // Bob never sees Alice's memories, and the reverse.
            assertThat(store.recall("bob", "programming language", 10, List.of(), List.of(), null, null))
                    .extracting(r -> r.memory().text())
                    .containsExactly("Bob's favourite programming language is Rust");

            // Updates re-embed; forgetting removes from the index.
            String tuesday = store.recall("alice", "weekly meeting", 1, List.of(), List.of(), null, null)
                    .getFirst()
                    .memory()
                    .id();
            store.update("alice", tuesday, "The team meets every Thursday afternoon for the sprint review", null, null);
            assertThat(store.recall("alice", "sprint review", 1, List.of(), List.of(), null, null)
                            .getFirst()
                            .memory()
                            .id())
                    .isEqualTo(tuesday);
            store.forget("alice", tuesday);
            assertThat(store.recall("alice", "sprint review", 10, List.of(), List.of(), null, null))
                    .extracting(r -> r.memory().id())
                    .doesNotContain(tuesday);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void expiredMemoriesAreNotRecalled(String kind) throws Exception {
        try (TestDatabases.Place place = TestDatabases.create(kind, dir);
                Database db = place.open();
                VectorSearch vectors = VectorSearch.open(
                        db, MemorySettings.VectorEngine.AUTO, EMBEDDER.dimensions(), Clock.systemUTC())) {
            MemoryStore store = new MemoryStore(db, EMBEDDER, vectors.memories(), Clock.systemUTC());
            store.remember("alice", null, null, "The wifi password changes every day", List.of(), 0.5, 1L);
            assertThat(store.recall("alice", "wifi password", 5, List.of(), List.of(), null, null))
                    .hasSize(1);
            Thread.sleep(1100);
            assertThat(store.recall("alice", "wifi password", 5, List.of(), List.of(), null, null))
                    .isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void findsOnlyTheOwnersLiveMemoryAndNamesEachProblemsField(String kind) {
        try (TestDatabases.Place place = TestDatabases.create(kind, dir);
                Database db = place.open();
                VectorSearch vectors = VectorSearch.open(
                        db, MemorySettings.VectorEngine.AUTO, EMBEDDER.dimensions(), Clock.systemUTC())) {
            MemoryStore store = new MemoryStore(db, EMBEDDER, vectors.memories(), Clock.systemUTC());
            String id = store.remember(
                            "alice", null, null, "The spare key is under the mat", List.of("home"), 0.5, null)
                    .memory()
                    .id();
            assertThat(store.find("alice", id))
                    .get()
                    .extracting(Memory::text)
                    .isEqualTo("The spare key is under the mat");
            assertThat(store.find("bob", id)).isEmpty();
            store.forget("alice", id);
            assertThat(store.find("alice", id)).isEmpty();

            assertThat(MemoryStore.problems("fine", List.of("a"), 0.5)).isEmpty();
            assertThat(MemoryStore.problems(" ", List.of("x".repeat(101)), Double.NaN))
                    .containsExactly(
                            "text: 1 to 10000 characters",
                            "tags: at most 50, each 1 to 100 characters",
                            "importance: a number from 0 to 1");
        }
    }
}
