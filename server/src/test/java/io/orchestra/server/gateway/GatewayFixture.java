package io.orchestra.server.gateway;

import io.orchestra.server.TestServer;
import java.util.Map;

/** A fake provider plus a server routed to it, shared by the gateway tests. */
final class GatewayFixture implements AutoCloseable {
    static final String OPENAI_KEY = "sk-test-secret-openai-key-0123456789";
    static final String ANTHROPIC_KEY = "sk-ant-secret-key-abcdef";

    final FakeUpstream upstream = new FakeUpstream();
    final TestServer server;

    GatewayFixture(TestServer.Storage storage, Map<String, String> overrides) {
        server = TestServer.start(storage, overrides, yaml(upstream.baseUrl()));
    }

    static String yaml(String fake) {
        return """
                gateway:
                  providers:
                    openai: { kind: openai, base_url: "%1$s/openai/v1", api_key: "%2$s" }
                    claude: { kind: anthropic, base_url: "%1$s/anthropic", api_key: "%3$s" }
                    dead: { kind: openai, base_url: "http://127.0.0.1:1/v1", api_key: "sk-dead" }
                  retry: { attempts: 1, backoff_ms: 10, max_backoff_ms: 50 }
                  circuit_breaker: { failures: 3, window_ms: 60000, cooldown_ms: 700 }
                  timeouts: { first_byte_ms: 800, stream_idle_ms: 800 }
                  cache: { enabled: true, ttl_seconds: 0 }
                  routes:
                    - { alias: chat, targets: [ { provider: openai, model: gpt-4o-mini } ] }
                    - alias: fallback
                      targets:
                        - { provider: dead, model: gpt-4o-mini }
                        - { provider: openai, model: fail-500 }
                        - { provider: claude, model: claude-haiku-4-5 }
                    - { alias: cached, cache_ttl_seconds: 60, targets: [ { provider: openai, model: gpt-4o-mini } ] }
                    - { alias: premium, when: { header: x-tier, equals: gold }, targets: [ { provider: claude, model: claude-sonnet-4-5 } ] }
                    - { alias: premium, targets: [ { provider: openai, model: gpt-4o-mini } ] }
                    - { alias: tagged, when: { key_tag: vip }, targets: [ { provider: claude, model: claude-haiku-4-5 } ] }
                    - { alias: tagged, targets: [ { provider: openai, model: gpt-4o } ] }
                    - alias: lb
                      strategy: loadbalance
                      targets: [ { provider: openai, model: lb-a, weight: 3 }, { provider: openai, model: lb-b, weight: 1 } ]
                    - { alias: flaky, targets: [ { provider: openai, model: flaky-1 } ] }
                    - { alias: ratelimited, targets: [ { provider: openai, model: fail-429 }, { provider: claude, model: claude-haiku-4-5 } ] }
                    - { alias: bad, targets: [ { provider: openai, model: fail-400 }, { provider: claude, model: claude-haiku-4-5 } ] }
                    - { alias: unauthorized, targets: [ { provider: openai, model: fail-401 } ] }
                    - { alias: slow, targets: [ { provider: openai, model: slow, timeout_ms: 300 }, { provider: claude, model: claude-haiku-4-5 } ] }
                    - { alias: stall, targets: [ { provider: openai, model: stall } ] }
                    - { alias: endless, targets: [ { provider: openai, model: endless, timeout_ms: 20000 } ] }
                    - { alias: gated, targets: [ { provider: openai, model: gated } ] }
                    - { alias: stream-error, targets: [ { provider: openai, model: stream-error }, { provider: claude, model: claude-haiku-4-5 } ] }
                    - { alias: claude-stream-error, targets: [ { provider: claude, model: stream-error }, { provider: openai, model: gpt-4o-mini } ] }
                    - { alias: circuit, targets: [ { provider: openai, model: fail-500 }, { provider: claude, model: claude-haiku-4-5 } ] }
                    - { alias: tools, targets: [ { provider: openai, model: tools } ] }
                    - { alias: claude-tools, targets: [ { provider: claude, model: tools } ] }
                    - { alias: embed, targets: [ { provider: openai, model: text-embedding-3-small } ] }
                """.formatted(fake, OPENAI_KEY, ANTHROPIC_KEY);
    }

    @Override
    public void close() {
        server.close();
        upstream.close();
    }
}
