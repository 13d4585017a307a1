package io.orchestra.core.storage;

import io.orchestra.core.util.UnpackedResources;
import java.nio.file.Path;
import java.util.List;
import org.sqlite.JDBC;
import org.sqlite.util.OSInfo;

/**
 * sqlite-jdbc's native library, unpacked beside the database once and loaded from there by every later start. Left
 * to itself the driver writes the library into a new temporary file at each start and then compares the two copies
 * byte by byte, interpreted: about 200 ms of a restart, spent while the server waits for its first connection.
 */
final class SqliteLibrary {
    private static final String PATH = "org.sqlite.lib.path";
    private static final String NAME = "org.sqlite.lib.name";

    private SqliteLibrary() {}

    /**
     * Points the driver at the library unpacked under {@code directory}, unless a path is already set (by the user,
     * or by an earlier database in this process). Where it cannot be unpacked, the driver extracts it as before.
     */
    static void useUnpackedIn(Path directory) {
        if (System.getProperty(PATH) != null) {
            return;
        }
        String name = System.mapLibraryName("sqlitejdbc");
        String folder;
        try {
            folder = OSInfo.getNativeLibFolderPathForCurrentOS();
        } catch (RuntimeException e) {
            return; // a platform the driver does not know: its own loader says so at the first connection
        }
        String resource = "/org/sqlite/native/" + folder + "/" + name;
        UnpackedResources.unpack(JDBC.class, List.of(resource), directory).ifPresent(dir -> {
            synchronized (SqliteLibrary.class) {
                if (System.getProperty(PATH) == null) {
                    System.setProperty(NAME, name);
                    System.setProperty(PATH, dir.toString());
                }
            }
        });
    }
}
