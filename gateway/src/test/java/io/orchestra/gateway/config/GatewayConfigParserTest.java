package io.orchestra.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.gateway.routing.Router;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

class GatewayConfigParserTest {
    static final Map<String, String> ENV = Map.of("OPENAI_API_KEY", "sk-from-env", "GPU_HOST", "gpu-box");
    final GatewayConfigParser parser = new GatewayConfigParser(ENV::get);

    static JsonNode yaml(String text) {
        return YAMLMapper.builder().build().readTree(text).path("gateway");
    }

    @Test
    void readsProvidersRoutesAndSettingsWithKeysFromTheEnvironment() {
        List<String> problems = new ArrayList<>();
        GatewayConfig config = parser.parse(yaml("""
                gateway:
                  providers:
                    openai: { kind: openai, api_key: "${OPENAI_API_KEY}" }
                    vllm: { kind: openai_compatible, base_url: "http://${GPU_HOST}:8000/v1", api_key: "${VLLM_KEY:-none}" }
                  routes:
                    - alias: smart
                      strategy: loadbalance
                      cache_ttl_seconds: 60
                      targets:
                        - { provider: openai, model: gpt-4.1, weight: 3, timeout_ms: 30000 }
                        - { provider: vllm, model: qwen3, weight: 1 }
                    - alias: smart
                      when: { header: x-tier, equals: cheap }
                      targets: [ { provider: vllm, model: qwen3 } ]
                  retry: { attempts: 4, backoff_ms: 50, max_backoff_ms: 1000 }
                  circuit_breaker: { failures: 3, window_ms: 10000, cooldown_ms: 2000 }
                  timeouts: { first_byte_ms: 5000, stream_idle_ms: 20000 }
                """), problems);
        assertThat(problems).isEmpty();
        assertThat(config.providers().get("openai").apiKey()).isEqualTo("sk-from-env");
        assertThat(config.providers().get("vllm").baseUrl()).isEqualTo("http://gpu-box:8000/v1");
        assertThat(config.providers().get("vllm").apiKey()).isEqualTo("none");
        assertThat(config.routes()).hasSize(2);
        RouteConfig smart = config.routes().get(0);
        assertThat(smart.strategy()).isEqualTo("loadbalance");
        assertThat(smart.cacheTtlSeconds()).isEqualTo(60);
        assertThat(smart.targets().get(0)).isEqualTo(new Target("openai", "gpt-4.1", 3, 30_000));
        assertThat(smart.targets().get(1).timeoutMillis()).isEqualTo(120_000);
        assertThat(config.retries()).isEqualTo(4);
        assertThat(config.circuitFailures()).isEqualTo(3);
        assertThat(config.firstByteTimeoutMillis()).isEqualTo(5_000);
        assertThat(config.streamIdleTimeoutMillis()).isEqualTo(20_000);
    }

    @Test
    void collectsEveryProblemAndNeverEchoesAKey() {
        List<String> problems = new ArrayList<>();
        GatewayConfig config = parser.parse(yaml("""
                gateway:
                  providers:
                    odd: { kind: cohere }
                    bad: { kind: openai, base_url: "ftp://user:sk-secret@host" }
                    openai: { kind: openai, api_key: sk-inline-secret }
                  routes:
                    - { alias: "has space", targets: [] }
                    - { alias: x, strategy: random, targets: [ { provider: nope, model: "", weight: -1 } ] }
                    - { alias: y, when: { header: x-a }, targets: [ { provider: openai, model: m } ] }
                  retry: { attempts: 99 }
                  cache: { semantic_threshold: 2 }
                """), problems);
        assertThat(problems).hasSize(11);
        assertThat(String.join("\n", problems))
                .contains(
                        "gateway.providers.odd.kind = 'cohere'",
                        "gateway.providers.bad.base_url",
                        "gateway.routes[0].alias",
                        "gateway.routes[0].targets: at least one target",
                        "gateway.routes[1].strategy = 'random'",
                        "gateway.routes[1].targets[0].provider = 'nope'",
                        "gateway.routes[1].targets[0].model: required",
                        "gateway.routes[1].targets[0].weight",
                        "gateway.routes[2].when.equals",
                        "gateway.retry.attempts = '99'",
                        "gateway.cache.semantic_threshold")
                .doesNotContain("sk-secret", "sk-inline-secret");
        assertThat(config.routes()).isEmpty();
        assertThat(config.retries())
                .as("a bad value keeps the default")
                .isEqualTo(GatewayConfig.empty().retries());
    }

