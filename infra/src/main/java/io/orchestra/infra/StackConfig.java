package io.orchestra.infra;

import com.pulumi.Config;
import com.pulumi.Context;
import com.pulumi.core.Output;
import java.util.Optional;

/**
 * A stack's configuration (Pulumi.&lt;stack&gt;.yaml plus what `pulumi config set` adds per project), validated once.
 * Secrets are read only as Pulumi secrets, so their values reach the engine and the state encrypted.
 */
record StackConfig(
        String project,
        String region,
        String environment,
        String image,
        String githubRepository,
        String gpuInstanceType,
        Optional<String> alertEmail,
        Output<String> dbPassword,
        Output<String> adminKey,
        Optional<Output<String>> lambdaLabsApiKey) {

    static StackConfig read(Context ctx) {
        Config config = ctx.config();
        Config gcp = ctx.config("gcp");
        String repository = config.require("github_repository");
        if (!repository.matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("github_repository must be owner/name, not " + repository);
        }
        // MCP is served by the same service at /mcp (ARCHITECTURE): there is no separate MCP infrastructure to
        // switch off, so a stack that says it has none would be wrong about itself.
        String mcp = config.get("mcp_enabled").orElse("true");
        if (!mcp.equals("true")) {
            throw new IllegalArgumentException("mcp_enabled is " + mcp + ", but MCP is part of the service (/mcp on"
                    + " the same port) and cannot be switched off per stack: set it to true or remove it");
        }
        return new StackConfig(
                gcp.require("project"),
                gcp.require("region"),
                config.require("environment"),
                config.require("image"),
                repository,
                config.require("gpu_instance_type"),
                config.get("alert_email"),
                config.requireSecret("db_password"),
                config.requireSecret("admin_key"),
                config.get("lambda_labs_api_key").map(v -> config.requireSecret("lambda_labs_api_key")));
    }
}
