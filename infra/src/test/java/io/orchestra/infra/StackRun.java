package io.orchestra.infra;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.pulumi.core.internal.Constants;
import com.pulumi.resources.Resource;
import com.pulumi.test.Mocks;
import com.pulumi.test.TestOptions;
import com.pulumi.test.TestResult;
import com.pulumi.test.internal.MockMonitor;
import com.pulumi.test.internal.PulumiTestInternal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import pulumirpc.Resource.RegisterResourceRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Runs the program for one stack against Pulumi's mock engine (no CLI, no cloud) with the committed
 * Pulumi.&lt;stack&gt;.yaml plus the per-project values an operator sets, and records what reached the engine: every
 * resource registration as sent on the wire (secrets still wrapped) and every stack output with its secret flag.
 * The mocks answer like Google's provider: the inputs back, plus the computed properties the program reads.
 */
final class StackRun {
    static final Path INFRA = Path.of("").toAbsolutePath();
    static final DeployFiles FILES = DeployFiles.find(INFRA);
    static final String PROJECT = "acme-orchestra";
    static final String CANARY = "CANARY";
    static final String DB_PASSWORD = "db " + CANARY + " p@ss/w:rd%";
    static final String ADMIN_KEY = "orc_admin_" + CANARY + "_0123456789abcdef";
    static final String LAMBDA_KEY = "secret_lambda_" + CANARY;
    static final String REDIS_AUTH = "redis-auth-" + CANARY;
    static final String SQL_IP = "10.20.0.3";
    static final String REDIS_IP = "10.20.1.4";
    static final String PROJECT_NUMBER = "123456789012";

    /** A value that reached the engine wrapped as a Pulumi secret. */
    record Secret(Object value) {}

    /** One resource as the engine saw it: its type token, logical name and inputs. */
    record Registered(String type, String name, Map<String, Object> inputs) {
        /** The inputs with secret wrappers removed, for comparing values. */
        Map<String, Object> plain() {
            @SuppressWarnings("unchecked")
            Map<String, Object> plain = (Map<String, Object>) unwrap(inputs);
            return plain;
        }

        Object at(String path) {
            Object node = plain();
            for (String part : path.split("\\.")) {
                if (node instanceof List<?> list) {
                    node = list.get(Integer.parseInt(part));
                } else if (node instanceof Map<?, ?> map) {
                    node = map.get(part);
                } else {
                    return null;
                }
            }
            return node;
        }
    }

    record Output(Object value, boolean secret) {}

    record Result(int exitCode, List<Exception> exceptions, List<Registered> resources, Map<String, Output> outputs) {
        List<Registered> ofType(String type) {
            return resources.stream().filter(r -> r.type().equals(type)).toList();
        }

        Registered one(String type) {
            List<Registered> found = ofType(type);
            if (found.size() != 1) {
                throw new AssertionError("expected one " + type + ", found " + found.size());
            }
            return found.get(0);
        }

        Registered named(String name) {
            return resources.stream()
                    .filter(r -> r.name().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no resource named " + name));
        }

        String failure() {
            return exceptions.stream().map(Throwable::getMessage).reduce("", (a, b) -> a + b + "\n");
        }
    }

    private StackRun() {}

    /** The committed stack file's config plus an operator's per-project values (secrets marked secret). */
    static Map<String, String> stackConfig(String stack) {
        JsonNode file = new YAMLMapper()
                .readTree(INFRA.resolve("Pulumi." + stack + ".yaml").toFile());
        Map<String, String> config = new TreeMap<>();
        file.path("config")
                .properties()
                .forEach(e -> config.put(e.getKey(), e.getValue().asString()));
        config.put("gcp:project", PROJECT);
        config.put("orchestra:image", "europe-west1-docker.pkg.dev/" + PROJECT + "/orchestra/orchestra:1.4.0");
        config.put("orchestra:github_repository", "acme/orchestra");
        config.put("orchestra:alert_email", "oncall@example.com");
        config.put("orchestra:db_password", DB_PASSWORD);
        config.put("orchestra:admin_key", ADMIN_KEY);
        config.put("orchestra:lambda_labs_api_key", LAMBDA_KEY);
        return config;
    }

    static final Set<String> SECRET_KEYS =
            Set.of("orchestra:db_password", "orchestra:admin_key", "orchestra:lambda_labs_api_key");

    static Result run(String stack) {
        return run(stack, stackConfig(stack), c -> OrchestraStack.define(c, FILES));
    }

    static Result run(String stack, Map<String, String> config, Consumer<com.pulumi.Context> program) {
        List<Registered> registered = Collections.synchronizedList(new ArrayList<>());
        Mocks mocks = new ProviderMocks();
        PulumiTestInternal test = PulumiTestInternal.builder()
                .options(TestOptions.builder()
                        .projectName("orchestra")
                        .stackName(stack)
                        .preview(false)
                        .build())
                .mocks(mocks)
                .config(config, SECRET_KEYS)
                .monitorDecorator(m -> new RecordingMonitor(mocks, registered))
                .build();
        try {
            TestResult result = test.runTestAsync(program).get(60, TimeUnit.SECONDS);
            Map<String, Output> outputs = new TreeMap<>();
            result.outputs().forEach((name, output) -> {
                var data = PulumiTestInternal.extractOutputData(output);
                outputs.put(name, new Output(data.getValueNullable(), data.isSecret()));
            });
            return new Result(result.exitCode(), result.exceptions(), List.copyOf(registered), outputs);
        } catch (Exception e) {
            throw new AssertionError("the program did not finish", e);
        } finally {
            PulumiTestInternal.cleanup();
        }
    }

