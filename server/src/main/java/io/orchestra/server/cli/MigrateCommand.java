package io.orchestra.server.cli;

import io.orchestra.core.config.OrchestraConfig;
import io.orchestra.core.storage.Database;
import picocli.CommandLine.Command;

@Command(name = "migrate", mixinStandardHelpOptions = true, description = "Apply pending database migrations and exit.")
final class MigrateCommand implements Runnable {
    @Override
    public void run() {
        OrchestraConfig config = OrchestraCli.loadConfig(true);
        try (Database db = Database.open(config.database(), "orchestra-migrate")) {
            int applied = db.migrate();
            System.out.println("database " + db.kind().wire() + " " + db.displayUrl() + ": " + applied
                    + " migrations applied, schema up to date");
        }
    }
}
