package io.orchestra.infra;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * A Cloud Run service file (deploy/cloudrun/service-&lt;env&gt;.yaml, Knative's shape, what `deploy.sh` replaces the
 * service with), read into the settings the Pulumi program declares. Every key is either translated or refused:
 * a setting added to the file that the program would silently drop fails `pulumi up` and the tests instead.
 */
record CloudRunSpec(
        String name,
        Ingress ingress,
        int minInstances,
        int maxInstances,
        boolean startupCpuBoost,
        String network,
        String subnetwork,
        Egress egress,
        String serviceAccount,
        int concurrency,
        int timeoutSeconds,
        List<String> args,
        Port port,
        List<EnvVar> env,
        Map<String, String> limits,
        Probe startupProbe,
        Probe livenessProbe) {

    /** The file's ingress annotation and the Cloud Run v2 API's name for it. */
    enum Ingress {
        ALL("all", "INGRESS_TRAFFIC_ALL"),
        INTERNAL("internal", "INGRESS_TRAFFIC_INTERNAL_ONLY"),
        INTERNAL_AND_LOAD_BALANCING("internal-and-cloud-load-balancing", "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER");

        final String annotation;
        final String v2;

        Ingress(String annotation, String v2) {
            this.annotation = annotation;
            this.v2 = v2;
        }
    }

    enum Egress {
        PRIVATE_RANGES_ONLY("private-ranges-only"),
        ALL_TRAFFIC("all-traffic");

        final String annotation;

        Egress(String annotation) {
            this.annotation = annotation;
        }
    }

    record Port(String name, int containerPort) {}

    /** An HTTP probe; {@code failureThreshold} 0 when the file leaves Cloud Run's default. */
    record Probe(String path, int port, int periodSeconds, int failureThreshold) {}

    /** A plain value, or a Secret Manager secret by name and version. */
    sealed interface EnvVar {
        String name();
    }

    record Plain(String name, String value) implements EnvVar {}

    record SecretRef(String name, String secret, String version) implements EnvVar {}

    static final String PROJECT_PLACEHOLDER = "PROJECT_ID";
    static final String IMAGE_PLACEHOLDER = "IMAGE";

    private static final String NETWORK_INTERFACES = "run.googleapis.com/network-interfaces";

    static CloudRunSpec read(Path file) {
        JsonNode root = new YAMLMapper().readTree(file.toFile());
        return new Reader(file.getFileName().toString()).service(root);
    }

    /** The secrets the service reads, by name. */
    List<SecretRef> secrets() {
        return env.stream()
                .filter(SecretRef.class::isInstance)
                .map(SecretRef.class::cast)
                .toList();
    }

    /** Walks the tree, refusing keys it does not translate; messages name the file and the key's path. */
    private record Reader(String file) {
        CloudRunSpec service(JsonNode root) {
            only(root, "", "apiVersion", "kind", "metadata", "spec");
            require(text(root, "", "kind").equals("Service"), "kind must be Service");
            JsonNode metadata = root.path("metadata");
            only(metadata, "metadata", "name", "annotations");
            Map<String, String> serviceAnnotations =
                    annotations(metadata, "metadata", Set.of("run.googleapis.com/ingress"));
            JsonNode spec = root.path("spec");
            only(spec, "spec", "template");
            JsonNode template = spec.path("template");
            only(template, "spec.template", "metadata", "spec");
            JsonNode templateMetadata = template.path("metadata");
            only(templateMetadata, "spec.template.metadata", "annotations");
            Map<String, String> annotations = annotations(
                    templateMetadata,
                    "spec.template.metadata",
                    Set.of(
                            "autoscaling.knative.dev/minScale",
                            "autoscaling.knative.dev/maxScale",
                            "run.googleapis.com/startup-cpu-boost",
                            NETWORK_INTERFACES,
                            "run.googleapis.com/vpc-access-egress"));
            JsonNode revision = template.path("spec");
            only(
                    revision,
                    "spec.template.spec",
                    "serviceAccountName",
                    "containerConcurrency",
                    "timeoutSeconds",
                    "containers");
            JsonNode containers = revision.path("containers");
            require(
                    containers.isArray() && containers.size() == 1,
                    "spec.template.spec.containers must list one container");
            JsonNode container = containers.get(0);
            String at = "spec.template.spec.containers[0]";
            only(container, at, "image", "args", "ports", "env", "resources", "startupProbe", "livenessProbe");
            require(
                    text(container, at, "image").equals(IMAGE_PLACEHOLDER),
                    at + ".image must be " + IMAGE_PLACEHOLDER
                            + " (deploy.sh and the stack's image config fill it in)");
            JsonNode networkInterfaces = new YAMLMapper().readTree(annotations.get(NETWORK_INTERFACES));
            require(
                    networkInterfaces.isArray() && networkInterfaces.size() == 1,
                    NETWORK_INTERFACES + " must name one network interface");
            only(networkInterfaces.get(0), NETWORK_INTERFACES, "network", "subnetwork");
            return new CloudRunSpec(
                    text(metadata, "metadata", "name"),
                    ingress(serviceAnnotations.get("run.googleapis.com/ingress")),
                    Integer.parseInt(annotations.get("autoscaling.knative.dev/minScale")),
                    Integer.parseInt(annotations.get("autoscaling.knative.dev/maxScale")),
                    Boolean.parseBoolean(annotations.get("run.googleapis.com/startup-cpu-boost")),
                    text(networkInterfaces.get(0), NETWORK_INTERFACES, "network"),
                    text(networkInterfaces.get(0), NETWORK_INTERFACES, "subnetwork"),
                    egress(annotations.get("run.googleapis.com/vpc-access-egress")),
                    text(revision, "spec.template.spec", "serviceAccountName"),
                    integer(revision, "spec.template.spec", "containerConcurrency"),
                    integer(revision, "spec.template.spec", "timeoutSeconds"),
                    strings(container.path("args"), at + ".args"),
                    port(container.path("ports"), at + ".ports"),
                    env(container.path("env"), at + ".env"),
                    limits(container.path("resources"), at + ".resources"),
                    probe(container.path("startupProbe"), at + ".startupProbe", true),
                    probe(container.path("livenessProbe"), at + ".livenessProbe", false));
        }

        private Map<String, String> annotations(JsonNode parent, String at, Set<String> known) {
            JsonNode node = parent.path("annotations");
            Map<String, String> values = new LinkedHashMap<>();
            for (String key : known) {
                values.put(key, text(node, at + ".annotations", key));
            }
            only(node, at + ".annotations", known.toArray(String[]::new));
            return values;
        }

        private Ingress ingress(String annotation) {
            for (Ingress ingress : Ingress.values()) {
                if (ingress.annotation.equals(annotation)) {
                    return ingress;
                }
            }
            throw problem("run.googleapis.com/ingress " + annotation + " is none of all, internal,"
                    + " internal-and-cloud-load-balancing");
        }

        private Egress egress(String annotation) {
            for (Egress egress : Egress.values()) {
                if (egress.annotation.equals(annotation)) {
                    return egress;
                }
            }
            throw problem("run.googleapis.com/vpc-access-egress " + annotation
                    + " is neither private-ranges-only nor all-traffic");
        }

        private Port port(JsonNode ports, String at) {
            require(ports.isArray() && ports.size() == 1, at + " must list one port");
            only(ports.get(0), at + "[0]", "name", "containerPort");
            return new Port(text(ports.get(0), at + "[0]", "name"), integer(ports.get(0), at + "[0]", "containerPort"));
        }

        private List<EnvVar> env(JsonNode list, String at) {
            require(list.isArray(), at + " must be a list");
            List<EnvVar> env = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                JsonNode item = list.get(i);
                String here = at + "[" + i + "]";
                only(item, here, "name", "value", "valueFrom");
                String name = text(item, here, "name");
                if (item.has("value")) {
                    require(!item.has("valueFrom"), here + " has both value and valueFrom");
                    env.add(new Plain(name, text(item, here, "value")));
                } else {
                    JsonNode from = item.path("valueFrom");
                    only(from, here + ".valueFrom", "secretKeyRef");
                    JsonNode ref = from.path("secretKeyRef");
                    only(ref, here + ".valueFrom.secretKeyRef", "name", "key");
                    env.add(new SecretRef(
                            name,
                            text(ref, here + ".valueFrom.secretKeyRef", "name"),
                            text(ref, here + ".valueFrom.secretKeyRef", "key")));
                }
            }
            return List.copyOf(env);
        }

        private Map<String, String> limits(JsonNode resources, String at) {
            only(resources, at, "limits");
            JsonNode limits = resources.path("limits");
            only(limits, at + ".limits", "cpu", "memory");
            return Map.of("cpu", text(limits, at + ".limits", "cpu"), "memory", text(limits, at + ".limits", "memory"));
        }

        private Probe probe(JsonNode probe, String at, boolean failureThreshold) {
            if (failureThreshold) {
                only(probe, at, "httpGet", "periodSeconds", "failureThreshold");
            } else {
                only(probe, at, "httpGet", "periodSeconds");
            }
            JsonNode get = probe.path("httpGet");
            only(get, at + ".httpGet", "path", "port");
            return new Probe(
                    text(get, at + ".httpGet", "path"),
                    integer(get, at + ".httpGet", "port"),
                    integer(probe, at, "periodSeconds"),
                    failureThreshold ? integer(probe, at, "failureThreshold") : 0);
        }

        private List<String> strings(JsonNode list, String at) {
            require(list.isArray(), at + " must be a list");
            List<String> values = new ArrayList<>();
            list.values().forEach(v -> values.add(v.asString()));
            return List.copyOf(values);
        }

        private void only(JsonNode node, String at, String... known) {
            require(node.isObject(), (at.isEmpty() ? "the document" : at) + " must be a mapping");
            Set<String> allowed = Set.of(known);
            for (String key : node.propertyNames()) {
                if (!allowed.contains(key)) {
                    throw problem((at.isEmpty() ? "" : at + ".") + key
                            + " is a setting infra/ does not translate to the Pulumi program: add it there (and to"
                            + " its tests) or remove it here");
                }
            }
        }

        private String text(JsonNode node, String at, String key) {
            JsonNode value = node.path(key);
            require(
                    value.isString() || value.isNumber() || value.isBoolean(),
                    (at.isEmpty() ? "" : at + ".") + key + " is missing");
            return value.asString();
        }

        private int integer(JsonNode node, String at, String key) {
            String value = text(node, at, key);
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw problem(at + "." + key + " must be a whole number, not " + value);
            }
        }

        private void require(boolean condition, String message) {
            if (!condition) {
                throw problem(message);
            }
        }

        private IllegalArgumentException problem(String message) {
            return new IllegalArgumentException(file + ": " + message);
        }
    }
}
