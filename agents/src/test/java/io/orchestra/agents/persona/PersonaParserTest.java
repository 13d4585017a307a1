package io.orchestra.agents.persona;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.error.Validation;
import io.orchestra.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.dataformat.yaml.YAMLMapper;

class PersonaParserTest {
    static final String MINIMAL = """
            {"id":"ada","name":"Ada","description":"Maths tutor","system_prompt":"You teach maths.","model":"default"}""";

    @Test
    void minimalDefinitionGetsDefaults() {
        Validation v = new Validation();
        Persona persona = PersonaParser.parse(Json.tree(MINIMAL), null, v);
        assertThat(v.errors()).isEmpty();
        assertThat(persona.temperature()).isEqualTo(0.7);
        assertThat(persona.memory().scope()).isEqualTo("persona");
        assertThat(persona.search().providers()).containsExactly("wikipedia");
        assertThat(persona.coordinator()).isFalse();
    }

    @Test
    void everyProblemIsListed() {
        Validation v = new Validation();
        Persona persona = PersonaParser.parse(Json.tree("""
                {"id":"Bad Id","name":"","system_prompt":42,"model":"default","temperature":3,
                 "domains":"finance","memory":{"scope":"global","read_from":["Not Valid"]},
                 "search":{"providers":["google"],"blend":"random","max_results":0},"colour":"red"}"""), "bad-id", v);
        assertThat(persona).isNull();
        assertThat(v.errors())
                .contains(
                        "colour: unknown field (known: coordinator, description, domains, id, memory, model, name, search, system_prompt, temperature, tools)",
                        "name: required",
                        "description: required",
                        "system_prompt: must be text",
                        "temperature: a number from 0 to 2",
                        "domains: must be a list",
                        "memory.scope: one of [persona, user]"
                                .replace("[persona, user]", PersonaParser.SCOPES.toString()),
                        "search.blend: one of " + PersonaParser.BLENDS,
                        "search.max_results: a whole number from 1 to 50");
        assertThat(v.errors()).anyMatch(e -> e.startsWith("id: lowercase"));
        assertThat(v.errors()).anyMatch(e -> e.contains("'Bad Id' does not match 'bad-id'"));
        assertThat(v.errors()).anyMatch(e -> e.contains("'Not Valid' is not a valid entry"));
        assertThat(v.errors()).anyMatch(e -> e.contains("'google' is not one of"));
    }

    @Test
    void writtenJsonParsesBackToTheSamePersona() {
        Validation v = new Validation();
        Persona persona = PersonaParser.parse(Json.tree(MINIMAL), null, v);
        Persona again = PersonaParser.parse(PersonaJson.write(persona), null, new Validation());
        assertThat(again).isEqualTo(persona);
    }

    @Test
    void shippedPersonasAreValid() throws Exception {
        Path dir = Path.of("..", "personas");
        YAMLMapper yaml = YAMLMapper.builder().build();
        for (String id : new String[] {"cherry", "sophia", "karen"}) {
            Validation v = new Validation();
            Persona persona = PersonaParser.parse(yaml.readTree(Files.readString(dir.resolve(id + ".yaml"))), id, v);
            assertThat(v.errors()).as(id).isEmpty();
            assertThat(persona.id()).isEqualTo(id);
        }
    }
}
