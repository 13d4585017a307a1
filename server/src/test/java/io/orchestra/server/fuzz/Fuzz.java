package io.orchestra.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.error.ProblemException;
import io.orchestra.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The fuzz harness's shared parts: the fixed seed, the corpus under {@code src/test/resources/fuzz/<target>/}
 * (seeds to mutate and every input that ever crashed, replayed on every run), the input generators, and
 * the one assertion every target makes: nothing escapes but the documented error type, with a message.
 * {@code make test} runs the tries set in junit-platform.properties; {@code make fuzz} raises
 * {@code jqwik.tries.default}. An input that fails is also written to {@code target/fuzz-crashes/<target>/}
 * so it can be copied into the corpus.
 */
public final class Fuzz {
    /** Every property uses it, so a run is reproducible; more tries explore further along the same sequence. */
    public static final String SEED = "20261203";

    private static final String[] STRINGS = {
        "",
        " ",
        "a",
        "null",
        "0",
        "-1",
        "\u0000",
        "\u202e",
        "\ud83d\ude00",
        "\\",
        "\"",
        "../../etc/passwd",
        "%00",
        "data:;base64,!!!",
        "data:image/png;base64,iVBORw0KGgo=",
        "http://user:pw@127.0.0.1:1/",
        "${HOME}",
        "${X:-y}",
        "<script>alert(1)</script>",
        "true",
        "1e999",
        "user",
        "assistant",
        "system",
        "tool",
        "text",
        "image_url",
        "function",
        "auto",
        "none",
        "entity",
        "relation",
        "2.0",
        "tools/call",
        "initialize",
        "end_turn",
        "stop"
    };

    private Fuzz() {}

