package io.orchestra.memory.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.config.OrchestraConfig.DatabaseSettings;
import io.orchestra.core.storage.Database;
import io.orchestra.core.storage.DatabaseKind;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relations that come with search_nodes and open_nodes are found through the index of the
 * end they are looked up by, on SQLite as its planner sees a database without statistics (as a
 * server's is): after V36 it took the partial index of current relations for the to_name half
 * and walked all of the owner's relations, which made search_nodes and open_nodes 2-3x slower at
 * 10,000 entities (bench/memory/run.sh against the build before).
 */
class RelationsPlanTest {
    @TempDir
    Path dir;

    @Test
    void eachHalfSearchesByItsEndOnSqlite() {
        try (Database db = Database.open(
                new DatabaseSettings("jdbc:sqlite:" + dir.resolve("plan.db"), Optional.empty(), Optional.empty(), 2),
                "plan-test")) {
            db.migrate();
            KnowledgeGraph graph = new KnowledgeGraph(db, Clock.systemUTC());
            List<Entity> people = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                people.add(new Entity("p" + i, "person", List.of("note " + i)));
            }
            graph.createEntities("alice", people);
            List<Relation> knows = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                knows.add(new Relation("p" + i, "p" + ((i + 1) % 50), "knows"));
            }
            graph.createRelations("alice", knows);

            for (AsOf asOf : List.of(AsOf.NOW, AsOf.of(Instant.now()))) {
                List<String> plan = plan(db, KnowledgeGraph.relationsSql(DatabaseKind.SQLITE, asOf, true));
                assertThat(plan)
                        .as("plan at %s", asOf)
                        .hasSize(2)
                        .allSatisfy(line -> assertThat(line)
                                .startsWith("SEARCH memory_relations USING INDEX")
                                .containsAnyOf("(owner=? AND from_name=?)", "(owner=? AND to_name=?)"));
                assertThat(String.join("\n", plan)).contains("to_name=?").contains("from_name=?");
            }
            // And the answer is the same: both relations that touch p3, in creation order.
            assertThat(graph.openNodes("alice", List.of("p3")).relations())
                    .containsExactly(new Relation("p2", "p3", "knows"), new Relation("p3", "p4", "knows"));
        }
    }

    private static List<String> plan(Database db, String sql) {
        return db.jdbi()
                .withHandle(h -> h
                        .createQuery("EXPLAIN QUERY PLAN " + sql)
                        .bind("owner", "alice")
                        .bind("asOf", Instant.now().toEpochMilli())
                        .bindList("names", List.of("p1", "p2", "p3"))
                        .map((rs, ctx) -> rs.getString("detail"))
                        .list()
                        .stream()
                        .filter(line -> line.contains("memory_relations"))
                        .toList());
    }
}
