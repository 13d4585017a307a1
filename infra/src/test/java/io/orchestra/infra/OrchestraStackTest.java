package io.orchestra.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Each stack run against Pulumi's mock engine, checked against the files the other deploy paths use: the pins
 * (deploy/versions.properties), the Cloud Run service files, the Prometheus rules and the server's configuration.
 * Expected values are read from those files here, independently of the program's own readers.
 */
class OrchestraStackTest {
    static final Map<String, StackRun.Result> RUNS = new HashMap<>();
    static final Properties PINS = StackRun.FILES.pins();
    static final Map<String, String> ENV_OF_STACK =
            Map.of("development", "dev", "staging", "staging", "production", "prod");

    @BeforeAll
    static void runEveryStack() {
        for (String stack : ENV_OF_STACK.keySet()) {
            StackRun.Result run = StackRun.run(stack);
            assertThat(run.exceptions()).as(run.failure()).isEmpty();
            assertThat(run.exitCode()).isZero();
            RUNS.put(stack, run);
        }
    }

    static JsonNode serviceFile(String env) {
        return new YAMLMapper().readTree(StackRun.FILES.cloudRunService(env).toFile());
    }

    @ParameterizedTest
    @ValueSource(strings = {"development", "staging", "production"})
    void declaresTheEnvironmentsResources(String stack) {
        boolean dev = stack.equals("development");
        Set<String> expected = new TreeSet<>();
        OrchestraStack.APIS.forEach(
                api -> expected.add("gcp:projects/service:Service api-" + api.substring(0, api.indexOf('.'))));
        String env = ENV_OF_STACK.get(stack);
        expected.addAll(List.of(
                "gcp:serviceaccount/account:Account orchestra-run-" + env,
                "gcp:serviceaccount/account:Account orchestra-ci-" + env,
                "gcp:artifactregistry/repository:Repository registry",
                "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember registry-ci-writer",
                "gcp:compute/network:Network network",
                "gcp:compute/subnetwork:Subnetwork subnetwork",
                "gcp:compute/globalAddress:GlobalAddress private-services-range",
                "gcp:servicenetworking/connection:Connection private-services",
                "gcp:sql/databaseInstance:DatabaseInstance database",
                "gcp:sql/database:Database database-orchestra",
                "gcp:sql/user:User database-user",
                "gcp:redis/instance:Instance redis",
                "gcp:cloudrunv2/service:Service service",
                "gcp:serviceaccount/iAMMember:IAMMember ci-acts-as-runtime",
                "gcp:serviceaccount/iAMMember:IAMMember ci-workload-identity",
                "gcp:iam/workloadIdentityPool:WorkloadIdentityPool github-pool",
                "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider github-provider",
                "gcp:storage/bucket:Bucket state",
                "gcp:monitoring/notificationChannel:NotificationChannel alert-email",
                "gcp:monitoring/alertPolicy:AlertPolicy alert-OrchestraDown",
                "gcp:monitoring/alertPolicy:AlertPolicy alert-OrchestraHighErrorRate"));
        for (String secret : List.of("db-url", "redis-url", "admin-key")) {
            String name = "orchestra-" + env + "-" + secret;
            expected.add("gcp:secretmanager/secret:Secret " + name);
            expected.add("gcp:secretmanager/secretVersion:SecretVersion " + name + "-version");
            expected.add("gcp:secretmanager/secretIamMember:SecretIamMember " + name + "-runtime");
            expected.add("gcp:secretmanager/secretIamMember:SecretIamMember " + name + "-ci");
        }
        String lambda = "orchestra-" + env + "-lambda-api-key";
        expected.add("gcp:secretmanager/secret:Secret " + lambda);
        expected.add("gcp:secretmanager/secretVersion:SecretVersion " + lambda + "-version");
        expected.add("gcp:secretmanager/secretIamMember:SecretIamMember " + lambda + "-runtime");
        if (dev) {
            expected.add("gcp:cloudrunv2/serviceIamMember:ServiceIamMember public-invoker");
            expected.add("gcp:cloudrunv2/serviceIamMember:ServiceIamMember ci-run-admin");
            expected.add("gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig uptime");
        } else {
            expected.add("gcp:cloudrunv2/serviceIamMember:ServiceIamMember ci-invoker");
            expected.add("gcp:cloudrunv2/serviceIamMember:ServiceIamMember ci-run-developer");
        }
        Set<String> declared = RUNS.get(stack).resources().stream()
                .map(r -> r.type() + " " + r.name())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(declared).containsExactlyElementsOf(expected);
        assertThat(RUNS.get(stack).resources()).hasSize(expected.size());
    }

