package io.orchestra.memory.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.config.MemorySettings;
import io.orchestra.core.storage.Database;
import io.orchestra.core.storage.DatabaseKind;
import io.orchestra.core.util.Vectors;
import io.orchestra.memory.TestDatabases;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Another module's table (the agents' document chunks) in the same vector index as the memories:
 * its change triggers from {@link ChangeTriggers}, its index from {@link VectorSearch#index}, on
 * every engine, per owner.
 */
class OtherCollectionsTest {
    static final VectorCollection ITEMS = new VectorCollection("items", "test_items", "id");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres", "pgvector"})
    void aNewCollectionIsIndexedAndFollowedPerOwner(String kind) throws Exception {
        try (TestDatabases.Place place = TestDatabases.create(kind, dir);
                Database db = place.open();
                VectorSearch vectors = VectorSearch.open(db, MemorySettings.VectorEngine.AUTO, 4, Clock.systemUTC())) {
            boolean postgres = db.kind() == DatabaseKind.POSTGRES;
            db.jdbi().useHandle(h -> {
                h.execute(
                        "CREATE TABLE test_items (id VARCHAR(40) PRIMARY KEY, owner VARCHAR(200) NOT NULL, embedding TEXT)");
                try (var s = h.getConnection().createStatement()) {
                    ChangeTriggers.create(s, postgres, "test_items", "items", "id", "INSERT OR UPDATE OR DELETE");
                }
            });
            VectorIndex index = vectors.index(ITEMS);
            assertThat(vectors.index(ITEMS)).isSameAs(index);
            put(db, index, "a1", "alice", new float[] {1, 0, 0, 0});
            put(db, index, "a2", "alice", new float[] {0.9f, 0.1f, 0, 0});
            put(db, index, "a3", "alice", new float[] {0, 0, 1, 0});
            put(db, index, "b1", "bob", new float[] {1, 0, 0, 0});
            // A row stored without a vector is not indexed (and breaks nothing).
            db.jdbi().useHandle(h -> h.execute("INSERT INTO test_items (id, owner) VALUES ('a4', 'alice')"));

            float[] query = {1, 0, 0, 0};
            assertThat(ids(db, index, "alice", query)).containsExactly("a1", "a2", "a3");
            assertThat(ids(db, index, "bob", query)).containsExactly("b1");

            db.jdbi().useHandle(h -> h.execute("DELETE FROM test_items WHERE id = 'a1'"));
            assertThat(ids(db, index, "alice", query)).containsExactly("a2", "a3");
            assertThat(vectors.describe()).containsKey("items");
        }
    }

    private static void put(Database db, VectorIndex index, String id, String owner, float[] vector) {
        db.jdbi().useTransaction(h -> {
            h.createUpdate("INSERT INTO test_items (id, owner, embedding) VALUES (:id, :owner, :e)")
                    .bind("id", id)
                    .bind("owner", owner)
                    .bind("e", Vectors.encode(vector))
                    .execute();
            index.put(h, id, owner, vector);
        });
    }

    private static List<String> ids(Database db, VectorIndex index, String owner, float[] query) {
        return db.jdbi()
                .withHandle(h -> index.nearest(h, owner, query, 10).stream()
                        .map(Neighbour::id)
                        .toList());
    }
}
