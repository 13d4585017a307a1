package io.orchestra.memory.graph;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Contradictions a rule can see: two observations that give one key ("Role: CTO", "role: engineer") different values. */
final class Facts {
    // A short key, a colon and a space, a value: "Lives in: Paris", not a sentence that happens to hold a colon.
    private static final Pattern KEYED = Pattern.compile("^\\s*([^:\\n]{1,40}?)\\s*:\\s+\\S.*$", Pattern.DOTALL);

    private Facts() {}

    /** The observation's key, folded; null when it is not of the form "key: value". */
    static String key(String observation) {
        if (observation == null) {
            return null;
        }
        Matcher m = KEYED.matcher(observation);
        return m.matches() ? m.group(1).strip().toLowerCase(Locale.ROOT) : null;
    }
}
