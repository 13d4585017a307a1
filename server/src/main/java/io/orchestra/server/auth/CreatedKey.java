package io.orchestra.server.auth;

/** A freshly created key: the only moment the secret exists outside the caller's hands. */
public record CreatedKey(ApiKey key, String secret) {}