    /** The files of {@code fuzz/<target>/} on the test class path, as text, sorted by name. */
    public static List<String> corpus(String target) {
        URL url = Fuzz.class.getResource("/fuzz/" + target);
        if (url == null) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            List<String> out = new ArrayList<>();
            for (Path file : files.sorted().toList()) {
                out.add(Files.readString(file, StandardCharsets.UTF_8));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @SafeVarargs
    public static List<String> concat(List<String>... lists) {
        List<String> out = new ArrayList<>();
        for (List<String> list : lists) {
            out.addAll(list);
        }
        return out;
    }

    /**
     * Inputs for a JSON parser: the seeds mutated in their structure (values of the wrong type, fields
     * dropped or added) and in their text (truncated, spliced, deeply nested), plus random JSON.
     */
    public static Arbitrary<String> json(List<String> seeds) {
        return Arbitraries.longs().map(seed -> json(new Random(seed), seeds));
    }

    public static String json(Random r, List<String> seeds) {
        int choice = r.nextInt(10);
        String seed = seeds.isEmpty() ? randomValue(r, 3).toString() : seeds.get(r.nextInt(seeds.size()));
        return switch (choice) {
            case 0, 1, 2, 3 -> mutateTree(r, seed);
            case 4, 5 -> mutateText(r, mutateTree(r, seed));
            case 6 -> mutateText(r, seed);
            case 7 -> randomValue(r, 4).toString();
            case 8 -> nest(r, seed);
            default -> garbage(r);
        };
    }

    /** Free text (header values, SSE event names, error bodies). */
    public static Arbitrary<String> text() {
        return Arbitraries.longs().map(seed -> {
            Random r = new Random(seed);
            return r.nextBoolean() ? STRINGS[r.nextInt(STRINGS.length)] : garbage(r);
        });
    }

    private static String mutateTree(Random r, String seed) {
        JsonNode tree;
        try {
            tree = Json.mapper().readTree(seed);
        } catch (JacksonException e) {
            return mutateText(r, seed);
        }
        if (tree == null || tree.isMissingNode()) {
            return seed;
        }
        int edits = 1 + r.nextInt(3);
        for (int i = 0; i < edits; i++) {
            tree = edit(r, tree);
        }
        return tree.toString();
    }

    /** Replaces, drops or adds one node somewhere in the tree. */
    private static JsonNode edit(Random r, JsonNode root) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        if (containers.isEmpty()) {
            return randomValue(r, 2);
        }
        JsonNode target = containers.get(r.nextInt(containers.size()));
        if (target instanceof ObjectNode object) {
            List<String> names = new ArrayList<>(object.propertyNames());
            if (names.isEmpty() || r.nextInt(4) == 0) {
                object.set(
                        names.isEmpty() || r.nextBoolean() ? STRINGS[r.nextInt(STRINGS.length)] : names.get(0),
                        randomValue(r, 2));
            } else if (r.nextInt(3) == 0) {
                object.remove(names.get(r.nextInt(names.size())));
            } else {
                object.set(names.get(r.nextInt(names.size())), randomValue(r, 2));
            }
        } else if (target instanceof ArrayNode array) {
            if (array.isEmpty() || r.nextInt(3) == 0) {
                array.add(randomValue(r, 2));
            } else if (r.nextInt(3) == 0) {
                array.remove(r.nextInt(array.size()));
            } else {
                array.set(r.nextInt(array.size()), randomValue(r, 2));
            }
        }
        return root;
    }

    private static void collect(JsonNode node, List<JsonNode> out) {
        if (node.isContainer()) {
            out.add(node);
            for (JsonNode child : node) {
                collect(child, out);
            }
        }
    }

    static JsonNode randomValue(Random r, int depth) {
        int kind = r.nextInt(depth <= 0 ? 6 : 8);
        return switch (kind) {
            case 0 -> Json.mapper().nullNode();
            case 1 -> Json.mapper().getNodeFactory().booleanNode(r.nextBoolean());
            case 2 -> Json.mapper().getNodeFactory().numberNode(r.nextInt(5) == 0 ? r.nextLong() : r.nextInt(7) - 3);
            case 3 ->
                Json.mapper()
                        .getNodeFactory()
                        .numberNode(r.nextInt(3) == 0 ? Double.MAX_VALUE : r.nextDouble() * 4 - 2);
            case 4, 5 ->
                Json.mapper()
                        .getNodeFactory()
                        .stringNode(r.nextInt(20) == 0 ? "x".repeat(20_000) : STRINGS[r.nextInt(STRINGS.length)]);
            case 6 -> {
                ArrayNode array = Json.mapper().createArrayNode();
                for (int i = r.nextInt(4); i > 0; i--) {
                    array.add(randomValue(r, depth - 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = Json.object();
                for (int i = r.nextInt(4); i > 0; i--) {
                    object.set(STRINGS[r.nextInt(STRINGS.length)], randomValue(r, depth - 1));
                }
                yield object;
            }
        };
    }

    private static final String PUNCTUATION = "{}[],:\"\\ \n0123456789.eE+-tfnu\u0000\u00ff";

    public static String mutateText(Random r, String text) {
        StringBuilder out = new StringBuilder(text);
        int edits = 1 + r.nextInt(4);
        for (int i = 0; i < edits; i++) {
            int at = out.isEmpty() ? 0 : r.nextInt(out.length() + 1);
            switch (r.nextInt(5)) {
                case 0 -> out.setLength(at);
                case 1 -> out.insert(at, PUNCTUATION.charAt(r.nextInt(PUNCTUATION.length())));
                case 2 -> {
                    if (at < out.length()) {
                        out.deleteCharAt(at);
                    }
                }
                case 3 -> out.insert(at, out.substring(at, Math.min(out.length(), at + 1 + r.nextInt(20))));
                default -> out.insert(at, STRINGS[r.nextInt(STRINGS.length)]);
            }
        }
        return out.toString();
    }

    /** Deep nesting and huge numbers: the parser limits must answer, not the stack. */
    private static String nest(Random r, String seed) {
        int depth = r.nextInt(4) == 0 ? 2_000 + r.nextInt(3_000) : 1 + r.nextInt(50);
        return switch (r.nextInt(4)) {
            case 0 -> "[".repeat(depth) + "]".repeat(depth);
            case 1 -> "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
            case 2 -> "{\"n\":" + "9".repeat(1 + r.nextInt(6_000)) + "}";
            default -> "[".repeat(depth) + seed + "]".repeat(depth);
        };
    }

    private static String garbage(Random r) {
        int length = r.nextInt(64);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(
                    r.nextBoolean()
                            ? PUNCTUATION.charAt(r.nextInt(PUNCTUATION.length()))
                            : (char) r.nextInt(r.nextBoolean() ? 128 : 0xD800));
        }
        return out.toString();
    }

    /** What a target may throw: the documented error types. */
    @SafeVarargs
    public static void expectOnly(String target, String input, Runnable action, Class<? extends Throwable>... allowed) {
        try {
            action.run();
        } catch (Throwable t) {
            boolean documented = false;
            for (Class<? extends Throwable> type : allowed) {
                documented |= type.isInstance(t);
            }
            if (!documented || t.getMessage() == null || t.getMessage().isBlank()) {
                keep(target, input);
                throw new AssertionError(
                        target + ": " + (documented ? "an error without a message" : "undocumented " + t)
                                + " for input: " + excerpt(input),
                        t);
            }
        }
    }

    /** The routes' contract: a {@link ProblemException} with a 4xx status and a detail, or nothing. */
    public static void expectProblem(String target, String input, Runnable action) {
        expectOnly(target, input, () -> {
            try {
                action.run();
            } catch (ProblemException e) {
                if (e.status() < 400
                        || e.status() > 499
                        || e.detail() == null
                        || e.detail().isBlank()) {
                    throw new AssertionError(
                            "a problem with status " + e.status() + " and detail '" + e.detail() + "'");
                }
            }
        });
    }

    /** Records a failing input under target/fuzz-crashes so it can join the corpus. */
    public static void keep(String target, String input) {
        try {
            byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
            String name = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))
                    .substring(0, 16);
            Path dir = Path.of("target", "fuzz-crashes", target.replace('/', '-'));
            Files.createDirectories(dir);
            Files.write(dir.resolve(name + ".txt"), bytes);
        } catch (IOException | NoSuchAlgorithmException e) {
            // keeping is a convenience; the assertion below is what matters
        }
    }

    public static String excerpt(String input) {
        return input.length() <= 300 ? input : input.substring(0, 300) + "... (" + input.length() + " chars)";
    }

    /** Asserts a list of problems each carries a message. */
    public static void assertMessages(List<String> problems) {
        assertThat(problems).allSatisfy(p -> assertThat(p).isNotBlank());
    }
}
