package io.orchestra.memory.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.config.OrchestraConfig.DatabaseSettings;
import io.orchestra.core.storage.Database;
import io.orchestra.testkit.TestPostgres;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * search_nodes answers from an index (FTS5 trigram on SQLite, pg_trgm on PostgreSQL) but must
 * find exactly what the reference server's rule finds: name, type or an observation containing
 * the query after JavaScript-style lower-casing. Checked here on the texts that break naive
 * implementations (LIKE wildcards, quotes, Unicode case, short queries) and on random ones.
 */
class SubstringSearchTest {
    @TempDir
    Path dir;

    interface Body {
        void run(KnowledgeGraph graph, Database db) throws Exception;
    }

    void withGraph(String kind, String target, Body body) throws Exception {
        TestPostgres.Fresh fresh = kind.equals("postgres") ? TestPostgres.freshDatabase() : null;
        DatabaseSettings settings = fresh != null
                ? new DatabaseSettings(fresh.jdbcUrl(), Optional.empty(), Optional.empty(), 10)
                : new DatabaseSettings(
                        "jdbc:sqlite:" + dir.resolve("search.db"), Optional.empty(), Optional.empty(), 4);
        try (Database db = Database.open(settings, "search-test")) {
            Flyway.configure()
                    .dataSource(db.dataSource())
                    .locations("classpath:db/migration")
                    .target(target)
                    .load()
                    .migrate();
            body.run(new KnowledgeGraph(db, Clock.systemUTC()), db);
        } finally {
            if (fresh != null) {
                fresh.close();
            }
        }
    }

    /** What the reference server returns: every entity whose texts contain the query, lower-cased. */
    static Set<String> referenceMatches(List<Entity> entities, String query) {
        String q = query.toLowerCase(Locale.ROOT);
        Set<String> out = new TreeSet<>();
        for (Entity e : entities) {
            if (e.name().toLowerCase(Locale.ROOT).contains(q)
                    || e.entityType().toLowerCase(Locale.ROOT).contains(q)
                    || e.observations().stream()
                            .anyMatch(o -> o.toLowerCase(Locale.ROOT).contains(q))) {
                out.add(e.name());
            }
        }
        return out;
    }

    static Set<String> found(KnowledgeGraph graph, String query) {
        Set<String> out = new TreeSet<>();
        graph.searchNodes("alice", query, 100_000, 0).entities().forEach(e -> out.add(e.name()));
        return out;
    }