    @Test
    void conditionalRoutesMatchOnHeaderOrKeyTagAndFallThroughToTheDefault() {
        List<String> problems = new ArrayList<>();
        GatewayConfig config = parser.parse(yaml("""
                gateway:
                  providers: { a: { kind: openai }, b: { kind: anthropic }, c: { kind: ollama } }
                  routes:
                    - { alias: m, when: { header: X-Tier, equals: cheap }, targets: [ { provider: c, model: llama } ] }
                    - { alias: m, when: { key_tag: research }, targets: [ { provider: b, model: claude } ] }
                    - { alias: m, targets: [ { provider: a, model: gpt } ] }
                """), problems);
        assertThat(problems).isEmpty();
        Map<String, String> headers = new HashMap<>();
        headers.put("x-tier", "cheap");
        assertThat(Router.route(config.routes(), "m", headers::get, List.of("research"))
                        .orElseThrow()
                        .targets()
                        .get(0)
                        .provider())
                .isEqualTo("c");
        assertThat(Router.route(config.routes(), "m", name -> null, List.of("research"))
                        .orElseThrow()
                        .targets()
                        .get(0)
                        .provider())
                .isEqualTo("b");
        assertThat(Router.route(config.routes(), "m", name -> null, List.of())
                        .orElseThrow()
                        .targets()
                        .get(0)
                        .provider())
                .isEqualTo("a");
        assertThat(Router.route(config.routes(), "other", name -> null, List.of()))
                .isEmpty();
    }

    @Test
    void cacheScopeIsPerOwnerUnlessARouteSharesItAndBadValuesAreReported() {
        List<String> problems = new ArrayList<>();
        GatewayConfig config = parser.parse(yaml("""
                gateway:
                  providers:
                    openai: { kind: openai, api_key: "sk" }
                  routes:
                    - { alias: private, targets: [ { provider: openai, model: m } ] }
                    - { alias: shared, cache_scope: global, targets: [ { provider: openai, model: m } ] }
                    - { alias: typo, cache_scope: everyone, targets: [ { provider: openai, model: m } ] }
                    - { alias: number, cache_scope: 1, targets: [ { provider: openai, model: m } ] }
                """), problems);
        assertThat(config.routes()).extracting(RouteConfig::alias).containsExactly("private", "shared");
        assertThat(config.routes())
                .extracting(RouteConfig::cacheScope)
                .containsExactly(CacheScope.OWNER, CacheScope.GLOBAL);
        assertThat(problems)
                .containsExactly(
                        "gateway.routes[2].cache_scope = 'everyone': expected owner (each owner's answers kept apart)"
                                + " or global (shared by every owner)",
                        "gateway.routes[3].cache_scope = '1': expected owner (each owner's answers kept apart)"
                                + " or global (shared by every owner)");
    }

    @Test
    void aProviderOffersItsListedModelsAndTheModelsRoutesTargetOnItNothingElse() {
        List<String> problems = new ArrayList<>();
        GatewayConfig config = parser.parse(yaml("""
                gateway:
                  providers:
                    openai: { kind: openai, api_key: "sk", models: [ gpt-4o, gpt-4.1 ] }
                    local: { kind: ollama }
                    odd: { kind: openai, models: gpt-4o }
                  routes:
                    - { alias: small, targets: [ { provider: local, model: llama3.2 } ] }
                  limits: { default_max_tokens: 0 }
                """), problems);
        assertThat(config.offers("openai", "gpt-4o")).isTrue();
        assertThat(config.offers("local", "llama3.2")).isTrue();
        assertThat(config.offers("openai", "llama3.2")).isFalse();
        assertThat(config.offers("local", "anything")).isFalse();
        assertThat(config.offers("nowhere", "gpt-4o")).isFalse();
        assertThat(Router.direct(config, "openai/gpt-4.1").orElseThrow().targets())
                .containsExactly(new Target("openai", "gpt-4.1", 1, 120_000));
        assertThat(Router.direct(config, "openai/gpt-5")).isEmpty();
        assertThat(Router.direct(config, "openai/")).isEmpty();
        assertThat(Router.aliases(config))
                .containsExactly("small", "local/llama3.2", "openai/gpt-4.1", "openai/gpt-4o");
        assertThat(config.defaultMaxTokens()).isEqualTo(GatewayConfig.DEFAULT_MAX_TOKENS);
        assertThat(problems)
                .containsExactly(
                        "gateway.providers.odd.models: a list of model names",
                        "gateway.limits.default_max_tokens = '0': expected a whole number from 1 to 10000000");
    }

    @Test
    void loadBalancingDrawsByWeightAndKeepsWeightZeroTargetsAsLastFallbacks() {
        RouteConfig route = new RouteConfig(
                "m",
                "loadbalance",
                List.of(new Target("a", "x", 9, 1000), new Target("b", "y", 1, 1000), new Target("c", "z", 0, 1000)),
                null,
                -1);
        int aFirst = 0;
        for (int i = 0; i < 2000; i++) {
            List<Target> order = Router.order(route);
            assertThat(order).extracting(Target::provider).containsExactlyInAnyOrder("a", "b", "c");
            assertThat(order.getLast().provider()).isEqualTo("c");
            if (order.getFirst().provider().equals("a")) {
                aFirst++;
            }
        }
        assertThat(aFirst).isBetween(1650, 1950);
        RouteConfig fallback = new RouteConfig("m", "fallback", route.targets(), null, -1);
        assertThat(Router.order(fallback)).isEqualTo(route.targets());
    }
}
