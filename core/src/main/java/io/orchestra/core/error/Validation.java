package io.orchestra.core.error;

import java.util.ArrayList;
import java.util.List;

/** Collects every problem with an input so the caller hears about all of them at once. */
public final class Validation {
    private final List<String> errors = new ArrayList<>();

    public Validation check(boolean ok, String problem) {
        if (!ok) {
            errors.add(problem);
        }
        return this;
    }

    public Validation add(String problem) {
        errors.add(problem);
        return this;
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    public List<String> errors() {
        return List.copyOf(errors);
    }

    /** Throws a 422 problem listing every collected error, if there are any. */
    public void throwIfInvalid() {
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
    }
}
