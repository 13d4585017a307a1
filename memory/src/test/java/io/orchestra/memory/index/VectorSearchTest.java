package io.orchestra.memory.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestra.core.config.ConfigException;
import io.orchestra.core.config.MemorySettings;
import io.orchestra.core.storage.Database;
import io.orchestra.core.util.Vectors;
import io.orchestra.memory.TestDatabases;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Both engines through the one interface, on SQLite, PostgreSQL without pgvector, and PostgreSQL with it (PGlite). */
class VectorSearchTest {
    static final int DIM = 32;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres", "pgvector"})
    void autoPicksPgvectorOnlyWhereTheExtensionIs(String kind) {
        try (TestDatabases.Place place = TestDatabases.create(kind, dir);
                Database db = place.open();
                VectorSearch search = VectorSearch.open(db, MemorySettings.VectorEngine.AUTO, DIM, Clock.systemUTC())) {
            assertThat(search.engine()).isEqualTo(kind.equals("pgvector") ? "pgvector" : "in-process");
            assertThat(search.describe().get("memories").toString())
                    .contains(kind.equals("pgvector") ? "pgvector" : "jvector");
            if (!kind.equals("pgvector")) {
                assertThatThrownBy(() ->
                                VectorSearch.open(db, MemorySettings.VectorEngine.PGVECTOR, DIM, Clock.systemUTC()))
                        .isInstanceOf(ConfigException.class)
                        .hasMessageContaining("vector extension");
            }
            // An unknown engine name is a configuration problem (ConfigLoaderTest); the enum cannot hold one.
            assertThat(VectorSearch.choose(db, MemorySettings.VectorEngine.IN_PROCESS))
                    .isEqualTo("in-process");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres", "pgvector"})
    void findsTheExactNeighboursWithinOneOwnerOnly(String kind) {
        try (TestDatabases.Place place = TestDatabases.create(kind, dir);
                Database db = place.open();
                VectorSearch search = VectorSearch.open(db, MemorySettings.VectorEngine.AUTO, DIM, Clock.systemUTC())) {
            Random random = new Random(7);
            List<float[]> alice = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                alice.add(unit(random));
                write(db, search, "a" + i, "alice", alice.get(i));
                write(db, search, "b" + i, "bob", unit(random));
            }
            float[] query = unit(random);
            List<Neighbour> found = near(db, search, "alice", query, 10);
            List<String> exact = exactTop(alice, query, 10);
            assertThat(found).extracting(Neighbour::id).containsExactlyElementsOf(exact);
            assertThat(found.getFirst().score())
                    .isCloseTo(
                            cosine(
                                    query,
                                    alice.get(Integer.parseInt(exact.getFirst().substring(1)))),
                            org.assertj.core.data.Offset.offset(1e-4));
            // Bob's vector is its own nearest neighbour, but only for bob.
            float[] bobs = Vectors.decode(db.jdbi()
                    .withHandle(h -> h.createQuery("SELECT embedding FROM memories WHERE id = 'b5'")
                            .mapTo(String.class)
                            .one()));
            List<Neighbour> all = near(db, search, "alice", bobs, 600);
            assertThat(all).extracting(Neighbour::id).allMatch(id -> id.startsWith("a"));
            // In process, an owner this small is searched exactly; pgvector's HNSW scan may stop short of every row.
            assertThat(all).hasSizeBetween(kind.equals("pgvector") ? 200 : 300, 300);
            assertThat(near(db, search, "bob", bobs, 1))
                    .extracting(Neighbour::id)
                    .containsExactly("b5");
            assertThat(near(db, search, "carol", bobs, 5)).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres", "pgvector"})
    void aSecondReplicaSeesWritesUpdatesAndDeletes(String kind) {
        try (TestDatabases.Place place = TestDatabases.create(kind, dir);
                Database one = place.open();
                VectorSearch first = VectorSearch.open(one, MemorySettings.VectorEngine.AUTO, DIM, Clock.systemUTC())) {
            Random random = new Random(11);
            float[] v = unit(random);
            // The second replica builds its index before the writes, then must follow them.
            Database two = kind.equals("pgvector") ? one : place.open();
            try (VectorSearch second =
                    VectorSearch.open(two, MemorySettings.VectorEngine.AUTO, DIM, Clock.systemUTC())) {
                assertThat(near(two, second, "alice", v, 5)).isEmpty();
                write(one, first, "m1", "alice", v);
                write(one, first, "m2", "alice", unit(random));
                assertThat(near(two, second, "alice", v, 1))
                        .extracting(Neighbour::id)
                        .containsExactly("m1");

                float[] moved = unit(random);
                one.jdbi().useTransaction(h -> {
                    h.createUpdate("UPDATE memories SET embedding = :e WHERE id = 'm1'")
                            .bind("e", Vectors.encode(moved))
                            .execute();
                    first.memories().put(h, "m1", "alice", moved);
                });
                assertThat(near(two, second, "alice", moved, 1).getFirst().score())
                        .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
                one.jdbi().useHandle(h -> h.execute("DELETE FROM memories WHERE id = 'm1'"));
                assertThat(near(two, second, "alice", moved, 5))
                        .extracting(Neighbour::id)
                        .containsExactly("m2");
            } finally {
                if (two != one) {
                    two.close();
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres", "pgvector"})
    void aRestartedServerFindsWhatWasStoredBefore(String kind) {
        try (TestDatabases.Place place = TestDatabases.create(kind, dir)) {
            Random random = new Random(3);
            float[] v = unit(random);
            try (Database db = place.open();
                    VectorSearch search =
                            VectorSearch.open(db, MemorySettings.VectorEngine.AUTO, DIM, Clock.systemUTC())) {
                write(db, search, "kept", "alice", v);
                write(db, search, "other", "alice", unit(random));
            }
            try (Database db = place.open();
                    VectorSearch search =
                            VectorSearch.open(db, MemorySettings.VectorEngine.AUTO, DIM, Clock.systemUTC())) {
                assertThat(near(db, search, "alice", v, 1))
                        .extracting(Neighbour::id)
                        .containsExactly("kept");
            }
        }
    }

    @Test
    void pgvectorCopiesInVectorsWrittenWhileTheInProcessEngineRan() {
        try (TestDatabases.Place place = TestDatabases.create("pgvector", dir);
                Database db = place.open()) {
            Random random = new Random(5);
            float[] v = unit(random);
            try (VectorSearch local =
                    VectorSearch.open(db, MemorySettings.VectorEngine.IN_PROCESS, DIM, Clock.systemUTC())) {
                write(db, local, "early", "alice", v);
            }
            try (VectorSearch pg =
                    VectorSearch.open(db, MemorySettings.VectorEngine.PGVECTOR, DIM, Clock.systemUTC())) {
                assertThat(near(db, pg, "alice", v, 1))
                        .extracting(Neighbour::id)
                        .containsExactly("early");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void deletedItemsLeaveTheLogAfterTheRetentionAndAnIdleFollowerRebuilds(String kind) throws Exception {
        try (TestDatabases.Place place = TestDatabases.create(kind, dir);
                Database db = place.open()) {
            InProcessIndex index = new InProcessIndex(
                    db, VectorCollection.MEMORIES, Clock.systemUTC(), Tuning.DEFAULT, java.time.Duration.ofMillis(400));
            Random random = new Random(17);
            float[] v = unit(random);
            db.jdbi().useTransaction(h -> insert(h, "gone", "alice", v));
            db.jdbi().useTransaction(h -> insert(h, "kept", "alice", unit(random)));
            List<Neighbour> before = db.jdbi().withHandle(h -> index.nearest(h, "alice", v, 1));
            assertThat(before).extracting(Neighbour::id).containsExactly("gone");
            db.jdbi().useHandle(h -> h.execute("DELETE FROM memories WHERE id = 'gone'"));
            assertThat(index.prune()).isZero();
            Thread.sleep(500);
            assertThat(index.prune()).isEqualTo(1);
            // The follower has been idle longer than half the retention: it rebuilds from the table rather than trust
            // the pruned log.
            List<Neighbour> after = db.jdbi().withHandle(h -> index.nearest(h, "alice", v, 5));
            assertThat(after).extracting(Neighbour::id).containsExactly("kept");
            assertThat(index.describe()).containsEntry("rebuilds", 2L);
            index.close();
        }
    }

    @Test
    void largeOwnersAreSearchedThroughTheGraphWithHighRecall() {
        try (TestDatabases.Place place = TestDatabases.create("sqlite", dir);
                Database db = place.open();
                VectorSearch search =
                        VectorSearch.open(db, MemorySettings.VectorEngine.IN_PROCESS, DIM, Clock.systemUTC())) {
            Random random = new Random(13);
            List<float[]> vectors = new ArrayList<>();
            db.jdbi().useTransaction(h -> {
                for (int i = 0; i < VectorSearch.TUNING.exactLimit() + 1000; i++) {
                    vectors.add(unit(random));
                    insert(h, "a" + i, "alice", vectors.getLast());
                }
            });
            int hits = 0;
            for (int q = 0; q < 50; q++) {
                float[] query = unit(random);
                List<String> found = near(db, search, "alice", query, 10).stream()
                        .map(Neighbour::id)
                        .toList();
                hits += (int) exactTop(vectors, query, 10).stream()
                        .filter(found::contains)
                        .count();
            }
            assertThat(search.memories().describe()).containsEntry("graphs", 1L);
            assertThat(hits / 500.0).isGreaterThanOrEqualTo(0.9);
            // Deleting through the table removes the item from graph results too.
            float[] first = vectors.getFirst();
            db.jdbi().useHandle(h -> h.execute("DELETE FROM memories WHERE id = 'a0'"));
            assertThat(near(db, search, "alice", first, 10))
                    .extracting(Neighbour::id)
                    .doesNotContain("a0");
            // A write after the graph was built goes into the graph.
            float[] fresh = unit(random);
            write(db, search, "fresh", "alice", fresh);
            assertThat(near(db, search, "alice", fresh, 1))
                    .extracting(Neighbour::id)
                    .containsExactly("fresh");
        }
    }

    static List<Neighbour> near(Database db, VectorSearch search, String owner, float[] query, int k) {
        return db.jdbi().withHandle(h -> search.memories().nearest(h, owner, query, k));
    }

    static void write(Database db, VectorSearch search, String id, String owner, float[] vector) {
        db.jdbi().useTransaction(h -> {
            insert(h, id, owner, vector);
            search.memories().put(h, id, owner, vector);
        });
    }

    static void insert(org.jdbi.v3.core.Handle h, String id, String owner, float[] vector) {
        h.createUpdate("""
                        INSERT INTO memories (id, owner, text, tags, importance, embedding, created_at, updated_at)
                        VALUES (:id, :owner, 'x', '[]', 0.5, :e, 0, 0)""")
                .bind("id", id)
                .bind("owner", owner)
                .bind("e", Vectors.encode(vector))
                .execute();
    }

    static List<String> exactTop(List<float[]> vectors, float[] query, int k) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < vectors.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> cosine(query, vectors.get(i)))
                .reversed());
        return order.subList(0, k).stream().map(i -> "a" + i).toList();
    }

    static double cosine(float[] a, float[] b) {
        return io.orchestra.memory.embeddings.Embedder.cosine(a, b);
    }

    static float[] unit(Random random) {
        float[] v = new float[DIM];
        double norm = 0;
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) random.nextGaussian();
            norm += v[i] * v[i];
        }
        for (int i = 0; i < DIM; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }
}
