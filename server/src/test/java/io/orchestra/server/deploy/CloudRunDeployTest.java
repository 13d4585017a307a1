package io.orchestra.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy/cloudrun/deploy.sh against a fake gcloud that records its calls and a candidate revision we control. */
class CloudRunDeployTest {
    @TempDir
    Path dir;

    record Result(int exit, String output, List<String> gcloudCalls) {}

    Result deploy(String candidateUrl, int checkExit, String... extra) throws Exception {
        return deployTo("prod", candidateUrl, checkExit, extra);
    }

    Result deployTo(String env, String candidateUrl, int checkExit, String... extra) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path log = dir.resolve("gcloud.log");
        Files.deleteIfExists(log);
        Files.writeString(bin.resolve("gcloud"), """
                #!/usr/bin/env bash
                echo "$*" >> "%s"
                case "$*" in
                  *"auth print-identity-token"*) echo token ;;
                  *"services describe"*revisionName*) echo orchestra-prod-00001-old ;;
                  *"services describe"*candidate*) echo "%s" ;;
                  *"revisions list"*"--limit 1"*) echo orchestra-prod-00009-new ;;
                  *"revisions list"*) printf 'rev-%%s\\n' 9 8 7 6 5 4 3 ;;
                esac
                """.formatted(log, candidateUrl));
        Files.writeString(bin.resolve("orchestra"), "#!/usr/bin/env bash\nexit " + checkExit + "\n");
        for (String name : List.of("gcloud", "orchestra")) {
            Files.setPosixFilePermissions(bin.resolve(name), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        List<String> command = new java.util.ArrayList<>(
                List.of("bash", "deploy/cloudrun/deploy.sh", env, "--image", "registry/orchestra:1.2.3"));
        command.addAll(List.of(extra));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(Path.of("..").toFile()).redirectErrorStream(true);
        Map<String, String> vars = builder.environment();
        vars.put("PATH", bin + ":" + vars.get("PATH"));
        vars.put("ORCHESTRA_BIN", bin.resolve("orchestra").toString());
        vars.put("WATCH_SECONDS", "3");
        vars.put("WATCH_INTERVAL", "1");
        vars.put("TMPDIR", dir.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        List<String> calls = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return new Result(process.exitValue(), output, calls);
    }

    static Javalin candidate(int healthyChecks) {
        return candidate(healthyChecks, 0);
    }

    /** A revision whose /metrics counts 100 more requests per scrape, errorPercent of them 500s. */
    static Javalin candidate(int healthyChecks, int errorPercent) {
        AtomicInteger checks = new AtomicInteger();
        AtomicInteger scrapes = new AtomicInteger();
        return Javalin.create(c -> {
                    c.routes.get("/ready", ctx -> ctx.status(checks.incrementAndGet() <= healthyChecks ? 200 : 503));
                    c.routes.get("/metrics", ctx -> {
                        int n = scrapes.getAndIncrement();
                        int errors = n * errorPercent;
                        ctx.result("""
                        # TYPE http_server_requests_seconds_count counter
                        http_server_requests_seconds_count{method="POST",route="/v1/chat/completions",status="200"} %d.0
                        http_server_requests_seconds_count{method="POST",route="/v1/chat/completions",status="500"} %d.0
                        """.formatted(n * 100 - errors, errors));
                    });
                })
                .start("127.0.0.1", 0);
    }

    @Test
    void healthyRevisionTakesTheTrafficAndOldRevisionsArePruned() throws Exception {
        Javalin revision = candidate(Integer.MAX_VALUE);
        try {
            Result result = deploy("http://127.0.0.1:" + revision.port(), 0);
            assertThat(result.exit()).as(result.output()).isZero();
            assertThat(result.gcloudCalls())
                    .anyMatch(c -> c.contains("services replace") && c.contains("--no-traffic"));
            assertThat(result.gcloudCalls()).anyMatch(c -> c.contains("--to-revisions orchestra-prod-00009-new=100"));
            assertThat(result.gcloudCalls()).noneMatch(c -> c.contains("orchestra-prod-00001-old=100"));
            assertThat(result.gcloudCalls()).anyMatch(c -> c.contains("revisions delete rev-4"));
            assertThat(result.gcloudCalls()).anyMatch(c -> c.contains("revisions delete rev-3"));
            assertThat(result.gcloudCalls()).noneMatch(c -> c.contains("revisions delete rev-5"));
            assertThat(Files.readString(dir.resolve("service-prod.yaml"))).contains("image: registry/orchestra:1.2.3");
        } finally {
            revision.stop();
        }
    }

    @Test
    void revisionThatFailsAfterTheShiftIsRolledBack() throws Exception {
        Javalin revision = candidate(1);
        try {
            Result result = deploy("http://127.0.0.1:" + revision.port(), 0);
            assertThat(result.exit()).isEqualTo(1);
            assertThat(result.output()).contains("rolling back to orchestra-prod-00001-old");
            assertThat(result.gcloudCalls()).anyMatch(c -> c.contains("--to-revisions orchestra-prod-00001-old=100"));
            assertThat(result.gcloudCalls()).noneMatch(c -> c.contains("revisions delete"));
        } finally {
            revision.stop();
        }
    }

    @Test
    void readyRevisionWithTooManyServerErrorsIsRolledBack() throws Exception {
        Javalin revision = candidate(Integer.MAX_VALUE, 30);
        try {
            Result result = deploy("http://127.0.0.1:" + revision.port(), 0);
            assertThat(result.exit()).as(result.output()).isEqualTo(1);
            assertThat(result.output())
                    .contains("error rate 30/100 above 5%", "rolling back to orchestra-prod-00001-old");
            assertThat(result.gcloudCalls()).anyMatch(c -> c.contains("--to-revisions orchestra-prod-00001-old=100"));
            assertThat(result.gcloudCalls()).noneMatch(c -> c.contains("revisions delete"));
        } finally {
            revision.stop();
        }
    }

    @Test
    void onlyDevIsOpenedToUnauthenticatedCallers() throws Exception {
        assertThat(deployTo("dev", "http://127.0.0.1:1", 0, "--dry-run").output())
                .contains("add-iam-policy-binding orchestra-dev --member allUsers --role roles/run.invoker");
        assertThat(deploy("http://127.0.0.1:1", 0, "--dry-run").output()).doesNotContain("allUsers");
    }

    @Test
    void eachServiceRunsItsEnvironmentsConfigFile() throws Exception {
        for (String env : List.of("dev", "staging", "prod")) {
            String service = Files.readString(Path.of("..", "deploy", "cloudrun", "service-" + env + ".yaml"));
            assertThat(service)
                    .contains(
                            "{ name: ORCHESTRA_ENV, value: " + env + " }",
                            "{ name: ORCHESTRA_CONFIG, value: /opt/orchestra/config/" + env + ".yaml }");
            assertThat(Path.of("..", "deploy", "config", env + ".yaml")).isRegularFile();
        }
    }

    @Test
    void invalidConfigurationStopsBeforeAnythingIsDeployed() throws Exception {
        Result result = deploy("http://127.0.0.1:1", 2);
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.output()).contains("configuration check failed");
        assertThat(result.gcloudCalls()).isEmpty();
    }

    @Test
    void dryRunPrintsTheCommands() throws Exception {
        Result result = deploy("http://127.0.0.1:1", 0, "--dry-run");
        assertThat(result.exit()).isZero();
        assertThat(result.output())
                .contains("gcloud --quiet --region europe-west1 run services replace", "--no-traffic", "--to-latest");
        assertThat(result.gcloudCalls()).isEmpty();
    }
}
