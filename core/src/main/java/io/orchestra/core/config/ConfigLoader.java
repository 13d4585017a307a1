package io.orchestra.core.config;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.source.yaml.YamlConfigSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Builds the configuration from, lowest priority first: built-in defaults, {@code orchestra.yaml},
 * {@code .env}, environment variables, {@code -Dorchestra.*} system properties, explicit overrides. Validates the whole
 * result, the foundation's settings and each module's typed settings record ({@link MemorySettings}, {@link
 * AgentsSettings}, {@link GatewaySettings}, {@link McpSettings}), and reports every problem in one {@link
 * ConfigException}.
 */
public final class ConfigLoader {
    static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("orchestra.env", "dev"),
            Map.entry("orchestra.host", "0.0.0.0"),
            Map.entry("orchestra.port", "${PORT:8000}"),
            Map.entry("orchestra.data-dir", "data"),
            Map.entry("orchestra.db.url", ""),
            Map.entry("orchestra.db.pool-size", "10"),
            Map.entry("orchestra.http.max-body-bytes", "4194304"),
            Map.entry("orchestra.http.max-upload-bytes", "52428800"),
            Map.entry("orchestra.auth.public-paths", "/health,/ready,/metrics"),
            Map.entry("orchestra.shutdown.grace-seconds", "20"),
            Map.entry("orchestra.log.format", "json"));

    private static final int YAML_ORDINAL = 250;
    private static final int DOTENV_ORDINAL = 280;
    private static final int ENV_ORDINAL = 300;
    private static final int SYSTEM_PROPERTIES_ORDINAL = 400;
    private static final int OVERRIDE_ORDINAL = 500;

    private final Path workingDir;
    private final Map<String, String> environment;
    private final Map<String, String> overrides;
    private final Map<String, String> systemProperties;

    /**
     * @param workingDir where {@code orchestra.yaml} and {@code .env} are looked up
     * @param environment the process environment (pass an empty map to isolate tests)
     * @param overrides highest-priority values keyed by property name ({@code orchestra.db.url})
     */
    public ConfigLoader(Path workingDir, Map<String, String> environment, Map<String, String> overrides) {
        this.workingDir = workingDir;
        this.environment = Map.copyOf(environment);
        this.overrides = Map.copyOf(overrides);
        this.systemProperties = Map.of();
    }

    private ConfigLoader(
            Path workingDir,
            Map<String, String> environment,
            Map<String, String> overrides,
            Map<String, String> systemProperties) {
        this.workingDir = workingDir;
        this.environment = Map.copyOf(environment);
        this.overrides = Map.copyOf(overrides);
        this.systemProperties = Map.copyOf(systemProperties);
    }

    /** The process's sources: working directory files, environment, and {@code -Dorchestra.*} properties. */
    public static ConfigLoader fromProcess(Map<String, String> overrides) {
        Map<String, String> properties = new java.util.HashMap<>();
        System.getProperties().forEach((k, v) -> {
            if (k.toString().startsWith("orchestra.")) {
                properties.put(k.toString(), v.toString());
            }
        });
        return new ConfigLoader(Path.of("").toAbsolutePath(), System.getenv(), overrides, properties);
    }

    public OrchestraConfig load() {
        List<String> problems = new ArrayList<>();
        List<ConfigSource> sources = new ArrayList<>();
        Optional<Path> configFile = configFile();
        configFile.ifPresent(file -> sources.add(yamlSource(file, problems)));
        Path dotenv = workingDir.resolve(".env");
        if (Files.isRegularFile(dotenv)) {
            sources.add(new EnvConfigSource(DotEnv.parse(dotenv), DOTENV_ORDINAL));
        }
        sources.add(new EnvConfigSource(environment, ENV_ORDINAL));
        sources.add(new PropertiesConfigSource(systemProperties, "system-properties", SYSTEM_PROPERTIES_ORDINAL));
        sources.add(new PropertiesConfigSource(overrides, "overrides", OVERRIDE_ORDINAL));

        SmallRyeConfig first = build(sources, null);
        String envValue = first.getOptionalValue("orchestra.env", String.class).orElse("dev");
        Optional<Environment> env = Environment.parse(envValue);
        if (env.isEmpty()) {
            problems.add(problem("orchestra.env", envValue, "one of dev, staging, prod"));
        }
        SmallRyeConfig settings = build(sources, env.map(Environment::wire).orElse("dev"));
        OrchestraConfig config = validate(settings, env.orElse(Environment.DEV), configFile, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return config;
    }

    private Optional<Path> configFile() {
        String explicit = overrides.getOrDefault("orchestra.config", environment.get("ORCHESTRA_CONFIG"));
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(workingDir.resolve(explicit));
        }
        Path file = workingDir.resolve("orchestra.yaml");
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    private static ConfigSource yamlSource(Path file, List<String> problems) {
        try {
            String yaml = Files.readString(file, StandardCharsets.UTF_8);
            return new YamlConfigSource("orchestra.yaml", yaml, YAML_ORDINAL);
        } catch (IOException e) {
            problems.add(problem("orchestra.config", file.toString(), "a readable YAML file (" + e.getMessage() + ")"));
        } catch (RuntimeException e) {
            problems.add(problem("orchestra.config", file.toString(), "valid YAML (" + e.getMessage() + ")"));
        }
        return new PropertiesConfigSource(Map.of(), "empty-yaml", YAML_ORDINAL);
    }

    private static SmallRyeConfig build(List<ConfigSource> sources, String profile) {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withDefaultValues(DEFAULTS)
                .withSources(sources);
        if (profile != null) {
            builder.withProfile(profile);
        }
        return builder.build();
    }

    private static OrchestraConfig validate(
            SmallRyeConfig c, Environment env, Optional<Path> configFile, List<String> problems) {
        ConfigValues values = new ConfigValues(c, problems);
        String host = values.text("orchestra.host", "0.0.0.0");
        int port = values.integer("orchestra.port", 8000, 0, 65535);
        Path dataDir = values.path("orchestra.data-dir").orElse(Path.of("data"));
        int poolSize = values.integer("orchestra.db.pool-size", 10, 1, 500);
        long maxBody = values.whole("orchestra.http.max-body-bytes", 4L << 20, 1024, 1L << 31);
        long maxUpload = values.whole("orchestra.http.max-upload-bytes", 50L << 20, 1024, 1L << 40);
        int grace = values.integer("orchestra.shutdown.grace-seconds", 20, 0, 600);
        String logFormat = values.text("orchestra.log.format", "json");
        if (!logFormat.equals("json") && !logFormat.equals("text")) {
            problems.add(problem("orchestra.log.format", logFormat, "json or text"));
        }
        List<String> publicPaths = values.list("orchestra.auth.public-paths", "");
        for (String path : publicPaths) {
            if (!path.startsWith("/")) {
                problems.add(problem("orchestra.auth.public-paths", path, "paths starting with /"));
            }
        }

        Optional<String> user = values.optional("orchestra.db.user");
        Optional<String> password = values.optional("orchestra.db.password");
        String rawUrl = values.text("orchestra.db.url", "");
        OrchestraConfig.DatabaseSettings db;
        if (rawUrl.isEmpty()) {
            db = new OrchestraConfig.DatabaseSettings(
                    "jdbc:sqlite:" + dataDir.resolve("orchestra.db"), user, password, poolSize);
        } else {
            db = parseDatabaseUrl(rawUrl, user, password, poolSize, problems);
        }
        if (env.strict() && db.isSqlite()) {
            problems.add(problem(
                    "orchestra.db.url",
                    db.displayUrl(),
                    "a PostgreSQL URL: the " + env.wire() + " profile refuses SQLite"));
        }

        Optional<String> redis = values.optional("orchestra.redis.url");
        redis.ifPresent(url -> {
            if (!url.startsWith("redis://") && !url.startsWith("rediss://")) {
                problems.add(problem("orchestra.redis.url", Secrets.maskUrl(url), "a redis:// or rediss:// URL"));
            }
        });
        Optional<String> adminKey = values.optional("orchestra.admin-key");
        if (env.strict() && adminKey.isEmpty()) {
            problems.add(problem(
                    "orchestra.admin-key",
                    "(unset)",
                    "an admin API key: the " + env.wire() + " profile refuses to start without one"));
        }
        adminKey.ifPresent(key -> {
            if (key.length() < 24) {
                problems.add(problem("orchestra.admin-key", Secrets.mask(key), "at least 24 characters"));
            }
        });
        return new OrchestraConfig(
                env,
                host,
                port,
                dataDir,
                db,
                redis,
                adminKey,
                maxBody,
                maxUpload,
                publicPaths,
                grace,
                logFormat,
                configFile,
                MemorySettings.read(values),
                AgentsSettings.read(values),
                GatewaySettings.read(values),
                McpSettings.read(values));
    }

    /** Accepts {@code jdbc:sqlite:}, {@code jdbc:postgresql:} and {@code postgres[ql]://user:pass@host/db}. */
    static OrchestraConfig.DatabaseSettings parseDatabaseUrl(
            String raw, Optional<String> user, Optional<String> password, int poolSize, List<String> problems) {
        if (raw.startsWith("jdbc:sqlite:") || raw.startsWith("jdbc:postgresql:")) {
            return new OrchestraConfig.DatabaseSettings(raw, user, password, poolSize);
        }
        if (raw.startsWith("postgresql://") || raw.startsWith("postgres://")) {
            try {
                URI uri = new URI(raw);
                if (uri.getHost() == null) {
                    throw new URISyntaxException(raw, "missing host");
                }
                Optional<String> urlUser = user;
                Optional<String> urlPassword = password;
                if (uri.getRawUserInfo() != null) {
                    String[] parts = uri.getUserInfo().split(":", 2);
                    urlUser = Optional.of(parts[0]);
                    if (parts.length == 2) {
                        urlPassword = Optional.of(parts[1]);
                    }
                }
                String jdbc = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                        + (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/postgres" : uri.getRawPath())
                        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
                return new OrchestraConfig.DatabaseSettings(jdbc, urlUser, urlPassword, poolSize);
            } catch (URISyntaxException e) {
                problems.add(problem(
                        "orchestra.db.url", Secrets.maskUrl(raw), "a valid postgresql://user:pass@host:port/db URL"));
            }
        } else {
            problems.add(problem(
                    "orchestra.db.url",
                    Secrets.maskUrl(raw),
                    "empty (SQLite under the data dir), jdbc:sqlite:<file>, jdbc:postgresql://… or postgresql://…"));
        }
        return new OrchestraConfig.DatabaseSettings("jdbc:sqlite::memory:", user, password, poolSize);
    }

    static String problem(String key, String value, String allowed) {
        return key + " = '" + Secrets.display(key, value) + "': expected " + allowed;
    }

    /** The {@code .env} file format: KEY=VALUE lines, # comments, optional quotes, optional "export". */
    static final class DotEnv {
        static Map<String, String> parse(Path file) {
            try {
                Map<String, String> values = new LinkedHashMap<>();
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String trimmed = line.strip();
                    if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                        continue;
                    }
                    if (trimmed.startsWith("export ")) {
                        trimmed = trimmed.substring(7).strip();
                    }
                    int eq = trimmed.indexOf('=');
                    if (eq <= 0) {
                        continue;
                    }
                    String key = trimmed.substring(0, eq).strip();
                    String value = trimmed.substring(eq + 1).strip();
                    if (value.length() >= 2
                            && (value.startsWith("\"") && value.endsWith("\"")
                                    || value.startsWith("'") && value.endsWith("'"))) {
                        value = value.substring(1, value.length() - 1);
                    }
                    values.put(key, value);
                }
                return values;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