    @ParameterizedTest
    @CsvSource({"development,dev", "staging,staging", "production,prod"})
    void namesComeFromThePins(String stack, String env) {
        StackRun.Result run = RUNS.get(stack);
        assertThat(run.one("gcp:cloudrunv2/service:Service").at("name")).isEqualTo(PINS.getProperty(env + ".service"));
        assertThat(run.one("gcp:artifactregistry/repository:Repository").at("repositoryId"))
                .isEqualTo(PINS.getProperty(env + ".registry"));
        for (String type : List.of(
                "gcp:sql/databaseInstance:DatabaseInstance",
                "gcp:redis/instance:Instance",
                "gcp:compute/network:Network",
                "gcp:compute/subnetwork:Subnetwork")) {
            assertThat(run.one(type).at("name")).as(type).isEqualTo("orchestra-" + env);
        }
        assertThat(run.one("gcp:sql/databaseInstance:DatabaseInstance").at("region"))
                .isEqualTo(PINS.getProperty("gcp.region"));
        assertThat(run.one("gcp:sql/databaseInstance:DatabaseInstance").at("settings.tier"))
                .isEqualTo(PINS.getProperty(env + ".sql.tier"));
        assertThat(run.one("gcp:sql/databaseInstance:DatabaseInstance").at("settings.availabilityType"))
                .isEqualTo(PINS.getProperty(env + ".sql.ha").equals("true") ? "REGIONAL" : "ZONAL");
        assertThat(run.one("gcp:redis/instance:Instance").at("tier")).isEqualTo(PINS.getProperty(env + ".redis.tier"));
        assertThat(run.outputs().get("environment").value()).isEqualTo(env);
    }

    @ParameterizedTest
    @CsvSource({"development,dev,0,3", "staging,staging,1,5", "production,prod,2,10"})
    void scalingBoundsEqualThePinsAndTheServiceFile(String stack, String env, long min, long max) {
        StackRun.Registered service = RUNS.get(stack).one("gcp:cloudrunv2/service:Service");
        assertThat(service.at("template.scaling.minInstanceCount")).isEqualTo(min);
        assertThat(service.at("template.scaling.maxInstanceCount")).isEqualTo(max);
        assertThat(PINS.getProperty(env + ".replicas")).isEqualTo(min + "-" + max);
        JsonNode annotations =
                serviceFile(env).path("spec").path("template").path("metadata").path("annotations");
        assertThat(annotations.path("autoscaling.knative.dev/minScale").asLong())
                .isEqualTo(min);
        assertThat(annotations.path("autoscaling.knative.dev/maxScale").asLong())
                .isEqualTo(max);
    }

    @ParameterizedTest
    @ValueSource(strings = {"development", "staging", "production"})
    void onlyDevelopmentIsOpenToUnauthenticatedCallers(String stack) {
        StackRun.Result run = RUNS.get(stack);
        List<StackRun.Registered> publicMembers = run.resources().stream()
                .filter(r -> r.type().toLowerCase().contains("iammember"))
                .filter(r -> Set.of("allUsers", "allAuthenticatedUsers").contains(r.at("member")))
                .toList();
        if (stack.equals("development")) {
            assertThat(publicMembers).singleElement().satisfies(m -> {
                assertThat(m.type()).isEqualTo("gcp:cloudrunv2/serviceIamMember:ServiceIamMember");
                assertThat(m.at("member")).isEqualTo("allUsers");
                assertThat(m.at("role")).isEqualTo("roles/run.invoker");
                assertThat(m.at("name")).isEqualTo("orchestra-dev");
            });
            assertThat(run.one("gcp:cloudrunv2/service:Service").at("ingress")).isEqualTo("INGRESS_TRAFFIC_ALL");
        } else {
            assertThat(publicMembers).isEmpty();
            assertThat(run.one("gcp:cloudrunv2/service:Service").at("ingress"))
                    .isEqualTo("INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER");
        }
        assertThat(PINS.getProperty(ENV_OF_STACK.get(stack) + ".public"))
                .isEqualTo(String.valueOf(stack.equals("development")));
    }

