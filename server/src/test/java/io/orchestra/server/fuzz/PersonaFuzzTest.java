package io.orchestra.server.fuzz;

import io.orchestra.agents.persona.PersonaParser;
import io.orchestra.core.error.Validation;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Persona definitions (YAML files and JSON bodies): a persona or a list of problems, never an exception. */
class PersonaFuzzTest {
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final List<String> SEEDS = Fuzz.corpus("persona");

    @Provide
    Arbitrary<String> definitions() {
        return Arbitraries.longs().map(seed -> {
            Random r = new Random(seed);
            String base = SEEDS.get(r.nextInt(SEEDS.size()));
            return r.nextInt(3) == 0 ? Fuzz.mutateText(r, base) : Fuzz.json(r, List.of(base));
        });
    }

    @Property(seed = Fuzz.SEED)
    void aDefinitionParsesOrListsItsProblems(@ForAll("definitions") String text) {
        parse(text);
    }

    @Example
    void corpusReplays() {
        SEEDS.forEach(PersonaFuzzTest::parse);
    }

    private static void parse(String text) {
        JsonNode node;
        try {
            node = YAML.readTree(text);
        } catch (JacksonException e) {
            return; // PersonaFiles reports "not valid YAML" with the parser's message
        }
        Fuzz.expectOnly("persona", text, () -> {
            Validation v = new Validation();
            PersonaParser.parse(node, r(text), v);
            Fuzz.assertMessages(v.errors());
        });
    }

    /** An expected id (from a file name) half of the time. */
    private static String r(String text) {
        return text.length() % 2 == 0 ? "fuzz" : null;
    }
}
