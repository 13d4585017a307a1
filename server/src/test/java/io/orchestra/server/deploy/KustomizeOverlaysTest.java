package io.orchestra.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.orchestra.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Builds each Kustomize overlay the way `kubectl apply -k` would for the features we use (base
 * resources, strategic-merge patches with containers and env merged by name, metadata labels,
 * namespace) and
 * checks the objects with the fabric8 Kubernetes model.
 */
class KustomizeOverlaysTest {
    static final Path ROOT = Path.of("..", "deploy", "kubernetes");
    static final YAMLMapper YAML = YAMLMapper.builder().build();
    static final KubernetesSerialization K8S = new KubernetesSerialization();

    static Map<String, ObjectNode> build(Path overlay) throws Exception {
        JsonNode kustomization =
                YAML.readTree(overlay.resolve("kustomization.yaml").toFile());
        Map<String, ObjectNode> objects = new LinkedHashMap<>();
        for (JsonNode resource : kustomization.path("resources")) {
            Path path = overlay.resolve(resource.asString()).normalize();
            if (Files.isDirectory(path)) {
                objects.putAll(build(path));
            } else {
                ObjectNode object = (ObjectNode) YAML.readTree(path.toFile());
                objects.put(
                        object.path("kind").asString() + "/"
                                + object.path("metadata").path("name").asString(),
                        object);
            }
        }
        for (JsonNode patch : kustomization.path("patches")) {
            ObjectNode change = (ObjectNode)
                    YAML.readTree(overlay.resolve(patch.path("path").asString()).toFile());
            String key = change.path("kind").asString() + "/"
                    + change.path("metadata").path("name").asString();
            assertThat(objects).as("patch target " + key).containsKey(key);
            merge(objects.get(key), change);
        }
        for (JsonNode labels : kustomization.path("labels")) {
            // Only metadata labels: selectors and pod templates would need includeSelectors/includeTemplates.
            assertThat(labels.has("includeSelectors") || labels.has("includeTemplates"))
                    .as("unsupported label options")
                    .isFalse();
            objects.values()
                    .forEach(o -> labels.path("pairs")
                            .properties()
                            .forEach(pair -> ((ObjectNode) o.get("metadata"))
                                    .withObjectProperty("labels")
                                    .put(pair.getKey(), pair.getValue().asString())));
        }
        if (kustomization.has("namespace")) {
            objects.values()
                    .forEach(o -> ((ObjectNode) o.get("metadata"))
                            .put("namespace", kustomization.path("namespace").asString()));
        }
        return objects;
    }

    /** Strategic merge for what our patches use: maps merge, lists of named items merge by name, the rest replaces. */
    static void merge(ObjectNode target, ObjectNode patch) {
        patch.properties().forEach(e -> {
            JsonNode current = target.get(e.getKey());
            JsonNode change = e.getValue();
            if (current instanceof ObjectNode currentObject && change instanceof ObjectNode changeObject) {
                merge(currentObject, changeObject);
            } else if (current instanceof ArrayNode list
                    && change instanceof ArrayNode changes
                    && !changes.isEmpty()
                    && changes.get(0).has("name")) {
                // As kubectl does: the patch's items first, in its order, then the untouched originals.
                ArrayNode merged = list.arrayNode();
                for (JsonNode item : changes) {
                    ObjectNode existing = null;
                    for (JsonNode candidate : list) {
                        if (candidate
                                .path("name")
                                .asString()
                                .equals(item.path("name").asString())) {
                            existing = (ObjectNode) candidate;
                        }
                    }
                    if (existing == null) {
                        merged.add(item);
                    } else {
                        merge(existing, (ObjectNode) item);
                        merged.add(existing);
                    }
                }
                Set<String> patched = new HashSet<>();
                changes.forEach(item -> patched.add(item.path("name").asString()));
                for (JsonNode candidate : list) {
                    if (!patched.contains(candidate.path("name").asString())) {
                        merged.add(candidate);
                    }
                }
                target.set(e.getKey(), merged);
            } else {
                target.set(e.getKey(), change);
            }
        });
    }

    static <T> T as(ObjectNode object, Class<T> type) {
        return K8S.unmarshal(Json.write(object), type);
    }

    @ParameterizedTest
    @CsvSource({"dev,1,3", "staging,1,5", "prod,2,10"})
    void overlayHasProbesResourcesReplicaRangesAndNoInlineSecrets(String env, int min, int max) throws Exception {
        Map<String, ObjectNode> objects = build(ROOT.resolve("overlays").resolve(env));
        assertThat(objects.keySet())
                .contains(
                        "Deployment/orchestra",
                        "Service/orchestra",
                        "HorizontalPodAutoscaler/orchestra",
                        "PodDisruptionBudget/orchestra",
                        "ServiceMonitor/orchestra",
                        "ConfigMap/orchestra-config");
        assertThat(objects.keySet()).noneMatch(k -> k.startsWith("Secret/"));

        Deployment deployment = as(objects.get("Deployment/orchestra"), Deployment.class);
        assertThat(deployment.getMetadata().getNamespace()).isEqualTo("orchestra-" + env);
        Container container =
                deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(container.getResources().getLimits()).containsKeys("cpu", "memory");
        Map<String, EnvVar> envVars = new LinkedHashMap<>();
        container.getEnv().forEach(v -> envVars.put(v.getName(), v));
        assertThat(envVars.get("ORCHESTRA_ENV").getValue()).isEqualTo(env);
        // The environment's own settings file, shipped in the image from deploy/config/.
        assertThat(envVars.get("ORCHESTRA_CONFIG").getValue()).isEqualTo("/opt/orchestra/config/" + env + ".yaml");
        assertThat(Path.of("..", "deploy", "config", env + ".yaml")).isRegularFile();
        for (EnvVar var : container.getEnv()) {
            if (var.getName().matches(".*(KEY|URL|PASSWORD|SECRET|TOKEN).*")) {
                assertThat(var.getValue())
                        .as(var.getName() + " must come from a Secret")
                        .isNull();
                assertThat(var.getValueFrom().getSecretKeyRef().getName()).isEqualTo("orchestra-secrets");
            }
        }
        assertThat(deployment.getSpec().getReplicas()).isBetween(min, max);

        HorizontalPodAutoscaler hpa =
                as(objects.get("HorizontalPodAutoscaler/orchestra"), HorizontalPodAutoscaler.class);
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(min);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(max);
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("orchestra");

        PodDisruptionBudget pdb = as(objects.get("PodDisruptionBudget/orchestra"), PodDisruptionBudget.class);
        assertThat(pdb.getSpec().getMinAvailable())
                .as("minAvailable would block drains of a single replica")
                .isNull();
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(Json.write(pdb.getSpec().getSelector().getMatchLabels()))
                .isEqualTo(Json.write(
                        deployment.getSpec().getTemplate().getMetadata().getLabels()));
        GenericKubernetesResource monitor =
                as(objects.get("ServiceMonitor/orchestra"), GenericKubernetesResource.class);
        assertThat(Json.write(monitor.getAdditionalProperties())).contains("/metrics");
    }
}
