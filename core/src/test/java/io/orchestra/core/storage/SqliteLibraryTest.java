package io.orchestra.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.config.OrchestraConfig.DatabaseSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite driver's native library is unpacked beside the database by the first start and loaded from there by the
 * next, with nothing written to the temporary directory. Each start is a child JVM: a library loads once per process.
 */
class SqliteLibraryTest {
    @TempDir
    Path dir;

    @Test
    void theLibraryIsUnpackedBesideTheDatabaseOnceAndLoadedFromThere() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "needs /proc to see what was loaded");
        Path data = dir.resolve("data");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));

        String first = start(data, tmp);
        Path library = Path.of(first.lines()
                .filter(line -> line.startsWith("loaded "))
                .findFirst()
                .orElseThrow(() -> new AssertionError(first))
                .substring("loaded ".length()));
        assertThat(library).startsWith(data.resolve("sqlite-jdbc")).isRegularFile();
        FileTime written = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(library, written);

        String second = start(data, tmp);
        assertThat(second).contains("loaded " + library, "rows=1");
        assertThat(Files.getLastModifiedTime(library)).as("not written again").isEqualTo(written);
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(Path::getFileName).map(Path::toString).filter(name -> name.startsWith("sqlite")))
                    .isEmpty();
        }
    }

    private String start(Path data, Path tmp) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path out = Files.createTempFile(dir, "out", ".txt");
        Process child = new ProcessBuilder(List.of(
                        java,
                        "-Djava.io.tmpdir=" + tmp,
                        "-cp",
                        System.getProperty("java.class.path"),
                        OneStart.class.getName(),
                        data.resolve("orchestra.db").toString()))
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(out);
        assertThat(child.exitValue()).as(output).isZero();
        return output;
    }

    /** The child: opens the database, writes a row, and prints which sqlitejdbc library the process mapped. */
    public static final class OneStart {
        public static void main(String[] args) throws Exception {
            try (Database db = Database.open(
                    new DatabaseSettings("jdbc:sqlite:" + args[0], Optional.empty(), Optional.empty(), 2), "start")) {
                db.jdbi().useHandle(h -> {
                    h.execute("CREATE TABLE IF NOT EXISTS starts (at INTEGER)");
                    h.execute("DELETE FROM starts");
                    h.execute("INSERT INTO starts VALUES (1)");
                });
                int rows = db.jdbi()
                        .withHandle(h -> h.createQuery("SELECT count(*) FROM starts")
                                .mapTo(Integer.class)
                                .one());
                System.out.println("rows=" + rows);
            }
            try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
                maps.filter(line -> line.contains(System.mapLibraryName("sqlitejdbc")))
                        .map(line -> line.substring(line.indexOf('/')))
                        .distinct()
                        .forEach(path -> System.out.println("loaded " + path));
            }
        }
    }
}