    static final List<Entity> TRICKY = List.of(
            new Entity("Percent", "note", List.of("100% sure_thing!", "say \"hi\" twice")),
            new Entity("Plain", "note", List.of("100 percent surely", "sure thing", "say hi twice")),
            new Entity("ÉCOLE Polytechnique", "organization", List.of("in Zürich")),
            new Entity("Straße", "place", List.of("ΟΔΟΣ Αθηνάς")),
            new Entity("İstanbul", "place", List.of("rocket 🚀 launch")),
            new Entity("Zeta", "thing", List.of("loves QuAsArS")),
            new Entity("quasar", "astronomy", List.of()),
            new Entity("quasars and more", "astronomy", List.of()),
            new Entity("big quasar", "astronomy", List.of()),
            new Entity("Observer", "quasar-watcher", List.of()));

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void findsExactlyWhatTheReferenceFindsOnTrickyTexts(String kind) throws Exception {
        withGraph(kind, "latest", (graph, db) -> {
            graph.createEntities("alice", TRICKY);
            graph.createEntities("bob", List.of(new Entity("Bob's quasar", "astronomy", List.of("100% sure_thing!"))));
            List<String> queries = List.of(
                    "%",
                    "_",
                    "!",
                    "0% s",
                    "e_t",
                    "g!",
                    "%_",
                    "100%",
                    "\"hi\"",
                    "\"",
                    "say \"", // wildcards and quotes are plain text
                    "école",
                    "ÉCOLE",
                    "polyTECH",
                    "zürich",
                    "ZÜRICH",
                    "STRASSE",
                    "straße",
                    "ΟΔΟΣ",
                    "οδος",
                    "οδοσ",
                    "αθηνάς",
                    "İSTANBUL",
                    "istanbul",
                    "🚀",
                    "🚀 l",
                    "et 🚀", // Unicode case rules, astral characters
                    "quasar",
                    "QUASARS",
                    "ars",
                    "e",
                    "é",
                    "q",
                    "qu",
                    "",
                    " ",
                    "  ",
                    "nothing like this",
                    "100% SURE_THING!",
                    "say \"hi\" twice",
                    "100 percent surely"); // long: the index gets some trigrams
            for (String query : queries) {
                assertThat(found(graph, query)).as("query [%s]", query).isEqualTo(referenceMatches(TRICKY, query));
            }
            assertThat(found(graph, "0% s")).containsExactly("Percent");
            assertThat(found(graph, "ΟΔΟΣ")).containsExactly("Straße");
            assertThat(found(graph, "STRASSE")).isEmpty();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void ranksExactNameThenPrefixThenNameThenTypeThenObservationAndPages(String kind) throws Exception {
        withGraph(kind, "latest", (graph, db) -> {
            graph.createEntities("alice", TRICKY);
            List<String> ranked = graph.searchNodes("alice", "QUASAR", 10, 0).entities().stream()
                    .map(Entity::name)
                    .toList();
            assertThat(ranked).containsExactly("quasar", "quasars and more", "big quasar", "Observer", "Zeta");
            assertThat(graph.searchNodes("alice", "quasar", 2, 2).entities())
                    .extracting(Entity::name)
                    .containsExactly("big quasar", "Observer");
            assertThat(graph.searchNodes("alice", "quasar", 2, 10).entities()).isEmpty();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void deletedAndAddedTextsLeaveAndEnterTheIndex(String kind) throws Exception {
        withGraph(kind, "latest", (graph, db) -> {
            graph.createEntities("alice", TRICKY);
            graph.addObservations("alice", List.of(new ObservationBatch("Plain", List.of("Ünïcode added later"))));
            assertThat(found(graph, "ÜNÏCODE ADD")).containsExactly("Plain");
            graph.deleteObservations("alice", List.of(new ObservationBatch("Zeta", List.of("loves QuAsArS"))));
            assertThat(found(graph, "loves")).isEmpty();
            graph.deleteEntities("alice", List.of("ÉCOLE Polytechnique"));
            assertThat(found(graph, "zürich")).isEmpty();
            assertThat(found(graph, "poly")).isEmpty();
            graph.createEntities(
                    "alice", List.of(new Entity("ÉCOLE Polytechnique", "organization", List.of("back in Zürich"))));
            assertThat(found(graph, "back in zür")).containsExactly("ÉCOLE Polytechnique");
            assertThat(graph.openNodes("alice", List.of("Plain"))
                            .entities()
                            .get(0)
                            .observations())
                    .as("observations keep the order they were added in")
                    .containsExactly("100 percent surely", "sure thing", "say hi twice", "Ünïcode added later");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void agreesWithTheReferenceRuleOnRandomTextsAndQueries(String kind) throws Exception {
        Random random = new Random(7);
        String alphabet = "aAbBéÉ%_!\" ßΣσς🚀";
        List<Entity> entities = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            List<String> observations = new ArrayList<>();
            for (int o = random.nextInt(4); o > 0; o--) {
                observations.add(randomText(random, alphabet, 1 + random.nextInt(24)));
            }
            entities.add(new Entity(
                    "n" + i + randomText(random, alphabet, random.nextInt(5)),
                    "t" + randomText(random, alphabet, random.nextInt(4)),
                    observations));
        }
        withGraph(kind, "latest", (graph, db) -> {
            graph.createEntities("alice", entities);
            for (int k = 0; k < 300; k++) {
                // Half random strings, half pieces of stored texts in a random case (long ones too,
                // where the index is asked for only some of the query's trigrams).
                String query = randomText(random, alphabet, random.nextInt(6));
                if (k % 2 == 1) {
                    Entity e = entities.get(random.nextInt(entities.size()));
                    String text = e.observations().isEmpty()
                            ? e.name()
                            : e.observations()
                                    .get(random.nextInt(e.observations().size()));
                    int[] points = text.codePoints().toArray();
                    int from = random.nextInt(points.length);
                    query = new String(points, from, random.nextInt(points.length - from + 1));
                    query = random.nextBoolean() ? query.toUpperCase(Locale.ROOT) : query;
                }
                assertThat(found(graph, query)).as("query [%s]", query).isEqualTo(referenceMatches(entities, query));
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void migrationIndexesRowsWrittenBeforeIt(String kind) throws Exception {
        withGraph(kind, "21", (graph, db) -> { // the graph tables exist (V20), the search columns not yet
            db.jdbi().useHandle(h -> {
                h.execute(
                        "INSERT INTO memory_entities (id, owner, name, entity_type, created_at, updated_at) VALUES ('ent_1', 'alice', 'ÉCOLE Polytechnique', 'organization', 1, 1)");
                h.execute(
                        "INSERT INTO memory_observations (id, entity_id, owner, content, content_hash, created_at) VALUES ('obs_b', 'ent_1', 'alice', 'Founded 1855', 'h1', 2)");
                h.execute(
                        "INSERT INTO memory_observations (id, entity_id, owner, content, content_hash, created_at) VALUES ('obs_a', 'ent_1', 'alice', 'In ZÜRICH', 'h2', 3)");
            });
            db.migrate();
            assertThat(found(graph, "école poly")).containsExactly("ÉCOLE Polytechnique");
            assertThat(found(graph, "zürich")).containsExactly("ÉCOLE Polytechnique");
            graph.addObservations(
                    "alice", List.of(new ObservationBatch("ÉCOLE Polytechnique", List.of("Has a library"))));
            assertThat(graph.openNodes("alice", List.of("ÉCOLE Polytechnique"))
                            .entities()
                            .get(0)
                            .observations())
                    .containsExactly("Founded 1855", "In ZÜRICH", "Has a library");
        });
    }

    private static String randomText(Random random, String alphabet, int length) {
        int[] points = alphabet.codePoints().toArray();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.appendCodePoint(points[random.nextInt(points.length)]);
        }
        return out.toString();
    }
}
