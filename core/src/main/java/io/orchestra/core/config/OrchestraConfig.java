package io.orchestra.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The validated configuration: the foundation's settings and one typed record per module, every
 * value parsed and checked once by {@link ConfigLoader}; docs/configuration.md lists every key.
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
        MemorySettings memory,
        AgentsSettings agents,
        GatewaySettings gateway,
        McpSettings mcp) {

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

    @Override
    public String toString() {
        return "OrchestraConfig[env=" + env.wire() + ", host=" + host + ", port=" + port + ", dataDir=" + dataDir
                + ", database=" + database + ", redisUrl="
                + redisUrl.map(Secrets::maskUrl).orElse("")
                + ", adminKey=" + adminKey.map(Secrets::mask).orElse("") + "]";
    }
}
