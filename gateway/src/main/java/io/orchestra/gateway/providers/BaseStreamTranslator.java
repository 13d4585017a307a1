package io.orchestra.gateway.providers;

/** The bookkeeping every stream translation shares: finished, content sent, usage so far. */
public abstract class BaseStreamTranslator implements StreamTranslator {
    protected boolean finished;
    protected boolean sentContent;
    protected TokenUsage usage = TokenUsage.NONE;

    @Override
    public boolean finished() {
        return finished;
    }

    @Override
    public TokenUsage usage() {
        return usage;
    }

    @Override
    public boolean sentContent() {
        return sentContent;
    }
}
