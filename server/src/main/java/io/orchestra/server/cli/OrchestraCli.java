package io.orchestra.server.cli;

import io.orchestra.core.config.ConfigException;
import io.orchestra.core.config.ConfigLoader;
import io.orchestra.core.config.OrchestraConfig;
import io.orchestra.server.Version;
import java.io.PrintWriter;
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
        int code = execute(args);
        if (code != 0 || !ServeCommand.serving()) {
            System.exit(code);
        }
    }

    /** Runs the command line's command; returns its exit code. */
    static int execute(String... args) {
        // `serve` alone, as make start, bin/orchestra and the container run it, has nothing to parse: picocli's
        // Java 5 classes stay out of the AOT cache, and building even that one command's model was about 0.13 s of
        // each start (every subcommand's, 0.28 s).
        boolean serveAlone = args.length == 1 && args[0].equals("serve");
        return serveAlone ? serve() : commandLine().execute(args);
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

    private static CommandLine commandLine() {
        return withErrorHandling(new CommandLine(new OrchestraCli()));
    }

    private static CommandLine withErrorHandling(CommandLine cli) {
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> failed(e, commandLine.getErr()));
        return cli;
    }

    private static int serve() {
        try {
            new ServeCommand().run();
            return 0;
        } catch (RuntimeException e) {
            PrintWriter err = new PrintWriter(System.err, true);
            return failed(e, err);
        }
    }

    /** A configuration problem exits 2 with its list, anything else 1 with its message (secrets masked). */
    private static int failed(Exception e, PrintWriter err) {
        if (e instanceof ConfigException config) {
            err.println(config.getMessage());
            return 2;
        }
        err.println("error: " + io.orchestra.core.config.Secrets.maskUrl(String.valueOf(e.getMessage())));
        return 1;
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
