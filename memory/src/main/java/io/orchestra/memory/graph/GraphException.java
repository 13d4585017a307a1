package io.orchestra.memory.graph;

/** A request the graph cannot honour (unknown entity, invalid relation); the message is for the caller. */
public final class GraphException extends RuntimeException {
    public GraphException(String message) {
        super(message);
    }
}
