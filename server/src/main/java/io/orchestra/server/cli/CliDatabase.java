package io.orchestra.server.cli;

import io.orchestra.core.config.OrchestraConfig;
import io.orchestra.core.storage.Database;
import java.util.function.BiFunction;
import java.util.function.Function;

/** Opens and migrates the configured database for one CLI command. */
final class CliDatabase {
    private CliDatabase() {}

    static <T> T with(Function<Database, T> action) {
        return with((config, db) -> action.apply(db));
    }

    /** As {@link #with(Function)}, for commands that also need the configuration it was opened with. */
    static <T> T with(BiFunction<OrchestraConfig, Database, T> action) {
        OrchestraConfig config = OrchestraCli.loadConfig(true);
        try (Database db = Database.open(config.database(), "orchestra-cli")) {
            db.migrate();
            return action.apply(config, db);
        }
    }
}