    /** Every secret value, wherever it travels (secret versions, the database user, the URLs built from them, outputs). */
    @ParameterizedTest
    @ValueSource(strings = {"development", "staging", "production"})
    void everySecretValueReachesTheEngineAsAPulumiSecret(String stack) {
        StackRun.Result run = RUNS.get(stack);
        List<String> unwrapped = new ArrayList<>();
        List<String> wrapped = new ArrayList<>();
        for (StackRun.Registered r : run.resources()) {
            walk(r.type() + " " + r.name(), r.inputs(), false, unwrapped, wrapped);
        }
        assertThat(unwrapped).as("secret values sent in the clear").isEmpty();
        // db-url, redis-url, admin-key and lambda secret versions, and the database user's password.
        assertThat(wrapped).hasSize(5);
        run.outputs().forEach((name, output) -> {
            if (String.valueOf(output.value()).contains(StackRun.CANARY)) {
                assertThat(output.secret()).as("output " + name).isTrue();
            }
        });
        assertThat(run.outputs().get("configEnv").secret()).isTrue();
        for (StackRun.Registered version : run.ofType("gcp:secretmanager/secretVersion:SecretVersion")) {
            assertThat(version.inputs().get("secretData")).isInstanceOf(StackRun.Secret.class);
        }
    }

