package io.orchestra.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.config.OrchestraConfig.DatabaseSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many virtual threads writing one SQLite file never stall. The writers run in a child JVM whose
 * virtual threads share one carrier, the worst case of a small machine: a writer that parks while it
 * holds the write lock must still get to commit while others wait for the lock.
 */
class SqliteWritersTest {
    static final int WRITERS = 40;

    @TempDir
    Path dir;

    @Test
    void writersOnOneCarrierAllCommitWithoutWaitingForTheBusyTimeout() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(
                        java,
                        "-Djdk.virtualThreadScheduler.parallelism=1",
                        "-Djdk.virtualThreadScheduler.maxPoolSize=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Writers.class.getName(),
                        dir.resolve("w.db").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.txt").toFile())
                .start();
        // Without the gate, each stall lasts SQLite's busy_timeout (30 s): this would not finish in time.
        boolean exited = child.waitFor(25, TimeUnit.SECONDS);
        if (!exited) {
            child.destroyForcibly().waitFor();
        }
        String output = Files.readString(dir.resolve("out.txt"));
        assertThat(exited).as("writers finished within 25 s").isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("rows=" + (2 * WRITERS));
    }

    @Test
    void onlyPlainQueriesCountAsReads() {
        assertThat(SqliteWriteGate.mayWrite("SELECT 1")).isFalse();
        assertThat(SqliteWriteGate.mayWrite("  -- note\n (select x from t)")).isFalse();
        assertThat(SqliteWriteGate.mayWrite("/* c */ values (1)")).isFalse();
        assertThat(SqliteWriteGate.mayWrite("insert into t values (1)")).isTrue();
        assertThat(SqliteWriteGate.mayWrite("WITH x AS (SELECT 1) DELETE FROM t"))
                .isTrue();
        assertThat(SqliteWriteGate.mayWrite("PRAGMA wal_checkpoint")).isTrue();
        assertThat(SqliteWriteGate.mayWrite(null)).isTrue();
    }

    /** The child: half the writers park inside a transaction, the others write outside one. */
    public static final class Writers {
        public static void main(String[] args) throws Exception {
            try (Database db = Database.open(
                    new DatabaseSettings("jdbc:sqlite:" + args[0], Optional.empty(), Optional.empty(), 8), "writers")) {
                db.jdbi().useHandle(h -> h.execute("CREATE TABLE facts (writer INTEGER, step INTEGER)"));
                List<Future<?>> done = new ArrayList<>();
                try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int i = 0; i < WRITERS; i++) {
                        int writer = i;
                        done.add(threads.submit(() -> {
                            if (writer % 2 == 0) {
                                db.jdbi().useTransaction(h -> {
                                    h.execute("INSERT INTO facts VALUES (?, 1)", writer);
                                    Thread.sleep(5);
                                    h.execute("INSERT INTO facts VALUES (?, 2)", writer);
                                });
                            } else {
                                db.jdbi().useHandle(h -> {
                                    h.execute("INSERT INTO facts VALUES (?, 1)", writer);
                                    Thread.sleep(5);
                                    h.execute("INSERT INTO facts VALUES (?, 2)", writer);
                                });
                            }
                            return null;
                        }));
                    }
                    for (Future<?> f : done) {
                        f.get();
                    }
                }
                int rows = db.jdbi()
                        .withHandle(h -> h.createQuery("SELECT count(*) FROM facts")
                                .mapTo(Integer.class)
                                .one());
                System.out.println("rows=" + rows);
            }
        }
    }
}
