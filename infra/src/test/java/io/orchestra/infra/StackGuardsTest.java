package io.orchestra.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the program refuses instead of deploying something that disagrees with the repository's files. */
class StackGuardsTest {
    @TempDir
    Path copy;

    static StackRun.Result runWith(String stack, String key, String value) {
        Map<String, String> config = new TreeMap<>(StackRun.stackConfig(stack));
        config.put(key, value);
        return StackRun.run(stack, config, c -> OrchestraStack.define(c, StackRun.FILES));
    }

    @Test
    void aStackConfiguredAsAnotherEnvironmentIsRefused() {
        StackRun.Result run = runWith("staging", "orchestra:environment", "prod");
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.failure()).contains("stack staging is environment staging", "says environment prod");
        assertThat(run.resources()).isEmpty();
    }

    @Test
    void switchingMcpOffIsRefusedBecauseTheServiceAlwaysServesIt() {
        StackRun.Result run = runWith("production", "orchestra:mcp_enabled", "false");
        assertThat(run.failure()).contains("mcp_enabled is false", "/mcp");
        assertThat(run.resources()).isEmpty();
    }

    @Test
    void aGpuTypeTheServiceFileDoesNotPassIsRefused() {
        StackRun.Result run = runWith("development", "orchestra:gpu_instance_type", "gpu_8x_h100_sxm5");
        assertThat(run.failure())
                .contains(
                        "deploy/cloudrun/service-dev.yaml sets ORCHESTRA_GPU_INSTANCE_TYPE=gpu_1x_a10",
                        "gpu_instance_type is gpu_8x_h100_sxm5");
        assertThat(run.resources()).noneMatch(r -> r.type().equals("gcp:cloudrunv2/service:Service"));
    }

    @Test
    void aServiceFileSettingTheProgramDoesNotTranslateFailsInsteadOfBeingDropped() throws IOException {
        Path file = copy.resolve("service-staging.yaml");
        Files.writeString(
                file,
                Files.readString(StackRun.FILES.cloudRunService("staging"))
                        .replace(
                                "        run.googleapis.com/startup-cpu-boost: \"true\"\n",
                                "        run.googleapis.com/startup-cpu-boost: \"true\"\n        run.googleapis.com/cpu-throttling: \"false\"\n"));
        assertThatThrownBy(() -> CloudRunSpec.read(file))
                .hasMessageContaining("service-staging.yaml")
                .hasMessageContaining(
                        "spec.template.metadata.annotations.run.googleapis.com/cpu-throttling is a setting"
                                + " infra/ does not translate");
    }

    @Test
    void aSecretTheProgramHasNoValueForIsRefused() throws IOException {
        Path root = copy.resolve("repo");
        for (String file : new String[] {
            "deploy/versions.properties",
            "deploy/prometheus/alerts.yml",
            "deploy/config/prod.yaml",
            "deploy/cloudrun/service-prod.yaml"
        }) {
            Files.createDirectories(root.resolve(file).getParent());
            Files.copy(StackRun.FILES.root().resolve(file), root.resolve(file));
        }
        Path service = root.resolve("deploy/cloudrun/service-prod.yaml");
        Files.writeString(service, Files.readString(service).replace("""
                            - name: ORCHESTRA_ADMIN_KEY
                """, """
                            - name: OPENAI_API_KEY
                              valueFrom: { secretKeyRef: { name: orchestra-prod-openai-key, key: latest } }
                            - name: ORCHESTRA_ADMIN_KEY
                """));
        StackRun.Result run = StackRun.run(
                "production", StackRun.stackConfig("production"), c -> OrchestraStack.define(c, new DeployFiles(root)));
        assertThat(run.failure())
                .contains("reads OPENAI_API_KEY from secret orchestra-prod-openai-key, which this"
                        + " program has no value for");
    }

    @Test
    void urlUserInfoKeepsAnyPasswordIntact() {
        String password = "a b:c@d/e%f+g?h#";
        assertThat(java.net
                        .URI
                        .create("postgresql://u:" + OrchestraStack.userInfo(password) + "@h/db")
                        .getUserInfo())
                .isEqualTo("u:" + password);
    }
}
