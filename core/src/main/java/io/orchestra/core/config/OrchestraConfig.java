package io.orchestra.core.config;

import io.smallrye.config.SmallRyeConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The validated settings of the foundation. Modules read their own sections through {@link
 * #settings()}, which applies the same sources and profile; docs/configuration.md lists every key.
 */
public record OrchestraConfig(
        Environment env,
        String host,
        int port,
        Path dataDir,
        DatabaseSettings database,
        Optional<String> redisUrl,
        Optional<String> adminKey,
        long maxBodyBytes,
        long maxUploadBytes,
        List<String> publicPaths,
        int shutdownGraceSeconds,
        String logFormat,
        Optional<Path> configFile,
        SmallRyeConfig settings) {

    /** Database connection settings; {@code url} is always a JDBC URL after loading. */
    public record DatabaseSettings(String jdbcUrl, Optional<String> user, Optional<String> password, int poolSize) {
        public boolean isSqlite() {
            return jdbcUrl.startsWith("jdbc:sqlite:");
        }

        public boolean isPostgres() {
            return jdbcUrl.startsWith("jdbc:postgresql:");
        }

        /** The URL with any password masked, safe to print. */
        public String displayUrl() {
            return Secrets.maskUrl(jdbcUrl);
        }

        @Override
        public String toString() {
            return "DatabaseSettings[url=" + displayUrl() + ", user=" + user.orElse("") + ", password="
                    + password.map(Secrets::mask).orElse("") + ", poolSize=" + poolSize + "]";
        }
    }

    /** Reads an optional module setting, e.g. {@code orchestra.gateway.cache.ttl}. */
    public Optional<String> setting(String key) {
        return settings.getOptionalValue(key, String.class).filter(v -> !v.isBlank());
    }

    /** A numeric module setting within bounds; a bad value stops startup with a clear message, not a stack trace. */
    public double number(String key, double fallback, double min, double max) {
        Optional<String> value = setting(key);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            double parsed = Double.parseDouble(value.get().trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(
                List.of(ConfigLoader.problem(key, value.get(), "a number from " + min + " to " + max)));
    }

    @Override
    public String toString() {
        return "OrchestraConfig[env=" + env.wire() + ", host=" + host + ", port=" + port + ", dataDir=" + dataDir
                + ", database=" + database + ", redisUrl="
                + redisUrl.map(Secrets::maskUrl).orElse("")
                + ", adminKey=" + adminKey.map(Secrets::mask).orElse("") + "]";
    }
}
