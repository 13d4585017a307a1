package io.orchestra.gateway.providers;

/** The bookkeeping every stream translation shares: finished, content sent, usage so far. */
public abstract class BaseStreamTranslator implements StreamTranslator {
    protected boolean finished;
    protected boolean sentContent;
    protected TokenUsage usage = TokenUsage.NONE;
    // The chunk head the answer's chunks carry, for the chunks the gateway adds (usage).
    protected String id;
    protected long created;
    protected String model;

    @Override
    public boolean finished() {
        return finished;
    }

    @Override
    public TokenUsage usage() {
        return usage;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public long created() {
        return created;
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public boolean sentContent() {
        return sentContent;
    }
}