    /** Strips secret wrappers, recursively. */
    static Object unwrap(Object value) {
        if (value instanceof Secret secret) {
            return unwrap(secret.value());
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> plain = new LinkedHashMap<>();
            map.forEach((k, v) -> plain.put((String) k, unwrap(v)));
            return plain;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(StackRun::unwrap).toList();
        }
        return value;
    }

    /** The wire value as Java data; secrets stay wrapped, whole numbers become longs. */
    static Object fromWire(Value value) {
        return switch (value.getKindCase()) {
            case STRUCT_VALUE -> {
                Struct struct = value.getStructValue();
                Value sig = struct.getFieldsMap().get(Constants.SpecialSigKey);
                if (sig != null && sig.getStringValue().equals(Constants.SpecialSecretSig)) {
                    yield new Secret(fromWire(struct.getFieldsMap().get("value")));
                }
                Map<String, Object> map = new TreeMap<>();
                struct.getFieldsMap().forEach((k, v) -> map.put(k, fromWire(v)));
                yield map;
            }
            case LIST_VALUE ->
                value.getListValue().getValuesList().stream()
                        .map(StackRun::fromWire)
                        .toList();
            case STRING_VALUE -> value.getStringValue();
            case NUMBER_VALUE -> {
                double d = value.getNumberValue();
                yield d == Math.rint(d) ? (Object) (long) d : (Object) d;
            }
            case BOOL_VALUE -> value.getBoolValue();
            default -> null;
        };
    }

    /** The mock engine's monitor, recording each registration as it arrives. */
    private static final class RecordingMonitor extends MockMonitor {
        private final List<Registered> registered;

        RecordingMonitor(Mocks mocks, List<Registered> registered) {
            super(mocks, PulumiTestInternal.mockLog());
            this.registered = registered;
        }

        @Override
        public CompletableFuture<pulumirpc.Resource.RegisterResourceResponse> registerResourceAsync(
                Resource resource, RegisterResourceRequest request) {
            if (!request.getType().equals("pulumi:pulumi:Stack")) {
                Map<String, Object> inputs = new TreeMap<>();
                request.getObject().getFieldsMap().forEach((k, v) -> inputs.put(k, fromWire(v)));
                registered.add(new Registered(request.getType(), request.getName(), inputs));
            }
            return super.registerResourceAsync(resource, request);
        }
    }

    /** Answers as Google's provider would for the properties the program reads back. */
    private static final class ProviderMocks implements Mocks {
        @Override
        public CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs args) {
            Map<String, Object> state = new HashMap<>(args.inputs);
            String name = String.valueOf(args.inputs.getOrDefault("name", args.name));
            switch (args.type) {
                case "gcp:sql/databaseInstance:DatabaseInstance" -> {
                    state.put("connectionName", PROJECT + ":" + args.inputs.get("region") + ":" + name);
                    state.put("privateIpAddress", SQL_IP);
                }
                case "gcp:redis/instance:Instance" -> {
                    state.put("host", REDIS_IP);
                    state.put("port", 6379);
                    state.put("authString", REDIS_AUTH);
                }
                case "gcp:cloudrunv2/service:Service" -> state.put("uri", "https://" + name + "-abc123-ew.a.run.app");
                case "gcp:serviceaccount/account:Account" -> {
                    String email = args.inputs.get("accountId") + "@" + PROJECT + ".iam.gserviceaccount.com";
                    state.put("email", email);
                    state.put("name", "projects/" + PROJECT + "/serviceAccounts/" + email);
                }
                case "gcp:iam/workloadIdentityPool:WorkloadIdentityPool" ->
                    state.put(
                            "name",
                            "projects/" + PROJECT_NUMBER + "/locations/global/workloadIdentityPools/"
                                    + args.inputs.get("workloadIdentityPoolId"));
                case "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider" ->
                    state.put(
                            "name",
                            "projects/" + PROJECT_NUMBER + "/locations/global/workloadIdentityPools/"
                                    + args.inputs.get("workloadIdentityPoolId") + "/providers/"
                                    + args.inputs.get("workloadIdentityPoolProviderId"));
                case "gcp:compute/network:Network" ->
                    state.put("selfLink", "projects/" + PROJECT + "/global/networks/" + name);
                case "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig" ->
                    state.put("uptimeCheckId", "orchestra-health-1");
                case "gcp:storage/bucket:Bucket" -> state.put("url", "gs://" + name);
                case "gcp:monitoring/notificationChannel:NotificationChannel" ->
                    state.put("name", "projects/" + PROJECT + "/notificationChannels/42");
                default -> {}
            }
            String id = switch (args.type) {
                case "gcp:compute/network:Network" -> "projects/" + PROJECT + "/global/networks/" + name;
                case "gcp:secretmanager/secret:Secret" ->
                    "projects/" + PROJECT + "/secrets/" + args.inputs.get("secretId");
                default -> args.name + "-id";
            };
            return CompletableFuture.completedFuture(ResourceResult.of(Optional.of(id), state));
        }
    }
}
