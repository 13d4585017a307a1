package io.orchestra.server.cli;

import io.orchestra.core.config.ConfigException;
import io.orchestra.core.config.ConfigLoader;
import io.orchestra.core.config.OrchestraConfig;
import io.orchestra.server.Version;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code orchestra} command. */
@Command(
        name = "orchestra",
        mixinStandardHelpOptions = true,
        versionProvider = OrchestraCli.VersionProvider.class,
        description = "Self-hosted AI orchestration server: gateway, memory, personas.",
        subcommands = {
            ServeCommand.class,
            MigrateCommand.class,
            DoctorCommand.class,
            KeysCommand.class,
            McpCommand.class,
            ImportCommand.class,
            ExportCommand.class,
            ConfigCommand.class,
            VersionCommand.class,
            CommandLine.HelpCommand.class
        })
public final class OrchestraCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        setLibraryDefaults();
        // `serve` alone, as make start, bin/orchestra and the container run it, parses with a model of that command
        // only: building every subcommand's model (picocli's Java 5 classes stay out of the AOT cache) was about
        // 0.15 s of each start.
        boolean serveAlone = args.length == 1 && args[0].equals("serve");
        int code = serveAlone
                ? withErrorHandling(new CommandLine(new ServeCommand())).execute()
                : commandLine().execute(args);
        if (code != 0 || !ServeCommand.serving()) {
            System.exit(code);
        }
    }

    /** Answers libraries would otherwise work out on every start, each set only when the user has not. */
    private static void setLibraryDefaults() {
        // JBoss Logging (under SmallRye Config) looks for a logging back end and tries Log4j 2 before SLF4J:
        // initialising Log4j's API to route it to SLF4J anyway was about 0.2 s of a start.
        System.getProperties().putIfAbsent("org.jboss.logging.provider", "slf4j");
        // Jetty pads its queues by asking the JMX server whether object references are compressed; starting JMX
        // for that one answer cost about 0.1 s. Below 32 GiB of heap they are: 16 to a 64-byte cache line.
        if (Runtime.getRuntime().maxMemory() < 32L << 30) {
            System.getProperties().putIfAbsent("org.eclipse.jetty.util.referencesPerCacheLine", "16");
        }
    }

    public static CommandLine commandLine() {
        return withErrorHandling(new CommandLine(new OrchestraCli()));
    }

    /** A configuration problem exits 2 with its list, anything else 1 with its message (secrets masked). */
    private static CommandLine withErrorHandling(CommandLine cli) {
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException config) {
                commandLine.getErr().println(config.getMessage());
                return 2;
            }
            commandLine
                    .getErr()
                    .println("error: " + io.orchestra.core.config.Secrets.maskUrl(String.valueOf(e.getMessage())));
            return 1;
        });
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Loads and validates the configuration from the process environment; exits 2 listing every problem. */
    static OrchestraConfig loadConfig(boolean quietLogs) {
        OrchestraConfig config = ConfigLoader.fromProcess(Map.of()).load();
        Logging.configure(config.logFormat(), quietLogs);
        return config;
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"orchestra " + Version.current()};
        }
    }
}