    private static void walk(String at, Object value, boolean inSecret, List<String> unwrapped, List<String> wrapped) {
        if (value instanceof StackRun.Secret secret) {
            if (String.valueOf(StackRun.unwrap(secret)).contains(StackRun.CANARY)) {
                wrapped.add(at);
            }
            walk(at, secret.value(), true, unwrapped, wrapped);
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(at + "." + k, v, inSecret, unwrapped, wrapped));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(at + "[" + i + "]", list.get(i), inSecret, unwrapped, wrapped);
            }
        } else if (!inSecret && String.valueOf(value).contains(StackRun.CANARY)) {
            unwrapped.add(at);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"development", "staging", "production"})
    void noAccountHoldsABroadRoleAndNoneHasAKey(String stack) {
        StackRun.Result run = RUNS.get(stack);
        List<StackRun.Registered> grants = run.resources().stream()
                .filter(r -> r.type().toLowerCase().matches(".*iam(member|binding|policy).*"))
                .toList();
        assertThat(grants).isNotEmpty();
        assertThat(grants)
                .allSatisfy(g -> assertThat(g.at("role"))
                        .as(g.name())
                        .isNotIn("roles/owner", "roles/editor", "roles/viewer", "roles/iam.serviceAccountAdmin"));
        // Grants are on single resources (a secret, the service, the registry, an account), never project-wide.
        assertThat(run.resources()).noneMatch(r -> r.type().startsWith("gcp:projects/iAM"));
        assertThat(run.resources()).noneMatch(r -> r.type().equals("gcp:serviceaccount/key:Key"));
        Set<String> roles =
                grants.stream().map(g -> (String) g.at("role")).collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = new TreeSet<>(Set.of(
                "roles/artifactregistry.writer",
                "roles/iam.serviceAccountUser",
                "roles/iam.workloadIdentityUser",
                "roles/run.invoker",
                "roles/secretmanager.secretAccessor"));
        expected.add(stack.equals("development") ? "roles/run.admin" : "roles/run.developer");
        assertThat(roles).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"development", "staging", "production"})
    void cloudSqlIsPrivateAndNeedsNoFlagForPgvector(String stack) {
        StackRun.Result run = RUNS.get(stack);
        StackRun.Registered sql = run.one("gcp:sql/databaseInstance:DatabaseInstance");
        assertThat(sql.at("settings.ipConfiguration.ipv4Enabled")).isEqualTo(false);
        assertThat(sql.at("settings.ipConfiguration.privateNetwork"))
                .isEqualTo("projects/" + StackRun.PROJECT + "/global/networks/"
                        + run.one("gcp:compute/network:Network").at("name"));
        // pgvector on Cloud SQL is CREATE EXTENSION vector (run by the server), no database flag: none is set.
        assertThat(sql.at("settings.databaseFlags")).isNull();
        assertThat(sql.at("databaseVersion")).isEqualTo(PINS.getProperty("gcp.sql.version"));
        assertThat(PINS.getProperty("image.postgres"))
                .endsWith("pg" + PINS.getProperty("gcp.sql.version").replace("POSTGRES_", ""));
        assertThat(sql.at("deletionProtection")).isEqualTo(true);
        StackRun.Registered redis = run.one("gcp:redis/instance:Instance");
        assertThat(redis.at("connectMode")).isEqualTo("PRIVATE_SERVICE_ACCESS");
        assertThat(redis.at("authEnabled")).isEqualTo(true);
        assertThat(redis.at("authorizedNetwork")).isEqualTo(sql.at("settings.ipConfiguration.privateNetwork"));
    }

    /** The service declared to the engine, setting for setting, against deploy/cloudrun/service-<env>.yaml. */
    @ParameterizedTest
    @CsvSource({"development,dev", "staging,staging", "production,prod"})
    void cloudRunSettingsEqualTheServiceFile(String stack, String env) {
        JsonNode file = serviceFile(env);
        JsonNode annotations =
                file.path("spec").path("template").path("metadata").path("annotations");
        JsonNode revision = file.path("spec").path("template").path("spec");
        JsonNode container = revision.path("containers").get(0);
        JsonNode network = new YAMLMapper()
                .readTree(annotations
                        .path("run.googleapis.com/network-interfaces")
                        .asString())
                .get(0);

        List<Object> envs = new ArrayList<>();
        for (JsonNode e : container.path("env").values()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", e.path("name").asString());
            if (e.has("value")) {
                item.put("value", e.path("value").asString());
            } else {
                JsonNode ref = e.path("valueFrom").path("secretKeyRef");
                item.put(
                        "valueSource",
                        Map.of(
                                "secretKeyRef",
                                Map.of(
                                        "secret",
                                        ref.path("name").asString(),
                                        "version",
                                        ref.path("key").asString())));
            }
            envs.add(item);
        }
        Map<String, Object> expectedContainer = Map.of(
                "image", StackRun.stackConfig(stack).get("orchestra:image"),
                "args",
                        container.path("args").values().stream()
                                .map(JsonNode::asString)
                                .toList(),
                "ports",
                        List.of(Map.of(
                                "name",
                                        container
                                                .path("ports")
                                                .get(0)
                                                .path("name")
                                                .asString(),
                                "containerPort",
                                        container
                                                .path("ports")
                                                .get(0)
                                                .path("containerPort")
                                                .asLong())),
                "envs", envs,
                "resources",
                        Map.of(
                                "limits",
                                        Map.of(
                                                "cpu",
                                                        container
                                                                .path("resources")
                                                                .path("limits")
                                                                .path("cpu")
                                                                .asString(),
                                                "memory",
                                                        container
                                                                .path("resources")
                                                                .path("limits")
                                                                .path("memory")
                                                                .asString()),
                                "startupCpuBoost",
                                        annotations
                                                .path("run.googleapis.com/startup-cpu-boost")
                                                .asString()
                                                .equals("true")),
                "startupProbe",
                        Map.of(
                                "httpGet",
                                        Map.of(
                                                "path",
                                                        container
                                                                .path("startupProbe")
                                                                .path("httpGet")
                                                                .path("path")
                                                                .asString(),
                                                "port",
                                                        container
                                                                .path("startupProbe")
                                                                .path("httpGet")
                                                                .path("port")
                                                                .asLong()),
                                "periodSeconds",
                                        container
                                                .path("startupProbe")
                                                .path("periodSeconds")
                                                .asLong(),
                                "failureThreshold",
                                        container
                                                .path("startupProbe")
                                                .path("failureThreshold")
                                                .asLong()),
                "livenessProbe",
                        Map.of(
                                "httpGet",
                                        Map.of(
                                                "path",
                                                        container
                                                                .path("livenessProbe")
                                                                .path("httpGet")
                                                                .path("path")
                                                                .asString(),
                                                "port",
                                                        container
                                                                .path("livenessProbe")
                                                                .path("httpGet")
                                                                .path("port")
                                                                .asLong()),
                                "periodSeconds",
                                        container
                                                .path("livenessProbe")
                                                .path("periodSeconds")
                                                .asLong()));
        Map<String, Object> expectedTemplate = Map.of(
                "containers", List.of(expectedContainer),
                "scaling",
                        Map.of(
                                "minInstanceCount",
                                        annotations
                                                .path("autoscaling.knative.dev/minScale")
                                                .asLong(),
                                "maxInstanceCount",
                                        annotations
                                                .path("autoscaling.knative.dev/maxScale")
                                                .asLong()),
                "maxInstanceRequestConcurrency",
                        revision.path("containerConcurrency").asLong(),
                "timeout", revision.path("timeoutSeconds").asLong() + "s",
                "serviceAccount",
                        revision.path("serviceAccountName").asString().replace("PROJECT_ID", StackRun.PROJECT),
                "vpcAccess",
                        Map.of(
                                "networkInterfaces",
                                        List.of(Map.of(
                                                "network",
                                                        network.path("network").asString(),
                                                "subnetwork",
                                                        network.path("subnetwork")
                                                                .asString())),
                                "egress",
                                        annotations
                                                .path("run.googleapis.com/vpc-access-egress")
                                                .asString()
                                                .toUpperCase()
                                                .replace('-', '_')));

        StackRun.Registered service = RUNS.get(stack).one("gcp:cloudrunv2/service:Service");
        assertThat(service.at("template")).isEqualTo(expectedTemplate);
        assertThat(service.at("name"))
                .isEqualTo(file.path("metadata").path("name").asString());
        String ingress = file.path("metadata")
                .path("annotations")
                .path("run.googleapis.com/ingress")
                .asString();
        assertThat(service.at("ingress"))
                .isEqualTo(Map.of(
                                "all",
                                "INGRESS_TRAFFIC_ALL",
                                "internal-and-cloud-load-balancing",
                                "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER")
                        .get(ingress));
        // The file's settings are the same ones the stack provisions: its secrets exist, its network is the stack's.
        Set<String> secrets = RUNS.get(stack).ofType("gcp:secretmanager/secret:Secret").stream()
                .map(s -> (String) s.at("secretId"))
                .collect(Collectors.toSet());
        envs.stream()
                .map(e -> ((Map<?, ?>) e).get("valueSource"))
                .filter(v -> v != null)
                .forEach(v -> assertThat(secrets).contains((String)
                        ((Map<?, ?>) ((Map<?, ?>) v).get("secretKeyRef")).get("secret")));
        assertThat(network.path("network").asString())
                .isEqualTo(RUNS.get(stack).one("gcp:compute/network:Network").at("name"));
        assertThat(revision.path("serviceAccountName").asString())
                .startsWith(RUNS.get(stack).named("orchestra-run-" + env).at("accountId") + "@");
    }

    /** What `orchestra config check --env <env>` reads is exactly what the stack exports (docs/deployment.md). */
    @ParameterizedTest
    @CsvSource({"development,dev", "staging,staging", "production,prod"})
    void outputsGiveWhatTheConfigCheckNeeds(String stack, String env) throws Exception {
        StackRun.Result run = RUNS.get(stack);
        @SuppressWarnings("unchecked")
        Map<String, String> configEnv =
                (Map<String, String>) run.outputs().get("configEnv").value();
        Set<String> secretEnv = new TreeSet<>();
        serviceFile(env)
                .path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .get(0)
                .path("env")
                .values()
                .forEach(e -> {
                    if (e.has("valueFrom")) {
                        secretEnv.add(e.path("name").asString());
                    }
                });
        assertThat(configEnv.keySet()).isEqualTo(secretEnv);
        Matcher refs = Pattern.compile("\\$\\{(\\w+)}").matcher(Files.readString(StackRun.FILES.serverConfig(env)));
        while (refs.find()) {
            assertThat(configEnv).containsKey(refs.group(1));
        }
        URI db = new URI(configEnv.get("ORCHESTRA_DB_URL"));
        assertThat(db.getScheme()).isEqualTo("postgresql");
        assertThat(db.getHost()).isEqualTo(StackRun.SQL_IP);
        assertThat(db.getUserInfo()).isEqualTo("orchestra:" + StackRun.DB_PASSWORD);
        assertThat(db.getPath()).isEqualTo("/orchestra");
        URI redis = new URI(configEnv.get("ORCHESTRA_REDIS_URL"));
        assertThat(redis.getHost()).isEqualTo(StackRun.REDIS_IP);
        assertThat(redis.getPort()).isEqualTo(6379);
        assertThat(redis.getUserInfo()).isEqualTo(":" + StackRun.REDIS_AUTH);
        assertThat(configEnv.get("ORCHESTRA_ADMIN_KEY")).isEqualTo(StackRun.ADMIN_KEY);
        assertThat(run.outputs().get("serviceUrl").value())
                .isEqualTo("https://orchestra-" + env + "-abc123-ew.a.run.app");
        assertThat(run.outputs().get("databaseConnectionName").value())
                .isEqualTo(StackRun.PROJECT + ":" + PINS.getProperty("gcp.region") + ":orchestra-" + env);
        assertThat(run.outputs().get("redisHost").value()).isEqualTo(StackRun.REDIS_IP);
        assertThat(run.outputs().get("registry").value())
                .isEqualTo(PINS.getProperty("gcp.region") + "-docker.pkg.dev/" + StackRun.PROJECT + "/"
                        + PINS.getProperty(env + ".registry"));
    }

    /** Each policy is named for a rule in deploy/prometheus/alerts.yml and takes its threshold and duration. */
    @ParameterizedTest
    @ValueSource(strings = {"development", "staging", "production"})
    void alertPoliciesMirrorThePrometheusRules(String stack) throws Exception {
        String rules = Files.readString(StackRun.FILES.alertRules());
        List<StackRun.Registered> policies = RUNS.get(stack).ofType("gcp:monitoring/alertPolicy:AlertPolicy");
        assertThat(policies).hasSize(2);
        for (StackRun.Registered policy : policies) {
            String rule = ((String) policy.at("displayName")).split(" ")[0];
            Matcher m = Pattern.compile("- alert: " + rule + "\\n\\s+expr: (.*)\\n\\s+for: (\\d+)m")
                    .matcher(rules);
            assertThat(m.find()).as(rule + " in alerts.yml").isTrue();
            assertThat(policy.at("conditions.0.conditionThreshold.duration"))
                    .isEqualTo(Long.parseLong(m.group(2)) * 60 + "s");
            if (rule.equals("OrchestraHighErrorRate")) {
                assertThat(m.group(1)).endsWith("> 0.05");
                assertThat(policy.at("conditions.0.conditionThreshold.thresholdValue"))
                        .isEqualTo(0.05);
                assertThat(policy.at("conditions.0.conditionThreshold.denominatorFilter"))
                        .isNotNull();
            }
            assertThat(policy.at("notificationChannels"))
                    .isEqualTo(List.of("projects/" + StackRun.PROJECT + "/notificationChannels/42"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"development", "staging", "production"})
    void ciAuthenticatesThroughWorkloadIdentityFederationOfOneRepository(String stack) {
        StackRun.Result run = RUNS.get(stack);
        StackRun.Registered provider = run.one("gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider");
        assertThat(provider.at("oidc.issuerUri")).isEqualTo("https://token.actions.githubusercontent.com");
        assertThat(provider.at("attributeCondition")).isEqualTo("assertion.repository == 'acme/orchestra'");
        StackRun.Registered binding = run.named("ci-workload-identity");
        assertThat(binding.at("role")).isEqualTo("roles/iam.workloadIdentityUser");
        assertThat(binding.at("member"))
                .isEqualTo(
                        "principalSet://iam.googleapis.com/projects/" + StackRun.PROJECT_NUMBER
                                + "/locations/global/workloadIdentityPools/orchestra-github/attribute.repository/acme/orchestra");
        assertThat((String) binding.at("serviceAccountId")).contains("orchestra-ci-");
        assertThat(run.outputs().get("workloadIdentityProvider").value())
                .isEqualTo(
                        provider.plain().get("workloadIdentityPoolId") == null
                                ? null
                                : "projects/" + StackRun.PROJECT_NUMBER
                                        + "/locations/global/workloadIdentityPools/orchestra-github/providers/github");
    }
}
