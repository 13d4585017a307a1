package io.orchestra.core.auth;

/**
 * Who is calling: the API key that authenticated the request. {@code owner} scopes every row that
 * belongs to a user; keys of the same owner share data. {@code tags} drive conditional routing.
 */
public record Principal(String keyId, String keyName, Role role, String owner, java.util.List<String> tags) {
    public boolean isAdmin() {
        return role == Role.ADMIN;
    }
}
