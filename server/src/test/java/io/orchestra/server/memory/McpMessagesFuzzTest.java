package io.orchestra.server.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.server.fuzz.Fuzz;
import io.orchestra.server.http.JsonRpcProblem;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The /mcp JSON-RPC entry: a message the SDK may see, or a JSON-RPC error with a 4xx status; nothing else. */
class McpMessagesFuzzTest {
    private static final List<String> SEEDS = Fuzz.corpus("mcp");

    @Provide
    Arbitrary<String> messages() {
        return Fuzz.json(SEEDS);
    }

    @Property(seed = Fuzz.SEED)
    void aMessageIsCheckedOrAJsonRpcError(@ForAll("messages") String body) {
        check(body);
    }

    @Example
    void corpusReplays() {
        SEEDS.forEach(McpMessagesFuzzTest::check);
    }

    private static void check(String body) {
        Fuzz.expectOnly(
                "mcp",
                body,
                () -> {
                    try {
                        assertThat(McpMessages.check(body.getBytes(StandardCharsets.UTF_8))
                                        .isObject())
                                .isTrue();
                    } catch (JsonRpcProblem e) {
                        assertThat(e.status()).isBetween(400, 499);
                        throw e;
                    }
                },
                JsonRpcProblem.class);
    }
}
